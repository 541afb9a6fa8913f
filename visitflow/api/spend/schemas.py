"""Hospitality spend shapes. Amounts are exact decimals in CNY, sent and returned as
strings ("1280.00") so no client rounds them through a float; the rules a person can break
by typing (over the standard without a reason, a foreign currency without its rate) are
the services' and come back as 422 on their field."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema
from pydantic import field_validator

from visitflow.api.common import InputSchema, NoNullsMixin
from visitflow.spend.models import RoomType, SpendCategory

MAX_AMOUNT = Decimal("9999999999.99")


def _no_float(value: object) -> object:
    # JSON numbers arrive as floats; an exact amount is sent as a string or an integer.
    if isinstance(value, float):
        raise ValueError('send amounts as strings such as "1280.00", not as numbers')
    return value


class StandardOut(Schema):
    id: int
    level: str
    level_id: int
    category: SpendCategory
    room_type: str
    amount: Decimal
    valid_from: dt.date
    manager_max_over_percent: Decimal
    note: str

    @staticmethod
    def resolve_level(obj: object) -> str:
        return obj.level.code  # type: ignore[attr-defined,no-any-return]


class StandardIn(InputSchema):
    level: str = Field(..., min_length=1, max_length=20, description="Customer level code")
    category: SpendCategory
    room_type: RoomType = RoomType.NONE
    amount: Decimal = Field(..., ge=0, le=MAX_AMOUNT, decimal_places=2)
    valid_from: dt.date
    manager_max_over_percent: Decimal = Field(Decimal(20), ge=0, le=1000, decimal_places=2)
    note: str = Field("", max_length=300)

    _floats = field_validator("amount", "manager_max_over_percent", mode="before")(_no_float)


class ActualOut(Schema):
    id: int
    amount: Decimal
    currency: str
    exchange_rate: Decimal | None
    amount_cny: Decimal
    payer_id: int
    paid_on: dt.date
    deviation_note: str
    has_receipt: bool
    confirmed_at: dt.datetime | None
    voided_at: dt.datetime | None
    void_reason: str

    @staticmethod
    def resolve_has_receipt(obj: object) -> bool:
        return bool(obj.receipt)  # type: ignore[attr-defined]


class LineOut(Schema):
    id: int
    visit_id: int
    category: SpendCategory
    date: dt.date
    venue: str
    room_type: str
    guests: int
    hosts: int
    nights: int
    rooms: int
    description: str
    planned_amount: Decimal
    standard_id: int | None
    standard_unit_amount: Decimal | None
    standard_amount: Decimal | None
    status: str
    required_approver: str
    over_reason: str
    planned_by_id: int
    decided_by_id: int | None
    decided_at: dt.datetime | None
    decision_note: str
    void_reason: str
    actuals: list[ActualOut]

    @staticmethod
    def resolve_actuals(obj: object) -> list[object]:
        return list(obj.actuals.all())  # type: ignore[attr-defined]


class BudgetOut(Schema):
    visit_id: int
    planned: Decimal
    standard: Decimal
    approved: Decimal
    actual: Decimal
    over: int
    pending: int
    refused: int
    lines: list[LineOut]


class LineIn(InputSchema):
    category: SpendCategory
    date: dt.date
    planned_amount: Decimal = Field(..., ge=0, le=MAX_AMOUNT, decimal_places=2)
    venue: str = Field("", max_length=200)
    room_type: RoomType = RoomType.NONE
    guests: int = Field(0, ge=0, le=500)
    hosts: int = Field(0, ge=0, le=500)
    nights: int = Field(0, ge=0, le=60)
    rooms: int = Field(0, ge=0, le=200)
    description: str = Field("", max_length=300)
    over_reason: str = Field("", max_length=500)

    _floats = field_validator("planned_amount", mode="before")(_no_float)


class LinePatch(NoNullsMixin, InputSchema):
    date: dt.date | None = None
    planned_amount: Decimal | None = Field(None, ge=0, le=MAX_AMOUNT, decimal_places=2)
    venue: str | None = Field(None, max_length=200)
    room_type: RoomType | None = None
    guests: int | None = Field(None, ge=0, le=500)
    hosts: int | None = Field(None, ge=0, le=500)
    nights: int | None = Field(None, ge=0, le=60)
    rooms: int | None = Field(None, ge=0, le=200)
    description: str | None = Field(None, max_length=300)
    over_reason: str | None = Field(None, max_length=500)

    _floats = field_validator("planned_amount", mode="before")(_no_float)


class ReasonIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=500)


class DecisionIn(InputSchema):
    note: str = Field("", max_length=500)


class ActualIn(InputSchema):
    amount: Decimal = Field(..., gt=0, le=MAX_AMOUNT, decimal_places=2)
    currency: str = Field("CNY", min_length=3, max_length=3)
    exchange_rate: Decimal | None = Field(None, gt=0, le=10000, decimal_places=6)
    payer: int = Field(..., ge=1)
    paid_on: dt.date
    deviation_note: str = Field("", max_length=500)

    _floats = field_validator("amount", "exchange_rate", mode="before")(_no_float)


class ReportParams(InputSchema):
    group: str = Field("customer", pattern="^(visit|customer|salesperson|team|month)$")
    start: dt.date | None = None
    end: dt.date | None = None


class ReportRowOut(Schema):
    key: str
    label: str
    planned: Decimal
    standard: Decimal
    actual: Decimal
    lines: int
    within: int
    within_rate: int


class ReportOut(Schema):
    group: str
    planned: Decimal
    standard: Decimal
    actual: Decimal
    lines: int
    within_rate: int
    rows: list[ReportRowOut]
