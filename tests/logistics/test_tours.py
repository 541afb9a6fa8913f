from datetime import timedelta

import pytest

from tests.factories.visits import local, make_visit
from visitflow.core.exceptions import ApplicationError
from visitflow.logistics.models import BookingPurpose, BookingStatus, Room, RoomKind
from visitflow.logistics.services.bookings import BookingConflict
from visitflow.logistics.services.tours import tour_book, tour_cancel, tour_rooms

pytestmark = pytest.mark.django_db

START = local(2026, 12, 10, 14)


@pytest.fixture
def rooms(db):
    return {
        "showroom": Room.objects.create(name="展厅", kind=RoomKind.SHOWROOM),
        "reception": Room.objects.create(name="接待室1", kind=RoomKind.RECEPTION),
        "office": Room.objects.create(
            name="总经理办公室", kind=RoomKind.OFFICE, tour_allowed=False
        ),
        "closed": Room.objects.create(name="接待室2", kind=RoomKind.RECEPTION, is_active=False),
        "no_tour": Room.objects.create(name="会议室", kind=RoomKind.MEETING, tour_allowed=False),
    }


def test_only_active_tour_rooms_are_offered(rooms):
    assert set(tour_rooms()) == {rooms["showroom"], rooms["reception"]}


@pytest.mark.parametrize("key", ["office", "closed", "no_tour"])
def test_rooms_that_may_not_be_toured_are_refused(org, rooms, key):
    visit = make_visit(actor=org["east_sales"])
    with pytest.raises(ApplicationError) as info:
        tour_book(
            actor=org["east_sales"],
            visit=visit,
            room=rooms[key],
            starts_at=START,
            ends_at=START + timedelta(hours=1),
        )
    assert "room" in info.value.field_errors


def test_book_conflict_and_cancel(org, rooms):
    visit = make_visit(actor=org["east_sales"])
    booking = tour_book(
        actor=org["east_sales"],
        visit=visit,
        room=rooms["showroom"],
        starts_at=START,
        ends_at=START + timedelta(hours=1),
    )
    assert booking.purpose == BookingPurpose.TOUR and booking.visit == visit
    other = make_visit(actor=org["south_sales"])
    with pytest.raises(BookingConflict) as info:
        tour_book(
            actor=org["south_sales"],
            visit=other,
            room=rooms["showroom"],
            starts_at=START + timedelta(minutes=30),
            ends_at=START + timedelta(hours=2),
        )
    assert "展厅" in info.value.message
    tour_cancel(actor=org["east_sales"], booking=booking)
    assert booking.status == BookingStatus.CANCELLED
    tour_book(
        actor=org["south_sales"],
        visit=other,
        room=rooms["showroom"],
        starts_at=START + timedelta(minutes=30),
        ends_at=START + timedelta(hours=2),
    )
