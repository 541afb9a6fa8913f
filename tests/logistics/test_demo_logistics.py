"""The demo company's logistics: resources, and today's visits met and toured."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from visitflow.accounts.models import User
from visitflow.logistics import demo
from visitflow.logistics.models import (
    Booking,
    GiftItem,
    LeaderMeeting,
    Room,
    RoomKind,
    Station,
    Transfer,
    Vehicle,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db: object) -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Vehicle, Room, Station, GiftItem, Transfer, Booking, LeaderMeeting)
    )


def test_demo_resources(seeded):
    driver = User.objects.get(username="driver")
    cars = list(Vehicle.objects.all())
    assert len(cars) == 5 and all(5 <= c.seats <= 14 for c in cars)
    assert all(c.default_driver == driver for c in cars)
    assert Vehicle.objects.filter(plate="粤B·D12345").exists()
    assert Room.objects.filter(kind=RoomKind.SHOWROOM).count() == 1
    assert Room.objects.filter(kind=RoomKind.RECEPTION).count() == 3
    offices = Room.objects.filter(kind=RoomKind.OFFICE)
    assert offices.count() == 2 and not offices.filter(tour_allowed=True).exists()
    stations = Station.objects.all()
    assert stations.count() >= 6 and all(s.travel_minutes and s.no_car_advice for s in stations)
    assert GiftItem.objects.filter(name="公司定制茶具", stock__gt=0).exists()


def test_demo_today_has_pickups_and_bookings_on_the_board(seeded):
    today = timezone.localdate()
    todays = [t for t in Transfer.objects.all() if timezone.localdate(t.leaves_at) == today]
    assert todays, "today's demo visits are met"
    assert any(t.vehicle_id and t.driver_id for t in todays)
    assert Booking.objects.filter(purpose="tour").exists()
    page = login(User.objects.get(username="reception")).get(reverse("logistics:board")).text
    assert 'data-testid="block"' in page and 'data-testid="transfer-row"' in page
    assert 'data-testid="block-clash"' not in page


def test_demo_driver_has_trips(seeded):
    page = login(User.objects.get(username="driver")).get(reverse("logistics:my_trips")).text
    assert 'data-testid="trip"' in page


def test_demo_logistics_is_idempotent(seeded):
    before = _counts()
    summary = demo.seed_demo_logistics()
    assert _counts() == before
    assert summary.transfers_created == summary.bookings_created == 0
