"""Resource and booking shapes. Lengths match the model fields, so an over-long value is a
422 from the schema rather than a database error; the rules a person can break by typing
(plate format, seats, offices toured) are the services' and come back as 422 too."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from visitflow.accounts.models import User
from visitflow.api.common import MAX_ID, InputSchema, NoNullsMixin, OptionalRefId
from visitflow.logistics.models import (
    Booking,
    BookingPurpose,
    BookingStatus,
    RoomKind,
    StationKind,
)

PLATE_INPUT_LENGTH = 20  # typed with spaces or dots; stored as 粤B·12345
MAX_VALUE = Decimal("99999999.99")


class PersonOut(Schema):
    id: int
    display_name: str

    @staticmethod
    def resolve_display_name(obj: User) -> str:
        return str(obj)


class ResourceListParams(InputSchema):
    include_inactive: bool = Field(False, description="Deactivated ones too")


# --- Vehicles ---------------------------------------------------------------------------


class VehicleOut(Schema):
    id: int
    plate: str
    model_name: str
    seats: int
    default_driver: PersonOut | None
    is_active: bool


class VehicleIn(InputSchema):
    plate: str = Field(..., min_length=1, max_length=PLATE_INPUT_LENGTH, examples=["粤B·12345"])
    model_name: str = Field("", max_length=100)
    seats: int = Field(..., ge=0, le=100, description="All seats, the driver's included")
    default_driver: OptionalRefId = None
    is_active: bool = True


class VehiclePatch(InputSchema):
    """Fields left out stay as they are; `default_driver: null` removes the driver."""

    plate: str | None = Field(None, min_length=1, max_length=PLATE_INPUT_LENGTH)
    model_name: str | None = Field(None, max_length=100)
    seats: int | None = Field(None, ge=0, le=100)
    default_driver: OptionalRefId = None
    is_active: bool | None = None


# --- Rooms ------------------------------------------------------------------------------


class RoomOut(Schema):
    id: int
    name: str
    kind: RoomKind
    capacity: int
    tour_allowed: bool
    is_active: bool


class RoomIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: RoomKind
    capacity: int = Field(10, ge=0, le=10000)
    tour_allowed: bool = True
    is_active: bool = True


class RoomPatch(NoNullsMixin, InputSchema):
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: RoomKind | None = None
    capacity: int | None = Field(None, ge=0, le=10000)
    tour_allowed: bool | None = None
    is_active: bool | None = None


# --- Stations ---------------------------------------------------------------------------


class StationOut(Schema):
    id: int
    name: str
    name_en: str
    kind: StationKind
    travel_minutes: int
    no_car_advice: str
    no_car_advice_en: str
    is_active: bool


class StationIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    name_en: str = Field("", max_length=100)
    kind: StationKind
    travel_minutes: int = Field(..., ge=0, le=10000)
    no_car_advice: str = Field("", max_length=2000)
    no_car_advice_en: str = Field("", max_length=2000)
    is_active: bool = True


class StationPatch(NoNullsMixin, InputSchema):
    name: str | None = Field(None, min_length=1, max_length=100)
    name_en: str | None = Field(None, max_length=100)
    kind: StationKind | None = None
    travel_minutes: int | None = Field(None, ge=0, le=10000)
    no_car_advice: str | None = Field(None, max_length=2000)
    no_car_advice_en: str | None = Field(None, max_length=2000)
    is_active: bool | None = None


# --- Gift items -------------------------------------------------------------------------


class GiftOut(Schema):
    id: int
    name: str
    unit_value: Decimal
    stock: int = Field(..., description="Changed only by gift issues and stock movements")
    is_active: bool


class GiftIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    unit_value: Decimal = Field(..., max_digits=10, decimal_places=2, le=MAX_VALUE)
    is_active: bool = True


class GiftPatch(NoNullsMixin, InputSchema):
    name: str | None = Field(None, min_length=1, max_length=100)
    unit_value: Decimal | None = Field(None, max_digits=10, decimal_places=2, le=MAX_VALUE)
    is_active: bool | None = None


# --- Bookings ---------------------------------------------------------------------------


class BookingListParams(InputSchema):
    vehicle: int | None = Field(None, ge=1, le=MAX_ID)
    room: int | None = Field(None, ge=1, le=MAX_ID)
    person: int | None = Field(None, ge=1, le=MAX_ID)
    day: date | None = Field(None, description="Bookings touching this day (YYYY-MM-DD)")
    include_cancelled: bool = False


class BookingOut(Schema):
    id: int
    resource_kind: str
    resource: str
    vehicle_id: int | None
    room_id: int | None
    person_id: int | None
    starts_at: datetime
    ends_at: datetime
    status: BookingStatus
    purpose: BookingPurpose
    visit_id: int | None
    note: str

    @staticmethod
    def resolve_resource(obj: Booking) -> str:
        return str(obj.resource)


class BookingIn(InputSchema):
    """Exactly one of vehicle, room and person."""

    vehicle: OptionalRefId = None
    room: OptionalRefId = None
    person: OptionalRefId = None
    starts_at: datetime
    ends_at: datetime
    purpose: BookingPurpose = BookingPurpose.OTHER
    note: str = Field("", max_length=200)


class BookingPatch(NoNullsMixin, InputSchema):
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class ConflictOut(Schema):
    detail: str
    conflict_with: int | None = Field(..., description="The id of the booking in the way")
