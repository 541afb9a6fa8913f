"""The pickup journey (SOP 5.1 接车): plan a pickup for an arriving flight with a company
car, find that the same car cannot go to an overlapping pickup of another visit, take
another car, and, as the escort on a 375 px phone, move the pickup on to "met"."""

import re
from collections.abc import Callable

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.browser.pages import log_in, page_scroll_width, screenshot
from tests.factories.visits import make_ready_visit
from visitflow.logistics.models import Station, Transfer, TransferState, Vehicle
from visitflow.visits.services import visitor_add

pytestmark = [pytest.mark.browser]

NARROW = {"width": 375, "height": 812}


def _plan_url(visit: object) -> str:
    leg = visit.legs.get(direction="inbound")  # type: ignore[attr-defined]
    return f"/logistics/transfers/plan/{leg.pk}/"


def test_pickup_with_a_car_a_clash_and_the_escort_on_a_phone(
    new_page: Callable[..., Page], org: dict
) -> None:
    Station.objects.create(
        name="深圳宝安", kind="airport", travel_minutes=60, no_car_advice="乘地铁11号线"
    )
    first_car = Vehicle.objects.create(plate="粤B·11111", model_name="别克GL8", seats=7)
    other_car = Vehicle.objects.create(plate="粤B·22222", model_name="丰田埃尔法", seats=7)
    host, colleague = org["east_sales"], org["east_sales2"]
    ours = make_ready_visit(actor=host)  # CA1831 lands 09:00
    theirs = make_ready_visit(actor=colleague)  # another party on the same morning
    visitor_add(actor=host, visit=ours, name="赵磊", features="背黑色双肩包", mobile="13900139000")

    # The colleague opens the pickup form for their visit while both cars are free.
    other = new_page()
    log_in(other, colleague)
    other.goto(_plan_url(theirs))
    expect(other.locator("#id_vehicle option", has_text="粤B·11111")).to_be_attached()

    # The host plans the pickup from the visit page, with the first car and the driver.
    page = new_page()
    log_in(page, host)
    page.goto(f"/visits/{ours.pk}/")
    page.locator(f'a[href="{_plan_url(ours)}"]').click()
    expect(page.get_by_test_id("window")).to_contain_text("07:30")
    page.locator("#id_vehicle").select_option(str(first_car.pk))
    page.locator("#id_driver").select_option(str(org["driver"].pk))
    page.locator("#id_meeting_point").fill("T3到达大厅B出口")
    page.locator("form button.btn-primary[type=submit]").click()
    expect(page.get_by_test_id("transfer-state")).to_be_visible()
    transfer = Transfer.objects.get(visit=ours)
    assert transfer.vehicle == first_car
    screenshot(page, "transfer-detail")
    page.goto(f"/visits/{ours.pk}/")
    expect(page.get_by_test_id("transfer-row").first).to_contain_text("粤B·11111")
    screenshot(page, "transfer-visit-panel")

    # The colleague now asks for the same car: the clash is named, nothing is saved.
    other.locator("#id_vehicle").select_option(str(first_car.pk))
    other.locator("form button.btn-primary[type=submit]").click()
    expect(other.get_by_test_id("form-errors")).to_contain_text("粤B·11111")
    assert not Transfer.objects.filter(visit=theirs).exists()
    expect(other.locator("#id_vehicle option", has_text="粤B·11111")).to_have_count(0)
    screenshot(other, "transfer-plan-conflict")
    other.locator("#id_vehicle").select_option(str(other_car.pk))
    other.locator("form button.btn-primary[type=submit]").click()
    expect(other.get_by_test_id("transfer-state")).to_be_visible()
    assert Transfer.objects.get(visit=theirs).vehicle == other_car

    # The host tells the customer, then escorts from the phone.
    page.goto(f"/logistics/transfers/{transfer.pk}/message/")
    expect(page.locator("#id_text")).to_have_value(re.compile("粤B·11111"))
    screenshot(page, "transfer-message")
    page.locator("form button.btn-primary[type=submit]").click()
    expect(page.get_by_test_id("transfer-state")).to_be_visible()

    phone = new_page(phone=True)
    phone.set_viewport_size(NARROW)
    log_in(phone, host)
    phone.goto(f"/logistics/transfers/{transfer.pk}/escort/")
    expect(phone.get_by_test_id("leg-number")).to_have_text("CA1831")
    expect(phone.get_by_test_id("plate")).to_have_text("粤B·11111")
    expect(phone.get_by_text("戴眼镜，灰色西装")).to_be_visible()
    expect(phone.locator('a[href="tel:+8613900139000"]')).to_be_visible()
    screenshot(phone, "transfer-escort-phone")
    assert page_scroll_width(phone) <= NARROW["width"]
    with translation.override("zh-hans"):
        on_the_way, met = str(TransferState.ON_THE_WAY.label), str(TransferState.MET.label)
    phone.get_by_test_id("next-state").click()
    expect(phone.get_by_test_id("transfer-state")).to_have_text(on_the_way)
    phone.get_by_test_id("next-state").click()
    expect(phone.get_by_test_id("transfer-state")).to_have_text(met)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.MET
    screenshot(phone, "transfer-escort-phone-met")
    assert page_scroll_width(phone) <= NARROW["width"]
