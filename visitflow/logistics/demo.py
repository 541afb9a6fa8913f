"""Demo logistics (used by `seed_demo`, after the demo visits): the company's cars, rooms,
stations and gift stock, and today's and tomorrow's pickups, see-offs, tours and leader
meetings for the demo visits, so the dispatch board shows a believable day.

Idempotent: resources are keyed by plate or name; a leg's transfer by (leg, kind), which
the model keeps unique; a visit's tour and leader meeting by the visit. Transfers are
planned and moved through the transfer service (the escort moves them as far as the clock
says), rooms and leaders' time through the booking engine, so the demo never holds a
double booking.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from visitflow.accounts.models import Role, User
from visitflow.logistics.models import (
    Booking,
    BookingPurpose,
    BookingStatus,
    GiftItem,
    LeaderMeeting,
    MeetingState,
    MessageChannel,
    Room,
    RoomKind,
    Station,
    StationKind,
    StockMovement,
    Transfer,
    TransferKind,
    TransferState,
    Vehicle,
)
from visitflow.logistics.services import transfers
from visitflow.logistics.services.bookings import BookingConflict, booking_create, overlapping
from visitflow.visits.models import LegDirection, TravelLeg, TravelMode, Visit, VisitStatus

# plate, model, seats (the driver's included)
VEHICLES = [
    ("粤B·12345", "丰田凯美瑞", 5),
    ("粤B·D12345", "比亚迪汉 EV", 5),
    ("粤B·36821", "别克GL8", 7),
    ("粤B·58Q27", "丰田埃尔法", 7),
    ("粤B·90736", "丰田考斯特", 14),
]
# name, kind, capacity
ROOMS = [
    ("产品展厅", RoomKind.SHOWROOM, 30),
    ("一号接待室", RoomKind.RECEPTION, 8),
    ("二号接待室", RoomKind.RECEPTION, 8),
    ("三号接待室", RoomKind.RECEPTION, 12),
    ("总经理办公室", RoomKind.OFFICE, 6),
    ("销售总监办公室", RoomKind.OFFICE, 4),
]
# name, English name, kind, minutes to the company, advice (zh), advice (en)
STATIONS = [
    (
        "深圳宝安国际机场 T3",
        "Shenzhen Bao'an International Airport T3",
        StationKind.AIRPORT,
        40,
        "乘地铁11号线（机场线）至南山站，换乘出租车约10分钟到公司；或在T3到达层出租车候车区打车，约40分钟。",
        "Take Metro Line 11 (airport line) to Nanshan, then a 10-minute taxi; or a taxi from "
        "the T3 arrivals taxi rank, about 40 minutes.",
    ),
    (
        "深圳北站",
        "Shenzhen North Railway Station",
        StationKind.RAILWAY,
        30,
        "乘地铁5号线至西丽站，换乘出租车约8分钟；或在东广场出租车站打车，约30分钟。",
        "Take Metro Line 5 to Xili, then an 8-minute taxi; or a taxi from the East Square "
        "taxi rank, about 30 minutes.",
    ),
    (
        "广州白云国际机场",
        "Guangzhou Baiyun International Airport",
        StationKind.AIRPORT,
        150,
        "乘机场大巴至广州南站，换乘高铁至深圳北站（约30分钟），我们在深圳北站接您。",
        "Take the airport bus to Guangzhou South, then the high-speed train to Shenzhen "
        "North (about 30 minutes); we meet you there.",
    ),
    (
        "广州南站",
        "Guangzhou South Railway Station",
        StationKind.RAILWAY,
        90,
        "乘广深港高铁至深圳北站（约30分钟），我们在深圳北站接您。",
        "Take the high-speed train to Shenzhen North (about 30 minutes); we meet you there.",
    ),
    (
        "北京首都国际机场 T3",
        "Beijing Capital International Airport T3",
        StationKind.AIRPORT,
        60,
        "乘机场快轨至东直门，换乘地铁至北京办事处；或在T3出租车站打车，约60分钟。",
        "Take the Airport Express to Dongzhimen and the metro to the Beijing office; or a "
        "taxi from the T3 rank, about 60 minutes.",
    ),
    (
        "北京西站",
        "Beijing West Railway Station",
        StationKind.RAILWAY,
        45,
        "乘地铁9号线转1号线至北京办事处；或在北广场出租车站打车，约45分钟。",
        "Take Metro Line 9 and Line 1 to the Beijing office; or a taxi from the North Square "
        "rank, about 45 minutes.",
    ),
]
# The demo visits' short place names (visitflow/visits/demo.py) and the stations above.
STATION_ALIASES = {
    "深圳宝安T3": "深圳宝安国际机场 T3",
    "深圳北": "深圳北站",
    "广州南": "广州南站",
    "北京首都T3": "北京首都国际机场 T3",
    "北京西": "北京西站",
}
# name, unit value (CNY), opening stock
GIFTS = [
    ("公司定制茶具", Decimal("368.00"), 40),
    ("企业画册礼盒", Decimal("88.00"), 120),
    ("特产礼盒", Decimal("198.00"), 60),
    ("定制保温杯", Decimal("128.00"), 80),
]


@dataclass
class LogisticsSummary:
    vehicles_created: int = 0
    rooms_created: int = 0
    stations_created: int = 0
    gifts_created: int = 0
    transfers_created: int = 0
    bookings_created: int = 0
    meetings_created: int = 0


def _ensure_resources(driver: User | None, actor: User | None, summary: LogisticsSummary) -> None:
    for plate, model_name, seats in VEHICLES:
        _, created = Vehicle.objects.get_or_create(
            plate=plate,
            defaults={"model_name": model_name, "seats": seats, "default_driver": driver},
        )
        summary.vehicles_created += created
    for name, kind, capacity in ROOMS:
        _, created = Room.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "capacity": capacity,
                "tour_allowed": kind != RoomKind.OFFICE,  # SOP 5.1: offices are not toured
            },
        )
        summary.rooms_created += created
    for name, name_en, station_kind, minutes, advice, advice_en in STATIONS:
        _, created = Station.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "kind": station_kind,
                "travel_minutes": minutes,
                "no_car_advice": advice,
                "no_car_advice_en": advice_en,
            },
        )
        summary.stations_created += created
    for name, value, stock in GIFTS:
        item, created = GiftItem.objects.get_or_create(
            name=name, defaults={"unit_value": value, "stock": stock}
        )
        if created:
            StockMovement.objects.create(
                item=item, change=stock, stock_after=stock, note="期初库存", by=actor
            )
        summary.gifts_created += created


def _station_for(place: str, stations: dict[str, Station]) -> Station | None:
    return stations.get(STATION_ALIASES.get(place, place))


def _book(summary: LogisticsSummary, actor: User | None, **kwargs: object) -> Booking | None:
    """Book through the engine; in the demo a busy resource is simply left out."""
    try:
        booking = booking_create(actor=actor, **kwargs)  # type: ignore[arg-type]
    except BookingConflict:
        return None
    summary.bookings_created += 1
    return booking


def _advance(transfer: Transfer, now: datetime) -> None:
    """Move the transfer as far as the clock says it got, through the services and as
    its escort: today's are told to the customer, those under way set out, met, done."""
    escort = transfer.escort
    today = timezone.localdate(transfer.leaves_at) == timezone.localdate(now)
    if not today and transfer.leaves_at > now:
        return
    transfers.transfer_message_send(
        actor=escort,
        transfer=transfer,
        channel=MessageChannel.WECHAT,
        text=transfers.transfer_message_text(transfer),
    )
    arrival = transfers.leg_time(transfer.leg, transfer.kind)
    steps = [
        (transfer.leaves_at, transfers.transfer_set_out),
        (arrival, transfers.transfer_meet),
        (transfer.back_at, transfers.transfer_finish),
    ]
    for moment, move in steps:
        if moment > now:
            return
        move(actor=escort, transfer=transfer)


def _plan_transfer(
    leg: TravelLeg,
    kind: str,
    station: Station,
    actor: User,
    driver: User | None,
    summary: LogisticsSummary,
) -> Transfer | None:
    """Plan through the transfer service, with the smallest free car that seats everyone
    and its driver when free; with no car free, "no company car" (the advice is sent)."""
    visit = leg.visit
    leaves_at, back_at = transfers.transfer_window(
        leg=leg, kind=kind, travel_minutes=station.travel_minutes
    )
    if (
        driver is not None
        and overlapping(starts_at=leaves_at, ends_at=back_at, person=driver).exists()
    ):
        driver = None
    seats = transfers.seats_needed(visit=visit, escort=visit.host, driver=driver)
    car = (
        transfers.free_vehicles(starts_at=leaves_at, ends_at=back_at, seats=seats)
        .order_by("seats", "plate")
        .first()
    )
    meeting_point = "T3 到达层 A 出口" if station.kind == StationKind.AIRPORT else "东广场出站口"
    attempts = [(car, driver if car else None), (None, None)]
    for vehicle, car_driver in attempts:
        try:
            transfer = transfers.transfer_plan(
                actor=actor,
                visit=visit,
                leg=leg,
                kind=kind,
                vehicle=vehicle,
                driver=car_driver,
                meeting_point=meeting_point if kind == TransferKind.PICKUP else "",
                station=station,
            )
        except BookingConflict:
            continue  # the escort is busy then: try without a car, else leave it out
        summary.transfers_created += 1
        summary.bookings_created += transfer.bookings.count()
        _advance(transfer, timezone.now())
        return transfer
    return None


def _plan_tour(
    visit: Visit,
    at_company: datetime,
    rooms: list[Room],
    actor: User | None,
    summary: LogisticsSummary,
) -> Booking | None:
    # Tea and welcome first, then the showroom (SOP 5.1 公司参观); offices are never offered.
    starts = at_company + timedelta(minutes=30)
    ends = starts + timedelta(hours=1)
    if ends > visit.ends_at:
        return None
    for room in rooms:
        booking = _book(
            summary,
            actor,
            room=room,
            starts_at=starts,
            ends_at=ends,
            visit=visit,
            purpose=BookingPurpose.TOUR,
        )
        if booking is not None:
            return booking
    return None


def _plan_meeting(
    visit: Visit,
    starts: datetime,
    leader: User,
    state: str,
    rooms: list[Room],
    actor: User | None,
    summary: LogisticsSummary,
) -> None:
    ends = starts + timedelta(minutes=45)
    room = next(
        (r for r in rooms if not overlapping(starts_at=starts, ends_at=ends, room=r).exists()),
        None,
    )
    meeting = LeaderMeeting.objects.create(
        visit=visit,
        leader=leader,
        requested_by=visit.host,
        starts_at=starts,
        ends_at=ends,
        room=room,
        state=state,
    )
    summary.meetings_created += 1
    if state != MeetingState.ACCEPTED:
        return
    common = {
        "starts_at": starts,
        "ends_at": ends,
        "visit": visit,
        "leader_meeting": meeting,
        "purpose": BookingPurpose.LEADER_MEETING,
    }
    _book(summary, actor, person=leader, **common)
    if room is not None:
        _book(summary, actor, room=room, **common)


@transaction.atomic
def seed_demo_logistics() -> LogisticsSummary:
    summary = LogisticsSummary()
    users = {u.username: u for u in User.objects.filter(username__in=["driver", "reception"])}
    driver = users.get("driver")
    actor = users.get("reception")
    _ensure_resources(driver, actor, summary)
    if actor is None:
        return summary  # no demo company: nothing to plan for

    stations = {s.name: s for s in Station.objects.filter(is_active=True)}
    tour_rooms = list(
        Room.objects.filter(is_active=True, tour_allowed=True).order_by("kind", "name")
    )
    reception_rooms = [r for r in tour_rooms if r.kind == RoomKind.RECEPTION]

    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    end = start + timedelta(days=2)
    live = [VisitStatus.CONFIRMED, VisitStatus.IN_PROGRESS, VisitStatus.DEPARTED]
    legs = _legs_between(start, end, live)

    arrivals: dict[int, datetime] = {}
    for leg in legs:
        kind = (
            TransferKind.PICKUP if leg.direction == LegDirection.INBOUND else TransferKind.SEE_OFF
        )
        station = _station_for(
            leg.to_place if kind == TransferKind.PICKUP else leg.from_place, stations
        )
        if station is None:
            continue
        existing = (
            Transfer.objects.filter(leg=leg, kind=kind)
            .exclude(state=TransferState.CANCELLED)
            .first()
        )
        transfer = existing or _plan_transfer(leg, kind, station, actor, driver, summary)
        if transfer is not None and kind == TransferKind.PICKUP:
            arrivals[leg.visit_id] = transfer.back_at

    visits = list(
        Visit.objects.filter(status__in=live, starts_at__gte=start, starts_at__lt=end)
        .select_related("host", "customer")
        .order_by("starts_at", "pk")
    )
    leaders = {u.role: u for u in User.objects.filter(username__in=["gm", "director"])}
    for n, visit in enumerate(visits):
        if not Booking.objects.filter(
            visit=visit, purpose=BookingPurpose.TOUR, status=BookingStatus.ACTIVE
        ).exists():
            _plan_tour(visit, arrivals.get(visit.pk, visit.starts_at), tour_rooms, actor, summary)
        if n < 2 and not LeaderMeeting.objects.filter(visit=visit).exists():
            # The first visit is met by the general manager (accepted, booked); the second
            # is asked of the director, not answered yet (tentative on the board).
            leader = leaders.get(Role.GENERAL_MANAGER if n == 0 else Role.DIRECTOR)
            starts = arrivals.get(visit.pk, visit.starts_at) + timedelta(minutes=100)
            if leader is not None and starts + timedelta(minutes=45) <= visit.ends_at:
                state = MeetingState.ACCEPTED if n == 0 else MeetingState.REQUESTED
                _plan_meeting(visit, starts, leader, state, reception_rooms, actor, summary)
    return summary


def _legs_between(start: datetime, end: datetime, live: Sequence[str]) -> list[TravelLeg]:
    inbound = TravelLeg.objects.filter(
        direction=LegDirection.INBOUND, arrives_at__gte=start, arrives_at__lt=end
    )
    outbound = TravelLeg.objects.filter(
        direction=LegDirection.OUTBOUND, departs_at__gte=start, departs_at__lt=end
    )
    return list(
        (inbound | outbound)
        .filter(visit__status__in=live, mode__in=[TravelMode.FLIGHT, TravelMode.TRAIN])
        .select_related("visit__host")
        .order_by("arrives_at", "pk")
    )
