"""The reception-quality report as a manager reads it: in Chinese, this month's visits of
the team, one row per salesperson, and the same rows as a file."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.pages import english_on_page, log_in, page_scroll_width, screenshot
from tests.factories.visits import make_visit
from visitflow.visits.models import StepState, Visit, VisitOutcome, VisitStatus

pytestmark = [pytest.mark.browser]


def test_a_manager_reads_the_teams_month(page: Page, org: dict) -> None:
    sales = org["east_sales"]
    now = timezone.now()
    visit = make_visit(actor=sales, starts_at=now - timedelta(days=1))
    steps = list(visit.steps.filter(due_at__isnull=False).order_by("pk")[:3])
    for step in steps[:2]:
        step.state, step.done_at = StepState.DONE, step.due_at
        step.save(update_fields=["state", "done_at"])
    manager = org["east_manager"]

    log_in(page, manager)
    page.goto("/visits/")
    page.get_by_role("link", name="接待质量").click()
    expect(page.get_by_role("heading", name="接待质量")).to_be_visible()
    expect(page.get_by_test_id("total-visits")).to_have_text("1")
    expect(page.get_by_test_id("total-return-calls")).to_have_text("—")  # not due yet
    hosts = page.get_by_test_id("quality-hosts")
    expect(hosts).to_contain_text(str(sales))
    screenshot(page, "reports-quality")

    with page.expect_download() as download:
        page.get_by_test_id("export").click()
        page.get_by_test_id("export-csv").click()
    content = download.value.path().read_bytes().decode("utf-8-sig")
    assert content.splitlines()[0].startswith("月份,团队,接待人")
    assert str(sales) in content


def _recent_visits(org: dict) -> None:
    """Three visits of the east team over the last weeks: one closed with a deal and its
    steps on time, one with steps overdue, one of a colleague still a draft."""
    sales = org["east_sales"]
    now = timezone.now()
    done = make_visit(actor=sales, starts_at=now - timedelta(days=20))
    for step in done.steps.filter(due_at__isnull=False, due_at__lt=now):
        step.state, step.done_at = StepState.DONE, step.due_at
        step.save(update_fields=["state", "done_at"])
    Visit.objects.filter(pk=done.pk).update(
        status=VisitStatus.CLOSED, outcome=VisitOutcome.DEAL, deal_amount=Decimal("88000")
    )
    make_visit(actor=sales, starts_at=now - timedelta(days=9))
    make_visit(actor=org["east_sales2"], starts_at=now - timedelta(days=3))


def test_a_manager_reads_the_dashboard_and_opens_a_figure(page: Page, org: dict) -> None:
    _recent_visits(org)
    log_in(page, org["east_manager"])
    page.get_by_role("link", name="仪表盘").first.click()
    expect(page.get_by_role("heading", name="仪表盘")).to_be_visible()
    expect(page.get_by_test_id("dashboard-scope")).to_contain_text("本团队")
    expect(page.get_by_test_id("kpi-visits")).to_have_text("3")
    expect(page.get_by_test_id("kpi-conversion")).to_have_text("100.0%")  # one came: a deal
    # ECharts draws every chart (as SVG), with its table beside it.
    for chart in ("chart-weeks", "chart-steps", "chart-calls", "chart-follow-ups"):
        expect(page.locator(f'[data-dashboard-chart="{chart}"] svg')).to_be_attached()
    assert english_on_page(page) == set()
    screenshot(page, "reports-dashboard")

    # The overdue figure of a step opens the visits behind it, filtered the same way.
    overdue = (
        page.get_by_test_id("table-steps")
        .locator("tr")
        .filter(has=page.locator("td.text-danger"))
        .first
    )
    count = overdue.locator("td.text-danger a").inner_text()
    overdue.locator("td.text-danger a").click()
    expect(page.get_by_test_id("scope-banner")).to_contain_text("已按仪表盘筛选")
    expect(page.get_by_test_id("visit-table").locator("tbody tr")).to_have_count(int(count))
    screenshot(page, "reports-dashboard-list")
    page.get_by_role("link", name="返回仪表盘").click()
    expect(page.get_by_role("heading", name="仪表盘")).to_be_visible()


def test_a_salesperson_on_a_phone(new_page: Any, org: dict) -> None:
    _recent_visits(org)
    page = new_page(phone=True)
    log_in(page, org["east_sales"])
    page.goto("/reports/")
    expect(page.get_by_test_id("dashboard-scope")).to_contain_text("我的到访和客户")
    expect(page.get_by_test_id("kpi-visits")).to_have_text("2")
    expect(page.locator("select[name=host]")).to_have_count(0)
    assert page_scroll_width(page) <= 400
    screenshot(page, "reports-dashboard-phone")


WIDTHS = (992, 1200, 1280, 1400, 1600)


def _cut_off(page: Page) -> list[int]:
    """The window widths at which the user menu (the last thing in the navigation) is
    pushed outside the window, or the navigation takes two lines."""
    cut = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        menu = page.get_by_test_id("user-menu").bounding_box()
        height = page.locator(".vf-navbar").bounding_box()["height"]
        if menu["x"] + menu["width"] > width or height >= 70:
            cut.append(width)
    return cut


@pytest.mark.parametrize("who", ["east_manager", "admin", "director"])
def test_the_navigation_keeps_to_one_line_with_the_dashboard(
    page: Page, org: dict, who: str
) -> None:
    """The dashboard's link made the navigation longer: from the narrowest desktop width
    (992 px) up, it keeps to one line and nothing is cut off, in Chinese and English."""
    page.set_viewport_size({"width": 992, "height": 800})
    log_in(page, org[who])
    page.goto("/reports/")
    assert _cut_off(page) == []
    page.set_viewport_size({"width": 992, "height": 800})
    screenshot(page, f"navbar-992-{who}-zh")
    page.get_by_role("button", name="中文").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert _cut_off(page) == []
    page.set_viewport_size({"width": 992, "height": 800})
    screenshot(page, f"navbar-992-{who}")
    if who == "admin":  # the sections opened now and then are under "More"
        page.get_by_test_id("nav-more").click()
        expect(page.get_by_role("link", name="Administration")).to_be_visible()
