import io
import zipfile
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time
from pypdf import PdfReader

from tests.conftest import login
from tests.factories.tradeshows import make_contact, make_invitations, make_show
from visitflow.core.exceptions import ApplicationError
from visitflow.notifications.models import Notification
from visitflow.reminders.models import Reminder
from visitflow.reminders.services import reminders_plan, reminders_send
from visitflow.tradeshows.documents import invitation_pdf
from visitflow.tradeshows.models import CallOutcome, Invitation, InvitationStatus
from visitflow.tradeshows.services import invitations as services

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 10, tzinfo=SHANGHAI)  # eight days before the show


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with freeze_time(NOW):
        yield


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def invited(org: dict[str, Any]) -> Invitation:
    show = make_show(actor=org["east_manager"])
    contact = make_contact(
        org["east_sales"], name="苏州精工五金有限公司", email="li@jinggong.example"
    )
    contact.name = "李明"
    contact.save()
    [invitation] = make_invitations(show, org["east_sales"], [contact])
    return invitation


def test_invitation_has_unguessable_link_short_code_and_a_first_call(invited: Invitation) -> None:
    assert len(invited.token) >= 43  # 32 random bytes, URL-safe
    assert len(invited.code) == 8
    assert invited.owner == invited.customer.owner
    assert invited.call_due_at == NOW + timedelta(days=3)
    assert invited.status == InvitationStatus.INVITED


def test_inviting_a_contact_twice_makes_one_invitation(
    org: dict[str, Any], invited: Invitation
) -> None:
    again = make_invitations(invited.show, org["east_sales"], [invited.contact])
    assert again == []
    assert Invitation.objects.count() == 1


def test_the_letter_names_the_company_and_the_invitee_in_chinese(
    invited: Invitation, settings: Any
) -> None:
    settings.VISITFLOW_COMPANY_NAME = "深圳市远航精密机械有限公司"
    text = pdf_text(invitation_pdf(invited))
    assert "深圳市远航精密机械有限公司" in text
    assert "李明" in text
    assert "苏州精工五金有限公司" in text
    assert "E3-A21" in text
    assert invited.code in text
    assert "Invitation" in text
    [page] = PdfReader(io.BytesIO(invitation_pdf(invited))).pages
    assert len(page.images) == 1  # the personal QR code


def test_the_qr_code_holds_the_personal_link(invited: Invitation) -> None:
    from visitflow.tradeshows.documents import personal_link
    from visitflow.tradeshows.services.booth import clean_code

    link = personal_link(invited)
    assert link.endswith(f"/tradeshows/r/{invited.token}/")
    # What the booth scanner reads from the QR code finds the same invitation.
    assert clean_code(link) == ("token", invited.token)


def test_letters_zip_has_one_pdf_per_visible_invitation(
    org: dict[str, Any], invited: Invitation
) -> None:
    other = make_contact(org["south_sales"])
    make_invitations(invited.show, org["south_sales"], [other])
    response = login(org["east_sales"]).get(
        f"/tradeshows/{invited.show.pk}/invitations/letters.zip"
    )
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 1
    assert invited.code in names[0]


def test_the_letter_is_e_mailed_with_the_pdf(
    org: dict[str, Any], invited: Invitation, django_capture_on_commit_callbacks: Any
) -> None:
    client = login(org["east_sales"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/tradeshows/invitations/{invited.pk}/email/")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["li@jinggong.example"]
    [(_filename, content, mimetype)] = message.attachments
    assert mimetype == "application/pdf"
    assert "李明" in pdf_text(content)
    invited.refresh_from_db()
    assert invited.letter_sent_at is not None


def test_no_address_no_mail_and_a_clear_message(org: dict[str, Any], invited: Invitation) -> None:
    invited.contact.email = ""
    invited.contact.save()
    with pytest.raises(ApplicationError, match="no e-mail address"):
        services.invitation_email_letter(actor=org["east_sales"], invitation=invited)
    assert mail.outbox == []


def rsvp_url(invitation: Invitation) -> str:
    return f"/tradeshows/r/{invitation.token}/"


def test_rsvp_without_an_account(invited: Invitation) -> None:
    client = Client()
    page = client.get(rsvp_url(invited))
    assert page.status_code == 200
    body = page.content.decode()
    assert "李明" in body and "E3-A21" in body
    response = client.post(
        rsvp_url(invited),
        {"coming": "yes", "day": "2026-12-10", "party_size": "3", "names": "李明、王芳、张伟"},
    )
    assert response.status_code == 200
    assert 'data-testid="rsvp-saved"' in response.content.decode()
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.CONFIRMED
    assert invited.rsvp_party_size == 3
    assert invited.rsvp_day.isoformat() == "2026-12-10"  # type: ignore[union-attr]
    client.post(rsvp_url(invited), {"coming": "no"})
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.DECLINED
    assert invited.rsvp_party_size is None


def test_rsvp_bad_input_keeps_what_was_typed(invited: Invitation) -> None:
    response = Client().post(
        rsvp_url(invited), {"coming": "yes", "day": "", "party_size": "0", "names": "李明"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "李明" in body
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.INVITED
    response = Client().post(rsvp_url(invited), {"coming": "yes", "party_size": "2"})
    assert response.status_code == 422
    assert "Choose one of the show days." in response.content.decode()


def test_rsvp_page_shows_only_that_invitees_data(org: dict[str, Any], invited: Invitation) -> None:
    other = make_contact(org["east_sales"], name="东莞其他公司")
    make_invitations(invited.show, org["east_sales"], [other])
    body = Client().get(rsvp_url(invited)).content.decode()
    assert "东莞其他公司" not in body
    assert other.name not in body


def test_unknown_revoked_and_expired_links(org: dict[str, Any], invited: Invitation) -> None:
    client = Client()
    assert client.get("/tradeshows/r/" + "x" * 43 + "/").status_code == 404
    services.invitation_revoke_link(actor=org["east_sales"], invitation=invited)
    assert client.get(rsvp_url(invited)).status_code == 410
    assert client.post(rsvp_url(invited), {"coming": "no"}).status_code == 410
    old = invited.token
    services.invitation_renew_link(actor=org["east_sales"], invitation=invited)
    assert invited.token != old
    assert client.get(f"/tradeshows/r/{old}/").status_code == 404
    assert client.get(rsvp_url(invited)).status_code == 200
    with freeze_time(NOW + timedelta(days=11)):
        assert client.get(rsvp_url(invited)).status_code == 410


def test_guessing_links_is_rate_limited(invited: Invitation, settings: Any) -> None:
    settings.TRADESHOW_RSVP_RATE_LIMIT = (5, 600)
    client = Client()
    for n in range(5):
        assert client.get(f"/tradeshows/r/{'a' * 40}{n:03d}/").status_code == 404
    assert client.get(rsvp_url(invited)).status_code == 429


def test_call_outcomes_move_the_invitation_and_the_call(
    org: dict[str, Any], invited: Invitation
) -> None:
    actor = org["east_sales"]
    services.invitation_call_record(
        actor=actor, invitation=invited, outcome=CallOutcome.NOT_REACHED
    )
    invited.refresh_from_db()
    assert invited.call_due_at == NOW + timedelta(days=1)
    later = NOW + timedelta(days=2, hours=3)
    services.invitation_call_record(
        actor=actor, invitation=invited, outcome=CallOutcome.CALL_AGAIN, call_again_at=later
    )
    invited.refresh_from_db()
    assert invited.call_due_at == later
    services.invitation_call_record(actor=actor, invitation=invited, outcome=CallOutcome.WILL_COME)
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.CONFIRMED
    assert invited.call_due_at is None
    assert invited.calls.count() == 3


def test_call_again_needs_a_future_time(org: dict[str, Any], invited: Invitation) -> None:
    client = login(org["east_sales"])
    url = f"/tradeshows/invitations/{invited.pk}/call/"
    response = client.post(url, {"outcome": "call_again", "note": "开会中"})
    assert response.status_code == 422
    assert "Say when to call again." in response.content.decode()
    assert "开会中" in response.content.decode()
    response = client.post(
        url, {"outcome": "call_again", "call_again_at": "2026-11-30T10:00", "note": ""}
    )
    assert response.status_code == 422
    assert "The next call must be in the future." in response.content.decode()
    response = client.post(url, {"outcome": "sing"})
    assert response.status_code == 422
    assert not invited.calls.exists()


def test_not_confirmed_list(org: dict[str, Any], invited: Invitation) -> None:
    second = make_invitations(invited.show, org["east_sales"], [make_contact(org["east_sales"])])[0]
    services.invitation_call_record(
        actor=org["east_sales"], invitation=second, outcome=CallOutcome.WILL_COME
    )
    response = login(org["east_sales"]).get(
        f"/tradeshows/{invited.show.pk}/invitations/?not_confirmed=on"
    )
    page = list(response.context["page"].object_list)
    assert page == [invited]


def test_the_call_is_reminded_to_the_salesperson(org: dict[str, Any], invited: Invitation) -> None:
    due = invited.call_due_at
    assert due is not None
    reminders_plan(now=due - timedelta(hours=2))
    [reminder] = Reminder.objects.filter(kind="invitation_call")
    assert reminder.recipient == org["east_sales"]
    assert reminder.source == f"invitation_call:{invited.pk}"
    reminders_send(reminder_ids=[reminder.pk], now=due)
    note = Notification.objects.get(kind="invitation_call")
    assert note.recipient == org["east_sales"]
    assert "李明" in note.title


def test_a_settled_call_is_not_reminded(org: dict[str, Any], invited: Invitation) -> None:
    due = invited.call_due_at
    assert due is not None
    services.invitation_call_record(
        actor=org["east_sales"], invitation=invited, outcome=CallOutcome.LETTER_RECEIVED
    )
    reminders_plan(now=due - timedelta(hours=2))
    assert not Reminder.objects.filter(kind="invitation_call", status="scheduled").exists()


# --- who sees and works which invitee -------------------------------------------------


def test_salespeople_see_only_their_invitees(org: dict[str, Any], invited: Invitation) -> None:
    other = make_invitations(invited.show, org["south_sales"], [make_contact(org["south_sales"])])[
        0
    ]
    url = f"/tradeshows/invitations/{other.pk}/"
    assert login(org["east_sales"]).get(url).status_code == 404
    assert (
        login(org["east_sales2"]).get(f"/tradeshows/invitations/{invited.pk}/").status_code == 404
    )
    assert (
        login(org["east_manager"]).get(f"/tradeshows/invitations/{invited.pk}/").status_code == 200
    )
    assert (
        login(org["south_manager"]).get(f"/tradeshows/invitations/{invited.pk}/").status_code == 404
    )
    assert login(org["south_sales"]).get(url).status_code == 200
    assert login(org["driver"]).get(url).status_code == 404


def test_readers_cannot_call_or_revoke(org: dict[str, Any], invited: Invitation) -> None:
    client = login(org["reception"])
    assert client.get(f"/tradeshows/invitations/{invited.pk}/").status_code == 200
    call = client.post(f"/tradeshows/invitations/{invited.pk}/call/", {"outcome": "reached"})
    assert call.status_code == 403
    revoke = client.post(f"/tradeshows/invitations/{invited.pk}/link/revoke/")
    assert revoke.status_code == 403
    bogus = login(org["east_sales"]).post(f"/tradeshows/invitations/{invited.pk}/link/steal/")
    assert bogus.status_code == 404


def test_inviting_through_the_page_only_takes_own_contacts(org: dict[str, Any]) -> None:
    show = make_show(actor=org["east_manager"])
    mine = make_contact(org["east_sales"], region="江苏")
    theirs = make_contact(org["south_sales"])
    client = login(org["east_sales"])
    page = client.get(f"/tradeshows/{show.pk}/invitations/add/?region=江苏")
    assert page.status_code == 200
    assert mine.customer.name in page.content.decode()
    assert theirs.customer.name not in page.content.decode()
    response = client.post(
        f"/tradeshows/{show.pk}/invitations/add/", {"contacts": [mine.pk, theirs.pk]}
    )
    assert response.status_code == 302
    assert list(Invitation.objects.values_list("contact_id", flat=True)) == [mine.pk]
    empty = client.post(f"/tradeshows/{show.pk}/invitations/add/", {"contacts": ["x"]})
    assert empty.status_code == 422
    assert "Choose at least one contact" in empty.content.decode()
    assert login(org["reception"]).get(f"/tradeshows/{show.pk}/invitations/add/").status_code == 403


def test_invitation_list_query_count(
    org: dict[str, Any], invited: Invitation, django_assert_max_num_queries: Any
) -> None:
    contacts = [make_contact(org["east_sales"]) for _n in range(15)]
    make_invitations(invited.show, org["east_sales"], contacts)
    client = login(org["east_sales"])
    with django_assert_max_num_queries(12):
        response = client.get(f"/tradeshows/{invited.show.pk}/invitations/")
    assert len(response.context["page"].object_list) == 16
    with django_assert_max_num_queries(14):
        assert client.get(f"/tradeshows/{invited.show.pk}/invitations/add/").status_code == 200


def test_the_link_token_is_not_in_the_audit_trail(org: dict[str, Any], invited: Invitation) -> None:
    from visitflow.core.models import ActivityLog

    for row in ActivityLog.objects.all():
        assert invited.token not in str(row.changes)
    assert timezone.now() == NOW


def test_the_first_call_is_due_in_the_morning(org: dict[str, Any]) -> None:
    with freeze_time(datetime(2026, 12, 1, 23, 40, tzinfo=SHANGHAI)):
        show = make_show(actor=org["east_manager"])
        [late] = make_invitations(show, org["east_sales"], [make_contact(org["east_sales"])])
    assert late.call_due_at == datetime(2026, 12, 4, 10, tzinfo=SHANGHAI)
