from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from tests.conftest import login
from tests.factories.tradeshows import make_contact, make_invitations, make_show
from visitflow.core.exceptions import ApplicationError
from visitflow.logistics.models import GiftItem
from visitflow.notifications.models import Notification
from visitflow.reminders.models import Reminder
from visitflow.reminders.services import reminders_plan, reminders_send
from visitflow.tradeshows.models import (
    BoothVisit,
    BoothVisitState,
    Invitation,
    InvitationStatus,
    Lead,
    TradeShow,
)
from visitflow.tradeshows.services import booth as services

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
AT_THE_SHOW = datetime(2026, 12, 9, 10, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with freeze_time(datetime(2026, 12, 1, 10, tzinfo=SHANGHAI)) as clock:
        yield clock


@pytest.fixture
def show(org: dict[str, Any]) -> TradeShow:
    return make_show(actor=org["east_manager"], team=[org["east_sales2"], org["reception"]])


@pytest.fixture
def invited(org: dict[str, Any], show: TradeShow) -> Invitation:
    contact = make_contact(org["east_sales"], name="苏州精工五金有限公司")
    return make_invitations(show, org["east_sales"], [contact])[0]


def test_check_in_by_code_tells_the_owner_and_flags_greet_first(
    org: dict[str, Any], show: TradeShow, invited: Invitation
) -> None:
    client = login(org["east_sales2"])
    code = invited.code.lower()[:4] + " " + invited.code.lower()[4:]
    response = client.post(f"/tradeshows/{show.pk}/check-in/", {"code": code})
    assert response.status_code == 302
    visit = BoothVisit.objects.get()
    assert visit.greet_first
    assert visit.state == BoothVisitState.WAITING
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.CAME
    note = Notification.objects.get(kind="booth_visitor")
    assert note.recipient == org["east_sales"]
    assert invited.contact.name in note.title
    board = client.get(f"/tradeshows/{show.pk}/board/")
    assert invited.contact.name in board.content.decode()
    again = client.post(f"/tradeshows/{show.pk}/check-in/", {"code": invited.code})
    assert again.status_code == 422
    assert "at the booth already" in again.content.decode()


def test_check_in_by_the_letters_qr_link(
    org: dict[str, Any], show: TradeShow, invited: Invitation
) -> None:
    scanned = f"http://visitflow.example/tradeshows/r/{invited.token}/"
    response = login(org["east_sales2"]).post(f"/tradeshows/{show.pk}/check-in/", {"code": scanned})
    assert response.status_code == 302
    assert BoothVisit.objects.filter(invitation=invited).exists()


def test_unknown_codes_are_rate_limited(
    org: dict[str, Any], show: TradeShow, invited: Invitation, settings: Any
) -> None:
    settings.TRADESHOW_CHECKIN_RATE_LIMIT = (3, 600)
    client = login(org["east_sales2"])
    for _n in range(3):
        response = client.post(f"/tradeshows/{show.pk}/check-in/", {"code": "ZZZZ9999"})
        assert response.status_code == 422
        assert "No invitation to this show has this code." in response.content.decode()
    # Past the limit even the right code waits: guessing stops here.
    assert client.get(f"/tradeshows/{show.pk}/check-in/").status_code == 200
    response = client.post(f"/tradeshows/{show.pk}/check-in/", {"code": "ZZZZ9998"})
    assert response.status_code == 429
    response = client.post(f"/tradeshows/{show.pk}/check-in/", {"code": invited.code})
    assert response.status_code == 429
    assert not BoothVisit.objects.exists()


def test_a_code_of_another_show_is_unknown_here(
    org: dict[str, Any], show: TradeShow, invited: Invitation
) -> None:
    other = make_show(actor=org["east_manager"], name="广交会", team=[org["east_sales2"]])
    response = login(org["east_sales2"]).post(
        f"/tradeshows/{other.pk}/check-in/", {"code": invited.code}
    )
    assert response.status_code == 422


def test_unattended_visitor_is_highlighted_and_the_team_told_once(
    org: dict[str, Any], show: TradeShow, invited: Invitation, _frozen: Any, settings: Any
) -> None:
    settings.TRADESHOW_UNATTENDED_MINUTES = 3
    _frozen.move_to(AT_THE_SHOW)
    services.booth_check_in(actor=org["east_sales2"], show=show, invitation=invited)
    reminders_plan(now=AT_THE_SHOW)
    due = {r.recipient_id: r.send_at for r in Reminder.objects.filter(kind="booth_unattended")}
    assert due == {
        org["east_sales2"].pk: AT_THE_SHOW + timedelta(minutes=3),
        org["reception"].pk: AT_THE_SHOW + timedelta(minutes=3),
    }
    client = login(org["east_sales2"])
    page = client.get(f"/tradeshows/{show.pk}/board/", HTTP_HX_REQUEST="true")
    assert "list-group-item-danger" not in page.content.decode()
    _frozen.move_to(AT_THE_SHOW + timedelta(minutes=4))
    page = client.get(f"/tradeshows/{show.pk}/board/", HTTP_HX_REQUEST="true")
    body = page.content.decode()
    assert "list-group-item-danger" in body
    assert "4 min unattended" in body
    assert "<html" not in body  # the polled partial alone
    ids = list(Reminder.objects.filter(kind="booth_unattended").values_list("pk", flat=True))
    reminders_send(reminder_ids=ids, now=AT_THE_SHOW + timedelta(minutes=4))
    told = set(
        Notification.objects.filter(kind="booth_unattended").values_list("recipient", flat=True)
    )
    assert told == {org["east_sales2"].pk, org["reception"].pk}
    assert invited.contact.name in Notification.objects.filter(kind="booth_unattended")[0].title
    visit = BoothVisit.objects.get()
    services.booth_visit_attend(actor=org["east_sales2"], visit=visit, staff=org["east_sales2"])
    body = client.get(f"/tradeshows/{show.pk}/board/").content.decode()
    assert "list-group-item-danger" not in body


def test_a_visitor_attended_in_time_is_not_reported(
    org: dict[str, Any], show: TradeShow, invited: Invitation, _frozen: Any
) -> None:
    _frozen.move_to(AT_THE_SHOW)
    visit = services.booth_check_in(actor=org["east_sales2"], show=show, invitation=invited)
    reminders_plan(now=AT_THE_SHOW)
    services.booth_visit_attend(actor=org["east_sales2"], visit=visit, staff=org["east_sales2"])
    reminders_plan(now=AT_THE_SHOW + timedelta(minutes=1))
    ids = list(Reminder.objects.filter(kind="booth_unattended").values_list("pk", flat=True))
    reminders_send(reminder_ids=ids, now=AT_THE_SHOW + timedelta(minutes=5))
    assert not Notification.objects.filter(kind="booth_unattended").exists()


def test_a_lead_matching_a_contact_by_mobile_is_linked(
    org: dict[str, Any], show: TradeShow
) -> None:
    known = make_contact(org["east_sales"], mobile="+8613912345678")
    lead = services.lead_capture(
        actor=org["east_sales2"],
        show=show,
        data={"name": "张三", "company": "新公司", "mobile": "139 1234 5678"},
    )
    assert lead.contact == known
    assert lead.customer == known.customer
    assert lead.owner == org["east_sales"]
    visit = BoothVisit.objects.get(lead=lead)
    assert visit.greet_first
    assert visit.attended_by == org["east_sales2"]
    assert Notification.objects.filter(kind="booth_visitor", recipient=org["east_sales"]).exists()


def test_a_lead_matching_by_email_or_company(org: dict[str, Any], show: TradeShow) -> None:
    known = make_contact(org["east_sales"], email="wang@acme.example")
    lead = services.lead_capture(
        actor=org["east_sales2"], show=show, data={"name": "王", "email": "WANG@acme.example"}
    )
    assert lead.contact == known
    company = services.lead_capture(
        actor=org["east_sales2"],
        show=show,
        data={"name": "赵六", "company": known.customer.name},
    )
    assert company.customer == known.customer
    assert company.contact is None
    stranger = services.lead_capture(
        actor=org["east_sales2"], show=show, data={"name": "钱七", "company": "完全陌生贸易公司"}
    )
    assert stranger.customer is None and stranger.owner is None
    assert not BoothVisit.objects.get(lead=stranger).greet_first


def test_bad_lead_input_keeps_what_was_typed(org: dict[str, Any], show: TradeShow) -> None:
    client = login(org["east_sales2"])
    response = client.post(
        f"/tradeshows/{show.pk}/leads/new/",
        {"name": "孙八", "company": "八方贸易", "mobile": "12345", "email": "not-an-address"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "八方贸易" in body and "12345" in body
    assert not Lead.objects.exists()
    response = client.post(f"/tradeshows/{show.pk}/leads/new/", {"title": "经理"})
    assert response.status_code == 422
    assert "at least the visitor&#x27;s name or company" in response.content.decode()


def test_see_off_with_gifts_from_stock_and_a_company_visit(
    org: dict[str, Any], show: TradeShow, invited: Invitation
) -> None:
    gift = GiftItem.objects.create(name="茶叶礼盒", unit_value=Decimal("120"), stock=5)
    visit = services.booth_check_in(actor=org["east_sales2"], show=show, invitation=invited)
    client = login(org["east_sales2"])
    url = f"/tradeshows/{show.pk}/booth/{visit.pk}"
    assert client.post(f"{url}/attend/", {"staff": org["east_sales2"].pk}).status_code == 302
    record = client.post(f"{url}/record/", {"interest": "液压阀", "grade": "A", "notes": "要报价"})
    assert record.status_code == 302
    too_many = client.post(
        f"{url}/see-off/", {"brochures_given": "画册", "gift_item": gift.pk, "gift_quantity": "9"}
    )
    assert too_many.status_code == 422
    done = client.post(
        f"{url}/see-off/",
        {
            "brochures_given": "画册、折页",
            "gift_item": gift.pk,
            "gift_quantity": "1",
            "invited_to_company": "on",
        },
    )
    assert done.status_code == 302
    visit.refresh_from_db()
    gift.refresh_from_db()
    assert visit.state == BoothVisitState.LEFT
    assert visit.grade == "A" and visit.invited_to_company
    assert gift.stock == 4
    company = login(org["east_sales"]).post(
        f"{url}/company-visit/", {"starts_at": "2026-12-20T09:00", "ends_at": "2026-12-20T17:00"}
    )
    assert company.status_code == 403  # not booth staff
    with pytest.raises(ApplicationError):
        services.booth_visit_start_company_visit(
            actor=org["east_sales2"],
            visit=visit,
            starts_at=AT_THE_SHOW + timedelta(days=10),
            ends_at=AT_THE_SHOW + timedelta(days=10, hours=8),
        )  # the booth colleague may not register visits for another's customer
    registered = services.booth_visit_start_company_visit(
        actor=org["east_sales"],
        visit=visit,
        starts_at=AT_THE_SHOW + timedelta(days=10),
        ends_at=AT_THE_SHOW + timedelta(days=10, hours=8),
    )
    assert registered.customer == invited.customer
    visit.refresh_from_db()
    assert visit.visit == registered


@pytest.mark.parametrize("role", ["east_sales", "south_sales", "director", "driver"])
def test_only_booth_staff_work_the_booth(
    org: dict[str, Any], show: TradeShow, invited: Invitation, role: str
) -> None:
    client = login(org[role])
    assert client.get(f"/tradeshows/{show.pk}/check-in/").status_code in (403, 404)
    response = client.post(f"/tradeshows/{show.pk}/check-in/", {"code": invited.code})
    assert response.status_code in (403, 404)
    assert client.post(f"/tradeshows/{show.pk}/leads/new/", {"name": "X"}).status_code in (403, 404)
    assert client.get(f"/tradeshows/{show.pk}/board/").status_code in (403, 404)
    assert not BoothVisit.objects.exists()


def test_board_query_count(
    org: dict[str, Any], show: TradeShow, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        services.lead_capture(actor=org["east_sales2"], show=show, data={"name": f"访客{n}"})
    contacts = [make_contact(org["east_sales"]) for _n in range(6)]
    for invitation in make_invitations(show, org["east_sales"], contacts):
        services.booth_check_in(actor=org["east_sales2"], show=show, invitation=invitation)
    client = login(org["east_sales2"])
    with django_assert_max_num_queries(14):
        response = client.get(f"/tradeshows/{show.pk}/board/")
    assert response.content.decode().count('data-testid="board-row"') == 18


def test_reading_a_card_fills_the_empty_fields_and_keeps_what_was_typed(
    org: dict[str, Any], show: TradeShow
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.tradeshows.cards import render, specs

    spec = next(s for s in specs() if s.key == "zh-left-1")
    client = login(org["east_sales2"])
    response = client.post(
        f"/tradeshows/{show.pk}/leads/new/",
        {
            "action": "read",
            "notes": "站在展位门口聊了十分钟",
            "card": SimpleUploadedFile("card.png", render(spec), content_type="image/png"),
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["name"] == spec.truth.name
    assert form.initial["company"] == spec.truth.company
    assert form.initial["notes"] == "站在展位门口聊了十分钟"
    assert not Lead.objects.exists()  # checked by the staff member before it is saved


def test_a_file_that_is_not_a_card_photo_keeps_manual_entry(
    org: dict[str, Any], show: TradeShow
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(org["east_sales2"])
    response = client.post(
        f"/tradeshows/{show.pk}/leads/new/",
        {
            "action": "read",
            "name": "韩梅梅",
            "card": SimpleUploadedFile(
                "card.pdf", b"%PDF-1.4 not a photo", content_type="image/png"
            ),
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-testid="card-problem"' in body
    assert "韩梅梅" in body
    missing = client.post(f"/tradeshows/{show.pk}/leads/new/", {"action": "read", "name": "李雷"})
    assert missing.status_code == 422
    assert "李雷" in missing.content.decode()
