"""SOP 5.2 through the real pages: a salesperson on a business trip records it, registers
a visit that falls into it, sees the warning at once (on the form and the visit page) and
asks the supervisor for cover; the manager finds it under "cover needed" and asks a
colleague to stand in; the colleague accepts and finds the visit on "My day"."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.pages import log_in, screenshot
from tests.factories.customers import ContactFactory, level
from visitflow.customers.services import customer_create
from visitflow.visits.models import CoverRequest, CoverState, Visit

pytestmark = [pytest.mark.browser]

CUSTOMER = "苏州恒瑞精密机械有限公司"


def _local(dt: timezone.datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _shot(page: Page, name: str) -> None:
    """A screenshot from the top (a redirect to #cover scrolls under the sticky navbar)."""
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, name)


def test_cover_for_a_host_on_a_business_trip(new_page: Callable[..., Page], org: dict) -> None:
    host, manager, colleague = org["east_sales"], org["east_manager"], org["east_sales2"]
    colleague.mobile = "+8613912345678"
    colleague.save(update_fields=["mobile"])
    customer = customer_create(actor=host, owner=host, name=CUSTOMER, level=level("A"))
    ContactFactory(
        customer=customer, name="周总", title="采购经理", diet="不吃辣", drinking="不喝酒"
    )
    today = timezone.localdate()
    # The visit is tomorrow, so that it is on the stand-in's "My day" once accepted.
    start = timezone.make_aware(
        timezone.datetime.combine(today + timedelta(days=1), timezone.datetime.min.time())
    ) + timedelta(hours=10)

    # The salesperson records the trip.
    page = new_page()
    log_in(page, host)
    page.goto("/accounts/absences/new/")
    page.locator("#id_kind").select_option("business_trip")
    page.locator("#id_starts_on").fill(today.isoformat())
    page.locator("#id_ends_on").fill((today + timedelta(days=3)).isoformat())
    page.locator("#id_destination").fill("上海")
    page.get_by_test_id("absence-save").click()
    expect(page.get_by_test_id("absence-row")).to_contain_text("上海")
    screenshot(page, "cover-absence-list")

    # Registering a visit during the trip: the form warns as soon as the dates are in.
    page.goto(f"/visits/new/?customer={customer.pk}")
    page.locator("#id_starts_at").fill(_local(start))
    page.locator("#id_ends_at").fill(_local(start + timedelta(hours=7)))
    page.locator("#id_ends_at").dispatch_event("change")
    expect(page.get_by_test_id("form-clash-warning")).to_contain_text("上海")
    screenshot(page, "cover-visit-form-warning")
    page.locator("form.vf-form button[type=submit]").click()

    # The visit page says it again and offers both paths of the clause.
    panel = page.get_by_test_id("cover-panel")
    expect(panel.get_by_test_id("clash-warning")).to_contain_text("上海")
    expect(page.get_by_test_id("reschedule-form")).to_be_visible()
    visit = Visit.objects.get(customer=customer)
    page.locator("#cover_note").fill("客户第一次来访，重点介绍新产品；周总不喝酒。")
    _shot(page, "cover-visit-warning")
    page.get_by_test_id("cover-request").click()
    expect(page.get_by_test_id("cover-badge")).to_be_visible()
    cover = CoverRequest.objects.get(visit=visit)
    assert cover.state == CoverState.REQUESTED and cover.supervisor == manager

    # The manager: "cover needed" shows it; they ask a colleague of the team.
    boss = new_page()
    log_in(boss, manager)
    boss.goto("/visits/cover-needed/")
    row = boss.get_by_test_id("cover-needed-row").filter(has_text=CUSTOMER)
    expect(row).to_be_visible()
    screenshot(boss, "cover-needed")
    row.get_by_role("link", name=CUSTOMER).click()
    boss.locator("#assign_stand_in").select_option(str(colleague.pk))
    _shot(boss, "cover-visit-manager")
    boss.get_by_test_id("cover-assign").click()
    expect(boss.get_by_test_id("cover-state")).to_contain_text(str(colleague))
    cover.refresh_from_db()
    assert cover.state == CoverState.ASSIGNED

    # The colleague: asked on "My day", reads the brief, accepts, hosts.
    other = new_page()
    log_in(other, colleague)
    other.goto("/visits/my-day/")
    tasks = other.get_by_test_id("my-cover-tasks")
    expect(tasks).to_contain_text(CUSTOMER)
    tasks.get_by_role("link", name=CUSTOMER).click()
    other.get_by_test_id("handover-link").click()
    expect(other.get_by_test_id("handover-contact")).to_contain_text("不喝酒")
    expect(other.get_by_test_id("handover-note")).to_contain_text("重点介绍新产品")
    screenshot(other, "cover-handover-brief")
    other.go_back()
    _shot(other, "cover-visit-stand-in-asked")
    other.get_by_test_id("cover-accept").click()
    expect(other.get_by_test_id("stand-in")).to_contain_text(str(colleague))
    visit.refresh_from_db()
    assert visit.acting_host == colleague
    other.goto("/visits/my-day/")
    expect(other.get_by_test_id("my-visit").filter(has_text=CUSTOMER)).to_be_visible()
    expect(other.get_by_test_id("my-visit-stand-in")).to_be_visible()
    screenshot(other, "cover-my-day-stand-in")

    # The stand-in tells the customer who will receive them.
    other.goto(f"/visits/{visit.pk}/apology/")
    expect(other.locator("#id_text")).to_have_value(re.compile("13912345678|139 1234 5678"))
    screenshot(other, "cover-apology")
    other.get_by_test_id("apology-send").click()
    expect(other.get_by_test_id("cover-panel")).to_be_visible()

    # The manager's calendar of the team shows the trip.
    boss.goto("/accounts/absences/calendar/")
    expect(boss.get_by_test_id("away-cell").first).to_be_visible()
    screenshot(boss, "cover-team-calendar")
    boss.goto("/visits/cover-needed/")
    expect(boss.get_by_test_id("cover-needed-row")).to_have_count(0)


def test_new_dates_agreed_with_the_customer(page: Page, org: dict) -> None:
    from visitflow.accounts.services_absences import absence_create
    from visitflow.visits.services import visit_create

    host = org["east_sales"]
    customer = customer_create(actor=host, owner=host, name=CUSTOMER, level=level("A"))
    today = timezone.localdate()
    absence_create(
        actor=host,
        person=host,
        starts_on=today + timedelta(days=2),
        ends_on=today + timedelta(days=5),
        destination="成都",
    )
    start = timezone.make_aware(
        timezone.datetime.combine(today + timedelta(days=3), timezone.datetime.min.time())
    ) + timedelta(hours=10)
    visit = visit_create(
        actor=host, customer=customer, starts_at=start, ends_at=start + timedelta(hours=6)
    )
    new_start = start + timedelta(days=7)

    log_in(page, host)
    page.goto(f"/visits/{visit.pk}/")
    expect(page.get_by_test_id("clash-warning")).to_contain_text("成都")
    # Into the trip: refused with the reason, what was typed is kept.
    page.locator("#reschedule_starts_at").fill(_local(start + timedelta(days=1)))
    page.locator("#reschedule_ends_at").fill(_local(start + timedelta(days=1, hours=6)))
    page.get_by_test_id("reschedule-propose").click()
    expect(page.get_by_test_id("reschedule-form")).to_contain_text("成都")
    page.locator("#reschedule_starts_at").fill(_local(new_start))
    page.locator("#reschedule_ends_at").fill(_local(new_start + timedelta(hours=6)))
    page.locator("#reschedule_reason").fill("出差，与客户商定改期")
    page.get_by_test_id("reschedule-propose").click()
    expect(page.get_by_test_id("proposal")).to_be_visible()
    _shot(page, "cover-proposal")
    page.get_by_test_id("proposal-agree").click()
    expect(page.get_by_test_id("apology-link")).to_be_visible()
    visit.refresh_from_db()
    assert visit.starts_at == new_start
    page.get_by_test_id("apology-link").click()
    expect(page.locator("#id_text")).to_have_value(
        re.compile(timezone.localtime(new_start).strftime("%Y-%m-%d %H:%M"))
    )
    screenshot(page, "cover-apology-new-dates")
