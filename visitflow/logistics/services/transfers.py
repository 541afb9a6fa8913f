"""Pickups and see-offs (SOP 5.1 接车/送车): a window that follows the travel leg, the car,
driver and escort booked through the booking engine, the customer told, and the escort's
progress from the company to the meeting and back."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from visitflow.accounts.models import Role, User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.logistics.models import (
    Booking,
    BookingPurpose,
    BookingStatus,
    CustomerMessage,
    MessageTemplate,
    Station,
    Transfer,
    TransferKind,
    TransferState,
    Vehicle,
)
from visitflow.logistics.permissions import can_move_transfer, can_plan_transfer
from visitflow.logistics.services.bookings import booking_cancel, booking_create, booking_move
from visitflow.visits.models import LegDirection, TravelLeg, Visit, VisitStatus

# Meeting the party and loading their luggage at the station (SOP 5.1 接车).
MEETING_MINUTES = 30
ACTIVE_STATES = (
    TransferState.PLANNED,
    TransferState.CUSTOMER_TOLD,
    TransferState.ON_THE_WAY,
    TransferState.MET,
)

# Allowed moves, declared once; every transition service goes through _transition().
TRANSITIONS: dict[str, frozenset[str]] = {
    TransferState.PLANNED: frozenset({TransferState.CUSTOMER_TOLD, TransferState.CANCELLED}),
    TransferState.CUSTOMER_TOLD: frozenset({TransferState.ON_THE_WAY, TransferState.CANCELLED}),
    TransferState.ON_THE_WAY: frozenset({TransferState.MET, TransferState.CANCELLED}),
    TransferState.MET: frozenset({TransferState.DONE}),
    TransferState.DONE: frozenset(),
    TransferState.CANCELLED: frozenset(),
}
# The escort's one big button: the next step of the happy path.
NEXT_STATE: dict[str, str] = {
    TransferState.PLANNED: TransferState.CUSTOMER_TOLD,
    TransferState.CUSTOMER_TOLD: TransferState.ON_THE_WAY,
    TransferState.ON_THE_WAY: TransferState.MET,
    TransferState.MET: TransferState.DONE,
}


def transfer_for_leg(leg: TravelLeg) -> Transfer | None:
    return (
        Transfer.objects.filter(leg=leg)
        .exclude(state=TransferState.CANCELLED)
        .select_related("vehicle", "driver", "escort", "station")
        .first()
    )


# --- Window arithmetic -------------------------------------------------------------------


def kind_for_leg(leg: TravelLeg) -> str:
    return TransferKind.PICKUP if leg.direction == LegDirection.INBOUND else TransferKind.SEE_OFF


def leg_time(leg: TravelLeg, kind: str) -> datetime:
    """When the party is at the station: the (actual, if known) arrival for a pickup,
    the departure for a see-off."""
    if kind == TransferKind.PICKUP:
        return leg.expected_arrival
    return leg.departs_at or leg.arrives_at


def buffer_minutes() -> int:
    return int(getattr(settings, "PICKUP_BUFFER_MINUTES", 30))


def transfer_window(*, leg: TravelLeg, kind: str, travel_minutes: int) -> tuple[datetime, datetime]:
    """(leaves the company, back at the company)."""
    at = leg_time(leg, kind)
    travel = timedelta(minutes=travel_minutes)
    buffer = timedelta(minutes=buffer_minutes())
    if kind == TransferKind.PICKUP:
        # Arrive early by the buffer; wait for the party and their luggage, drive back.
        return at - travel - buffer, at + travel + timedelta(minutes=MEETING_MINUTES)
    # See-off: at the station the buffer before departure, then drive back.
    return at - buffer - travel, at - buffer + travel


def station_place(leg: TravelLeg, kind: str) -> str:
    return (leg.to_place if kind == TransferKind.PICKUP else leg.from_place).strip()


def station_for_leg(leg: TravelLeg, kind: str) -> Station | None:
    """The station named on the leg: exact name first, then the closest containing match."""
    place = station_place(leg, kind)
    if not place:
        return None
    stations = Station.objects.filter(is_active=True)
    exact = stations.filter(Q(name=place) | Q(name_en__iexact=place)).first()
    if exact is not None:
        return exact
    matches = [s for s in stations if s.name in place or place in s.name]
    return max(matches, key=lambda s: len(s.name), default=None)


def seats_needed(*, visit: Visit, escort: User, driver: User | None) -> int:
    party = max(visit.party_size, visit.visitors.count())
    return party + 1 + (1 if driver is not None and driver.pk != escort.pk else 0)


def free_vehicles(*, starts_at: datetime, ends_at: datetime, seats: int) -> QuerySet[Vehicle]:
    """Active cars with enough seats and no active booking overlapping the window."""
    busy = Booking.objects.filter(
        vehicle__isnull=False,
        status=BookingStatus.ACTIVE,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).values("vehicle_id")
    return Vehicle.objects.filter(is_active=True, seats__gte=seats).exclude(pk__in=busy)


def drivers() -> QuerySet[User]:
    return User.objects.filter(role=Role.DRIVER, is_active=True).order_by("username")


# --- Planning ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Resource:
    vehicle: Vehicle | None = None
    person: User | None = None
    purpose: str = BookingPurpose.OTHER


def _resources(transfer: Transfer) -> Iterable[_Resource]:
    if transfer.vehicle is not None:
        yield _Resource(vehicle=transfer.vehicle, purpose=transfer.kind)
    if transfer.driver is not None and transfer.driver_id != transfer.escort_id:
        yield _Resource(person=transfer.driver, purpose=BookingPurpose.DRIVER)
    yield _Resource(person=transfer.escort, purpose=BookingPurpose.ESCORT)


@transaction.atomic
def transfer_plan(
    *,
    actor: User,
    visit: Visit,
    leg: TravelLeg,
    kind: str,
    vehicle: Vehicle | None,
    driver: User | None = None,
    escort: User | None = None,
    escort_reason: str = "",
    meeting_point: str = "",
    station: Station | None = None,
) -> Transfer:
    if not can_plan_transfer(actor, visit):
        raise ApplicationError(_("You may not plan transfers for this visit."))
    if visit.status in (VisitStatus.CLOSED, VisitStatus.CANCELLED):
        raise ApplicationError(_("This visit is closed or cancelled; nothing is planned for it."))
    if leg.visit_id != visit.pk:
        raise ApplicationError(_("This journey belongs to another visit."))
    if kind != kind_for_leg(leg):
        msg = (
            _("A pickup belongs to an inbound journey.")
            if kind == TransferKind.PICKUP
            else _("A see-off belongs to an outbound journey.")
        )
        raise ApplicationError(msg)
    if Transfer.objects.filter(leg=leg, kind=kind).exclude(state=TransferState.CANCELLED).exists():
        raise ApplicationError(_("This journey already has a transfer; cancel it first."))
    # SOP 5.1: the host escorts; anyone else needs a reason, and the host phones meanwhile.
    # While a stand-in covers the visit (SOP 5.2), the stand-in is the host here.
    host = visit.acting_host
    escort = escort or host
    escort_reason = escort_reason.strip()
    if escort.pk != host.pk and not escort_reason:
        msg = _("Say why someone other than the host escorts the visitors.")
        raise ApplicationError(msg, field_errors={"escort_reason": [msg]})
    station = station or station_for_leg(leg, kind)
    if station is None:
        msg = _("Choose the station or airport: “%(place)s” is not a known station.") % {
            "place": station_place(leg, kind)
        }
        raise ApplicationError(msg, field_errors={"station": [msg]})
    if vehicle is not None:
        needed = seats_needed(visit=visit, escort=escort, driver=driver)
        if vehicle.seats < needed:
            msg = _(
                "%(vehicle)s has %(seats)d seats; the party, the escort and the driver need "
                "%(needed)d."
            ) % {"vehicle": vehicle.plate, "seats": vehicle.seats, "needed": needed}
            raise ApplicationError(msg, field_errors={"vehicle": [msg]})
    elif driver is not None:
        msg = _("A driver needs a car; leave the driver empty when there is no company car.")
        raise ApplicationError(msg, field_errors={"driver": [msg]})
    leaves_at, back_at = transfer_window(leg=leg, kind=kind, travel_minutes=station.travel_minutes)
    transfer = Transfer.objects.create(
        visit=visit,
        leg=leg,
        kind=kind,
        station=station,
        vehicle=vehicle,
        no_car=vehicle is None,
        driver=driver,
        escort=escort,
        escort_reason=escort_reason if escort.pk != host.pk else "",
        meeting_point=meeting_point.strip(),
        leaves_at=leaves_at,
        back_at=back_at,
    )
    # Any clash raises BookingConflict naming it; the atomic block then saves nothing.
    for resource in _resources(transfer):
        booking_create(
            actor=actor,
            starts_at=leaves_at,
            ends_at=back_at,
            vehicle=resource.vehicle,
            person=resource.person,
            purpose=resource.purpose,
            visit=visit,
            transfer=transfer,
        )
    log_activity(actor=actor, action="transfer.planned", obj=transfer, customer=visit.customer)
    return transfer


@transaction.atomic
def transfer_follow_leg(leg: TravelLeg, *, actor: User | None = None) -> list[Transfer]:
    """The leg's time changed (a delay entered as the actual arrival): move the window of
    its open transfers and their bookings. A clash raises BookingConflict naming it."""
    moved = []
    transfers = Transfer.objects.filter(leg=leg, state__in=ACTIVE_STATES).select_related(
        "station", "visit__customer"
    )
    for transfer in transfers:
        travel = transfer.station.travel_minutes if transfer.station else 0
        leaves_at, back_at = transfer_window(leg=leg, kind=transfer.kind, travel_minutes=travel)
        if (leaves_at, back_at) == (transfer.leaves_at, transfer.back_at):
            continue
        old = [str(transfer.leaves_at), str(transfer.back_at)]
        for booking in transfer.bookings.filter(status=BookingStatus.ACTIVE):
            booking_move(actor=actor, booking=booking, starts_at=leaves_at, ends_at=back_at)
        transfer.leaves_at, transfer.back_at = leaves_at, back_at
        transfer.save(update_fields=["leaves_at", "back_at", "updated"])
        log_activity(
            actor=actor,
            action="transfer.moved",
            obj=transfer,
            customer=transfer.visit.customer,
            changes={"window": [old, [str(leaves_at), str(back_at)]]},
        )
        moved.append(transfer)
    return moved


# --- The customer message -----------------------------------------------------------------


class _Blank(dict[str, str]):
    """An admin-edited template may name a placeholder we do not fill: leave it empty."""

    def __missing__(self, key: str) -> str:
        return ""


def message_language(language: str) -> str:
    return "en" if language.startswith("en") else "zh-hans"


def transfer_message_text(transfer: Transfer, *, language: str = "zh-hans") -> str:
    language = message_language(language)
    code = "pickup_no_car" if transfer.no_car else "pickup_car"
    template = (
        MessageTemplate.objects.filter(code=f"{transfer.kind}_{code.split('_', 1)[1]}")
        .filter(language=language)
        .first()
        or MessageTemplate.objects.filter(code=code, language=language).first()
    )
    if template is None:
        return ""
    at = timezone.localtime(leg_time(transfer.leg, transfer.kind))
    station = transfer.station
    english = language == "en"
    customer = transfer.visit.customer
    values = _Blank(
        customer=(customer.short_name or customer.name),
        date=date_format(at, "Y-m-d"),
        time=date_format(at, "H:i"),
        escort=str(transfer.escort),
        escort_phone=transfer.escort.mobile_display or transfer.escort.mobile,
        plate=transfer.vehicle.plate if transfer.vehicle else "",
        meeting_point=transfer.meeting_point,
        station=((station.name_en or station.name) if english else station.name) if station else "",
        advice=(
            (
                (station.no_car_advice_en or station.no_car_advice)
                if english
                else station.no_car_advice
            )
            if station
            else ""
        ),
        company=getattr(settings, "VISITFLOW_COMPANY_NAME", ""),
        flight=transfer.leg.number,
    )
    return template.text.format_map(values).strip()


# --- State transitions ---------------------------------------------------------------------


def _transition(actor: User, transfer: Transfer, to: str) -> Transfer:
    if not can_move_transfer(actor, transfer):
        raise ApplicationError(_("You may not change this transfer."))
    if to not in TRANSITIONS[transfer.state]:
        raise ApplicationError(
            _("A transfer that is “%(state)s” cannot become “%(to)s”.")
            % {"state": transfer.get_state_display(), "to": TransferState(to).label}
        )
    before = transfer.state
    transfer.state = to
    transfer.save(update_fields=["state", "updated"])
    log_activity(
        actor=actor,
        action=f"transfer.{to}",
        obj=transfer,
        customer=transfer.visit.customer,
        changes={"state": [before, to]},
    )
    return transfer


@transaction.atomic
def transfer_message_send(
    *, actor: User, transfer: Transfer, channel: str, text: str, language: str = "zh-hans"
) -> CustomerMessage:
    """Record that the customer was told (SOP 5.1 告之客户); the first time moves the
    transfer from planned to customer told."""
    text = text.strip()
    if not text:
        msg = _("The message is empty.")
        raise ApplicationError(msg, field_errors={"text": [msg]})
    if transfer.state == TransferState.CANCELLED:
        raise ApplicationError(_("This transfer is cancelled."))
    if transfer.state == TransferState.PLANNED:
        _transition(actor, transfer, TransferState.CUSTOMER_TOLD)
    elif not can_move_transfer(actor, transfer):
        raise ApplicationError(_("You may not change this transfer."))
    message = CustomerMessage.objects.create(
        visit=transfer.visit,
        transfer=transfer,
        channel=channel,
        language=message_language(language),
        text=text,
        sent_at=timezone.now(),
        sent_by=actor,
    )
    log_activity(
        actor=actor, action="transfer.message_sent", obj=message, customer=transfer.visit.customer
    )
    return message


@transaction.atomic
def transfer_set_out(*, actor: User, transfer: Transfer) -> Transfer:
    return _transition(actor, transfer, TransferState.ON_THE_WAY)


@transaction.atomic
def transfer_meet(*, actor: User, transfer: Transfer) -> Transfer:
    return _transition(actor, transfer, TransferState.MET)


@transaction.atomic
def transfer_finish(*, actor: User, transfer: Transfer) -> Transfer:
    return _transition(actor, transfer, TransferState.DONE)


@transaction.atomic
def transfer_cancel(*, actor: User, transfer: Transfer) -> Transfer:
    """Cancelling releases the car, the driver and the escort."""
    _transition(actor, transfer, TransferState.CANCELLED)
    for booking in transfer.bookings.filter(status=BookingStatus.ACTIVE):
        booking_cancel(actor=actor, booking=booking)
    return transfer


TRANSITION_SERVICES: dict[str, Callable[..., Transfer]] = {
    TransferState.ON_THE_WAY: transfer_set_out,
    TransferState.MET: transfer_meet,
    TransferState.DONE: transfer_finish,
    TransferState.CANCELLED: transfer_cancel,
}
