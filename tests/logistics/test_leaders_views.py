from datetime import timedelta

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories.visits import local, make_visit
from visitflow.logistics.models import Booking, LeaderMeeting, MeetingState
from visitflow.logistics.services.leaders import meeting_accept, meeting_request

pytestmark = pytest.mark.django_db

START = local(2026, 12, 10, 15)


def _meeting(org, leader="director", start=START):
    visit = make_visit(actor=org["east_sales"])
    return meeting_request(
        actor=org["east_sales"],
        visit=visit,
        leader=org[leader],
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
    )


def test_visit_page_shows_the_recommendation_and_the_panel(org):
    visit = make_visit(actor=org["east_sales"], importance="critical")
    response = login(org["east_sales"]).get(reverse("visits:detail", args=[visit.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="hospitality"' in body and 'data-testid="leader-recommendation"' in body
    assert reverse("logistics:meeting_new", args=[visit.pk]) in body


def test_host_requests_a_meeting(org):
    visit = make_visit(actor=org["east_sales"])
    client = login(org["east_sales"])
    url = reverse("logistics:meeting_new", args=[visit.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "leader": org["general_manager"].pk,
            "starts_at": "2026-12-10T15:00",
            "ends_at": "2026-12-10T15:30",
        },
    )
    meeting = LeaderMeeting.objects.get(visit=visit)
    assert response.status_code == 302 and meeting.leader == org["general_manager"]


def test_request_to_a_non_leader_or_with_bad_times_keeps_the_form(org):
    visit = make_visit(actor=org["east_sales"])
    response = login(org["east_sales"]).post(
        reverse("logistics:meeting_new", args=[visit.pk]),
        {
            "leader": org["director"].pk,
            "starts_at": "2026-12-10T15:00",
            "ends_at": "2026-12-10T14:00",
        },
    )
    assert response.status_code == 422 and not LeaderMeeting.objects.exists()
    assert "2026-12-10T15:00" in response.content.decode()
    response = login(org["east_sales"]).post(
        reverse("logistics:meeting_new", args=[visit.pk]),
        {
            "leader": org["reception"].pk,
            "starts_at": "2026-12-10T15:00",
            "ends_at": "2026-12-10T16:00",
        },
    )
    assert response.status_code == 422


def test_foreign_visit_is_404_and_viewer_without_edit_is_403(org):
    visit = make_visit(actor=org["east_sales"])
    url = reverse("logistics:meeting_new", args=[visit.pk])
    assert login(org["south_sales"]).get(url).status_code == 404
    assert login(org["driver"]).get(url).status_code == 404
    assert login(org["finance"]).get(url).status_code == 403


def test_leader_sees_their_requests_and_the_brief(org):
    meeting = _meeting(org)
    client = login(org["director"])
    mine = client.get(reverse("logistics:meeting_mine"))
    assert meeting.visit.customer.name in mine.content.decode()
    page = client.get(reverse("logistics:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200 and 'data-testid="brief"' in page.content.decode()
    assert 'data-testid="accept"' in page.content.decode()
    # The other leader does not see it in their list.
    other = login(org["general_manager"]).get(reverse("logistics:meeting_mine"))
    assert meeting.visit.customer.name not in other.content.decode()


def test_leader_accepts_and_the_time_is_booked(org):
    meeting = _meeting(org)
    response = login(org["director"]).post(reverse("logistics:meeting_accept", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.ACCEPTED
    assert Booking.objects.get(leader_meeting=meeting).person == org["director"]


def test_double_booked_leader_gets_the_message_not_a_500(org):
    first = _meeting(org)
    meeting_accept(actor=org["director"], meeting=first)
    second = _meeting(org, start=START + timedelta(minutes=30))
    client = login(org["director"])
    response = client.post(reverse("logistics:meeting_accept", args=[second.pk]), follow=True)
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.state == MeetingState.REQUESTED
    assert str(org["director"]) in response.content.decode()


def test_only_the_leader_answers(org):
    meeting = _meeting(org)
    for key in ("east_sales", "general_manager", "south_sales"):
        url = reverse("logistics:meeting_accept", args=[meeting.pk])
        assert login(org[key]).post(url).status_code == 404
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.REQUESTED


def test_decline_without_note_is_refused_then_with_note(org):
    meeting = _meeting(org)
    client = login(org["director"])
    url = reverse("logistics:meeting_decline", args=[meeting.pk])
    assert client.post(url, {"note": ""}).status_code == 422
    assert client.post(url, {"note": "出差"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DECLINED


def test_propose_then_requester_takes_the_time(org):
    meeting = _meeting(org)
    response = login(org["director"]).post(
        reverse("logistics:meeting_propose", args=[meeting.pk]),
        {"starts_at": "2026-12-10T17:00", "note": ""},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.OTHER_TIME
    url = reverse("logistics:meeting_take_proposal", args=[meeting.pk])
    assert login(org["south_sales"]).post(url).status_code == 404
    assert login(org["east_sales"]).post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.ACCEPTED
    assert meeting.starts_at == local(2026, 12, 10, 17)


def test_requester_cancels(org):
    meeting = _meeting(org)
    url = reverse("logistics:meeting_cancel", args=[meeting.pk])
    assert login(org["director"]).post(url).status_code == 403
    assert login(org["east_sales"]).post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED
