"""Reads of resources and bookings, scoped to the user (a foreign or hidden id is a 404).

Other logistics parts (transfers, leader meetings, the day board) read resources and
bookings through these functions."""

from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from visitflow.accounts.models import Role, User
from visitflow.logistics.models import (
    Booking,
    BookingStatus,
    GiftIssue,
    GiftItem,
    LeaderMeeting,
    Room,
    RoomKind,
    Station,
    StockMovement,
    Transfer,
    Vehicle,
)
from visitflow.logistics.permissions import (
    can_manage_resources,
    can_view_all_bookings,
    can_view_resources,
)
from visitflow.visits.models import Visit
from visitflow.visits.selectors import visit_base_qs_for_user

M = TypeVar("M", Vehicle, Room, Station, GiftItem)


def _resources(user: User, qs: QuerySet[M], *, include_inactive: bool) -> QuerySet[M]:
    if not can_view_resources(user):
        return qs.none()
    return qs if include_inactive else qs.filter(is_active=True)


def vehicle_list_for_user(user: User, *, include_inactive: bool = False) -> QuerySet[Vehicle]:
    return _resources(
        user, Vehicle.objects.select_related("default_driver"), include_inactive=include_inactive
    )


def room_list_for_user(user: User, *, include_inactive: bool = False) -> QuerySet[Room]:
    return _resources(user, Room.objects.all(), include_inactive=include_inactive)


def station_list_for_user(user: User, *, include_inactive: bool = False) -> QuerySet[Station]:
    return _resources(user, Station.objects.all(), include_inactive=include_inactive)


def gift_list_for_user(user: User, *, include_inactive: bool = False) -> QuerySet[GiftItem]:
    return _resources(user, GiftItem.objects.all(), include_inactive=include_inactive)


def _get(qs: QuerySet[M], pk: int) -> M:
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def vehicle_get_for_user(user: User, pk: int) -> Vehicle:
    return _get(vehicle_list_for_user(user, include_inactive=True), pk)


def room_get_for_user(user: User, pk: int) -> Room:
    return _get(room_list_for_user(user, include_inactive=True), pk)


def station_get_for_user(user: User, pk: int) -> Station:
    return _get(station_list_for_user(user, include_inactive=True), pk)


def gift_get_for_user(user: User, pk: int) -> GiftItem:
    return _get(gift_list_for_user(user, include_inactive=True), pk)


def driver_choices() -> QuerySet[User]:
    return User.objects.filter(role=Role.DRIVER, is_active=True).order_by("username")


def _busy(starts_at: datetime, ends_at: datetime, **resource: object) -> Exists:
    return Exists(
        Booking.objects.filter(
            status=BookingStatus.ACTIVE,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
            **{key: OuterRef("pk") for key in resource},
        )
    )


def vehicle_free_list(
    *, starts_at: datetime, ends_at: datetime, min_seats: int = 0
) -> QuerySet[Vehicle]:
    """Active cars with at least `min_seats` seats and no active booking in the range."""
    return (
        Vehicle.objects.filter(is_active=True, seats__gte=min_seats)
        .exclude(_busy(starts_at, ends_at, vehicle=True))
        .select_related("default_driver")
        .order_by("seats", "plate")
    )


def room_tour_choices(*, starts_at: datetime, ends_at: datetime) -> QuerySet[Room]:
    """Rooms that may be toured (SOP 5.1: never offices) and are free in the range."""
    return (
        Room.objects.filter(is_active=True, tour_allowed=True)
        .exclude(kind=RoomKind.OFFICE)
        .exclude(_busy(starts_at, ends_at, room=True))
    )


def booking_scope_q(user: User) -> Q | None:
    """Bookings a user may see (None: all of them)."""
    if can_view_all_bookings(user):
        return None
    return (
        Q(person=user)
        | Q(booked_by=user)
        | Q(vehicle__default_driver=user)
        | Q(transfer__driver=user)
        | Q(transfer__escort=user)
        | Q(visit__in=visit_base_qs_for_user(user).values("pk"))
    )


def booking_list_for_user(
    user: User,
    *,
    vehicle: int | None = None,
    room: int | None = None,
    person: int | None = None,
    day: date | None = None,
    include_cancelled: bool = False,
) -> QuerySet[Booking]:
    if not user.is_authenticated:
        return Booking.objects.none()
    qs = Booking.objects.select_related("vehicle", "room", "person", "visit__customer")
    scope = booking_scope_q(user)
    if scope is not None:
        qs = qs.filter(scope)
    if vehicle is not None:
        qs = qs.filter(vehicle_id=vehicle)
    if room is not None:
        qs = qs.filter(room_id=room)
    if person is not None:
        qs = qs.filter(person_id=person)
    if day is not None:
        start = timezone.make_aware(datetime.combine(day, time.min))
        qs = qs.filter(starts_at__lt=start + timedelta(days=1), ends_at__gt=start)
    if not include_cancelled:
        qs = qs.filter(status=BookingStatus.ACTIVE)
    return qs.order_by("starts_at", "id")


def booking_get_for_user(user: User, pk: int) -> Booking:
    booking = booking_list_for_user(user, include_cancelled=True).filter(pk=pk).first()
    if booking is None:
        raise Http404
    return booking


def bookable_people() -> QuerySet[User]:
    """People whose time can be booked (escorts, drivers, leaders): every active user."""
    return User.objects.filter(is_active=True)


# --- Transfers ---


def transfer_qs_for_user(user: User) -> QuerySet[Transfer]:
    if not user.is_authenticated:
        return Transfer.objects.none()
    return Transfer.objects.filter(
        Q(visit__in=visit_base_qs_for_user(user)) | Q(escort=user) | Q(driver=user)
    ).distinct()


def transfer_get_for_user(user: User, pk: int) -> Transfer:
    """404 for both "missing" and "not yours"."""
    transfer = (
        transfer_qs_for_user(user)
        .filter(pk=pk)
        .select_related(
            "visit", "visit__customer", "visit__host", "leg", "station", "vehicle", "driver"
        )
        .select_related("escort")
        .first()
    )
    if transfer is None:
        raise Http404
    return transfer


def escort_choices() -> QuerySet[User]:
    """Who may escort visitors: any active colleague but the drivers (SOP 5.1 接车)."""
    return User.objects.filter(is_active=True).exclude(role=Role.DRIVER)


# --- Leader meetings ---


def meetings_for_visit(visit: Visit) -> QuerySet[LeaderMeeting]:
    return visit.leader_meetings.select_related("leader", "room", "requested_by").order_by(
        "starts_at", "id"
    )


def meetings_for_leader(user: User) -> QuerySet[LeaderMeeting]:
    return (
        LeaderMeeting.objects.filter(leader=user)
        .select_related("visit__customer__level", "room", "requested_by")
        .order_by("starts_at", "id")
    )


def meeting_get_for_user(user: User, pk: int) -> LeaderMeeting:
    """The leader asked, or whoever sees the visit; 404 for both missing and not yours."""
    meeting = (
        LeaderMeeting.objects.filter(
            Q(leader=user) | Q(visit__in=visit_base_qs_for_user(user).values("pk")), pk=pk
        )
        .select_related("visit__customer__level", "visit__host", "leader", "room", "requested_by")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


# --- Gifts ---


def gift_items_available() -> QuerySet[GiftItem]:
    return GiftItem.objects.filter(is_active=True)


def gift_issues(visit: Visit) -> QuerySet[GiftIssue]:
    return visit.gift_issues.select_related("item", "handed_over_by").order_by("created", "id")


def gift_issue_qs_for_user(user: User) -> QuerySet[GiftIssue]:
    """Gift issues of the visits the user sees; reception sees every issue (stock keeping)."""
    if not user.is_authenticated:
        return GiftIssue.objects.none()
    qs = GiftIssue.objects.select_related("item", "visit__customer", "issued_by", "handed_over_by")
    if can_manage_resources(user):
        return qs
    return qs.filter(visit__in=visit_base_qs_for_user(user).values("pk"))


def gift_issue_list_for_user(user: User, *, visit: int | None = None) -> QuerySet[GiftIssue]:
    qs = gift_issue_qs_for_user(user)
    if visit is not None:
        qs = qs.filter(visit_id=visit)
    return qs.order_by("-created", "-id")


def gift_issue_get_for_user(user: User, pk: int) -> GiftIssue:
    issue = gift_issue_qs_for_user(user).filter(pk=pk).first()
    if issue is None:
        raise Http404
    return issue


def stock_movement_list(item: GiftItem) -> QuerySet[StockMovement]:
    return item.movements.select_related("by", "issue__visit__customer").order_by("-created", "-id")


# --- Lists for the API ---


def transfer_list_for_user(
    user: User,
    *,
    visit: int | None = None,
    day: date | None = None,
    days: int = 1,
    state: str = "",
    mine: bool = False,
) -> QuerySet[Transfer]:
    """Transfers the user may see, soonest first; `mine` keeps those they escort or drive;
    `day` (and `days` from it) keeps those under way on those days."""
    qs = transfer_qs_for_user(user)
    if mine:
        qs = qs.filter(Q(escort=user) | Q(driver=user))
    if visit is not None:
        qs = qs.filter(visit_id=visit)
    if state:
        qs = qs.filter(state=state)
    if day is not None:
        start = timezone.make_aware(datetime.combine(day, time.min))
        qs = qs.filter(leaves_at__lt=start + timedelta(days=days), back_at__gt=start)
    return qs.select_related(
        "visit__customer", "visit__host", "leg", "station", "vehicle", "driver", "escort"
    ).order_by("leaves_at", "id")


def meeting_list_for_user(
    user: User, *, visit: int | None = None, state: str = "", as_leader: bool = False
) -> QuerySet[LeaderMeeting]:
    """Meetings the user was asked to, or of visits they see; soonest first."""
    if not user.is_authenticated:
        return LeaderMeeting.objects.none()
    if as_leader:
        qs = LeaderMeeting.objects.filter(leader=user)
    else:
        qs = LeaderMeeting.objects.filter(
            Q(leader=user) | Q(visit__in=visit_base_qs_for_user(user).values("pk"))
        )
    if visit is not None:
        qs = qs.filter(visit_id=visit)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("visit__customer", "leader", "room", "requested_by").order_by(
        "starts_at", "id"
    )
