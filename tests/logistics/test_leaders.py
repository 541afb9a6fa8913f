from datetime import timedelta

import pytest

from tests.factories.customers import CustomerFactory, level
from tests.factories.visits import local, make_visit
from visitflow.core.exceptions import ApplicationError
from visitflow.logistics.models import (
    Booking,
    BookingStatus,
    LeaderLevel,
    MeetingState,
    Room,
    RoomKind,
)
from visitflow.logistics.services.bookings import BookingConflict
from visitflow.logistics.services.leaders import (
    TRANSITIONS,
    leader_recommendation,
    meeting_accept,
    meeting_accept_proposal,
    meeting_brief,
    meeting_cancel,
    meeting_decline,
    meeting_propose_time,
    meeting_request,
)
from visitflow.visits import services as visit_services

pytestmark = pytest.mark.django_db

START = local(2026, 12, 10, 15)


@pytest.mark.parametrize(
    ("level_code", "importance", "expected"),
    [
        ("VIP", "normal", LeaderLevel.DIRECTOR),
        ("VIP", "important", LeaderLevel.GENERAL_MANAGER),
        ("VIP", "critical", LeaderLevel.GENERAL_MANAGER),
        ("A", "normal", LeaderLevel.NONE),
        ("A", "important", LeaderLevel.DIRECTOR),
        ("A", "critical", LeaderLevel.GENERAL_MANAGER),
        ("B", "important", LeaderLevel.NONE),
        ("B", "critical", LeaderLevel.DIRECTOR),
        ("C", "critical", LeaderLevel.DIRECTOR),
    ],
)
def test_recommendation_follows_the_matrix(org, level_code, importance, expected):
    customer = CustomerFactory(owner=org["east_sales"], level=level(level_code))
    visit = make_visit(actor=org["east_sales"], customer=customer, importance=importance)
    assert leader_recommendation(visit) == expected


def _request(org, *, leader_key="director", room=None, start=START, visit=None):
    visit = visit or make_visit(actor=org["east_sales"])
    return meeting_request(
        actor=org["east_sales"],
        visit=visit,
        leader=org[leader_key],
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        room=room,
    )


def test_only_leaders_can_be_asked(org):
    with pytest.raises(ApplicationError) as info:
        _request(org, leader_key="east_manager")
    assert "leader" in info.value.field_errors


def test_accept_books_the_leader_and_the_room(org):
    room = Room.objects.create(name="一号会议室", kind=RoomKind.MEETING)
    meeting = _request(org, room=room)
    meeting_accept(actor=org["director"], meeting=meeting)
    assert meeting.state == MeetingState.ACCEPTED
    bookings = Booking.objects.filter(leader_meeting=meeting, status=BookingStatus.ACTIVE)
    assert {b.resource for b in bookings} == {org["director"], room}


def test_a_leader_is_never_booked_twice(org):
    first = _request(org)
    meeting_accept(actor=org["director"], meeting=first)
    second = _request(org, start=START + timedelta(minutes=15))
    with pytest.raises(BookingConflict):
        meeting_accept(actor=org["director"], meeting=second)
    second.refresh_from_db()
    assert second.state == MeetingState.REQUESTED
    assert not Booking.objects.filter(leader_meeting=second).exists()


def test_decline_needs_a_note(org):
    meeting = _request(org)
    with pytest.raises(ApplicationError):
        meeting_decline(actor=org["director"], meeting=meeting, note="  ")
    meeting_decline(actor=org["director"], meeting=meeting, note="出差")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.DECLINED and meeting.answer_note == "出差"
    with pytest.raises(ApplicationError):
        meeting_accept(actor=org["director"], meeting=meeting)


def test_propose_another_time_then_the_requester_accepts_it(org):
    meeting = _request(org)
    later = START + timedelta(hours=2)
    meeting_propose_time(actor=org["director"], meeting=meeting, starts_at=later, note="会议冲突")
    assert meeting.state == MeetingState.OTHER_TIME
    # The leader cannot accept their own proposal: the requester does.
    with pytest.raises(ApplicationError):
        meeting_accept(actor=org["director"], meeting=meeting)
    meeting_accept_proposal(actor=org["east_sales"], meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.ACCEPTED
    assert meeting.starts_at == later and meeting.ends_at == later + timedelta(minutes=30)
    booking = Booking.objects.get(leader_meeting=meeting)
    assert booking.person == org["director"] and booking.starts_at == later


def test_cancel_frees_the_leader(org):
    meeting = _request(org)
    meeting_accept(actor=org["director"], meeting=meeting)
    meeting_cancel(actor=org["east_sales"], meeting=meeting)
    assert meeting.state == MeetingState.CANCELLED
    other = _request(org)
    meeting_accept(actor=org["director"], meeting=other)


def test_transition_table_has_no_way_out_of_final_states():
    assert TRANSITIONS[MeetingState.DECLINED] == frozenset()
    assert TRANSITIONS[MeetingState.CANCELLED] == frozenset()
    assert set(TRANSITIONS) == set(MeetingState.values)


def test_brief_has_history_party_and_open_requests(org):
    customer = CustomerFactory(owner=org["east_sales"])
    past = make_visit(actor=org["east_sales"], customer=customer, starts_at=local(2026, 6, 1, 9))
    visit = make_visit(actor=org["east_sales"], customer=customer)
    visit_services.visitor_add(actor=org["east_sales"], visit=visit, name="王建国", features="")
    brief = meeting_brief(_request(org, visit=visit))
    assert brief.past_visits == [past]
    assert [v.name for v in brief.party] == ["王建国"]
    assert brief.customer == customer
