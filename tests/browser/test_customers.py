"""Journeys through the customer pages, in Chinese (the default), on a desk and a phone."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.pages import english_on_page, log_in, page_scroll_width, screenshot
from tests.factories.customers import level
from visitflow.accounts.models import User
from visitflow.customers.models import Customer
from visitflow.customers.services import customer_create

pytestmark = [
    pytest.mark.browser,
    # WhiteNoise looks for collected files under STATIC_ROOT; the live server serves
    # static files straight from the app folders, so there is nothing to collect.
]

NEW_NAME = "杭州西湖智能科技有限公司"
OTHER_NAME = "宁波海天塑料有限公司"


def _register(owner: User, name: str, **extra: object) -> Customer:
    return customer_create(actor=owner, owner=owner, name=name, level=level("A"), **extra)


def test_salesperson_registers_a_customer_and_finds_it(page: Page, org: dict) -> None:
    east_sales = org["east_sales"]
    _register(east_sales, OTHER_NAME, city="宁波")

    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    screenshot(page, "login")
    assert english_on_page(page) == set()
    log_in(page, east_sales)

    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="客户", exact=True).click()
    page.get_by_role("link", name="新增客户").click()
    expect(page).to_have_url(re.compile(r"/customers/new/$"))
    expect(page.get_by_role("heading", name="新增客户")).to_be_visible()

    page.get_by_label("公司名称").fill(NEW_NAME)
    page.get_by_label("级别").select_option(label="B")
    contact_card = page.locator(".card").filter(has=page.get_by_role("heading", name="主要联系人"))
    contact_card.get_by_label("联系人姓名").fill("陈静")
    contact_card.get_by_label("联系人手机").fill("1381234")
    page.get_by_role("button", name="保存").click()

    # The form comes back with the error beside the phone field, and nothing lost.
    mobile = page.get_by_label("联系人手机")
    expect(mobile).to_have_class(re.compile(r"\bis-invalid\b"))
    error = page.locator("#div_id_contact_mobile .invalid-feedback")
    expect(error).to_be_visible()
    expect(error).to_contain_text("不是有效的电话号码")
    expect(mobile).to_have_accessible_description(re.compile("不是有效的电话号码"))
    expect(mobile).to_have_value("1381234")
    expect(page.get_by_label("公司名称")).to_have_value(NEW_NAME)
    expect(page.get_by_label("级别").locator("option:checked")).to_have_text("B")
    expect(page.get_by_label("联系人姓名")).to_have_value("陈静")
    expect(page.locator(".is-invalid")).to_have_count(1)
    screenshot(page, "customer_form_errors")
    assert english_on_page(page) == set()

    mobile.fill("13812345678")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(r"/customers/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_NAME)
    contacts = page.locator(".vf-contact")
    expect(contacts).to_have_count(1)
    expect(contacts).to_contain_text("陈静")
    expect(contacts).to_contain_text("138 1234 5678")
    expect(contacts.get_by_text("主要", exact=True)).to_be_visible()
    screenshot(page, "customer_detail")
    assert english_on_page(page) == set()

    # The list filters as one types: htmx swaps the results, the page is not reloaded.
    nav.get_by_role("link", name="客户", exact=True).click()
    expect(page.get_by_role("heading", name="客户", level=1)).to_be_visible()
    results = page.locator("#results")
    expect(results.get_by_role("link", name=OTHER_NAME)).to_be_visible()
    screenshot(page, "customer_list")
    assert english_on_page(page) == set()
    htmx_requests: list[Request] = []
    page.on("request", lambda r: htmx_requests.append(r) if r.headers.get("hx-request") else None)
    page.evaluate("window.vfNotReloaded = true")

    page.get_by_role("searchbox", name="搜索").press_sequentially("西湖", delay=40)

    expect(results.get_by_role("link", name=OTHER_NAME)).to_have_count(0)
    row = results.get_by_role("row").filter(has_text=NEW_NAME)
    expect(row).to_be_visible()
    expect(row).to_contain_text("陈静")
    assert page.evaluate("window.vfNotReloaded") is True
    assert htmx_requests, "the search did not go through htmx"
    expect(page).to_have_url(re.compile(r"[?&]q=%E8%A5%BF%E6%B9%96"))
    screenshot(page, "customer_list_search")

    row.get_by_role("link", name=NEW_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_NAME)


def test_salesperson_of_another_team_gets_not_found(page: Page, org: dict) -> None:
    customer = _register(
        org["east_sales"],
        NEW_NAME,
        primary_contact={"name": "陈静", "mobile": "+8613812345678"},
    )
    _register(org["south_sales"], OTHER_NAME)

    log_in(page, org["south_sales"])
    response = page.goto(f"/customers/{customer.pk}/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("此页面不存在")
    expect(page.get_by_text(NEW_NAME)).to_have_count(0)
    screenshot(page, "not_found")
    assert english_on_page(page) == set()

    page.goto("/customers/")
    results = page.locator("#results")
    expect(results.get_by_role("link", name=OTHER_NAME)).to_be_visible()
    expect(results.get_by_text(NEW_NAME)).to_have_count(0)
    page.goto("/customers/?q=%E8%A5%BF%E6%B9%96")  # 西湖
    expect(results.get_by_text(NEW_NAME)).to_have_count(0)
    expect(results).to_contain_text("没有符合条件的客户")


def test_customer_list_on_a_phone(phone_page: Page, org: dict) -> None:
    east_sales = org["east_sales"]
    for i, (name, city) in enumerate(
        [
            ("深圳市华强北电子元器件贸易有限责任公司", "深圳"),
            ("广州南方重型机械设备制造股份有限公司", "广州"),
            ("苏州工业园区精密模具有限公司", "苏州"),
            ("Shenzhen Bright Future International Trading Co., Ltd.", "深圳"),
        ]
    ):
        _register(
            east_sales,
            name,
            city=city,
            primary_contact={"name": f"联系人{i}", "mobile": f"+86139{i:08d}"},
        )
    page = phone_page
    log_in(page, east_sales)
    page.goto("/customers/")

    results = page.locator("#results")
    expect(results.get_by_role("link", name="苏州工业园区精密模具有限公司")).to_be_visible()
    assert page_scroll_width(page) <= 390 + 1
    expect(page.get_by_role("searchbox", name="搜索")).to_be_visible()
    expect(page.get_by_role("link", name="新增客户")).to_be_visible()
    screenshot(page, "customer_list_phone")

    # The navbar folds into a toggler that opens the menu.
    nav_link = page.locator("#vf-nav").get_by_role("link", name="客户", exact=True)
    expect(nav_link).to_be_hidden()
    toggler = page.get_by_role("button", name="菜单")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(nav_link).to_be_visible()
    # Bootstrap swaps "collapsing" for "collapse show" once the menu has slid open.
    expect(page.locator("#vf-nav")).to_have_class(re.compile(r"\bshow\b"))
    expect(toggler).to_have_attribute("aria-expanded", "true")
    screenshot(page, "customer_list_phone_menu")
    nav_link.click()
    expect(page.get_by_role("heading", name="客户", level=1)).to_be_visible()

    # The pages one reaches from the list fit the phone too.
    results.get_by_role("link", name="苏州工业园区精密模具有限公司").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("苏州工业园区精密模具")
    assert page_scroll_width(page) <= 390 + 1
    screenshot(page, "customer_detail_phone")
    page.goto("/customers/new/")
    assert page_scroll_width(page) <= 390 + 1
    screenshot(page, "customer_form_phone")


def test_manager_and_director_see_a_teammates_customer(
    new_page: Callable[..., Page], org: dict
) -> None:
    _register(
        org["east_sales2"],
        NEW_NAME,
        primary_contact={"name": "陈静", "mobile": "+8613812345678"},
    )

    manager = new_page()
    log_in(manager, org["east_manager"])
    manager.goto("/customers/")
    manager.locator("#results").get_by_role("link", name=NEW_NAME).click()
    expect(manager.get_by_role("heading", level=1)).to_contain_text(NEW_NAME)
    expect(manager.locator(".vf-page-header").get_by_role("link", name="编辑")).to_be_visible()

    director = new_page()
    log_in(director, org["director"])
    director.goto("/customers/")
    director.locator("#results").get_by_role("link", name=NEW_NAME).click()
    expect(director.get_by_role("heading", level=1)).to_contain_text(NEW_NAME)
    expect(director.locator(".vf-contact")).to_contain_text("陈静")
    expect(director.get_by_role("link", name="编辑")).to_have_count(0)
    expect(director.get_by_role("link", name="添加联系人")).to_have_count(0)
    screenshot(director, "customer_detail_director")
    assert english_on_page(director) == set()
    response = director.goto(director.url + "edit/")
    assert response is not None
    assert response.status == 403
