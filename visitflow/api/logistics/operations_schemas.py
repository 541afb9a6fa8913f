"""Shapes of pickups and see-offs, leader meetings and gift issues (issue 4, "API").

Times go out in UTC ISO 8601, like the rest of the API; states are the model's values."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from visitflow.accounts.models import User
from visitflow.api.common import MAX_ID, InputSchema, OptionalRefId
from visitflow.api.logistics.schemas import PersonOut
from visitflow.logistics.models import (
    LeaderLevel,
    MeetingState,
    MessageChannel,
    StockMovement,
    Transfer,
    TransferKind,
    TransferState,
)

RefId = Field(..., ge=1, le=MAX_ID)


class VehicleRefOut(Schema):
    id: int
    plate: str
    seats: int


class StationRefOut(Schema):
    id: int
    name: str
    travel_minutes: int


class VisitRefOut(Schema):
    id: int
    customer_id: int
    customer: str

    @staticmethod
    def resolve_customer(obj: object) -> str:
        customer = obj.customer  # type: ignore[attr-defined]
        return str(customer.short_name or customer.name)


# --- Transfers ---------------------------------------------------------------------------


class TransferListParams(InputSchema):
    visit: int | None = Field(None, ge=1, le=MAX_ID)
    day: date | None = Field(None, description="Transfers under way on this day (YYYY-MM-DD)")
    state: TransferState | Literal[""] = ""
    mine: bool = Field(False, description="Only those I escort or drive")


class EscortOut(PersonOut):
    mobile: str

    @staticmethod
    def resolve_mobile(obj: User) -> str:
        return obj.mobile_display or obj.mobile


class TransferOut(Schema):
    id: int
    visit: VisitRefOut
    leg_id: int
    kind: TransferKind
    state: TransferState
    flight_or_train: str
    station: StationRefOut | None
    vehicle: VehicleRefOut | None
    no_car: bool
    driver: PersonOut | None
    escort: EscortOut
    escort_reason: str
    meeting_point: str
    leaves_at: datetime
    back_at: datetime
    at_station: datetime = Field(..., description="Arrival (pickup) or departure (see-off)")
    next_states: list[TransferState]

    @staticmethod
    def resolve_flight_or_train(obj: Transfer) -> str:
        return obj.leg.number

    @staticmethod
    def resolve_at_station(obj: Transfer) -> datetime:
        from visitflow.logistics.services.transfers import leg_time

        return leg_time(obj.leg, obj.kind)

    @staticmethod
    def resolve_next_states(obj: Transfer) -> list[str]:
        from visitflow.logistics.services.transfers import TRANSITIONS

        return sorted(TRANSITIONS[obj.state])


class TransferIn(InputSchema):
    """Plan the pickup (inbound journey) or see-off (outbound journey) of `leg`. Leave
    `vehicle` out for "no company car"; `escort` defaults to the host, anyone else needs
    `escort_reason` (SOP 5.1)."""

    leg: int = RefId
    vehicle: OptionalRefId = None
    driver: OptionalRefId = None
    escort: OptionalRefId = None
    escort_reason: str = Field("", max_length=300)
    meeting_point: str = Field("", max_length=200)
    station: OptionalRefId = None


class TransferOptionsOut(Schema):
    """What planning `leg` would book: the window and the free cars with enough seats."""

    kind: TransferKind
    station: StationRefOut | None
    leaves_at: datetime | None
    back_at: datetime | None
    seats_needed: int
    free_vehicles: list[VehicleRefOut]
    no_car_advice: str


class TransferStateIn(InputSchema):
    state: Literal["on_the_way", "met", "done", "cancelled"]


class TransferMessageIn(InputSchema):
    """Record that the customer was told. Leave `text` out to send the template's text."""

    channel: MessageChannel
    language: Literal["zh-hans", "en"] = "zh-hans"
    text: str = Field("", max_length=2000)


class CustomerMessageOut(Schema):
    id: int
    transfer_id: int | None
    channel: MessageChannel
    language: str
    text: str
    sent_at: datetime
    sent_by: PersonOut


class MessageTextOut(Schema):
    language: str
    text: str


# --- Leader meetings ---------------------------------------------------------------------


class MeetingListParams(InputSchema):
    visit: int | None = Field(None, ge=1, le=MAX_ID)
    state: MeetingState | Literal[""] = ""
    as_leader: bool = Field(False, description="Only meetings I am asked to")


class RoomRefOut(Schema):
    id: int
    name: str


class MeetingOut(Schema):
    id: int
    visit: VisitRefOut
    leader: PersonOut
    requested_by: PersonOut
    starts_at: datetime
    ends_at: datetime
    room: RoomRefOut | None
    state: MeetingState
    proposed_starts_at: datetime | None
    answer_note: str


class MeetingIn(InputSchema):
    visit: int = RefId
    leader: int = RefId
    starts_at: datetime
    ends_at: datetime
    room: OptionalRefId = None


class MeetingDeclineIn(InputSchema):
    note: str = Field(..., max_length=300, description="Why, so the host can tell the customer")


class MeetingProposeIn(InputSchema):
    starts_at: datetime
    note: str = Field("", max_length=300)


class RecommendationOut(Schema):
    visit_id: int
    leader_level: LeaderLevel
    label: str
    leaders: list[PersonOut]


class BriefVisitOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    host: PersonOut
    status: str


class BriefVisitorOut(Schema):
    name: str
    title: str
    features: str = Field(..., description="How to recognise them")


class BriefRequestOut(Schema):
    id: int
    title: str
    due_date: date | None
    state: str


class MeetingBriefOut(Schema):
    """The one page a leader reads before meeting the customer."""

    customer: str
    level: str
    purposes: list[str]
    importance: str
    visit: BriefVisitOut
    party: list[BriefVisitorOut]
    past_visits: list[BriefVisitOut]
    open_requests: list[BriefRequestOut]


# --- Gifts -------------------------------------------------------------------------------


class GiftIssueListParams(InputSchema):
    visit: int | None = Field(None, ge=1, le=MAX_ID)


class GiftRefOut(Schema):
    id: int
    name: str


class GiftIssueOut(Schema):
    id: int
    visit: VisitRefOut
    item: GiftRefOut
    quantity: int
    issued_by: PersonOut
    handed_over_at: datetime | None
    handed_over_by: PersonOut | None
    returned: bool


class GiftIssueIn(InputSchema):
    visit: int = RefId
    item: int = RefId
    quantity: int = Field(..., ge=1, le=100000)


class StockReceiveIn(InputSchema):
    quantity: int = Field(..., ge=1, le=100000)
    note: str = Field("", max_length=200)


class StockMovementOut(Schema):
    id: int
    change: int
    stock_after: int
    issue_id: int | None
    visit_id: int | None
    note: str
    by: PersonOut | None
    created: datetime

    @staticmethod
    def resolve_visit_id(obj: StockMovement) -> int | None:
        return obj.issue.visit_id if obj.issue_id and obj.issue else None
