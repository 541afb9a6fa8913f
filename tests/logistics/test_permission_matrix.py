"""Issue 4, "Permissions", as one matrix over pages and API alike.

Reception manages resources and sees every booking; a driver sees their own trips
(visitor names, times, places, the escort's phone — never the visit itself, its spend or
its feedback); an escort sees the transfers they escort; everyone else follows the
visit's visibility. Each row is one person; each column one page or endpoint."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import login
from tests.factories.people import make_user
from tests.factories.visits import make_ready_visit
from visitflow.accounts.models import Role
from visitflow.logistics.models import Booking, GiftItem, Station, Transfer, Vehicle
from visitflow.logistics.services import transfers as svc

pytestmark = pytest.mark.django_db

# The people of the `org` fixture, plus the pickup's escort and driver and a driver not on it.
PEOPLE = [
    "host",
    "escort",
    "driver",
    "other_driver",
    "east_manager",
    "south_sales",
    "south_manager",
    "reception",
    "director",
    "general_manager",
    "finance",
    "admin",
]

# Column → expected status per person, in PEOPLE order.
MATRIX: dict[str, list[int]] = {
    #                        host esc  drv  odrv emgr ssal smgr rcpt dir  gm   fin  adm
    "page:transfer": [200, 200, 200, 404, 200, 404, 404, 200, 200, 200, 200, 200],
    "page:escort": [200, 200, 200, 404, 200, 404, 404, 200, 200, 200, 200, 200],
    "page:visit": [200, 404, 404, 404, 200, 404, 404, 200, 200, 200, 200, 200],
    "page:board": [403, 403, 403, 403, 403, 403, 403, 200, 200, 200, 403, 200],
    "page:my_trips": [403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
    "page:vehicles": [200, 200, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200],
    "page:gift_stock": [403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 200],
    "api:transfer": [200, 200, 200, 404, 200, 404, 404, 200, 200, 200, 200, 200],
    "api:car_booking": [200, 200, 200, 404, 200, 404, 404, 200, 200, 200, 200, 200],
    "api:vehicles": [200, 200, 403, 403, 200, 200, 200, 200, 200, 200, 200, 200],
    "api:movements": [403, 403, 404, 404, 403, 403, 403, 200, 403, 403, 403, 200],
}


@pytest.fixture
def world(org: dict[str, Any]) -> dict[str, Any]:
    Station.objects.create(name="深圳宝安", kind="airport", travel_minutes=60)
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    gift = GiftItem.objects.create(name="茶叶礼盒", unit_value="288.00", stock=5)
    host = org["east_sales"]
    escort = org["east_sales2"]
    visit = make_ready_visit(actor=host)
    leg = visit.legs.get(direction="inbound")
    transfer = svc.transfer_plan(
        actor=host,
        visit=visit,
        leg=leg,
        kind=svc.kind_for_leg(leg),
        vehicle=car,
        driver=org["driver"],
        escort=escort,
        escort_reason="主办人在开会",
    )
    people = {
        **org,
        "host": host,
        "escort": escort,
        "other_driver": make_user(role=Role.DRIVER),
    }
    car_booking = Booking.objects.get(transfer=transfer, vehicle=car)
    return {
        "people": people,
        "transfer": transfer,
        "visit": visit,
        "gift": gift,
        "car_booking": car_booking,
    }


def _url(column: str, world: dict[str, Any]) -> str:
    transfer: Transfer = world["transfer"]
    return {
        "page:transfer": f"/logistics/transfers/{transfer.pk}/",
        "page:escort": f"/logistics/transfers/{transfer.pk}/escort/",
        "page:visit": f"/visits/{world['visit'].pk}/",
        "page:board": "/logistics/",
        "page:my_trips": "/logistics/my-trips/",
        "page:vehicles": "/logistics/resources/vehicles/",
        "page:gift_stock": "/logistics/meetings/gifts/stock/",
        "api:transfer": f"/api/transfers/{transfer.pk}",
        "api:car_booking": f"/api/bookings/{world['car_booking'].pk}",
        "api:vehicles": "/api/vehicles",
        "api:movements": f"/api/gifts/{world['gift'].pk}/movements",
    }[column]


@pytest.mark.parametrize("column", list(MATRIX))
def test_matrix(world: dict[str, Any], column: str) -> None:
    url = _url(column, world)
    got = []
    for name in PEOPLE:
        client: Client = login(world["people"][name])
        got.append(client.get(url).status_code)
    assert dict(zip(PEOPLE, got, strict=True)) == dict(zip(PEOPLE, MATRIX[column], strict=True)), (
        url
    )


def test_the_drivers_trip_shows_what_they_need_and_nothing_more(world: dict[str, Any]) -> None:
    # (The list of trips itself is covered in test_board.py.)
    client = login(world["people"]["driver"])
    transfer: Transfer = world["transfer"]
    for page in ("escort/", ""):
        html = client.get(f"/logistics/transfers/{transfer.pk}/{page}").content.decode()
        assert "CA1831" in html
        assert world["people"]["escort"].mobile_display in html
        # No way into the visit (its spend, its feedback) from the driver's pages.
        assert f"/visits/{transfer.visit_id}/" not in html, page
    escort_page = client.get(f"/logistics/transfers/{transfer.pk}/escort/").content.decode()
    assert "戴眼镜" in escort_page  # how to recognise the visitor


def test_only_the_escort_driver_or_visit_side_move_the_transfer(world: dict[str, Any]) -> None:
    transfer: Transfer = world["transfer"]
    transfer.state = "customer_told"
    transfer.save()
    url = f"/api/transfers/{transfer.pk}/state"
    body = {"state": "on_the_way"}
    for name, status in [("finance", 403), ("director", 403), ("other_driver", 404)]:
        response = login(world["people"][name]).post(url, body, content_type="application/json")
        assert response.status_code == status, name
    response = login(world["people"]["driver"]).post(url, body, content_type="application/json")
    assert response.status_code == 200
