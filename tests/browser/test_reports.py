"""The reception-quality report as a manager reads it: in Chinese, this month's visits of
the team, one row per salesperson, and the same rows as a file."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.pages import log_in, screenshot
from tests.factories.visits import make_visit
from visitflow.visits.models import StepState

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
