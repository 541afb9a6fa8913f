"""Reads for the reception day board and the drivers' "my trips" page.

Rows are read directly (bookings, transfers, meetings) so the board does not depend on
how each area's services evolve. Every read is one query whatever the number of rows:
the board is a fixed handful of queries, grouped into lanes in Python.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.utils import timezone

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import is_admin, role_of
from visitflow.logistics.models import (
    Booking,
    BookingStatus,
    LeaderMeeting,
    MeetingState,
    Room,
    RoomKind,
    Transfer,
    TransferState,
    Vehicle,
)
from visitflow.visits.models import Visitor

# The board's time axis: reception's working day (earliest pickups to late arrivals).
AXIS_START_HOUR = 6
AXIS_END_HOUR = 24

# Reception and admin keep the board; directors and the general manager read it (they
# see every customer anyway). Sales managers and salespeople do not: the board names
# every customer of the day, beyond their team's (visit visibility, issue 4).
BOARD_ROLES = frozenset({Role.RECEPTION, Role.ADMIN, Role.DIRECTOR, Role.GENERAL_MANAGER})
BOARD_MANAGE_ROLES = frozenset({Role.RECEPTION, Role.ADMIN})


def can_view_board(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (is_admin(user) or role_of(user) in BOARD_ROLES)


def can_manage_board(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (is_admin(user) or role_of(user) in BOARD_MANAGE_ROLES)


def can_view_my_trips(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and role_of(user) == Role.DRIVER


@dataclass
class Block:
    """One booking (or a meeting not yet booked) drawn on a lane."""

    starts_at: datetime
    ends_at: datetime
    purpose: str
    customer: str
    escort: str
    visit_id: int | None
    left: float = 0.0  # percent of the axis
    width: float = 0.0
    clash: bool = False
    tentative: bool = False  # a leader meeting asked for but not accepted yet
    cut_start: bool = False  # begins before the axis
    cut_end: bool = False  # runs past the axis


@dataclass
class Lane:
    kind: str  # vehicle, room, person
    key: int
    label: str
    detail: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def has_clash(self) -> bool:
        return any(b.clash for b in self.blocks)


@dataclass
class BoardDay:
    day: date
    vehicle_lanes: list[Lane]
    room_lanes: list[Lane]
    person_lanes: list[Lane]
    transfers: list[Transfer]

    @property
    def clash_count(self) -> int:
        lanes = [*self.vehicle_lanes, *self.room_lanes, *self.person_lanes]
        return sum(1 for lane in lanes if lane.has_clash)


@dataclass
class Board:
    days: list[BoardDay]
    hours: list[int]


def _axis(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time(AXIS_START_HOUR), tzinfo=tz)
    return start, start + timedelta(hours=AXIS_END_HOUR - AXIS_START_HOUR)


def day_bounds(first: date, days: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    return start, datetime.combine(first + timedelta(days=days), time.min, tzinfo=tz)


def mark_clashes(blocks: list[Block]) -> None:
    """Flag every block that shares an instant with another in the same lane. The
    booking engine forbids it; the board still shows it if the data ever has it."""
    blocks.sort(key=lambda b: (b.starts_at, b.ends_at))
    latest: Block | None = None
    for block in blocks:
        if latest is not None and block.starts_at < latest.ends_at:
            block.clash = latest.clash = True
        if latest is None or block.ends_at > latest.ends_at:
            latest = block


def _place(block: Block, axis_start: datetime, axis_end: datetime) -> Block:
    span = (axis_end - axis_start).total_seconds()
    start = max(block.starts_at, axis_start)
    end = min(block.ends_at, axis_end)
    block.cut_start = block.starts_at < axis_start
    block.cut_end = block.ends_at > axis_end
    block.left = round((start - axis_start).total_seconds() / span * 100, 3)
    block.width = round(max((end - start).total_seconds() / span * 100, 0.8), 3)
    return block


def _booking_block(booking: Booking) -> Block:
    visit = booking.visit
    escort = ""
    if booking.transfer_id and booking.transfer is not None:
        escort = str(booking.transfer.escort)
    elif visit is not None:
        escort = str(visit.host)
    purpose = booking.get_purpose_display()
    if booking.leader_meeting_id and booking.leader_meeting is not None:
        purpose = f"{purpose} · {booking.leader_meeting.leader}"
    return Block(
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        purpose=str(purpose),
        customer=visit.customer.name if visit is not None else booking.note,
        escort=escort,
        visit_id=booking.visit_id,
    )


def _lanes_for_day(
    lanes: Iterable[tuple[int, str, str]],
    kind: str,
    blocks_by_key: dict[int, list[Block]],
    day: date,
    keep_empty: bool,
) -> list[Lane]:
    axis_start, axis_end = _axis(day)
    day_start, day_end = day_bounds(day, 1)
    result = []
    for key, label, detail in lanes:
        blocks = [
            _place(Block(**{**b.__dict__}), axis_start, axis_end)
            for b in blocks_by_key.get(key, [])
            if b.starts_at < day_end and b.ends_at > day_start
        ]
        mark_clashes(blocks)
        if blocks or keep_empty:
            result.append(Lane(kind=kind, key=key, label=label, detail=detail, blocks=blocks))
    return result


def board_for(first: date, days: int = 1) -> Board:
    """All cars, rooms and people booked from `first` for `days` days: five queries."""
    start, end = day_bounds(first, days)
    vehicles = list(Vehicle.objects.filter(is_active=True).select_related("default_driver"))
    # The showroom and reception rooms first: the rooms reception books most.
    kind_order = {kind: n for n, kind in enumerate(RoomKind.values)}
    rooms = sorted(
        Room.objects.filter(is_active=True), key=lambda r: (kind_order.get(r.kind, 99), r.name)
    )
    bookings = list(
        Booking.objects.filter(status=BookingStatus.ACTIVE, starts_at__lt=end, ends_at__gt=start)
        .select_related(
            "vehicle",
            "room",
            "person",
            "visit__customer",
            "visit__host",
            "transfer__escort",
            "leader_meeting__leader",
        )
        .order_by("starts_at", "id")
    )
    # Meetings asked for but not yet accepted hold no booking: drawn as tentative.
    pending = list(
        LeaderMeeting.objects.filter(
            state__in=[MeetingState.REQUESTED, MeetingState.OTHER_TIME],
            starts_at__lt=end,
            ends_at__gt=start,
        ).select_related("leader", "visit__customer", "visit__host")
    )
    transfers = list(
        Transfer.objects.filter(leaves_at__lt=end, back_at__gt=start)
        .select_related("visit__customer", "leg", "station", "vehicle", "driver", "escort")
        .order_by("leaves_at", "id")
    )

    by_vehicle: dict[int, list[Block]] = defaultdict(list)
    by_room: dict[int, list[Block]] = defaultdict(list)
    by_person: dict[int, list[Block]] = defaultdict(list)
    people: dict[int, User] = {}
    for booking in bookings:
        block = _booking_block(booking)
        if booking.vehicle_id:
            by_vehicle[booking.vehicle_id].append(block)
        elif booking.room_id:
            by_room[booking.room_id].append(block)
        elif booking.person_id and booking.person is not None:
            by_person[booking.person_id].append(block)
            people[booking.person_id] = booking.person
    for meeting in pending:
        by_person[meeting.leader_id].append(
            Block(
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                purpose=str(meeting.get_state_display()),
                customer=meeting.visit.customer.name,
                escort=str(meeting.visit.host),
                visit_id=meeting.visit_id,
                tentative=True,
            )
        )
        people[meeting.leader_id] = meeting.leader

    vehicle_rows = [(v.pk, v.plate, f"{v.model_name} · {v.seats}".strip(" ·")) for v in vehicles]
    # A car or room booked but since deactivated still shows, so nothing hides.
    known = {v.pk for v in vehicles}
    for booking in bookings:
        if booking.vehicle_id and booking.vehicle_id not in known and booking.vehicle:
            known.add(booking.vehicle_id)
            vehicle_rows.append((booking.vehicle_id, booking.vehicle.plate, ""))
    room_rows = [(r.pk, r.name, r.get_kind_display()) for r in rooms]
    known = {r.pk for r in rooms}
    for booking in bookings:
        if booking.room_id and booking.room_id not in known and booking.room:
            known.add(booking.room_id)
            room_rows.append((booking.room_id, booking.room.name, ""))
    person_rows = sorted(
        ((pk, str(p), p.get_role_display()) for pk, p in people.items()), key=lambda r: r[1]
    )

    board_days = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        day_start, day_end = day_bounds(day, 1)
        board_days.append(
            BoardDay(
                day=day,
                vehicle_lanes=_lanes_for_day(vehicle_rows, "vehicle", by_vehicle, day, True),
                room_lanes=_lanes_for_day(room_rows, "room", by_room, day, True),
                person_lanes=_lanes_for_day(person_rows, "person", by_person, day, False),
                transfers=[t for t in transfers if t.leaves_at < day_end and t.back_at > day_start],
            )
        )
    return Board(days=board_days, hours=list(range(AXIS_START_HOUR, AXIS_END_HOUR)))


def my_trips(driver: User, today: date) -> list[Transfer]:
    """The driver's transfers today and tomorrow, with the party's names (two queries)."""
    start, end = day_bounds(today, 2)
    return list(
        Transfer.objects.filter(driver=driver, leaves_at__lt=end, back_at__gt=start)
        .exclude(state=TransferState.CANCELLED)
        .select_related("visit", "leg", "station", "vehicle", "escort")
        .prefetch_related(
            Prefetch(
                "visit__visitors",
                queryset=Visitor.objects.order_by("position", "id").only("visit_id", "name"),
            )
        )
        .order_by("leaves_at", "id")
    )
