"""Pure predicates for logistics resources and bookings (issue 4, "Permissions").

Reception keeps the cars, rooms, stations and gifts and sees every booking; drivers see
only their own trips (never the resource lists); everyone else sees bookings that are
theirs or belong to a visit they may see."""

from django.contrib.auth.models import AnonymousUser

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import is_admin, role_of
from visitflow.logistics.models import Booking, GiftIssue, LeaderMeeting, Transfer
from visitflow.visits.models import Visit
from visitflow.visits.permissions import can_edit_visit, can_view_visit

# Roles that see every booking: reception dispatches them, leaders are booked by them.
BOOKING_READ_ALL_ROLES = frozenset(
    {Role.RECEPTION, Role.ADMIN, Role.DIRECTOR, Role.GENERAL_MANAGER}
)


def can_manage_resources(user: User | AnonymousUser) -> bool:
    """Create, change and deactivate vehicles, rooms, stations and gift items."""
    return bool(user.is_authenticated and (is_admin(user) or role_of(user) == Role.RECEPTION))


def can_view_resources(user: User | AnonymousUser) -> bool:
    """Read the resource lists: everyone logged in except drivers (they see their trips)."""
    return bool(user.is_authenticated and role_of(user) != Role.DRIVER)


def can_manage_bookings(user: User | AnonymousUser) -> bool:
    """Book, move and cancel any resource directly (not through a transfer or meeting)."""
    return can_manage_resources(user)


def can_view_all_bookings(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and role_of(user) in BOOKING_READ_ALL_ROLES)


def can_view_booking(user: User, booking: Booking) -> bool:
    if not user.is_authenticated:
        return False
    if can_view_all_bookings(user):
        return True
    if booking.person_id == user.pk or booking.booked_by_id == user.pk:
        return True
    if booking.vehicle_id and booking.vehicle and booking.vehicle.default_driver_id == user.pk:
        return True
    # The car and people booked for a pickup are the business of its driver and escort.
    if (
        booking.transfer_id
        and booking.transfer
        and user.pk
        in (
            booking.transfer.driver_id,
            booking.transfer.escort_id,
        )
    ):
        return True
    return bool(booking.visit_id and booking.visit and can_view_visit(user, booking.visit))


def can_change_booking(user: User, booking: Booking) -> bool:
    return can_manage_bookings(user) and can_view_booking(user, booking)


# --- Transfers (SOP 5.1 接车/送车) ---


def can_plan_transfer(user: User, visit: Visit) -> bool:
    """Those who run the visit plan its transfers; reception plans for any visit."""
    if not user.is_authenticated:
        return False
    return role_of(user) == Role.RECEPTION or can_edit_visit(user, visit)


def can_move_transfer(user: User, transfer: Transfer) -> bool:
    """The escort and the driver move their own transfer; so does whoever plans it."""
    if transfer.escort_id == user.pk or transfer.driver_id == user.pk:
        return True
    return can_plan_transfer(user, transfer.visit)


def can_view_transfer(user: User, transfer: Transfer) -> bool:
    if transfer.escort_id == user.pk or transfer.driver_id == user.pk:
        return True
    return can_plan_transfer(user, transfer.visit) or can_view_visit(user, transfer.visit)


# --- Leader meetings and gifts ---


def can_request_meeting(user: User, visit: Visit) -> bool:
    """Whoever runs the visit asks a leader to meet the customer (SOP 5.1 领导接见)."""
    return bool(can_edit_visit(user, visit))


def can_answer_meeting(user: User, meeting: LeaderMeeting) -> bool:
    """Only the leader asked answers: accept, decline or propose another time."""
    return meeting.leader_id == user.pk


def can_change_meeting(user: User, meeting: LeaderMeeting) -> bool:
    """Take the leader's proposed time, or cancel: whoever runs the visit."""
    return bool(can_edit_visit(user, meeting.visit))


def can_issue_gift(user: User, visit: Visit) -> bool:
    """The host's side issues gifts for their visit; reception issues for any visit."""
    return can_edit_visit(user, visit) or can_manage_resources(user)


def can_hand_over_gift(user: User, issue: GiftIssue) -> bool:
    """SOP 5.1 送车: handed over in person by those who run the visit."""
    return bool(can_edit_visit(user, issue.visit))


def can_return_gift(user: User, issue: GiftIssue) -> bool:
    return can_issue_gift(user, issue.visit)
