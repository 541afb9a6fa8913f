"""Vehicles, rooms, stations, gift items and bookings (issue 4). Everyone but drivers reads
the resources; reception and administrators change them and book directly. A booking that
collides with another is a 409 naming the other booking."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from visitflow.accounts.models import User
from visitflow.api.common import ObjectId, actor
from visitflow.api.logistics.common import aware, conflict, field_error
from visitflow.api.logistics.schemas import (
    BookingIn,
    BookingListParams,
    BookingOut,
    BookingPatch,
    ConflictOut,
    GiftIn,
    GiftOut,
    GiftPatch,
    ResourceListParams,
    RoomIn,
    RoomOut,
    RoomPatch,
    StationIn,
    StationOut,
    StationPatch,
    VehicleIn,
    VehicleOut,
    VehiclePatch,
)
from visitflow.api.pagination import PageOrOffsetPagination
from visitflow.core.exceptions import ApplicationError
from visitflow.logistics import selectors
from visitflow.logistics.models import Booking, GiftItem, Room, Station, Vehicle
from visitflow.logistics.permissions import (
    can_change_booking,
    can_manage_bookings,
    can_manage_resources,
    can_view_resources,
)
from visitflow.logistics.services import resources as services
from visitflow.logistics.services.bookings import (
    BookingConflict,
    booking_cancel,
    booking_create,
    booking_move,
)

router = Router(tags=["logistics"])

R = TypeVar("R", Vehicle, Room, Station, GiftItem)


def _reader(request: HttpRequest) -> User:
    user = actor(request)
    if not can_view_resources(user):
        raise HttpError(403, _("You may not see cars, rooms, stations or gifts."))
    return user


def _manager(request: HttpRequest) -> User:
    user = actor(request)
    if not can_manage_resources(user):
        raise HttpError(403, _("Only reception and administrators change these."))
    return user


def _driver(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    driver = selectors.driver_choices().filter(pk=user_id).first()
    if driver is None:
        raise field_error("default_driver", _("The default driver must be an active driver."))
    return driver


def _set_active(
    request: HttpRequest, getter: Callable[[User, int], R], pk: int, *, active: bool
) -> R:
    user = actor(request)
    obj = getter(user, pk)
    if not can_manage_resources(user):
        raise HttpError(403, _("Only reception and administrators change these."))
    return services.resource_set_active(actor=user, resource=obj, active=active)


# --- Vehicles ---------------------------------------------------------------------------


@router.get("/vehicles", response=list[VehicleOut])
@paginate(PageOrOffsetPagination)
def vehicle_list(request: HttpRequest, params: Query[ResourceListParams]) -> QuerySet[Vehicle]:
    return selectors.vehicle_list_for_user(
        _reader(request), include_inactive=params.include_inactive
    )


@router.post("/vehicles", response={201: VehicleOut})
def vehicle_create(request: HttpRequest, payload: VehicleIn) -> Status[Vehicle]:
    user = _manager(request)
    data = payload.model_dump()
    data["default_driver"] = _driver(payload.default_driver)
    return Status(201, services.vehicle_create(actor=user, **data))


@router.get("/vehicles/{vehicle_id}", response=VehicleOut)
def vehicle_detail(request: HttpRequest, vehicle_id: ObjectId) -> Vehicle:
    return selectors.vehicle_get_for_user(_reader(request), vehicle_id)


@router.patch("/vehicles/{vehicle_id}", response=VehicleOut)
def vehicle_update(request: HttpRequest, vehicle_id: ObjectId, payload: VehiclePatch) -> Vehicle:
    vehicle = selectors.vehicle_get_for_user(_reader(request), vehicle_id)
    user = _manager(request)
    data = payload.model_dump(exclude_unset=True)
    for name, value in data.items():
        if value is None and name != "default_driver":
            raise field_error(name, _("This field may not be empty."))
    if "default_driver" in data:
        data["default_driver"] = _driver(data["default_driver"])
    return services.vehicle_update(actor=user, vehicle=vehicle, data=data)


@router.post("/vehicles/{vehicle_id}/deactivate", response=VehicleOut)
def vehicle_deactivate(request: HttpRequest, vehicle_id: ObjectId) -> Vehicle:
    return _set_active(request, selectors.vehicle_get_for_user, vehicle_id, active=False)


@router.post("/vehicles/{vehicle_id}/activate", response=VehicleOut)
def vehicle_activate(request: HttpRequest, vehicle_id: ObjectId) -> Vehicle:
    return _set_active(request, selectors.vehicle_get_for_user, vehicle_id, active=True)


# --- Rooms ------------------------------------------------------------------------------


@router.get("/rooms", response=list[RoomOut])
@paginate(PageOrOffsetPagination)
def room_list(request: HttpRequest, params: Query[ResourceListParams]) -> QuerySet[Room]:
    return selectors.room_list_for_user(_reader(request), include_inactive=params.include_inactive)


@router.post("/rooms", response={201: RoomOut})
def room_create(request: HttpRequest, payload: RoomIn) -> Status[Room]:
    return Status(201, services.room_create(actor=_manager(request), **payload.model_dump()))


@router.get("/rooms/{room_id}", response=RoomOut)
def room_detail(request: HttpRequest, room_id: ObjectId) -> Room:
    return selectors.room_get_for_user(_reader(request), room_id)


@router.patch("/rooms/{room_id}", response=RoomOut)
def room_update(request: HttpRequest, room_id: ObjectId, payload: RoomPatch) -> Room:
    room = selectors.room_get_for_user(_reader(request), room_id)
    return services.room_update(
        actor=_manager(request), room=room, data=payload.model_dump(exclude_unset=True)
    )


@router.post("/rooms/{room_id}/deactivate", response=RoomOut)
def room_deactivate(request: HttpRequest, room_id: ObjectId) -> Room:
    return _set_active(request, selectors.room_get_for_user, room_id, active=False)


@router.post("/rooms/{room_id}/activate", response=RoomOut)
def room_activate(request: HttpRequest, room_id: ObjectId) -> Room:
    return _set_active(request, selectors.room_get_for_user, room_id, active=True)


# --- Stations ---------------------------------------------------------------------------


@router.get("/stations", response=list[StationOut])
@paginate(PageOrOffsetPagination)
def station_list(request: HttpRequest, params: Query[ResourceListParams]) -> QuerySet[Station]:
    return selectors.station_list_for_user(
        _reader(request), include_inactive=params.include_inactive
    )


@router.post("/stations", response={201: StationOut})
def station_create(request: HttpRequest, payload: StationIn) -> Status[Station]:
    return Status(201, services.station_create(actor=_manager(request), **payload.model_dump()))


@router.get("/stations/{station_id}", response=StationOut)
def station_detail(request: HttpRequest, station_id: ObjectId) -> Station:
    return selectors.station_get_for_user(_reader(request), station_id)


@router.patch("/stations/{station_id}", response=StationOut)
def station_update(request: HttpRequest, station_id: ObjectId, payload: StationPatch) -> Station:
    station = selectors.station_get_for_user(_reader(request), station_id)
    return services.station_update(
        actor=_manager(request), station=station, data=payload.model_dump(exclude_unset=True)
    )


@router.post("/stations/{station_id}/deactivate", response=StationOut)
def station_deactivate(request: HttpRequest, station_id: ObjectId) -> Station:
    return _set_active(request, selectors.station_get_for_user, station_id, active=False)


@router.post("/stations/{station_id}/activate", response=StationOut)
def station_activate(request: HttpRequest, station_id: ObjectId) -> Station:
    return _set_active(request, selectors.station_get_for_user, station_id, active=True)


# --- Gift items -------------------------------------------------------------------------


@router.get("/gifts", response=list[GiftOut])
@paginate(PageOrOffsetPagination)
def gift_list(request: HttpRequest, params: Query[ResourceListParams]) -> QuerySet[GiftItem]:
    return selectors.gift_list_for_user(_reader(request), include_inactive=params.include_inactive)


@router.post("/gifts", response={201: GiftOut})
def gift_create(request: HttpRequest, payload: GiftIn) -> Status[GiftItem]:
    return Status(201, services.gift_item_create(actor=_manager(request), **payload.model_dump()))


@router.get("/gifts/{gift_id}", response=GiftOut)
def gift_detail(request: HttpRequest, gift_id: ObjectId) -> GiftItem:
    return selectors.gift_get_for_user(_reader(request), gift_id)


@router.patch("/gifts/{gift_id}", response=GiftOut)
def gift_update(request: HttpRequest, gift_id: ObjectId, payload: GiftPatch) -> GiftItem:
    item = selectors.gift_get_for_user(_reader(request), gift_id)
    return services.gift_item_update(
        actor=_manager(request), item=item, data=payload.model_dump(exclude_unset=True)
    )


@router.post("/gifts/{gift_id}/deactivate", response=GiftOut)
def gift_deactivate(request: HttpRequest, gift_id: ObjectId) -> GiftItem:
    return _set_active(request, selectors.gift_get_for_user, gift_id, active=False)


@router.post("/gifts/{gift_id}/activate", response=GiftOut)
def gift_activate(request: HttpRequest, gift_id: ObjectId) -> GiftItem:
    return _set_active(request, selectors.gift_get_for_user, gift_id, active=True)


# --- Bookings ---------------------------------------------------------------------------


@router.get("/bookings", response=list[BookingOut])
@paginate(PageOrOffsetPagination)
def booking_list(request: HttpRequest, params: Query[BookingListParams]) -> QuerySet[Booking]:
    return selectors.booking_list_for_user(
        actor(request),
        vehicle=params.vehicle,
        room=params.room,
        person=params.person,
        day=params.day,
        include_cancelled=params.include_cancelled,
    )


@router.post("/bookings", response={201: BookingOut, 409: ConflictOut})
def booking_create_endpoint(request: HttpRequest, payload: BookingIn) -> Status[Any]:
    user = actor(request)
    if not can_manage_bookings(user):
        raise HttpError(403, _("Only reception and administrators book directly."))
    given = [name for name in ("vehicle", "room", "person") if getattr(payload, name)]
    if len(given) != 1:
        raise ApplicationError(_("A booking holds exactly one vehicle, room or person."))
    resource: dict[str, Any] = {}
    if payload.vehicle:
        vehicle = selectors.vehicle_list_for_user(user).filter(pk=payload.vehicle).first()
        if vehicle is None:
            raise field_error("vehicle", _("There is no such active vehicle."))
        resource["vehicle"] = vehicle
    elif payload.room:
        room = selectors.room_list_for_user(user).filter(pk=payload.room).first()
        if room is None:
            raise field_error("room", _("There is no such active room."))
        resource["room"] = room
    else:
        person = selectors.bookable_people().filter(pk=payload.person or 0).first()
        if person is None:
            raise field_error("person", _("There is no such active person."))
        resource["person"] = person
    try:
        booking = booking_create(
            actor=user,
            starts_at=aware(payload.starts_at),
            ends_at=aware(payload.ends_at),
            purpose=payload.purpose,
            note=payload.note,
            **resource,
        )
    except BookingConflict as exc:
        return conflict(exc)
    return Status(201, booking)


@router.get("/bookings/{booking_id}", response=BookingOut)
def booking_detail(request: HttpRequest, booking_id: ObjectId) -> Booking:
    return selectors.booking_get_for_user(actor(request), booking_id)


def _changeable(user: User, booking_id: int) -> Booking:
    booking = selectors.booking_get_for_user(user, booking_id)
    if not can_change_booking(user, booking):
        raise HttpError(403, _("Only reception and administrators change bookings."))
    # A transfer's or a leader meeting's bookings follow it (its window, its answer);
    # moving one alone would leave the two disagreeing.
    if booking.transfer_id or booking.leader_meeting_id:
        raise HttpError(
            409, _("This booking belongs to a pickup, see-off or leader meeting; change that.")
        )
    return booking


@router.patch("/bookings/{booking_id}", response={200: BookingOut, 409: ConflictOut})
def booking_move_endpoint(
    request: HttpRequest, booking_id: ObjectId, payload: BookingPatch
) -> Status[Any]:
    user = actor(request)
    booking = _changeable(user, booking_id)
    starts_at = aware(payload.starts_at) if payload.starts_at else booking.starts_at
    ends_at = aware(payload.ends_at) if payload.ends_at else booking.ends_at
    try:
        moved = booking_move(actor=user, booking=booking, starts_at=starts_at, ends_at=ends_at)
    except BookingConflict as exc:
        return conflict(exc)
    return Status(200, moved)


@router.post("/bookings/{booking_id}/cancel", response=BookingOut)
def booking_cancel_endpoint(request: HttpRequest, booking_id: ObjectId) -> Booking:
    user = actor(request)
    return booking_cancel(actor=user, booking=_changeable(user, booking_id))
