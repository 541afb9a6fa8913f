"""Shapes of SOP 5.2: absences, cover requests (stand-in hosts) and reschedule proposals."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from visitflow.accounts.models import Absence, AbsenceKind
from visitflow.api.common import MAX_ID, InputSchema, NoNullsMixin, OptionalRefId
from visitflow.api.customers.schemas import OwnerOut, _max
from visitflow.api.visits.schemas import CompanyDatetime, CustomerRefOut, PlausibleDate, RefId
from visitflow.visits.models import (
    CoverRequest,
    CoverState,
    RescheduleState,
    Visit,
    VisitReschedule,
)


class AbsenceOut(Schema):
    id: int
    person: OwnerOut
    kind: AbsenceKind
    destination: str
    starts_on: date = Field(..., description="First day away (company time zone)")
    ends_on: date = Field(..., description="Last day away, included")
    note: str
    created_by: OwnerOut | None
    created: datetime
    updated: datetime


class ClashOut(Schema):
    """A visit the person hosts during the absence (SOP 5.2: cover or new dates needed)."""

    id: int
    customer: CustomerRefOut
    starts_at: datetime
    ends_at: datetime
    status: str


class AbsenceWriteOut(AbsenceOut):
    clashes: list[ClashOut] = Field(..., description="Open visits the person hosts meanwhile")
    warnings: list[str]

    @staticmethod
    def resolve_clashes(obj: Absence) -> list[Visit]:
        return obj.clashes  # type: ignore[attr-defined,no-any-return]  # set by the router

    @staticmethod
    def resolve_warnings(obj: Absence) -> list[str]:
        return obj.warnings  # type: ignore[attr-defined,no-any-return]


class AbsenceFilterParams(InputSchema):
    person: int | None = Field(None, ge=1, le=MAX_ID, description="User id")
    period: Literal["upcoming", "past", ""] = Field("upcoming", description="Empty: any time")


class AbsenceIn(InputSchema):
    person: OptionalRefId = Field(None, description="User id; default: yourself")
    kind: AbsenceKind = AbsenceKind.BUSINESS_TRIP
    destination: str = Field("", max_length=_max(Absence, "destination"))
    starts_on: PlausibleDate
    ends_on: PlausibleDate
    note: str = Field("", max_length=_max(Absence, "note"))


class AbsencePatch(NoNullsMixin, InputSchema):
    kind: AbsenceKind | None = None
    destination: str | None = Field(None, max_length=_max(Absence, "destination"))
    starts_on: PlausibleDate | None = None
    ends_on: PlausibleDate | None = None
    note: str | None = Field(None, max_length=_max(Absence, "note"))


class CoverOut(Schema):
    id: int
    visit_id: int
    customer: CustomerRefOut
    visit_starts_at: datetime
    host: OwnerOut
    requested_by: OwnerOut
    supervisor: OwnerOut | None
    stand_in: OwnerOut | None
    state: CoverState
    note: str
    answer_note: str
    assigned_at: datetime | None
    accepted_at: datetime | None
    ended_at: datetime | None
    created: datetime

    @staticmethod
    def resolve_customer(obj: CoverRequest) -> Any:
        return obj.visit.customer

    @staticmethod
    def resolve_visit_starts_at(obj: CoverRequest) -> datetime:
        return obj.visit.starts_at


class CoverIn(InputSchema):
    note: str = Field("", max_length=_max(CoverRequest, "note"))
    stand_in: OptionalRefId = Field(None, description="A colleague to ask at once (user id)")


class CoverAssignIn(InputSchema):
    stand_in: RefId = Field(..., description="User id; yourself to take the visit on")


class CoverDeclineIn(InputSchema):
    note: str = Field(..., min_length=1, max_length=_max(CoverRequest, "answer_note"))


class CoverListParams(InputSchema):
    open_only: bool = True


class ProposalOut(Schema):
    id: int
    visit_id: int
    state: RescheduleState
    by: OwnerOut | None
    old_starts_at: datetime
    old_ends_at: datetime
    new_starts_at: datetime
    new_ends_at: datetime
    reason: str
    created: datetime
    decided_at: datetime | None


class ProposalAgreedOut(ProposalOut):
    moved: list[str] = Field(..., description="Transfers and bookings moved with the visit")
    released: list[str] = Field(..., description="What no longer fitted and was released")

    @staticmethod
    def resolve_moved(obj: VisitReschedule) -> list[str]:
        return obj.moved  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_released(obj: VisitReschedule) -> list[str]:
        return obj.released  # type: ignore[attr-defined,no-any-return]


class ProposalIn(InputSchema):
    starts_at: CompanyDatetime
    ends_at: CompanyDatetime
    reason: str = Field("", max_length=_max(VisitReschedule, "reason"))


class ProposalDeclineIn(InputSchema):
    note: str = Field("", max_length=200)


class CoverNeededOut(Schema):
    id: int
    customer: CustomerRefOut
    host: OwnerOut
    status: str
    starts_at: datetime
    ends_at: datetime
    away: list[AbsenceOut]
    cover_state: CoverState | None
    proposed: bool

    @staticmethod
    def resolve_away(obj: Visit) -> Any:
        from visitflow.visits.selectors_cover import visit_absences

        return visit_absences(obj)

    @staticmethod
    def resolve_cover_state(obj: Visit) -> str | None:
        covers = getattr(obj, "open_covers", [])
        return covers[0].state if covers else None

    @staticmethod
    def resolve_proposed(obj: Visit) -> bool:
        return bool(getattr(obj, "open_proposals", []))


class ImportErrorOut(Schema):
    line: int = Field(..., description="Line of the file; the header is line 1")
    message: str


class ImportOut(Schema):
    created: int
    errors: list[ImportErrorOut] = Field(..., description="Every wrong row; then nothing is saved")
