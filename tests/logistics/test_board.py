"""The reception day board and the drivers' "my trips" page."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.factories.visits import local, make_ready_visit
from visitflow.accounts.models import User
from visitflow.logistics.models import (
    Booking,
    BookingPurpose,
    Room,
    RoomKind,
    Station,
    StationKind,
    Transfer,
    TransferKind,
    TransferState,
    Vehicle,
)
from visitflow.logistics.selectors_board import Block, board_for, mark_clashes
from visitflow.logistics.services.bookings import booking_create
from visitflow.visits.models import Visit

pytestmark = pytest.mark.django_db

BOARD = reverse("logistics:board")
TRIPS = reverse("logistics:my_trips")


def _pickup(visit: Visit, *, car: Vehicle, driver: User, actor: User) -> Transfer:
    """A pickup as the transfer service would leave it: the row and its car booking."""
    leg = visit.legs.get(direction="inbound")
    station, _ = Station.objects.get_or_create(
        name="深圳宝安国际机场 T3", defaults={"kind": StationKind.AIRPORT, "travel_minutes": 40}
    )
    transfer = Transfer.objects.create(
        visit=visit,
        leg=leg,
        kind=TransferKind.PICKUP,
        station=station,
        vehicle=car,
        driver=driver,
        escort=visit.host,
        leaves_at=leg.arrives_at - timedelta(minutes=70),
        back_at=leg.arrives_at + timedelta(minutes=70),
        state=TransferState.CUSTOMER_TOLD,
    )
    booking_create(
        actor=actor,
        vehicle=car,
        starts_at=transfer.leaves_at,
        ends_at=transfer.back_at,
        purpose=BookingPurpose.PICKUP,
        visit=visit,
        transfer=transfer,
    )
    return transfer


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("reception", 200),
        ("admin", 200),
        ("director", 200),
        ("general_manager", 200),
        # The board names every customer of the day: sales only see their own (or their
        # team's), so they do not get it; nor finance, nor drivers ("my trips" instead).
        ("east_manager", 403),
        ("east_sales", 403),
        ("finance", 403),
        ("driver", 403),
    ],
)
def test_board_permissions(org, role, status):
    assert login(org[role]).get(BOARD).status_code == status


def test_board_needs_login(client):
    response = client.get(BOARD)
    assert response.status_code == 302 and "login" in response["Location"]


def test_my_trips_is_for_drivers_only(org):
    assert login(org["driver"]).get(TRIPS).status_code == 200
    for role in ("reception", "admin", "east_sales", "director"):
        assert login(org[role]).get(TRIPS).status_code == 403


def test_driver_sees_nothing_else_and_lands_on_my_trips(org):
    driver = login(org["driver"])
    response = driver.get(reverse("core:home"))
    assert response.status_code == 302 and response["Location"] == TRIPS
    for url in (
        reverse("visits:list"),
        reverse("customers:list"),
        BOARD,
    ):
        assert driver.get(url).status_code in (403, 404), url
    nav = driver.get(TRIPS).content.decode()
    assert TRIPS in nav and f'href="{BOARD}"' not in nav


def test_navigation_shows_the_board_to_reception_not_to_sales(org):
    assert f'href="{BOARD}"' in login(org["reception"]).get(reverse("visits:my_day")).text
    assert f'href="{BOARD}"' not in login(org["east_sales"]).get(reverse("visits:my_day")).text


def test_board_day_filter_shows_that_days_bookings_and_transfers(org):
    reception = org["reception"]
    car = Vehicle.objects.create(plate="粤B·12345", model_name="别克GL8", seats=7)
    room = Room.objects.create(name="产品展厅", kind=RoomKind.SHOWROOM)
    visit = make_ready_visit(actor=org["east_sales"], starts_at=local(2026, 12, 10, 10))
    transfer = _pickup(visit, car=car, driver=org["driver"], actor=reception)
    booking_create(
        actor=reception,
        room=room,
        starts_at=local(2026, 12, 10, 11),
        ends_at=local(2026, 12, 10, 12),
        purpose=BookingPurpose.TOUR,
        visit=visit,
    )
    other_day = make_ready_visit(actor=org["east_sales"], starts_at=local(2026, 12, 14, 15))
    booking_create(
        actor=reception,
        room=room,
        starts_at=local(2026, 12, 14, 16),
        ends_at=local(2026, 12, 14, 17),
        purpose=BookingPurpose.TOUR,
        visit=other_day,
    )

    response = login(reception).get(BOARD, {"day": "2026-12-10"})
    page = response.content.decode()
    assert response.status_code == 200
    assert visit.customer.name in page and other_day.customer.name not in page
    assert "粤B·12345" in page and "产品展厅" in page
    assert 'data-testid="transfer-row"' in page and "CA1831" in page
    assert str(org["driver"]) in page and str(visit.host) in page
    assert 'data-testid="block-clash"' not in page
    # The pickup block sits on the axis (06:00-24:00) where its time is.
    board = response.context["board"]
    (lane,) = [lane for lane in board.days[0].vehicle_lanes if lane.label == "粤B·12345"]
    (block,) = lane.blocks
    start = timezone.localtime(transfer.leaves_at)
    expected = ((start.hour - 6) * 60 + start.minute) / (18 * 60) * 100
    assert block.left == pytest.approx(expected, abs=0.01)

    response = login(reception).get(BOARD, {"day": "2026-12-14"})
    assert other_day.customer.name in response.text and visit.customer.name not in response.text


def test_board_week_starts_on_monday_and_has_seven_days(org):
    response = login(org["reception"]).get(BOARD, {"week": "2026-12-10"})  # a Thursday
    days = [d.day.isoformat() for d in response.context["board"].days]
    assert days[0] == "2026-12-07" and len(days) == 7
    assert response.text.count('data-testid="board-day"') == 7


def test_board_bad_day_falls_back_to_today(org):
    response = login(org["reception"]).get(BOARD, {"day": "2026-13-45"})
    assert response.status_code == 200
    assert response.context["first"] == timezone.localdate()


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="PostgreSQL's exclusion constraint refuses the clashing rows this test needs",
)
def test_board_shows_a_clash_in_red(org):
    # The engine never allows this: write the rows directly, as if old data had it
    # (possible on SQLite only, where the service is the guard).
    car = Vehicle.objects.create(plate="粤B·D12345", seats=5)
    Vehicle.objects.create(plate="粤B·36821", seats=7)
    for hour in (9, 10):
        Booking.objects.create(
            vehicle=car,
            starts_at=local(2026, 12, 10, hour),
            ends_at=local(2026, 12, 10, hour + 2),
            purpose=BookingPurpose.PICKUP,
        )
    response = login(org["reception"]).get(BOARD, {"day": "2026-12-10"})
    page = response.content.decode()
    assert page.count('data-testid="block-clash"') == 2
    assert 'data-testid="lane-clash"' in page and 'data-testid="clash-count"' in page
    lanes = {lane.label: lane for lane in response.context["board"].days[0].vehicle_lanes}
    assert lanes["粤B·D12345"].has_clash and not lanes["粤B·36821"].has_clash


def test_mark_clashes_finds_only_overlaps():
    def block(start: int, end: int) -> Block:
        return Block(
            starts_at=local(2026, 12, 10, start),
            ends_at=local(2026, 12, 10, end),
            purpose="",
            customer="",
            escort="",
            visit_id=None,
        )

    # 8-12 swallows 9-10 and touches 12-13 back to back (not a clash); 14-15 is alone.
    blocks = [block(12, 13), block(8, 12), block(9, 10), block(14, 15)]
    mark_clashes(blocks)
    assert [(b.starts_at.hour, b.clash) for b in blocks] == [
        (8, True),
        (9, True),
        (12, False),
        (14, False),
    ]


def test_board_query_count_does_not_grow_with_bookings(org, django_assert_max_num_queries):
    reception = org["reception"]
    cars = [Vehicle.objects.create(plate=f"粤B·1234{n}", seats=7) for n in range(3)]
    day = timezone.localdate()

    def add_pickups(first: int, n: int) -> None:
        for i in range(first, first + n):
            start = datetime.combine(day, time(7 + i), tzinfo=timezone.get_current_timezone())
            visit = make_ready_visit(actor=org["east_sales"], starts_at=start + timedelta(hours=2))
            _pickup(visit, car=cars[i % 3], driver=org["driver"], actor=reception)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert login(reception).get(BOARD).status_code == 200
        return len(ctx.captured_queries)

    add_pickups(0, 1)
    few = count()
    add_pickups(1, 5)
    assert count() == few
    with django_assert_max_num_queries(6):
        board_for(day, 7)


def test_my_trips_shows_what_the_driver_needs_and_nothing_more(org):
    driver = org["driver"]
    host = org["east_sales"]
    host.mobile = "13800138000"
    host.save()
    car = Vehicle.objects.create(plate="粤B·90736", model_name="丰田考斯特", seats=14)
    today = timezone.localdate()
    start = datetime.combine(today, time(22), tzinfo=timezone.get_current_timezone())
    mine = make_ready_visit(actor=host, starts_at=start, notes="预算 50000 元，反馈很好")
    _pickup(mine, car=car, driver=driver, actor=org["reception"])
    someone_elses = make_ready_visit(actor=host, starts_at=start + timedelta(days=1))
    other_driver = org["finance"]  # any other person: not this driver's trip
    _pickup(
        someone_elses,
        car=Vehicle.objects.create(plate="粤B·58Q27", seats=7),
        driver=other_driver,
        actor=org["reception"],
    )

    response = login(driver).get(TRIPS)
    page = response.content.decode()
    assert page.count('data-testid="trip"') == 1
    assert "王建国" in page and "李娜" in page
    assert "CA1831" in page and "深圳宝安国际机场 T3" in page
    assert str(host) in page and 'href="tel:13800138000"' in page
    assert "粤B·90736" in page and "粤B·58Q27" not in page
    # No customer records, spend or feedback on a driver's page.
    assert "预算" not in page and mine.customer.name not in page
    assert reverse("visits:detail", args=[mine.pk]) not in page
    # The trip opens the escort page, where the driver moves it along (on the way, met).
    escort_page = reverse("logistics:transfer_escort", args=[mine.transfers.get().pk])
    assert escort_page in page
    assert login(driver).get(escort_page).status_code == 200


def test_my_trips_is_phone_sized(org):
    """375 px: the viewport is the device's, nothing forces a wide layout, and the phone
    number is a tap-to-call link."""
    page = login(org["driver"]).get(TRIPS).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "<table" not in page and "min-width" not in page


def test_directors_read_the_board_without_links_into_visits(org):
    reception = org["reception"]
    room = Room.objects.create(name="一号接待室", kind=RoomKind.RECEPTION)
    visit = make_ready_visit(actor=org["east_sales"], starts_at=local(2026, 12, 10, 10))
    booking_create(
        actor=reception,
        room=room,
        starts_at=local(2026, 12, 10, 11),
        ends_at=local(2026, 12, 10, 12),
        purpose=BookingPurpose.TOUR,
        visit=visit,
    )
    link = reverse("visits:detail", args=[visit.pk])
    assert link in login(reception).get(BOARD, {"day": "2026-12-10"}).text
    page = login(org["director"]).get(BOARD, {"day": "2026-12-10"}).text
    assert visit.customer.name in page and link not in page
