"""Reads for the party's page (issue 9). Everything the page shows is picked here, field
by field, into plain records: no internal note, no other customer, no staff beyond the
host, escorts and drivers (names and work phones), no database id."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from visitflow.core.validators import format_phone
from visitflow.logistics.models import (
    Booking,
    BookingPurpose,
    BookingStatus,
    LeaderMeeting,
    MeetingState,
    Transfer,
    TransferKind,
    TransferState,
)
from visitflow.portal.models import ChangeStatus, PortalChange, PortalLink
from visitflow.spend.models import LineStatus, SpendCategory, SpendLine
from visitflow.visits.models import LegDirection, TravelLeg, TravelMode, Visit, Visitor


@dataclass(frozen=True)
class Person:
    name: str
    phone: str


@dataclass(frozen=True)
class GuestTransfer:
    kind: str
    is_pickup: bool
    when: datetime
    place: str
    meeting_point: str
    escort: Person
    driver: Person | None
    plate: str
    car: str
    no_car: bool
    advice: str


@dataclass(frozen=True)
class ScheduleItem:
    starts_at: datetime
    ends_at: datetime | None
    title: str
    place: str = ""


@dataclass(frozen=True)
class GuestStay:
    """A hotel the company booked (a hotel line of the visit's spend plan, within the
    standard or approved): the hotel's name, the first night, nights and rooms."""

    hotel: str
    check_in: date
    check_out: date
    rooms: int
    room_type: str


@dataclass
class GuestItinerary:
    visit: Visit
    host: Person
    legs: list[TravelLeg]
    visitors: list[Visitor]
    transfers: list[GuestTransfer]
    schedule: list[ScheduleItem]
    stays: list[GuestStay] = field(default_factory=list)
    pending: list[PortalChange] = field(default_factory=list)
    answered: list[PortalChange] = field(default_factory=list)

    @property
    def inbound(self) -> list[TravelLeg]:
        return [leg for leg in self.legs if leg.direction == LegDirection.INBOUND]

    @property
    def outbound(self) -> list[TravelLeg]:
        return [leg for leg in self.legs if leg.direction == LegDirection.OUTBOUND]


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _person(user: object) -> Person:
    return Person(name=str(user), phone=getattr(user, "mobile", "") or "")


def _transfer(transfer: Transfer) -> GuestTransfer:
    station = transfer.station
    place = ""
    advice = ""
    if station is not None:
        place = station.name_en if _english() and station.name_en else station.name
        advice = station.no_car_advice_en if _english() and station.no_car_advice_en else ""
        advice = advice or station.no_car_advice
    is_pickup = transfer.kind == TransferKind.PICKUP
    leg = transfer.leg
    if is_pickup:
        when = leg.expected_arrival
        place = place or leg.to_place
    else:
        when = leg.departs_at or leg.arrives_at
        place = place or leg.from_place
    vehicle = transfer.vehicle
    return GuestTransfer(
        kind=transfer.get_kind_display(),
        is_pickup=is_pickup,
        when=when,
        place=place,
        meeting_point=transfer.meeting_point,
        escort=_person(transfer.escort),
        driver=_person(transfer.driver) if transfer.driver is not None else None,
        plate=vehicle.plate if vehicle is not None else "",
        car=vehicle.model_name if vehicle is not None else "",
        no_car=transfer.no_car,
        advice=advice if transfer.no_car else "",
    )


def _schedule(tours: list[Booking], meetings: list[LeaderMeeting]) -> list[ScheduleItem]:
    items = [
        ScheduleItem(
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            title=_("Company tour"),
            place=booking.room.name if booking.room is not None else "",
        )
        for booking in tours
    ]
    items.extend(
        ScheduleItem(
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            title=_("Meeting with the company's management"),
            place=meeting.room.name if meeting.room is not None else "",
        )
        for meeting in meetings
    )
    return sorted(items, key=lambda item: item.starts_at)


def guest_itinerary(link: PortalLink) -> GuestItinerary:
    """What the party's page shows, in a fixed number of queries."""
    visit = (
        Visit.objects.filter(pk=link.visit_id)
        .select_related("customer", "host", "stand_in")
        .prefetch_related(
            Prefetch("legs", queryset=TravelLeg.objects.order_by("arrives_at", "id")),
            Prefetch("visitors", queryset=Visitor.objects.order_by("position", "id")),
            Prefetch(
                "transfers",
                queryset=Transfer.objects.exclude(state=TransferState.CANCELLED)
                .select_related("leg", "station", "vehicle", "escort", "driver")
                .order_by("leaves_at", "id"),
            ),
            Prefetch(
                "leader_meetings",
                queryset=LeaderMeeting.objects.filter(state=MeetingState.ACCEPTED)
                .select_related("room")
                .order_by("starts_at", "id"),
            ),
        )
        .get()
    )
    tours = list(
        visit.bookings.filter(purpose=BookingPurpose.TOUR, status=BookingStatus.ACTIVE)
        .select_related("room")
        .order_by("starts_at", "id")
    )
    changes = list(changes_for_visit(visit))
    stays = [
        GuestStay(
            hotel=line.venue,
            check_in=line.date,
            check_out=line.date + timedelta(days=max(line.nights, 1)),
            rooms=line.rooms,
            room_type=line.get_room_type_display() if line.room_type else "",
        )
        for line in SpendLine.objects.filter(
            visit=visit,
            category=SpendCategory.HOTEL_NIGHT,
            status__in=[LineStatus.WITHIN, LineStatus.APPROVED],
        ).order_by("date", "id")
    ]
    return GuestItinerary(
        visit=visit,
        host=_person(visit.acting_host),
        legs=list(visit.legs.all()),
        visitors=list(visit.visitors.all()),
        transfers=[_transfer(t) for t in visit.transfers.all()],
        schedule=_schedule(tours, list(visit.leader_meetings.all())),
        stays=stays,
        pending=[c for c in changes if c.status == ChangeStatus.PENDING],
        answered=[c for c in changes if c.status != ChangeStatus.PENDING][:5],
    )


def changes_for_visit(visit: Visit) -> QuerySet[PortalChange]:
    return PortalChange.objects.filter(visit=visit).select_related("leg", "visitor", "decided_by")


def link_for_visit(visit: Visit) -> PortalLink | None:
    return PortalLink.objects.filter(visit=visit).first()


def pending_changes(visit: Visit) -> list[PortalChange]:
    return list(changes_for_visit(visit).filter(status=ChangeStatus.PENDING))


def change_get_for_visit(visit: Visit, pk: int) -> PortalChange | None:
    return changes_for_visit(visit).filter(pk=pk).first()


def change_rows(change: PortalChange) -> list[tuple[str, str]]:
    """The proposal as label/value lines, in the reader's language and time zone."""
    labels = {
        "direction": _("Direction"),
        "mode": _("Travel by"),
        "number": _("Flight / train number"),
        "from_place": _("From"),
        "to_place": _("To"),
        "departs_at": _("Departure"),
        "arrives_at": _("Arrival"),
        "name": _("Name"),
        "title": _("Title"),
        "mobile": _("Mobile phone"),
        "features": _("How to recognise them"),
    }
    choices = {**dict(LegDirection.choices), **dict(TravelMode.choices)}
    rows = []
    for key in labels:
        if key not in change.data:
            continue
        value = change.data[key]
        if key in ("departs_at", "arrives_at"):
            text = timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
        elif key in ("direction", "mode"):
            text = str(choices.get(value, value))
        elif key == "mobile":
            text = format_phone(value)
        else:
            text = str(value)
        rows.append((labels[key], text))
    return rows


def customer_language(visit: Visit) -> str:
    """The language of the last message the host sent this customer about the visit
    (SOP 5.1: escort details, apologies), as a hint for the party's page."""
    from visitflow.logistics.models import CustomerMessage

    language = (
        CustomerMessage.objects.filter(visit=visit)
        .order_by("-sent_at", "-id")
        .values_list("language", flat=True)
        .first()
    )
    return language or ""
