"""Issue 8 journey: a salesperson plans a banquet over the customer's standard, is asked
for a reason (nothing typed is lost), gives it; the manager is told, approves it from
their page, and the visit's budget shows the money approved to spend go up."""

import re
from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import log_in, page_scroll_width, screenshot
from tests.factories.spend import make_standard
from tests.factories.visits import make_visit
from visitflow.notifications.models import Notification
from visitflow.spend.models import LineStatus, SpendCategory, SpendLine

pytestmark = [pytest.mark.browser]


def test_banquet_over_the_standard_approved_by_the_manager(
    new_page: Callable[..., Page], org: dict
) -> None:
    finance, host, manager = org["finance"], org["east_sales"], org["east_manager"]
    make_standard(actor=finance, amount="300.00", valid_from=date(2026, 1, 1))
    make_standard(
        actor=finance,
        category=SpendCategory.MEAL_LUNCH,
        amount="100.00",
        valid_from=date(2026, 1, 1),
    )
    visit = make_visit(actor=host)

    page = new_page()
    log_in(page, host)
    page.goto(f"/visits/{visit.pk}/")
    page.get_by_test_id("open-spend").click()
    page.get_by_test_id("plan-meal").click()
    page.locator("#id_category").select_option("meal_banquet")
    page.locator("#id_date").fill("2026-12-10")
    page.locator("#id_venue").fill("海上皇宫酒家")
    page.locator("#id_guests").fill("3")
    page.locator("#id_hosts").fill("2")
    page.locator("#id_planned_amount").fill("1700.00")
    # The standard appears as the amount is typed: 5 people x ¥300, and it is over.
    preview = page.get_by_test_id("standard-preview")
    expect(preview).to_contain_text("¥1,500.00")
    expect(preview).to_have_class(re.compile("alert-warning"))
    page.get_by_test_id("submit").click()
    # No reason: refused, and what was typed is still there.
    expect(page.locator("#id_over_reason")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_venue")).to_have_value("海上皇宫酒家")
    expect(page.locator("#id_planned_amount")).to_have_value("1700.00")
    page.locator("#id_over_reason").fill("客户董事长亲自来访，签约前宴请")
    screenshot(page, "spend-plan-over")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("spend-line")).to_have_count(1)
    expect(page.get_by_test_id("budget-approved")).to_have_text("¥1,500.00")
    expect(page.get_by_test_id("budget-planned")).to_have_text("¥1,700.00")
    line = SpendLine.objects.get()
    assert line.status == LineStatus.PENDING
    assert Notification.objects.filter(recipient=manager, kind="spend_approval").exists()

    boss = new_page()
    log_in(boss, manager)
    boss.goto("/spend/approvals/")
    row = boss.get_by_test_id("approval-row")
    expect(row).to_contain_text("签约前宴请")
    expect(row).to_contain_text("¥1,700.00")
    screenshot(boss, "spend-approvals")
    row.get_by_test_id("approve").click()
    expect(boss.get_by_test_id("approval-row")).to_have_count(0)
    line.refresh_from_db()
    assert line.status == LineStatus.APPROVED

    page.goto(f"/visits/{visit.pk}/")
    budget = page.get_by_test_id("visit-budget")
    expect(budget.get_by_test_id("budget-approved")).to_have_text("¥1,700.00")
    screenshot(page, "spend-visit-budget")
    page.get_by_test_id("open-spend").click()
    expect(page.get_by_test_id("spend-line")).to_contain_text(str(manager))
    screenshot(page, "spend-visit-lines")

    money = new_page()
    log_in(money, finance)
    money.goto("/spend/")
    expect(money.get_by_test_id("within-rate")).to_have_text("0%")
    expect(money.locator("[data-spend-chart='chart-customer'] svg")).to_be_attached()
    expect(money.get_by_test_id("overruns")).to_contain_text("签约前宴请")
    screenshot(money, "spend-reports")

    phone = new_page(phone=True)
    log_in(phone, host)
    phone.goto(f"/spend/visit/{visit.pk}/")
    expect(phone.get_by_test_id("budget-approved")).to_have_text("¥1,700.00")
    assert page_scroll_width(phone) <= 390
    screenshot(phone, "spend-visit-phone")
