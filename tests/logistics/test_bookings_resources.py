"""Resource pages kept by reception: cars, rooms, stations, gift items (issue 4)."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import login
from visitflow.logistics.models import GiftItem, Room, Station, Vehicle

pytestmark = pytest.mark.django_db

KINDS = ["vehicles", "rooms", "stations", "gifts"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("reception", 200),
        ("admin", 200),
        ("east_sales", 200),
        ("director", 200),
        ("finance", 200),
        ("driver", 403),
    ],
)
def test_lists_readable_by_all_but_drivers(
    org: dict[str, Any], kind: str, role: str, status: int
) -> None:
    response = login(org[role]).get(f"/logistics/resources/{kind}/")
    assert response.status_code == status


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("role", "status"), [("reception", 200), ("admin", 200), ("east_sales", 403), ("driver", 403)]
)
def test_only_reception_and_admin_open_the_form(
    org: dict[str, Any], kind: str, role: str, status: int
) -> None:
    assert login(org[role]).get(f"/logistics/resources/{kind}/new/").status_code == status


def test_unknown_kind_is_404(org: dict[str, Any]) -> None:
    assert login(org["reception"]).get("/logistics/resources/boats/").status_code == 404


def test_sales_sees_no_edit_buttons(org: dict[str, Any]) -> None:
    Vehicle.objects.create(plate="粤B·12345", seats=7)
    page = login(org["east_sales"]).get("/logistics/resources/vehicles/").content.decode()
    assert "粤B·12345" in page and "/edit/" not in page


def test_create_vehicle_normalises_plate(org: dict[str, Any]) -> None:
    client = login(org["reception"])
    response = client.post(
        "/logistics/resources/vehicles/new/",
        {
            "plate": "粤b 12345",
            "model_name": "别克GL8",
            "seats": "7",
            "default_driver": org["driver"].pk,
        },
    )
    assert response.status_code == 302
    car = Vehicle.objects.get()
    assert car.plate == "粤B·12345" and car.default_driver == org["driver"]


def _form_errors(response: Any) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def test_bad_plate_is_shown_next_to_the_field_in_chinese(org: dict[str, Any]) -> None:
    client = login(org["reception"])
    with translation.override("zh-hans"):
        response = client.post(
            "/logistics/resources/vehicles/new/",
            {"plate": "ABC123", "model_name": "别克GL8", "seats": "7"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 422
    errors = _form_errors(response)
    assert list(errors) == ["plate"]
    assert "ABC123" in errors["plate"][0] and "粤B·12345" in errors["plate"][0]
    page = response.content.decode()
    assert 'value="ABC123"' in page and 'value="别克GL8"' in page  # typed values kept
    assert not Vehicle.objects.exists()


@pytest.mark.parametrize("seats", ["0", "1"])
def test_too_few_seats(org: dict[str, Any], seats: str) -> None:
    response = login(org["reception"]).post(
        "/logistics/resources/vehicles/new/", {"plate": "粤B·12345", "seats": seats}
    )
    assert response.status_code == 422
    assert list(_form_errors(response)) == ["seats"]
    assert f'value="{seats}"' in response.content.decode()


def test_default_driver_must_be_a_driver(org: dict[str, Any]) -> None:
    response = login(org["reception"]).post(
        "/logistics/resources/vehicles/new/",
        {"plate": "粤B·12345", "seats": "5", "default_driver": org["east_sales"].pk},
    )
    assert response.status_code == 422
    assert list(_form_errors(response)) == ["default_driver"]


def test_duplicate_plate(org: dict[str, Any]) -> None:
    Vehicle.objects.create(plate="粤B·12345", seats=7)
    response = login(org["reception"]).post(
        "/logistics/resources/vehicles/new/", {"plate": "粤B12345", "seats": "5"}
    )
    assert response.status_code == 422
    assert list(_form_errors(response)) == ["plate"]


def test_office_marked_tourable_is_refused(org: dict[str, Any]) -> None:
    client = login(org["reception"])
    data = {"name": "总经理办公室", "kind": "office", "capacity": "4", "tour_allowed": "on"}
    response = client.post("/logistics/resources/rooms/new/", data)
    assert response.status_code == 422
    assert list(_form_errors(response)) == ["tour_allowed"]
    assert 'value="总经理办公室"' in response.content.decode()
    assert not Room.objects.exists()
    data.pop("tour_allowed")
    assert client.post("/logistics/resources/rooms/new/", data).status_code == 302
    room = Room.objects.get()
    # Editing the office into a tour room is refused too, and nothing is saved.
    response = client.post(
        f"/logistics/resources/rooms/{room.pk}/edit/", {**data, "tour_allowed": "on"}
    )
    assert response.status_code == 422
    room.refresh_from_db()
    assert room.tour_allowed is False


def test_edit_and_deactivate_a_station(org: dict[str, Any]) -> None:
    client = login(org["reception"])
    station = Station.objects.create(name="深圳北站", kind="railway", travel_minutes=40)
    response = client.post(
        f"/logistics/resources/stations/{station.pk}/edit/",
        {
            "name": "深圳北站",
            "name_en": "Shenzhen North",
            "kind": "railway",
            "travel_minutes": "35",
            "no_car_advice": "乘地铁4号线",
            "no_car_advice_en": "Metro 4",
        },
    )
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.travel_minutes == 35 and station.no_car_advice == "乘地铁4号线"
    assert client.get(f"/logistics/resources/stations/{station.pk}/deactivate/").status_code == 405
    response = client.post(f"/logistics/resources/stations/{station.pk}/deactivate/", follow=True)
    assert response.redirect_chain[0][1] == 302
    station.refresh_from_db()
    assert station.is_active is False
    assert "深圳北站" not in client.get("/logistics/resources/stations/").content.decode()
    assert "深圳北站" in client.get("/logistics/resources/stations/?inactive=1").content.decode()
    client.post(f"/logistics/resources/stations/{station.pk}/activate/")
    station.refresh_from_db()
    assert station.is_active is True


def test_sales_cannot_deactivate(org: dict[str, Any]) -> None:
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    response = login(org["east_sales"]).post(f"/logistics/resources/vehicles/{car.pk}/deactivate/")
    assert response.status_code == 403
    car.refresh_from_db()
    assert car.is_active


def test_gift_stock_is_not_editable_here(org: dict[str, Any]) -> None:
    client = login(org["reception"])
    client.post(
        "/logistics/resources/gifts/new/", {"name": "茶叶礼盒", "unit_value": "288", "stock": "50"}
    )
    gift = GiftItem.objects.get()
    assert gift.stock == 0
    response = client.get(f"/logistics/resources/gifts/{gift.pk}/edit/")
    assert 'name="stock"' not in response.content.decode()


# --- Admin ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "vehicle",
        "room",
        "station",
        "giftitem",
        "booking",
        "transfer",
        "customermessage",
        "messagetemplate",
        "leaderrule",
        "leadermeeting",
        "giftissue",
        "stockmovement",
    ],
)
def test_admin_lists_every_logistics_model(org: dict[str, Any], model: str) -> None:
    url = reverse(f"admin:logistics_{model}_changelist")
    assert login(org["admin"]).get(url).status_code == 200
    assert login(org["reception"]).get(url).status_code == 302


def test_admin_saves_through_the_service(org: dict[str, Any]) -> None:
    client = login(org["admin"])
    url = reverse("admin:logistics_vehicle_add")
    response = client.post(
        url, {"plate": "粤b 12345", "model_name": "", "seats": "7", "is_active": "on"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Vehicle.objects.get().plate == "粤B·12345"
    response = client.post(url, {"plate": "粤B12345", "seats": "7", "is_active": "on"})
    assert response.status_code == 200
    assert "plate" in response.context["adminform"].form.errors
    response = client.post(
        reverse("admin:logistics_room_add"),
        {
            "name": "办公室",
            "kind": "office",
            "capacity": "3",
            "tour_allowed": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not Room.objects.exists()
