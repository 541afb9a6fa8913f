"""Journeys through logging in: the language a person picks, and the lockout."""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.pages import log_in, log_out, screenshot, submit_login
from tests.factories.people import PASSWORD
from visitflow.accounts.models import Language

pytestmark = [
    pytest.mark.browser,
    # WhiteNoise looks for collected files under STATIC_ROOT; the live server serves
    # static files straight from the app folders, so there is nothing to collect.
]


def test_english_is_chosen_in_the_navbar_and_remembered_on_the_user(page: Page, org: dict) -> None:
    user = org["east_sales"]
    log_in(page, user)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    page.get_by_role("button", name="中文", exact=True).click()
    page.get_by_role("button", name="English", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav = page.locator("#vf-nav")
    nav.get_by_role("link", name="Customers", exact=True).click()
    expect(page.get_by_role("heading", name="Customers", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="New customer")).to_be_visible()
    expect(nav.get_by_role("button", name="English", exact=True)).to_be_visible()
    screenshot(page, "customer_list_english")
    user.refresh_from_db()
    assert user.language == Language.EN

    # Logged out, then logged in again from a browser with no cookie at all: the
    # language comes from the user, not from the cookie the switch also set.
    log_out(page, "Log out")
    context: BrowserContext = page.context
    context.clear_cookies()
    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    log_in(page, user)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(
        page.locator("#vf-nav").get_by_role("link", name="Customers", exact=True)
    ).to_be_visible()
    page.goto("/customers/")
    expect(page.get_by_role("link", name="New customer")).to_be_visible()


def test_five_wrong_passwords_lock_the_account(page: Page, org: dict) -> None:
    user = org["east_sales"]

    for attempt in range(1, 6):
        status = submit_login(page, user.username, "wrong-password")
        if attempt < 5:
            assert status == 200
            expect(page.locator("form .alert-danger")).to_contain_text("正确的用户名和密码")
        if attempt == 1:
            screenshot(page, "login_error")
    # The fifth failure already locks: the right password no longer opens the door.
    status = submit_login(page, user.username, PASSWORD)

    assert status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("登录失败次数过多")
    expect(page.get_by_role("link", name="返回登录")).to_be_visible()
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    screenshot(page, "lockout")
    # Not logged in behind the lockout page either.
    page.goto("/customers/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
