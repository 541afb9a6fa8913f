"""The visiting party's self-service link on a 375 px phone (issue 9): no account, the
itinerary with the escort, car and meeting point; a journey added with a mistake first
(the error is clear, nothing typed is lost), then sent; the host confirms it."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.pages import SCREENSHOTS, log_in, page_scroll_width, screenshot
from tests.factories.customers import CustomerFactory
from tests.factories.visits import make_ready_visit
from visitflow.logistics.models import Station, Vehicle
from visitflow.logistics.services.transfers import transfer_plan
from visitflow.portal import services as portal
from visitflow.portal.models import ChangeStatus, PortalChange
from visitflow.visits import services as visits

pytestmark = [pytest.mark.browser]

NARROW = {"width": 375, "height": 812}


def test_party_opens_their_link_on_a_phone_and_the_host_confirms(
    new_page: Callable[..., Page], org: dict
) -> None:
    host = org["east_sales"]
    host.mobile = "+8613800138000"
    host.save(update_fields=["mobile"])
    starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    customer = CustomerFactory(owner=host, name="苏州恒达精密机械有限公司")
    visit = make_ready_visit(
        actor=host, customer=customer, starts_at=starts + timedelta(days=5), wants_lodging=True
    )
    visits.visit_confirm(actor=host, visit=visit)
    station = Station.objects.create(
        name="深圳宝安T3", name_en="Shenzhen Bao'an T3", kind="airport", travel_minutes=60
    )
    car = Vehicle.objects.create(plate="粤B·12345", model_name="别克GL8", seats=7)
    transfer_plan(
        actor=host,
        visit=visit,
        leg=visit.legs.get(direction="inbound"),
        kind="pickup",
        vehicle=car,
        station=station,
        meeting_point="T3 国内到达 B 出口",
    )
    _link, token = portal.link_issue(actor=host, visit=visit)

    page = new_page(phone=True)
    page.set_viewport_size(NARROW)
    page.goto(f"/portal/v/{token}/")
    expect(page.locator("h1")).to_contain_text("苏州恒达精密机械有限公司")
    expect(page.get_by_test_id("portal-plate")).to_have_text("粤B·12345")
    expect(page.get_by_test_id("portal-host")).to_contain_text("张伟")
    assert page_scroll_width(page) <= NARROW["width"]
    screenshot(page, "portal-phone")

    # A new journey, the arrival typed before the departure: the error, and all kept.
    page.get_by_test_id("portal-add-leg").click()
    form = page.get_by_test_id("portal-leg-form")
    form.locator("[name=newleg-direction]").select_option("outbound")
    form.locator("[name=newleg-mode]").select_option("train")
    form.locator("[name=newleg-number]").fill("G1234")
    form.locator("[name=newleg-from_place]").fill("深圳北")
    form.locator("[name=newleg-to_place]").fill("苏州")
    day = (starts + timedelta(days=6)).strftime("%Y-%m-%d")
    form.locator("[name=newleg-departs_at]").fill(f"{day}T15:00")
    form.locator("[name=newleg-arrives_at]").fill(f"{day}T14:00")
    form.locator("button[type=submit]").click()
    form = page.get_by_test_id("portal-leg-form")
    expect(form.locator(".invalid-feedback")).to_be_visible()
    expect(form.locator("[name=newleg-number]")).to_have_value("G1234")
    expect(form.locator("[name=newleg-from_place]")).to_have_value("深圳北")
    screenshot(page, "portal-phone-error")
    form.locator("[name=newleg-arrives_at]").fill(f"{day}T20:30")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("portal-saved")).to_be_visible()
    expect(page.get_by_test_id("portal-pending")).to_contain_text("G1234")
    assert page_scroll_width(page) <= NARROW["width"]
    screenshot(page, "portal-phone-sent")

    # English on the same phone.
    page.get_by_test_id("portal-lang").get_by_role("link", name="English").click()
    expect(page.get_by_test_id("portal-host")).to_contain_text("Your host")
    screenshot(page, "portal-phone-en")

    # The host confirms on the visit page; the journey becomes part of the visit.
    desk = new_page()
    log_in(desk, host)
    desk.goto(f"/visits/{visit.pk}/#portal")
    panel = desk.get_by_test_id("portal-panel")
    expect(panel.get_by_test_id("portal-change")).to_contain_text("G1234")
    screenshot(desk, "portal-host-panel")
    panel.get_by_test_id("portal-confirm").click()
    expect(desk.get_by_test_id("portal-panel").get_by_test_id("portal-change")).to_have_count(0)
    assert PortalChange.objects.get().status == ChangeStatus.CONFIRMED
    assert visit.legs.filter(number="G1234").exists()

    # A new link from the page: shown once, with its QR code.
    desk.once("dialog", lambda dialog: dialog.accept())  # "the old one stops working"
    desk.get_by_test_id("portal-issue").click()
    expect(desk.get_by_test_id("portal-qr")).to_be_visible()
    desk.get_by_test_id("portal-panel").screenshot(path=SCREENSHOTS / "portal-host-new-link.png")
    page.reload()
    expect(page.get_by_test_id("portal-closed")).to_be_visible()  # the old link stopped
