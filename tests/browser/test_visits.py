"""The visit journey of SOP 5.1 through the real pages: register, see what is missing,
complete the briefing, confirm, tick the steps through arrival, see-off and the return
call, close, and find the follow-up on "My day"."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.browser.pages import english_on_page, log_in, screenshot
from tests.factories.customers import level
from visitflow.customers.services import customer_create
from visitflow.visits.models import Visit, VisitStatus

pytestmark = [pytest.mark.browser]

CUSTOMER = "深圳市华强电子有限公司"
VISITORS = [
    ("王建国", "戴眼镜，灰色西装，约180cm"),
    ("李娜", "短发，红色外套"),
    ("赵磊", "背黑色双肩包"),
]


def _local(dt: timezone.datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _step(page: Page, code: str) -> Locator:
    return page.get_by_test_id(f"step-{code}")


def _done(page: Page, code: str) -> None:
    step = _step(page, code)
    with page.expect_response(lambda r: "/visits/steps/" in r.url and r.status == 200):
        step.get_by_role("button", name="完成").click()
    expect(_step(page, code).locator(".vf-state-done")).to_be_visible()


def test_visit_from_registration_to_follow_up(page: Page, org: dict, settings: Any) -> None:
    # Due dates land on any day here: "today" may be a Saturday or 国庆节 when this runs.
    settings.WORKING_DAYS_CALENDAR = "all"
    host = org["east_sales"]
    customer = customer_create(actor=host, owner=host, name=CUSTOMER, level=level("A"))
    # The visit took place two weeks ago, so that its follow-up (level A: 14 days) is due
    # now and shows on "My day".
    start = (timezone.now() - timedelta(days=16)).replace(minute=0, second=0, microsecond=0)
    end = start + timedelta(days=2)

    log_in(page, host)
    page.goto(f"/visits/new/?customer={customer.pk}")
    expect(page.get_by_role("heading", name="登记到访")).to_be_visible()
    page.get_by_label("预计到达").fill(_local(start))
    page.get_by_label("预计离开").fill(_local(end))
    page.get_by_label("商务洽谈").check()
    page.get_by_label("公司派车接车").check()
    page.get_by_role("button", name="保存").click()

    # The visit page says exactly what is still missing.
    missing = page.get_by_test_id("missing")
    expect(missing).to_contain_text("尚未填写来访人员")
    expect(missing).to_contain_text("没有来程航班或车次")
    expect(missing.locator("li")).to_have_count(2)
    assert english_on_page(page) == set()

    for name, features in VISITORS:
        party = page.locator("#party")
        party.locator("summary").click()
        party.get_by_label("姓名").fill(name)
        party.get_by_label("特征").fill(features)
        party.get_by_role("button", name="添加").click()
        expect(page.locator("#party [data-testid=visitor]").filter(has_text=name)).to_be_visible()
    expect(page.locator("#party")).to_contain_text("3 人")

    itinerary = page.locator("#itinerary")
    itinerary.locator("summary").click()
    itinerary.get_by_label("方向").select_option(label="来程")
    itinerary.get_by_label("交通方式", exact=False).first.select_option(label="航班")
    itinerary.get_by_label("航班号/车次").fill("CA1831")
    itinerary.get_by_label("出发地").fill("北京首都T3")
    itinerary.get_by_label("到达地（机场/车站）").fill("深圳宝安T3")
    itinerary.get_by_label("计划到达").fill(_local(start - timedelta(hours=1)))
    itinerary.get_by_role("button", name="添加行程").click()
    expect(page.locator("#itinerary [data-testid=leg]")).to_contain_text("CA1831")
    expect(page.get_by_test_id("missing")).to_have_count(0)
    screenshot(page, "visit_ready")

    page.get_by_test_id("move-confirmed").click()
    expect(page.locator(".vf-status-confirmed").first).to_be_visible()

    # Tick the briefing's checklist with htmx (no reload), then mark the step done.
    briefing = _step(page, "briefing")
    first_item = briefing.locator("input[type=checkbox]").first
    with page.expect_response(lambda r: "/visits/items/" in r.url and r.status == 200):
        first_item.check()
    expect(_step(page, "briefing").locator("input[type=checkbox]").first).to_be_checked()
    for code in ("briefing", "pickup_arrangement", "pickup"):
        _done(page, code)

    page.get_by_test_id("move-in_progress").click()
    expect(page.locator(".vf-status-in_progress").first).to_be_visible()
    for code in ("meals_lodging", "company_tour", "visit_requests", "see_off"):
        _done(page, code)
    page.get_by_test_id("move-departed").click()

    call = page.locator("#return-call")
    call.get_by_label("是", exact=True).check()
    call.get_by_label("产品评价（1-5）").select_option("5")
    call.get_by_label("公司形象（1-5）").select_option("4")
    call.get_by_label("改进建议").fill("希望交期再快一些")
    call.get_by_role("button", name="记录回访").click()
    expect(_step(page, "return_call").locator(".vf-state-done")).to_be_visible()

    page.get_by_test_id("move-closed").click()
    expect(page.locator(".vf-status-closed").first).to_be_visible()
    screenshot(page, "visit_closed")
    visit = Visit.objects.get(customer=customer)
    assert visit.status == VisitStatus.CLOSED

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的一天").click()
    follow_up = page.get_by_test_id("my-follow-up").filter(has_text=CUSTOMER)
    expect(follow_up).to_be_visible()
    expect(page).to_have_url(re.compile(r"/visits/my-day/$"))
    screenshot(page, "my_day")
