"""The booth on a 375 px phone (SOP 5.3.3-5.3.4): check an invitee in by the code on
their letter and see them waiting on the live board; then a new visitor's card read from
a photo, checked, and a third typed in by hand; both attended on the board."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.pages import log_in, page_scroll_width, screenshot
from tests.factories.tradeshows import make_contact, make_invitations, make_show
from tests.tradeshows.cards import render, specs
from visitflow.notifications.models import Notification
from visitflow.tradeshows.models import BoothVisit, Lead
from visitflow.tradeshows.services.checklist import checklist_create_from_template

pytestmark = [pytest.mark.browser]

NARROW = {"width": 375, "height": 812}


def test_check_in_by_code_and_capture_leads_on_a_phone(
    new_page: Callable[..., Page], org: dict, tmp_path: object
) -> None:
    today = timezone.localdate()
    staff, owner = org["east_sales2"], org["east_sales"]
    show = make_show(
        actor=org["east_manager"],
        team=[staff],
        starts_on=today,
        ends_on=today + timedelta(days=2),
    )
    contact = make_contact(owner, name="苏州精工五金有限公司")
    contact.name = "李明"
    contact.save()
    [invitation] = make_invitations(show, owner, [contact])

    page = new_page(phone=True)
    page.set_viewport_size(NARROW)
    log_in(page, staff)
    page.goto(f"/tradeshows/{show.pk}/check-in/")
    page.locator("#id_code").fill(invitation.code.lower())
    page.get_by_test_id("check-in-form").locator("button[type=submit]").first.click()
    waiting = page.get_by_test_id("board-waiting")
    expect(waiting).to_contain_text("李明")
    expect(waiting).to_contain_text("苏州精工五金")
    assert page_scroll_width(page) <= NARROW["width"]
    assert Notification.objects.filter(recipient=owner, kind="booth_visitor").exists()
    screenshot(page, "tradeshow-board-phone")

    # A new visitor: the card is read from a photo, checked, and saved.
    spec = next(s for s in specs() if s.key == "zh-left-1")
    photo = tmp_path / "card.png"  # type: ignore[operator]
    photo.write_bytes(render(spec))
    page.get_by_test_id("booth-nav").get_by_role("link").nth(2).click()
    page.locator("#id_card").set_input_files(str(photo))
    page.get_by_test_id("read-card").click()
    expect(page.get_by_test_id("card-read")).to_be_visible(timeout=60_000)
    expect(page.locator("#id_name")).to_have_value(spec.truth.name)
    page.locator("#id_interest").fill("液压阀")
    screenshot(page, "tradeshow-lead-from-card-phone")
    page.get_by_test_id("lead-form").locator("button[value=save]").click()
    attended = page.get_by_test_id("board-attended")
    expect(attended).to_contain_text(spec.truth.name)

    # Another one typed in by hand.
    page.get_by_test_id("booth-nav").get_by_role("link").nth(2).click()
    page.locator("#id_name").fill("王芳")
    page.locator("#id_company").fill("杭州顺达机械有限公司")
    page.locator("#id_mobile").fill("139 0571 2345")
    page.locator("#id_grade").select_option("A")
    assert page_scroll_width(page) <= NARROW["width"]
    screenshot(page, "tradeshow-lead-form-phone")
    page.get_by_test_id("lead-form").locator("button[value=save]").click()
    expect(page.get_by_test_id("board-attended")).to_contain_text("王芳")
    expect(page.get_by_test_id("board-waiting")).to_contain_text("李明")
    assert Lead.objects.filter(show=show).count() == 2
    assert BoothVisit.objects.filter(show=show).count() == 3
    screenshot(page, "tradeshow-board-after-phone")

    # The show and its checklist read well on the phone too.
    checklist_create_from_template(actor=org["east_manager"], show=show)
    for url, name in (
        (f"/tradeshows/{show.pk}/", "tradeshow-detail-phone"),
        (f"/tradeshows/{show.pk}/checklist/", "tradeshow-checklist-phone"),
    ):
        page.goto(url)
        assert page_scroll_width(page) <= NARROW["width"], url
        screenshot(page, name)


def test_invitee_answers_on_their_phone_without_an_account(
    new_page: Callable[..., Page], org: dict
) -> None:
    today = timezone.localdate()
    show = make_show(
        actor=org["east_manager"],
        starts_on=today + timedelta(days=7),
        ends_on=today + timedelta(days=9),
    )
    contact = make_contact(org["east_sales"], name="无锡恒通精密有限公司")
    [invitation] = make_invitations(show, org["east_sales"], [contact])

    page = new_page(phone=True)
    page.set_viewport_size(NARROW)
    page.goto(f"/tradeshows/r/{invitation.token}/")
    expect(page.get_by_test_id("rsvp-greeting")).to_contain_text("无锡恒通精密")
    page.locator("input[name=coming][value=yes]").check()
    page.locator("#id_day").select_option((today + timedelta(days=8)).isoformat())
    page.locator("#id_party_size").fill("2")
    page.locator("#id_names").fill("陈刚、刘洋")
    page.get_by_test_id("rsvp-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("rsvp-saved")).to_be_visible()
    assert page_scroll_width(page) <= NARROW["width"]
    screenshot(page, "tradeshow-rsvp-phone")
    invitation.refresh_from_db()
    assert invitation.status == "confirmed" and invitation.rsvp_party_size == 2

    # The salesperson sees the answer on the invitation.
    sales = new_page(phone=True)
    sales.set_viewport_size(NARROW)
    log_in(sales, org["east_sales"])
    sales.goto(f"/tradeshows/invitations/{invitation.pk}/")
    expect(sales.get_by_test_id("invitation-rsvp")).to_contain_text("陈刚")
    assert page_scroll_width(sales) <= NARROW["width"]
    screenshot(sales, "tradeshow-invitation-phone")
