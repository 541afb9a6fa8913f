"""Who sees which bookings, and which resources are offered (selectors)."""

from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404

from tests.factories.visits import local, make_visit
from visitflow.logistics.models import Room, RoomKind, Vehicle
from visitflow.logistics.permissions import (
    can_manage_resources,
    can_view_booking,
    can_view_resources,
)
from visitflow.logistics.selectors import (
    booking_get_for_user,
    booking_list_for_user,
    room_tour_choices,
    vehicle_free_list,
    vehicle_list_for_user,
)
from visitflow.logistics.services.bookings import booking_cancel, booking_create

pytestmark = pytest.mark.django_db

START = local(2026, 12, 10, 9)


@pytest.mark.parametrize(
    ("role", "manage", "view"),
    [
        ("reception", True, True),
        ("admin", True, True),
        ("east_sales", False, True),
        ("east_manager", False, True),
        ("director", False, True),
        ("general_manager", False, True),
        ("finance", False, True),
        ("driver", False, False),
    ],
)
def test_resource_permission_matrix(
    org: dict[str, Any], role: str, manage: bool, view: bool
) -> None:
    assert can_manage_resources(org[role]) is manage
    assert can_view_resources(org[role]) is view


def test_driver_sees_no_resource_list(org: dict[str, Any]) -> None:
    Vehicle.objects.create(plate="粤B·12345", seats=7)
    assert list(vehicle_list_for_user(org["driver"])) == []
    assert vehicle_list_for_user(org["reception"]).count() == 1


def test_free_cars_have_enough_seats_and_no_booking(org: dict[str, Any]) -> None:
    small = Vehicle.objects.create(plate="粤B·11111", seats=5)
    big = Vehicle.objects.create(plate="粤B·22222", seats=9)
    van = Vehicle.objects.create(plate="粤B·33333", seats=14)
    Vehicle.objects.create(plate="粤B·44444", seats=14, is_active=False)
    booking_create(
        actor=org["reception"], vehicle=big, starts_at=START, ends_at=START + timedelta(hours=2)
    )
    cancelled = booking_create(
        actor=org["reception"], vehicle=van, starts_at=START, ends_at=START + timedelta(hours=2)
    )
    booking_cancel(actor=org["reception"], booking=cancelled)
    window = {"starts_at": START + timedelta(hours=1), "ends_at": START + timedelta(hours=3)}
    assert list(vehicle_free_list(**window, min_seats=6)) == [van]
    assert list(vehicle_free_list(**window)) == [small, van]
    # Back to back with the booking: the big car is free again.
    later = {"starts_at": START + timedelta(hours=2), "ends_at": START + timedelta(hours=3)}
    assert big in vehicle_free_list(**later, min_seats=6)


def test_tour_rooms_never_offices(org: dict[str, Any]) -> None:
    showroom = Room.objects.create(name="展厅", kind=RoomKind.SHOWROOM)
    busy = Room.objects.create(name="一号接待室", kind=RoomKind.RECEPTION)
    Room.objects.create(name="总经理办公室", kind=RoomKind.OFFICE, tour_allowed=False)
    Room.objects.create(name="会议室", kind=RoomKind.MEETING, tour_allowed=False)
    booking_create(
        actor=org["reception"], room=busy, starts_at=START, ends_at=START + timedelta(hours=2)
    )
    rooms = room_tour_choices(starts_at=START, ends_at=START + timedelta(hours=1))
    assert list(rooms) == [showroom]


def test_booking_visibility(org: dict[str, Any]) -> None:
    visit = make_visit(actor=org["east_sales"])
    car = Vehicle.objects.create(plate="粤B·12345", seats=7, default_driver=org["driver"])
    for_visit = booking_create(
        actor=org["reception"],
        vehicle=car,
        starts_at=START,
        ends_at=START + timedelta(hours=2),
        visit=visit,
    )
    mine = booking_create(
        actor=org["reception"],
        person=org["south_sales"],
        starts_at=START,
        ends_at=START + timedelta(hours=2),
    )
    assert set(booking_list_for_user(org["reception"])) == {for_visit, mine}
    assert set(booking_list_for_user(org["director"])) == {for_visit, mine}
    # The host sees the car booked for the visit; the manager of the host's team too.
    assert list(booking_list_for_user(org["east_sales"])) == [for_visit]
    assert list(booking_list_for_user(org["east_manager"])) == [for_visit]
    # The person booked sees their own time; the car's driver sees the car's trips.
    assert list(booking_list_for_user(org["south_sales"])) == [mine]
    assert list(booking_list_for_user(org["driver"])) == [for_visit]
    # Everyone else follows visit visibility: finance reads every customer's visits.
    assert list(booking_list_for_user(org["finance"])) == [for_visit]
    assert list(booking_list_for_user(org["south_manager"])) == []
    with pytest.raises(Http404):
        booking_get_for_user(org["south_sales"], for_visit.pk)
    for user, booking in [(org["east_sales"], for_visit), (org["south_sales"], mine)]:
        assert can_view_booking(user, booking)
    assert not can_view_booking(org["finance"], mine)
    assert not can_view_booking(org["south_manager"], for_visit)


def test_booking_list_by_day_uses_local_days(org: dict[str, Any]) -> None:
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    # 23:00-01:00 touches both local days.
    late = booking_create(
        actor=org["reception"],
        vehicle=car,
        starts_at=local(2026, 12, 10, 23),
        ends_at=local(2026, 12, 11, 1),
    )
    for day in (START.date(), (START + timedelta(days=1)).date()):
        assert list(booking_list_for_user(org["reception"], day=day)) == [late]
    assert list(booking_list_for_user(org["reception"], day=local(2026, 12, 12).date())) == []
