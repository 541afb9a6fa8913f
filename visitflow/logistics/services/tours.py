"""The company tour (SOP 5.1 公司参观): the showroom or a reception room, never an office."""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.logistics.models import Booking, BookingPurpose, BookingStatus, Room, RoomKind
from visitflow.logistics.services.bookings import booking_cancel, booking_create
from visitflow.visits.models import Visit, VisitStatus

CLOSED_VISIT_STATES = (VisitStatus.CLOSED, VisitStatus.CANCELLED)


def ensure_visit_open(visit: Visit) -> None:
    """Nothing is booked or issued for a closed or cancelled visit (tours, meetings, gifts)."""
    if visit.status in CLOSED_VISIT_STATES:
        raise ApplicationError(
            _("The visit is %(status)s; nothing more can be arranged for it.")
            % {"status": visit.get_status_display()}
        )


def tour_rooms() -> QuerySet[Room]:
    """Rooms a tour may use. SOP 5.1 公司参观: 一般不带客户到办公室参观."""
    return Room.objects.filter(is_active=True, tour_allowed=True).exclude(kind=RoomKind.OFFICE)


def tour_bookings(visit: Visit) -> QuerySet[Booking]:
    return visit.bookings.filter(
        purpose=BookingPurpose.TOUR, status=BookingStatus.ACTIVE
    ).select_related("room")


@transaction.atomic
def tour_book(
    *, actor: User, visit: Visit, room: Room, starts_at: datetime, ends_at: datetime
) -> Booking:
    ensure_visit_open(visit)
    if not tour_rooms().filter(pk=room.pk).exists():
        msg = _("%(room)s may not be used for the company tour.") % {"room": room}
        raise ApplicationError(msg, field_errors={"room": [msg]})
    booking = booking_create(
        actor=actor,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=BookingPurpose.TOUR,
        visit=visit,
    )
    log_activity(actor=actor, action="tour.booked", obj=booking, customer=visit.customer)
    return booking


@transaction.atomic
def tour_cancel(*, actor: User, booking: Booking) -> Booking:
    if booking.purpose != BookingPurpose.TOUR:
        raise ApplicationError(_("This booking is not a company tour."))
    return booking_cancel(actor=actor, booking=booking)
