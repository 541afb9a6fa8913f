"""The booking engine: no two active bookings of one resource overlap, whatever the order
or the timing of the requests (issue 4, "Booking engine")."""

import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories.people import make_user
from tests.factories.visits import local, make_visit
from visitflow.accounts.models import Role, User
from visitflow.core.exceptions import ApplicationError
from visitflow.logistics.models import (
    Booking,
    BookingPurpose,
    BookingStatus,
    Room,
    RoomKind,
    Vehicle,
)
from visitflow.logistics.services.bookings import (
    BookingConflict,
    booking_cancel,
    booking_create,
    booking_move,
    overlapping,
)

START = local(2026, 12, 10, 9)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def _car(plate: str = "粤B·12345") -> Vehicle:
    return Vehicle.objects.create(plate=plate, model_name="别克GL8", seats=7)


def _room(name: str = "一号接待室") -> Room:
    return Room.objects.create(name=name, kind=RoomKind.RECEPTION)


# --- Overlap rules ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["vehicle", "room", "person"])
def test_overlap_refused_touching_allowed_for_every_kind(org: dict[str, Any], kind: str) -> None:
    resource = {"vehicle": {"vehicle": _car()}, "room": {"room": _room()}}.get(
        kind, {"person": org["east_sales"]}
    )
    actor = org["reception"]
    first = booking_create(actor=actor, starts_at=START, ends_at=START + hours(2), **resource)

    for start, end in [
        (START + hours(1), START + hours(3)),  # overlaps the end
        (START - hours(1), START + hours(1)),  # overlaps the start
        (START + hours(0.5), START + hours(1)),  # inside
        (START - hours(1), START + hours(3)),  # around
        (START, START + hours(2)),  # the same range
    ]:
        with pytest.raises(BookingConflict) as info:
            booking_create(actor=actor, starts_at=start, ends_at=end, **resource)
        assert info.value.other == first

    # Back to back on either side is fine: ranges are half-open [start, end).
    booking_create(actor=actor, starts_at=START + hours(2), ends_at=START + hours(3), **resource)
    booking_create(actor=actor, starts_at=START - hours(1), ends_at=START, **resource)
    assert Booking.objects.filter(status=BookingStatus.ACTIVE).count() == 3


@pytest.mark.django_db
def test_different_resources_do_not_collide(org: dict[str, Any]) -> None:
    actor = org["reception"]
    car1, car2 = _car("粤B·12345"), _car("粤B·D12345")
    room = _room()
    for resource in (
        {"vehicle": car1},
        {"vehicle": car2},
        {"room": room},
        {"person": org["east_sales"]},
        {"person": org["south_sales"]},
    ):
        booking_create(actor=actor, starts_at=START, ends_at=START + hours(2), **resource)
    assert Booking.objects.count() == 5


@pytest.mark.django_db
def test_cancelled_bookings_are_ignored(org: dict[str, Any]) -> None:
    actor = org["reception"]
    car = _car()
    first = booking_create(actor=actor, vehicle=car, starts_at=START, ends_at=START + hours(2))
    booking_cancel(actor=actor, booking=first)
    second = booking_create(actor=actor, vehicle=car, starts_at=START, ends_at=START + hours(2))
    assert list(overlapping(vehicle=car, starts_at=START, ends_at=START + hours(2))) == [second]
    # Cancelling twice changes nothing; a cancelled booking cannot be moved.
    booking_cancel(actor=actor, booking=first)
    with pytest.raises(ApplicationError):
        booking_move(actor=actor, booking=first, starts_at=START, ends_at=START + hours(1))


@pytest.mark.django_db
def test_move_into_another_booking_is_refused_and_nothing_changes(org: dict[str, Any]) -> None:
    actor = org["reception"]
    room = _room()
    morning = booking_create(actor=actor, room=room, starts_at=START, ends_at=START + hours(2))
    afternoon = booking_create(
        actor=actor, room=room, starts_at=START + hours(4), ends_at=START + hours(6)
    )
    with pytest.raises(BookingConflict) as info:
        booking_move(
            actor=actor, booking=afternoon, starts_at=START + hours(1), ends_at=START + hours(5)
        )
    assert info.value.other == morning
    afternoon.refresh_from_db()
    assert afternoon.starts_at == START + hours(4)
    # Moving within its own range never collides with itself.
    booking_move(
        actor=actor, booking=afternoon, starts_at=START + hours(3), ends_at=START + hours(5)
    )
    afternoon.refresh_from_db()
    assert afternoon.starts_at == START + hours(3)


@pytest.mark.django_db
def test_conflict_message_names_resource_time_and_customer(org: dict[str, Any]) -> None:
    actor = org["reception"]
    visit = make_visit(actor=org["east_sales"])
    car = _car()
    booking_create(
        actor=actor,
        vehicle=car,
        starts_at=START,
        ends_at=START + hours(2),
        purpose=BookingPurpose.PICKUP,
        visit=visit,
    )
    with pytest.raises(BookingConflict) as info:
        booking_create(
            actor=actor, vehicle=car, starts_at=START + hours(1), ends_at=START + hours(3)
        )
    message = info.value.message
    assert "粤B·12345" in message
    assert "09:00" in message and "11:00" in message
    assert str(visit.customer) in message
    assert info.value.field_errors == {"__all__": [message]}


@pytest.mark.django_db
@pytest.mark.parametrize("length", [hours(-1), timedelta(0)])
def test_end_not_after_start_is_refused(org: dict[str, Any], length: timedelta) -> None:
    with pytest.raises(ApplicationError) as info:
        booking_create(
            actor=org["reception"], vehicle=_car(), starts_at=START, ends_at=START + length
        )
    assert not isinstance(info.value, BookingConflict)
    assert "ends_at" in info.value.field_errors
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_exactly_one_resource(org: dict[str, Any]) -> None:
    with pytest.raises(ApplicationError):
        booking_create(actor=org["reception"], starts_at=START, ends_at=START + hours(1))
    with pytest.raises(ApplicationError):
        booking_create(
            actor=org["reception"],
            vehicle=_car(),
            room=_room(),
            starts_at=START,
            ends_at=START + hours(1),
        )


# --- Real concurrency ------------------------------------------------------------------


def _race(
    threads: int, car: Vehicle, actor: User, database: dict[str, Any] | None = None
) -> list[tuple[str, Any]]:
    """`threads` threads, each on its own connection, released together by a barrier, ask
    for the same car over ranges that all overlap each other. With `database` (SQLite
    settings), each thread's default connection is a new connection to that database."""
    barrier = threading.Barrier(threads)
    results: list[tuple[str, Any]] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        outcome: tuple[str, Any]
        if database:
            # The connection handler is thread-local: this replaces "default" here only.
            connections[DEFAULT_DB_ALIAS] = SQLiteWrapper(dict(database), alias="race")
        try:
            barrier.wait(timeout=60)
            start = START + timedelta(minutes=i % 30)
            booking = booking_create(
                actor=actor, vehicle=car, starts_at=start, ends_at=start + hours(2)
            )
            outcome = ("won", booking.pk)
        except BookingConflict as exc:
            outcome = ("conflict", exc.other.pk if exc.other else None)
        except Exception as exc:  # any other failure fails the test below
            outcome = ("error", repr(exc))
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    workers = [threading.Thread(target=attempt, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return results


def _assert_one_winner(results: list[tuple[str, Any]], threads: int) -> list[Any]:
    assert len(results) == threads
    assert [r for r in results if r[0] == "error"] == []
    winners = [pk for outcome, pk in results if outcome == "won"]
    assert len(winners) == 1
    # Every loser was told which booking is in the way: the winner.
    assert {pk for outcome, pk in results if outcome == "conflict"} == set(winners)
    return winners


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_requests_for_one_car_exactly_one_wins(tmp_path: Path) -> None:
    actor = make_user(role=Role.RECEPTION)
    car = _car()
    if connection.vendor == "postgresql":
        # The exclusion constraint decides; 50 requests released at once.
        _assert_one_winner(_race(50, car, actor), 50)
        assert Booking.objects.filter(vehicle=car, status=BookingStatus.ACTIVE).count() == 1
        return
    if not connection.is_in_memory_db():
        _assert_one_winner(_race(8, car, actor), 8)
        assert Booking.objects.filter(vehicle=car, status=BookingStatus.ACTIVE).count() == 1
        return
    # Threads on the shared-cache in-memory test database do not queue on the write lock
    # (shared-cache table locks fail at once: "database table is locked"), unlike the
    # file database VisitFlow runs on. So the race runs on a file copy of the test
    # database, with the same options (IMMEDIATE transactions, WAL, busy timeout).
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    database = {**connections.settings[DEFAULT_DB_ALIAS], "NAME": str(path)}
    _assert_one_winner(_race(8, car, actor, database), 8)
    with sqlite3.connect(path) as db:
        active = db.execute(
            "SELECT count(*) FROM logistics_booking WHERE vehicle_id = ? AND status = 'active'",
            [car.pk],
        ).fetchone()[0]
    assert active == 1


# --- Property: random create/move/cancel keeps the invariant ---------------------------

SLOT = timedelta(minutes=30)

operation = st.one_of(
    st.tuples(
        st.just("create"),
        st.sampled_from(["vehicle", "room", "person"]),
        st.integers(0, 20),
        st.integers(-1, 6),
    ),
    st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 20), st.integers(-1, 6)),
    st.tuples(st.just("cancel"), st.integers(0, 30), st.just(0), st.just(0)),
)


def _overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, max_size=25))
def test_random_create_move_cancel_never_overlaps(
    org: dict[str, Any], ops: list[tuple[Any, ...]]
) -> None:
    actor = org["reception"]
    with transaction.atomic():
        resources = {
            "vehicle": {"vehicle": _car()},
            "room": {"room": _room()},
            "person": {"person": org["east_sales"]},
        }
        # A reference model of what should be active: pk -> (kind, start, end).
        model: dict[int, tuple[str, datetime, datetime]] = {}
        created: list[Booking] = []

        def free(kind: str, span: tuple[datetime, datetime], exclude: int | None) -> bool:
            return not any(
                k == kind and pk != exclude and _overlaps(span, (s, e))
                for pk, (k, s, e) in model.items()
            )

        for op, a, b, c in ops:
            start = START + b * SLOT
            end = start + c * SLOT
            try:
                if op == "create":
                    booking = booking_create(
                        actor=actor, starts_at=start, ends_at=end, **resources[a]
                    )
                    assert c > 0 and free(a, (start, end), None)
                    created.append(booking)
                    model[booking.pk] = (a, start, end)
                elif op == "move" and created:
                    booking = created[a % len(created)]
                    booking.refresh_from_db()
                    kind = booking.resource_kind
                    booking_move(actor=actor, booking=booking, starts_at=start, ends_at=end)
                    assert booking.pk in model and c > 0
                    assert free(kind, (start, end), booking.pk)
                    model[booking.pk] = (kind, start, end)
                elif op == "cancel" and created:
                    booking = created[a % len(created)]
                    booking_cancel(actor=actor, booking=booking)
                    model.pop(booking.pk, None)
            except BookingConflict:
                kind = a if op == "create" else booking.resource_kind
                assert not free(kind, (start, end), None if op == "create" else booking.pk)
            except ApplicationError:
                # End not after start, or moving a cancelled booking.
                assert c <= 0 or (op == "move" and booking.pk not in model)

            active = list(Booking.objects.filter(status=BookingStatus.ACTIVE))
            assert {bk.pk for bk in active} == set(model)
            for i, x in enumerate(active):
                for y in active[i + 1 :]:
                    if x.resource_kind == y.resource_kind and x.resource == y.resource:
                        assert not _overlaps((x.starts_at, x.ends_at), (y.starts_at, y.ends_at))
        transaction.set_rollback(True)
