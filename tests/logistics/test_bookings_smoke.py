from datetime import timedelta

import pytest

from tests.factories.visits import local
from visitflow.logistics.models import Vehicle
from visitflow.logistics.services.bookings import BookingConflict, booking_cancel, booking_create

pytestmark = pytest.mark.django_db


def test_two_overlapping_bookings_of_one_car_are_refused(org):
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    start = local(2026, 12, 10, 9)
    first = booking_create(
        actor=org["reception"], vehicle=car, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    with pytest.raises(BookingConflict) as info:
        booking_create(
            actor=org["reception"],
            vehicle=car,
            starts_at=start + timedelta(hours=1),
            ends_at=start + timedelta(hours=3),
        )
    assert "粤B·12345" in info.value.message and info.value.other == first
    # Back to back is fine; after cancelling, the slot is free again.
    booking_create(
        actor=org["reception"],
        vehicle=car,
        starts_at=start + timedelta(hours=2),
        ends_at=start + timedelta(hours=3),
    )
    booking_cancel(actor=org["reception"], booking=first)
    booking_create(
        actor=org["reception"], vehicle=car, starts_at=start, ends_at=start + timedelta(hours=1)
    )
