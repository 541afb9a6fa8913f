"""Trade-show shapes (SOP 5.3). Lengths match the model fields, so an over-long value is
a 422 from the schema rather than a database error."""

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import model_validator

from visitflow.api.common import MAX_ID, InputSchema
from visitflow.tradeshows.models import (
    BoothVisit,
    CallOutcome,
    ChecklistCategory,
    Grade,
    Invitation,
    InvitationStatus,
    Lead,
    LeadStatus,
)


class PersonOut(Schema):
    id: int
    display_name: str

    @staticmethod
    def resolve_display_name(obj: object) -> str:
        return str(obj)


class ShowIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    venue: str = Field(..., min_length=1, max_length=200)
    city: str = Field(..., min_length=1, max_length=50)
    starts_on: date
    ends_on: date
    booth_number: str = Field(..., min_length=1, max_length=50)
    team: list[int] = Field(default_factory=list, max_length=200)


class ShowOut(Schema):
    id: int
    name: str
    venue: str
    city: str
    starts_on: date
    ends_on: date
    booth_number: str
    organizer: PersonOut


class InvitationFilterParams(InputSchema):
    status: InvitationStatus | None = None
    not_confirmed: bool = False


class InvitationsIn(InputSchema):
    contacts: list[int] = Field(..., min_length=1, max_length=500)

    @model_validator(mode="after")
    def _ids(self) -> "InvitationsIn":
        if any(not 1 <= pk <= MAX_ID for pk in self.contacts):
            raise ValueError("contact ids are positive integers")
        return self


class CallOut(Schema):
    outcome: CallOutcome
    call_again_at: datetime | None
    note: str
    caller: PersonOut
    created: datetime


class InvitationOut(Schema):
    id: int
    show_id: int
    customer_id: int
    customer_name: str
    contact_id: int
    contact_name: str
    owner: PersonOut
    status: InvitationStatus
    code: str
    letter_sent_at: datetime | None
    rsvp_at: datetime | None
    rsvp_day: date | None
    rsvp_party_size: int | None
    rsvp_names: str
    call_due_at: datetime | None
    checked_in_at: datetime | None

    @staticmethod
    def resolve_customer_name(obj: Invitation) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_contact_name(obj: Invitation) -> str:
        return obj.contact.name


class InvitationDetailOut(InvitationOut):
    calls: list[CallOut]

    @staticmethod
    def resolve_calls(obj: Invitation) -> list[object]:
        return list(obj.calls.all())


class CallIn(InputSchema):
    outcome: CallOutcome
    call_again_at: datetime | None = None
    note: str = Field("", max_length=500)


class ChecklistItemOut(Schema):
    id: int
    category: ChecklistCategory
    name: str
    name_en: str
    quantity: int
    unit: str
    packer: PersonOut | None
    state: str
    gift_item_id: int | None
    returned_quantity: int


class AdvanceIn(InputSchema):
    returned_quantity: int = Field(0, ge=0, le=1_000_000)


class CheckInIn(InputSchema):
    code: str = Field(..., min_length=1, max_length=300)


class BoothVisitOut(Schema):
    id: int
    visitor_name: str
    greet_first: bool
    state: str
    arrived_at: datetime
    invitation_id: int | None
    lead_id: int | None
    customer_id: int | None

    @staticmethod
    def resolve_state(obj: BoothVisit) -> str:
        return obj.state


class LeadIn(InputSchema):
    name: str = Field("", max_length=100)
    company: str = Field("", max_length=200)
    title: str = Field("", max_length=100)
    mobile: str = Field("", max_length=40)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)
    website: str = Field("", max_length=200)
    interest: str = Field("", max_length=300)
    grade: Grade | None = None
    notes: str = Field("", max_length=2000)


class LeadOut(Schema):
    id: int
    show_id: int
    name: str
    company: str
    title: str
    mobile: str
    phone: str
    email: str
    address: str
    website: str
    grade: str
    interest: str
    status: LeadStatus
    owner: PersonOut | None
    customer_id: int | None
    contact_id: int | None
    call_due_at: datetime | None
    called_at: datetime | None
    call_outcome: str

    @staticmethod
    def resolve_status(obj: Lead) -> str:
        return obj.status


class CardFieldsOut(Schema):
    name: str
    company: str
    title: str
    mobile: str
    phone: str
    email: str
    address: str
    website: str


class AssignIn(InputSchema):
    owner: int = Field(..., ge=1, le=MAX_ID)


class AssignedOut(Schema):
    assigned: int


class FunnelRowOut(Schema):
    """SOP 5.3.5 per salesperson; visits and deals are counted per host (issue 7)."""

    owner: str = Field(..., description='The salesperson; "" for leads not assigned yet')
    invited: int
    confirmed: int
    came: int
    leads: int
    called: int
    visits: int
    deals: int


class FunnelOut(Schema):
    rows: list[FunnelRowOut]
    total: FunnelRowOut
