"""The booking engine: one vehicle, room or person over a time range, never twice."""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.accounts.selectors_absences import absence_text, absences_overlapping
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.logistics.models import (
    Booking,
    BookingPurpose,
    BookingStatus,
    LeaderMeeting,
    Room,
    Transfer,
    Vehicle,
)
from visitflow.visits.models import Visit


class BookingConflict(ApplicationError):
    """The resource is already booked for part of that time; `other` is the booking in the way."""

    def __init__(self, message: str, *, other: Booking | None) -> None:
        super().__init__(message, field_errors={"__all__": [message]})
        self.other = other


def _resource_filter(*, vehicle: Vehicle | None, room: Room | None, person: User | None) -> Q:
    if vehicle is not None:
        return Q(vehicle=vehicle)
    if room is not None:
        return Q(room=room)
    return Q(person=person)


def overlapping(
    *,
    starts_at: datetime,
    ends_at: datetime,
    vehicle: Vehicle | None = None,
    room: Room | None = None,
    person: User | None = None,
    exclude_pk: int | None = None,
) -> QuerySet[Booking]:
    """Active bookings of the resource that share any instant with [starts_at, ends_at)."""
    qs = Booking.objects.filter(
        _resource_filter(vehicle=vehicle, room=room, person=person),
        status=BookingStatus.ACTIVE,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def conflict_message(other: Booking) -> str:
    when = (
        f"{date_format(timezone.localtime(other.starts_at), 'm-d H:i')}-"
        f"{date_format(timezone.localtime(other.ends_at), 'H:i')}"
    )
    what = other.get_purpose_display()
    if other.visit_id:
        what = f"{what} · {other.visit.customer}"  # type: ignore[union-attr]  # visit_id set
    return _("%(resource)s is already booked %(when)s (%(what)s).") % {
        "resource": other.resource,
        "when": when,
        "what": what,
    }


def _raise_conflict(booking: Booking) -> None:
    other = (
        overlapping(
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            vehicle=booking.vehicle,
            room=booking.room,
            person=booking.person,
            exclude_pk=booking.pk,
        )
        .select_related("vehicle", "room", "person", "visit__customer")
        .first()
    )
    if other is not None:
        raise BookingConflict(conflict_message(other), other=other)


def _raise_absence(booking: Booking) -> None:
    """SOP 5.2: a person away (business trip, leave) is no host, escort, driver or leader
    on those days; the absence is named."""
    if booking.person is None:
        return
    absence = absences_overlapping(
        person_ids=[booking.person.pk], starts_at=booking.starts_at, ends_at=booking.ends_at
    ).first()
    if absence is not None:
        raise BookingConflict(absence_text(absence), other=None)


def _validate_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        msg = _("A booking must end after it starts.")
        raise ApplicationError(msg, field_errors={"ends_at": [msg]})


def _save(booking: Booking) -> Booking:
    """Check and write in one transaction. On SQLite the transaction is IMMEDIATE (the
    write lock is taken at BEGIN), so check-then-insert cannot interleave; on PostgreSQL
    the exclusion constraint decides any race and the loser is told what won."""
    _raise_absence(booking)
    _raise_conflict(booking)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        if connection.vendor == "postgresql":
            _raise_conflict(booking)
        raise ApplicationError(_("The booking could not be saved.")) from exc
    return booking


@transaction.atomic
def booking_create(
    *,
    actor: User | None,
    starts_at: datetime,
    ends_at: datetime,
    vehicle: Vehicle | None = None,
    room: Room | None = None,
    person: User | None = None,
    purpose: str = BookingPurpose.OTHER,
    visit: "Visit | None" = None,
    transfer: "Transfer | None" = None,
    leader_meeting: "LeaderMeeting | None" = None,
    note: str = "",
) -> Booking:
    if sum(x is not None for x in (vehicle, room, person)) != 1:
        raise ApplicationError(_("A booking holds exactly one vehicle, room or person."))
    _validate_times(starts_at, ends_at)
    booking = Booking(
        vehicle=vehicle,
        room=room,
        person=person,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        visit=visit,
        transfer=transfer,
        leader_meeting=leader_meeting,
        note=note[:200],
        booked_by=actor,
    )
    _save(booking)
    log_activity(
        actor=actor,
        action="booking.created",
        obj=booking,
        customer=getattr(visit, "customer", None),
    )
    return booking


@transaction.atomic
def booking_move(
    *, actor: User | None, booking: Booking, starts_at: datetime, ends_at: datetime
) -> Booking:
    if booking.status != BookingStatus.ACTIVE:
        raise ApplicationError(_("This booking is cancelled."))
    _validate_times(starts_at, ends_at)
    old = (booking.starts_at, booking.ends_at)
    booking.starts_at, booking.ends_at = starts_at, ends_at
    _save(booking)
    log_activity(
        actor=actor,
        action="booking.moved",
        obj=booking,
        changes={
            "starts_at": [str(old[0]), str(starts_at)],
            "ends_at": [str(old[1]), str(ends_at)],
        },
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor: User | None, booking: Booking) -> Booking:
    if booking.status == BookingStatus.CANCELLED:
        return booking
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status", "updated"])
    log_activity(actor=actor, action="booking.cancelled", obj=booking)
    return booking
