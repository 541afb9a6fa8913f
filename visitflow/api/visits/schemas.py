"""Visit shapes: the visit, its party, itinerary, steps, requests, return call and
follow-ups. Lengths match the model fields, so an over-long value is a 422 from the schema
rather than a database error."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, field_validator

from visitflow.api.common import MAX_ID, InputSchema, NoNullsMixin, OptionalRefId
from visitflow.api.customers.schemas import OwnerOut, _max
from visitflow.customers.models import Gender
from visitflow.visits import services
from visitflow.visits.models import (
    FollowUp,
    FollowUpChannel,
    Importance,
    LegDirection,
    Purpose,
    RequestState,
    ReturnCall,
    TravelLeg,
    TravelMode,
    Visit,
    Visitor,
    VisitRequest,
    VisitStatus,
    VisitStep,
    VisitStepItem,
)

# Due times are computed by adding offsets of days; a year far outside this range could
# only overflow there, and no visit is planned that far out.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
MAX_PHONE_INPUT_LENGTH = 32
MAX_CO_HOSTS = 20
Period = Literal["", "upcoming", "today", "past"]
TransitionTarget = Literal["draft", "confirmed", "in_progress", "departed", "closed", "cancelled"]


def _company_time(value: datetime) -> datetime:
    """Naive times are read in the company's time zone (Asia/Shanghai), as staff type them."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


def _plausible_date(value: date) -> date:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


CompanyDatetime = Annotated[
    datetime,
    AfterValidator(_company_time),
    Field(description="ISO 8601; without an offset it is read as Asia/Shanghai time"),
]
PlausibleDate = Annotated[date, AfterValidator(_plausible_date)]
RefId = Annotated[int, Field(ge=1, le=MAX_ID)]


class VisitFilterParams(InputSchema):
    q: str = Field("", max_length=200, description="Customer name or short name")
    status: VisitStatus | Literal[""] = ""
    host: int | None = Field(None, ge=1, le=MAX_ID, description="Host's user id")
    period: Period = ""
    customer: int | None = Field(None, ge=1, le=MAX_ID, description="Customer id")
    outcome: Literal["", "deal", "negotiating", "no_deal", "none"] = Field(
        "", description='Outcome of the visit; "none": not recorded yet'
    )


class CustomerRefOut(Schema):
    id: int
    name: str


class VisitListItemOut(Schema):
    id: int
    customer: CustomerRefOut
    host: OwnerOut
    status: VisitStatus
    purposes: list[str]
    purpose_notes: str
    importance: Importance
    starts_at: datetime
    ends_at: datetime
    wants_pickup: bool
    wants_dropoff: bool
    wants_lodging: bool
    party_size: int
    outcome: str = Field(..., description='deal, negotiating, no_deal; "" when not recorded')
    created: datetime
    updated: datetime


class VisitorOut(Schema):
    id: int
    visit_id: int
    contact_id: int | None
    name: str
    gender: str
    title: str
    mobile: str = Field(..., description="E.164, e.g. +8613812345678")
    features: str = Field(..., description="How to recognise them (特征)")
    position: int


class LegOut(Schema):
    id: int
    visit_id: int
    direction: LegDirection
    mode: TravelMode
    number: str
    from_place: str
    to_place: str
    departs_at: datetime | None
    arrives_at: datetime
    actual_arrival: datetime | None
    number_warning: str = Field(..., description="Set when the number looks implausible")

    @staticmethod
    def resolve_number_warning(obj: TravelLeg) -> str:
        return services.leg_number_warning(obj.mode, obj.number)


class StepItemOut(Schema):
    id: int
    step_id: int
    text: str
    is_done: bool
    done_at: datetime | None

    @staticmethod
    def resolve_text(obj: VisitStepItem) -> str:
        return obj.localized_text


class StepOut(Schema):
    id: int
    visit_id: int
    code: str
    name: str
    position: int
    state: str
    owner: OwnerOut
    due_at: datetime | None
    is_overdue: bool
    done_at: datetime | None
    done_by: OwnerOut | None
    skip_reason: str
    items: list[StepItemOut]

    @staticmethod
    def resolve_code(obj: VisitStep) -> str:
        return obj.playbook_step.code

    @staticmethod
    def resolve_name(obj: VisitStep) -> str:
        return obj.playbook_step.localized_name

    @staticmethod
    def resolve_is_overdue(obj: VisitStep) -> bool:
        if obj.state != "pending" or obj.due_at is None:
            return False
        return obj.due_at < timezone.now()


class RequestOut(Schema):
    id: int
    visit_id: int
    customer_id: int
    title: str
    details: str
    owner: OwnerOut
    due_date: date
    state: RequestState
    closed_at: datetime | None
    resolution: str


class ReturnCallOut(Schema):
    id: int
    visit_id: int
    customer: CustomerRefOut
    made_by: OwnerOut
    made_at: datetime
    reached: bool
    product_rating: int | None
    product_feedback: str
    image_rating: int | None
    image_feedback: str
    suggestions: str

    @staticmethod
    def resolve_customer(obj: ReturnCall) -> Any:
        return obj.visit.customer


class VisitOut(VisitListItemOut):
    co_hosts: list[OwnerOut]
    notes: str
    cancel_reason: str
    allowed_transitions: list[str]
    missing: list[str] = Field(..., description="What confirmation still needs")
    party: list[VisitorOut]
    legs: list[LegOut]
    steps: list[StepOut]
    requests: list[RequestOut]
    return_call: ReturnCallOut | None
    stand_in: OwnerOut | None = Field(..., description="SOP 5.2: who hosts while the host is away")
    warnings: list[str] = Field(
        ..., description="SOP 5.2: the host (or stand-in) is away at some time of the visit"
    )
    deal_amount: Decimal | None = Field(..., description="CNY, only for a deal")
    outcome_note: str
    outcome_at: datetime | None
    outcome_by: OwnerOut | None

    @staticmethod
    def resolve_warnings(obj: Visit) -> list[str]:
        from visitflow.visits.services_cover import visit_clash_warnings

        return visit_clash_warnings(obj)

    # The parts are read once by visit_detail_parts (a fixed number of queries) and put on
    # the visit by the router as `detail_parts`.
    @staticmethod
    def resolve_co_hosts(obj: Visit) -> list[Any]:
        return list(obj.co_hosts.all())

    @staticmethod
    def resolve_allowed_transitions(obj: Visit) -> list[str]:
        return sorted(services.TRANSITIONS[obj.status])

    @staticmethod
    def resolve_missing(obj: Visit) -> list[str]:
        return services.visit_missing_for_confirmation(obj)

    @staticmethod
    def resolve_party(obj: Visit) -> Any:
        return obj.detail_parts["visitors"]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_legs(obj: Visit) -> Any:
        return obj.detail_parts["legs"]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_steps(obj: Visit) -> Any:
        return obj.detail_parts["steps"]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_requests(obj: Visit) -> Any:
        return obj.detail_parts["requests"]  # type: ignore[attr-defined]

    @staticmethod
    def resolve_return_call(obj: Visit) -> Any:
        return obj.detail_parts["return_call"]  # type: ignore[attr-defined]


class VisitIn(InputSchema):
    customer: RefId = Field(..., description="Customer id")
    host: OptionalRefId = Field(None, description="Host's user id; default: the customer's owner")
    co_hosts: list[RefId] = Field([], max_length=MAX_CO_HOSTS, description="User ids")
    purposes: list[Purpose] = Field([], max_length=len(Purpose.values))
    purpose_notes: str = Field("", max_length=_max(Visit, "purpose_notes"))
    importance: Importance = Importance.NORMAL
    starts_at: CompanyDatetime
    ends_at: CompanyDatetime
    wants_pickup: bool = False
    wants_dropoff: bool = False
    wants_lodging: bool = False
    notes: str = Field("", max_length=_max(Visit, "notes"))


class VisitPatch(NoNullsMixin, InputSchema):
    host: int | None = Field(None, ge=1, le=MAX_ID)
    co_hosts: list[RefId] | None = Field(None, max_length=MAX_CO_HOSTS)
    purposes: list[Purpose] | None = Field(None, max_length=len(Purpose.values))
    purpose_notes: str | None = Field(None, max_length=_max(Visit, "purpose_notes"))
    importance: Importance | None = None
    starts_at: CompanyDatetime | None = None
    ends_at: CompanyDatetime | None = None
    wants_pickup: bool | None = None
    wants_dropoff: bool | None = None
    wants_lodging: bool | None = None
    notes: str | None = Field(None, max_length=_max(Visit, "notes"))
    reschedule_reason: str | None = Field(
        None, max_length=300, description="Kept with the reschedule when the dates move"
    )


class TransitionIn(InputSchema):
    to: TransitionTarget
    reason: str = Field("", max_length=_max(Visit, "cancel_reason"), description="To cancel")


class VisitorIn(InputSchema):
    name: str = Field("", max_length=_max(Visitor, "name"), description="Default: the contact's")
    gender: Gender | Literal[""] = ""
    title: str = Field("", max_length=_max(Visitor, "title"))
    mobile: str = Field("", max_length=MAX_PHONE_INPUT_LENGTH)
    features: str = Field("", max_length=_max(Visitor, "features"))
    contact: OptionalRefId = Field(None, description="A contact of the visit's customer")
    save_as_contact: bool = Field(False, description="Also save this person as a new contact")


class VisitorPatch(NoNullsMixin, InputSchema):
    name: str | None = Field(None, min_length=1, max_length=_max(Visitor, "name"))
    gender: Gender | Literal[""] | None = None
    title: str | None = Field(None, max_length=_max(Visitor, "title"))
    mobile: str | None = Field(None, max_length=MAX_PHONE_INPUT_LENGTH)
    features: str | None = Field(None, max_length=_max(Visitor, "features"))


class LegIn(InputSchema):
    direction: LegDirection
    mode: TravelMode
    number: str = Field("", max_length=_max(TravelLeg, "number"), description="CA1831, G79…")
    from_place: str = Field("", max_length=_max(TravelLeg, "from_place"))
    to_place: str = Field("", max_length=_max(TravelLeg, "to_place"))
    departs_at: CompanyDatetime | None = None
    arrives_at: CompanyDatetime
    actual_arrival: CompanyDatetime | None = None


class LegPatch(InputSchema):
    direction: LegDirection | None = None
    mode: TravelMode | None = None
    number: str | None = Field(None, max_length=_max(TravelLeg, "number"))
    from_place: str | None = Field(None, max_length=_max(TravelLeg, "from_place"))
    to_place: str | None = Field(None, max_length=_max(TravelLeg, "to_place"))
    departs_at: CompanyDatetime | None = Field(None, description="null clears it")
    arrives_at: CompanyDatetime | None = None
    actual_arrival: CompanyDatetime | None = Field(None, description="null clears it")

    @field_validator(
        "direction", "mode", "number", "from_place", "to_place", "arrives_at", mode="before"
    )
    @classmethod
    def _reject_null(cls, value: Any) -> Any:
        # Only the two optional times may be cleared with null.
        if value is None:
            raise ValueError("may not be null")
        return value


class StepSkipIn(InputSchema):
    reason: str = Field("", max_length=_max(VisitStep, "skip_reason"))


class StepItemIn(InputSchema):
    done: bool


class RequestIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=_max(VisitRequest, "title"))
    details: str = Field("", max_length=3000)
    owner: OptionalRefId = Field(None, description="User id; default: the visit's host")
    due_date: PlausibleDate


class RequestPatch(NoNullsMixin, InputSchema):
    state: RequestState | None = None
    resolution: str | None = Field(None, max_length=_max(VisitRequest, "resolution"))


class ReturnCallIn(InputSchema):
    reached: bool
    product_rating: int | None = Field(None, ge=1, le=5)
    product_feedback: str = Field("", max_length=3000)
    image_rating: int | None = Field(None, ge=1, le=5)
    image_feedback: str = Field("", max_length=3000)
    suggestions: str = Field("", max_length=3000)
    made_at: CompanyDatetime | None = Field(None, description="Default: now")


class OutcomeIn(InputSchema):
    """Issues 7 and 9: what came of the visit; a deal needs its amount (CNY, above zero)."""

    outcome: Literal["deal", "negotiating", "no_deal"]
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    note: str = Field("", max_length=500)


class FollowUpOut(Schema):
    id: int
    customer: CustomerRefOut
    visit_id: int | None
    owner: OwnerOut
    due_date: date
    state: str
    done_at: datetime | None
    channel: str
    notes: str

    @staticmethod
    def resolve_customer(obj: FollowUp) -> Any:
        return obj.customer


class FollowUpLogIn(InputSchema):
    channel: FollowUpChannel
    notes: str = Field(..., min_length=1, max_length=3000)
    next_date: PlausibleDate | None = Field(None, description="Default: by the level's cadence")
