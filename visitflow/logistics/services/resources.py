"""Vehicles, rooms, stations and gift items, kept by reception (issue 4, "Resources").

Every write checks the rules a person can break by typing (plate format, seats, offices
toured, the default driver's role, duplicates) and puts the message on its field. A gift
item's stock is not changed here: stock moves only through the gift services, which
record each movement."""

from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from visitflow.accounts.models import Role, User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import diff_snapshots, log_activity, snapshot, validate_model
from visitflow.logistics.models import GiftItem, Room, RoomKind, Station, Vehicle
from visitflow.logistics.validators import normalize_plate

R = TypeVar("R", Vehicle, Room, Station, GiftItem)

VEHICLE_FIELDS = ["plate", "model_name", "seats", "default_driver", "is_active"]
ROOM_FIELDS = ["name", "kind", "capacity", "tour_allowed", "is_active"]
STATION_FIELDS = [
    "name",
    "name_en",
    "kind",
    "travel_minutes",
    "no_car_advice",
    "no_car_advice_en",
    "is_active",
]
GIFT_FIELDS = ["name", "unit_value", "is_active"]  # never stock: see the module docstring


def _error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def _apply(obj: R, data: dict[str, Any], allowed: list[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in data.items():
        setattr(obj, name, value)


def _check_unique(obj: R, field: str, message: str) -> None:
    value = getattr(obj, field)
    if type(obj).objects.filter(**{field: value}).exclude(pk=obj.pk).exists():
        raise _error(field, message)


def _write(obj: R, *, actor: User, fields: list[str], action: str, before: dict[str, str]) -> R:
    validate_model(obj)
    obj.save()
    changes = diff_snapshots(before, snapshot(obj, fields)) if before else {}
    log_activity(actor=actor, action=action, obj=obj, changes=changes)
    return obj


# --- Vehicles ---------------------------------------------------------------------------


def _check_vehicle(vehicle: Vehicle) -> None:
    try:
        vehicle.plate = normalize_plate(vehicle.plate)
    except ValidationError as exc:
        raise _error("plate", exc.messages[0]) from exc
    if vehicle.seats < 2:
        raise _error("seats", _("A car has at least 2 seats, the driver's included."))
    driver = vehicle.default_driver
    if driver is not None and (driver.role != Role.DRIVER or not driver.is_active):
        raise _error("default_driver", _("The default driver must be an active driver."))
    _check_unique(
        vehicle,
        "plate",
        _("A vehicle with plate %(plate)s is already registered.") % {"plate": vehicle.plate},
    )


@transaction.atomic
def vehicle_create(*, actor: User, **data: Any) -> Vehicle:
    vehicle = Vehicle()
    _apply(vehicle, data, VEHICLE_FIELDS)
    _check_vehicle(vehicle)
    return _write(vehicle, actor=actor, fields=VEHICLE_FIELDS, action="vehicle.created", before={})


@transaction.atomic
def vehicle_update(*, actor: User, vehicle: Vehicle, data: dict[str, Any]) -> Vehicle:
    before = snapshot(vehicle, VEHICLE_FIELDS)
    _apply(vehicle, data, VEHICLE_FIELDS)
    _check_vehicle(vehicle)
    return _write(
        vehicle, actor=actor, fields=VEHICLE_FIELDS, action="vehicle.updated", before=before
    )


# --- Rooms ------------------------------------------------------------------------------


def _check_room(room: Room) -> None:
    # SOP 5.1 公司参观: 一般不带客户到办公室参观.
    if room.kind == RoomKind.OFFICE and room.tour_allowed:
        raise _error("tour_allowed", _("Offices are not shown to visitors (SOP 5.1)."))
    if room.capacity < 1:
        raise _error("capacity", _("A room holds at least one person."))
    _check_unique(room, "name", _("A room named %(name)s already exists.") % {"name": room.name})


@transaction.atomic
def room_create(*, actor: User, **data: Any) -> Room:
    room = Room()
    _apply(room, data, ROOM_FIELDS)
    _check_room(room)
    return _write(room, actor=actor, fields=ROOM_FIELDS, action="room.created", before={})


@transaction.atomic
def room_update(*, actor: User, room: Room, data: dict[str, Any]) -> Room:
    before = snapshot(room, ROOM_FIELDS)
    _apply(room, data, ROOM_FIELDS)
    _check_room(room)
    return _write(room, actor=actor, fields=ROOM_FIELDS, action="room.updated", before=before)


# --- Stations and airports --------------------------------------------------------------


def _check_station(station: Station) -> None:
    if not 1 <= station.travel_minutes <= 600:
        raise _error("travel_minutes", _("Travel time is between 1 and 600 minutes."))
    _check_unique(
        station, "name", _("A station named %(name)s already exists.") % {"name": station.name}
    )


@transaction.atomic
def station_create(*, actor: User, **data: Any) -> Station:
    station = Station()
    _apply(station, data, STATION_FIELDS)
    _check_station(station)
    return _write(station, actor=actor, fields=STATION_FIELDS, action="station.created", before={})


@transaction.atomic
def station_update(*, actor: User, station: Station, data: dict[str, Any]) -> Station:
    before = snapshot(station, STATION_FIELDS)
    _apply(station, data, STATION_FIELDS)
    _check_station(station)
    return _write(
        station, actor=actor, fields=STATION_FIELDS, action="station.updated", before=before
    )


# --- Gift items -------------------------------------------------------------------------


def _check_gift(item: GiftItem) -> None:
    if Decimal(item.unit_value) < 0:
        raise _error("unit_value", _("The value cannot be negative."))
    _check_unique(item, "name", _("A gift named %(name)s already exists.") % {"name": item.name})


@transaction.atomic
def gift_item_create(*, actor: User, **data: Any) -> GiftItem:
    item = GiftItem(stock=0)
    _apply(item, data, GIFT_FIELDS)
    _check_gift(item)
    return _write(item, actor=actor, fields=GIFT_FIELDS, action="gift_item.created", before={})


@transaction.atomic
def gift_item_update(*, actor: User, item: GiftItem, data: dict[str, Any]) -> GiftItem:
    before = snapshot(item, GIFT_FIELDS)
    _apply(item, data, GIFT_FIELDS)
    _check_gift(item)
    return _write(item, actor=actor, fields=GIFT_FIELDS, action="gift_item.updated", before=before)


# --- Deactivate / reactivate (any resource) --------------------------------------------


@transaction.atomic
def resource_set_active(*, actor: User, resource: R, active: bool) -> R:
    """Deactivated resources stay on old bookings but are no longer offered."""
    if resource.is_active == active:
        return resource
    resource.is_active = active
    resource.save(update_fields=["is_active", "updated"])
    action = "activated" if active else "deactivated"
    log_activity(
        actor=actor,
        action=f"{resource._meta.model_name}.{action}",
        obj=resource,
        changes={"is_active": [str(int(not active)), str(int(active))]},
    )
    return resource


def resource_check(resource: Vehicle | Room | Station | GiftItem) -> None:
    """Raise the ApplicationError a save would raise, without saving (the admin's forms
    use it to show the message on its field). May normalise the plate in place."""
    checks: dict[type, Any] = {
        Vehicle: _check_vehicle,
        Room: _check_room,
        Station: _check_station,
        GiftItem: _check_gift,
    }
    checks[type(resource)](resource)
