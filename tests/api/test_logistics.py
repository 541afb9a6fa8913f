"""API: vehicles, rooms, stations, gifts and bookings (issue 4)."""

from typing import Any

import pytest
from django.test import Client
from django.utils.dateparse import parse_datetime

from tests.api.conftest import locs, patch, post, token_client
from tests.conftest import login
from tests.factories.visits import make_visit
from visitflow.logistics.models import (
    Booking,
    BookingStatus,
    GiftItem,
    LeaderMeeting,
    Room,
    Station,
    Vehicle,
)

pytestmark = pytest.mark.django_db

T9 = "2026-12-10T09:00:00+08:00"
T10 = "2026-12-10T10:00:00+08:00"
T11 = "2026-12-10T11:00:00+08:00"
T12 = "2026-12-10T12:00:00+08:00"


@pytest.fixture
def car(org: dict[str, Any]) -> Vehicle:
    return Vehicle.objects.create(plate="粤B·12345", model_name="别克GL8", seats=7)


@pytest.fixture
def reception(org: dict[str, Any]) -> Client:
    return login(org["reception"])


# --- Resources: who reads, who writes ---------------------------------------------------


@pytest.mark.parametrize("url", ["/api/vehicles", "/api/rooms", "/api/stations", "/api/gifts"])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("reception", 200),
        ("admin", 200),
        ("east_sales", 200),
        ("east_manager", 200),
        ("director", 200),
        ("finance", 200),
        ("driver", 403),
    ],
)
def test_resource_lists_readable_by_all_but_drivers(
    org: dict[str, Any], url: str, role: str, status: int
) -> None:
    assert login(org[role]).get(url).status_code == status


def test_anonymous_gets_401() -> None:
    assert Client().get("/api/vehicles").status_code == 401


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/vehicles", {"plate": "粤b 54321", "seats": 5}),
        ("/api/rooms", {"name": "展厅", "kind": "showroom"}),
        ("/api/stations", {"name": "深圳宝安国际机场", "kind": "airport", "travel_minutes": 50}),
        ("/api/gifts", {"name": "茶叶礼盒", "unit_value": "288.00"}),
    ],
)
@pytest.mark.parametrize(
    ("role", "status"),
    [("reception", 201), ("admin", 201), ("east_sales", 403), ("director", 403), ("driver", 403)],
)
def test_only_reception_and_admin_create(
    org: dict[str, Any], url: str, body: dict[str, Any], role: str, status: int
) -> None:
    response = post(login(org[role]), url, body)
    assert response.status_code == status, response.content


def test_vehicle_crud_with_token(org: dict[str, Any]) -> None:
    client = token_client(org["reception"])
    response = post(
        client,
        "/api/vehicles",
        {"plate": "粤b-d12345", "seats": 7, "default_driver": org["driver"].pk},
    )
    assert response.status_code == 201
    data = response.json()
    assert data["plate"] == "粤B·D12345"
    assert data["default_driver"]["id"] == org["driver"].pk
    url = f"/api/vehicles/{data['id']}"
    response = patch(client, url, {"seats": 9, "default_driver": None})
    assert response.status_code == 200
    assert response.json()["seats"] == 9 and response.json()["default_driver"] is None
    assert post(client, f"{url}/deactivate").json()["is_active"] is False
    assert client.get("/api/vehicles").json()["count"] == 0
    assert client.get("/api/vehicles?include_inactive=true").json()["count"] == 1
    assert post(client, f"{url}/activate").json()["is_active"] is True


def test_sales_reads_but_cannot_change(org: dict[str, Any], car: Vehicle) -> None:
    client = login(org["east_sales"])
    assert client.get(f"/api/vehicles/{car.pk}").json()["plate"] == "粤B·12345"
    assert patch(client, f"/api/vehicles/{car.pk}", {"seats": 9}).status_code == 403
    assert post(client, f"/api/vehicles/{car.pk}/deactivate").status_code == 403
    assert login(org["driver"]).get(f"/api/vehicles/{car.pk}").status_code == 403
    assert client.get("/api/vehicles/999999").status_code == 404


# --- Resources: bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"plate": "ABC123", "seats": 5}, "plate"),
        ({"plate": "粤B·12345", "seats": 0}, "seats"),
        ({"plate": "粤B·12345", "seats": 1}, "seats"),
        ({"plate": "粤B·12345", "seats": -1}, "seats"),
        ({"seats": 5}, "plate"),
        ({"plate": "粤B·12345", "seats": 5, "default_driver": 999999}, "default_driver"),
    ],
)
def test_vehicle_bad_input_is_422_on_the_field(
    reception: Client, body: dict[str, Any], field: str
) -> None:
    response = post(reception, "/api/vehicles", body)
    assert response.status_code == 422
    assert any(loc[-1] == field for loc in locs(response))
    assert not Vehicle.objects.exists()


def test_vehicle_default_driver_must_be_a_driver(org: dict[str, Any], reception: Client) -> None:
    body = {"plate": "粤B·12345", "seats": 5, "default_driver": org["east_sales"].pk}
    response = post(reception, "/api/vehicles", body)
    assert response.status_code == 422
    assert locs(response) == [["body", "default_driver"]]


def test_duplicate_plate_in_another_spelling(reception: Client, car: Vehicle) -> None:
    response = post(reception, "/api/vehicles", {"plate": "粤b12345", "seats": 5})
    assert response.status_code == 422
    assert locs(response) == [["body", "plate"]]


def test_office_may_not_be_toured(reception: Client) -> None:
    response = post(
        reception, "/api/rooms", {"name": "总经理办公室", "kind": "office", "tour_allowed": True}
    )
    assert response.status_code == 422
    assert locs(response) == [["body", "tour_allowed"]]
    ok = post(
        reception, "/api/rooms", {"name": "总经理办公室", "kind": "office", "tour_allowed": False}
    )
    assert ok.status_code == 201
    response = patch(reception, f"/api/rooms/{ok.json()['id']}", {"tour_allowed": True})
    assert response.status_code == 422
    assert Room.objects.get().tour_allowed is False


def test_gift_stock_is_read_only(reception: Client) -> None:
    response = post(reception, "/api/gifts", {"name": "茶叶礼盒", "unit_value": "288", "stock": 50})
    assert response.status_code == 201
    assert response.json()["stock"] == 0
    gift = GiftItem.objects.get()
    patch(reception, f"/api/gifts/{gift.pk}", {"stock": 99})
    gift.refresh_from_db()
    assert gift.stock == 0
    assert patch(reception, f"/api/gifts/{gift.pk}", {"unit_value": "-1"}).status_code == 422


def test_station_bad_input(reception: Client) -> None:
    body = {"name": "广州南站", "kind": "spaceport", "travel_minutes": 90}
    assert post(reception, "/api/stations", body).status_code == 422
    body = {"name": "广州南站", "kind": "railway", "travel_minutes": 0}
    assert locs(post(reception, "/api/stations", body)) == [["body", "travel_minutes"]]
    assert not Station.objects.exists()


def test_patch_with_null_is_refused(reception: Client, car: Vehicle) -> None:
    assert patch(reception, f"/api/vehicles/{car.pk}", {"seats": None}).status_code == 422
    room = Room.objects.create(name="展厅", kind="showroom")
    assert patch(reception, f"/api/rooms/{room.pk}", {"name": None}).status_code == 422


# --- Bookings ---------------------------------------------------------------------------


def _book(client: Client, start: str, end: str, **resource: int) -> Any:
    return post(client, "/api/bookings", {"starts_at": start, "ends_at": end, **resource})


def test_booking_create_conflict_move_cancel(reception: Client, car: Vehicle) -> None:
    first = _book(reception, T9, T11, vehicle=car.pk)
    assert first.status_code == 201, first.content
    first_id = first.json()["id"]
    assert first.json()["resource"] == str(car)

    clash = _book(reception, T10, T12, vehicle=car.pk)
    assert clash.status_code == 409
    assert clash.json()["conflict_with"] == first_id
    assert "粤B·12345" in clash.json()["detail"]

    second = _book(reception, T11, T12, vehicle=car.pk)  # touching is fine
    assert second.status_code == 201
    moved = patch(reception, f"/api/bookings/{second.json()['id']}", {"starts_at": T10})
    assert moved.status_code == 409
    assert moved.json()["conflict_with"] == first_id

    cancelled = post(reception, f"/api/bookings/{first_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    moved = patch(reception, f"/api/bookings/{second.json()['id']}", {"starts_at": T9})
    assert moved.status_code == 200 and moved.json()["starts_at"].startswith("2026-12-10T")
    assert Booking.objects.filter(status=BookingStatus.ACTIVE).count() == 1


def test_booking_list_by_resource_and_day(
    org: dict[str, Any], reception: Client, car: Vehicle
) -> None:
    room = Room.objects.create(name="展厅", kind="showroom")
    _book(reception, T9, T10, vehicle=car.pk)
    _book(reception, T9, T10, room=room.pk)
    _book(reception, "2026-12-11T09:00:00+08:00", "2026-12-11T10:00:00+08:00", vehicle=car.pk)
    _book(reception, T9, T10, person=org["east_sales"].pk)
    assert reception.get("/api/bookings").json()["count"] == 4
    assert reception.get(f"/api/bookings?vehicle={car.pk}").json()["count"] == 2
    assert reception.get(f"/api/bookings?vehicle={car.pk}&day=2026-12-10").json()["count"] == 1
    assert reception.get(f"/api/bookings?room={room.pk}").json()["count"] == 1
    assert reception.get("/api/bookings?day=2026-12-32").status_code == 422
    # A salesperson sees the booking of their own time, not the cars' and rooms'.
    sales = login(org["east_sales"])
    items = sales.get("/api/bookings").json()["items"]
    assert [item["person_id"] for item in items] == [org["east_sales"].pk]


def test_booking_bad_input(reception: Client, car: Vehicle) -> None:
    response = _book(reception, T11, T9, vehicle=car.pk)
    assert response.status_code == 422
    assert locs(response) == [["body", "ends_at"]]
    response = _book(reception, T9, T9, vehicle=car.pk)
    assert response.status_code == 422
    room = Room.objects.create(name="展厅", kind="showroom")
    assert _book(reception, T9, T10).status_code == 422
    assert _book(reception, T9, T10, vehicle=car.pk, room=room.pk).status_code == 422
    assert locs(_book(reception, T9, T10, vehicle=999999)) == [["body", "vehicle"]]
    assert _book(reception, "tomorrow", T10, vehicle=car.pk).status_code == 422
    assert not Booking.objects.exists()


@pytest.mark.parametrize("role", ["east_sales", "director", "driver", "finance"])
def test_only_reception_and_admin_book_directly(
    org: dict[str, Any], car: Vehicle, role: str
) -> None:
    assert _book(login(org[role]), T9, T10, vehicle=car.pk).status_code == 403


def test_others_cannot_move_or_cancel(org: dict[str, Any], reception: Client, car: Vehicle) -> None:
    booking_id = _book(reception, T9, T10, vehicle=car.pk).json()["id"]
    # Hidden from a salesperson (not theirs, no visit of theirs): 404; a director sees it
    # but may not change it: 403.
    sales = login(org["east_sales"])
    assert patch(sales, f"/api/bookings/{booking_id}", {"starts_at": T9}).status_code == 404
    director = login(org["director"])
    assert director.get(f"/api/bookings/{booking_id}").status_code == 200
    assert post(director, f"/api/bookings/{booking_id}/cancel").status_code == 403
    assert Booking.objects.get().status == BookingStatus.ACTIVE


def test_bookings_of_a_transfer_or_meeting_are_changed_there(
    org: dict[str, Any], reception: Client, car: Vehicle
) -> None:
    booking_id = _book(reception, T9, T10, vehicle=car.pk).json()["id"]
    visit = make_visit(actor=org["east_sales"])
    meeting = LeaderMeeting.objects.create(
        visit=visit,
        leader=org["director"],
        requested_by=org["east_sales"],
        starts_at=parse_datetime(T9),
        ends_at=parse_datetime(T10),
    )
    Booking.objects.filter(pk=booking_id).update(leader_meeting=meeting)
    assert patch(reception, f"/api/bookings/{booking_id}", {"starts_at": T10}).status_code == 409
    assert post(reception, f"/api/bookings/{booking_id}/cancel").status_code == 409
    assert Booking.objects.get().status == BookingStatus.ACTIVE
