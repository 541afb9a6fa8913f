"""Pure predicates for logistics resources and bookings (issue 4, "Permissions").

Reception keeps the cars, rooms, stations and gifts and sees every booking; drivers see
only their own trips (never the resource lists); everyone else sees bookings that are
theirs or belong to a visit they may see."""

from django.contrib.auth.models import AnonymousUser

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import is_admin, role_of
from visitflow.logistics.models import Booking
from visitflow.visits.permissions import can_view_visit

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
    return bool(booking.visit_id and booking.visit and can_view_visit(user, booking.visit))


def can_change_booking(user: User, booking: Booking) -> bool:
    return can_manage_bookings(user) and can_view_booking(user, booking)
