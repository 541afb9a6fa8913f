"""Customer and contact shapes. Lengths match the model fields, so an over-long value is
a 422 from the schema rather than a database error."""

from datetime import datetime
from typing import Any, Literal

from django.db.models import Field as ModelField
from django.db.models import Model
from ninja import Field, Schema

from visitflow.accounts.models import User
from visitflow.api.common import MAX_ID, InputSchema, NoNullsMixin, OptionalRefId
from visitflow.customers.models import Contact, Customer, CustomerLevel, CustomerSource, Gender

# Must stay equal to the keys of customers.selectors.SORTS (a test checks it).
CustomerSort = Literal["name", "-name", "level", "-level", "city", "-city", "updated", "-updated"]
SourceValue = CustomerSource | Literal[""]
# Accepted as typed (138 1234 5678, +86-138-…); stored and returned in E.164.
MAX_PHONE_INPUT_LENGTH = 32


def _max(model: type[Model], field: str) -> int:
    model_field = model._meta.get_field(field)
    if not isinstance(model_field, ModelField) or model_field.max_length is None:
        raise TypeError(f"{model.__name__}.{field} has no max_length")
    return model_field.max_length


class CustomerFilterParams(InputSchema):
    q: str = Field("", max_length=200, description="Name, short name, contact name or mobile")
    level: str = Field("", max_length=_max(CustomerLevel, "code"), description="Level code")
    owner: int | None = Field(None, ge=1, le=MAX_ID, description="Owner's user id")
    city: str = Field("", max_length=_max(Customer, "city"))
    sort: CustomerSort = "-updated"
    archived: bool = Field(False, description="Archived customers instead (administrators)")


class LevelOut(Schema):
    code: str
    name: str


class OwnerOut(Schema):
    id: int
    display_name: str

    @staticmethod
    def resolve_display_name(obj: User) -> str:
        return str(obj)


class CustomerOut(Schema):
    id: int
    name: str
    short_name: str
    level: LevelOut
    industry: str
    region: str
    city: str
    address: str
    owner: OwnerOut
    source: str
    notes: str
    is_active: bool
    archived_at: datetime | None
    created: datetime
    updated: datetime


class PrimaryContactOut(Schema):
    name: str
    mobile: str


class CustomerListItemOut(CustomerOut):
    primary_contact: PrimaryContactOut | None

    @staticmethod
    def resolve_primary_contact(obj: Customer) -> dict[str, Any] | None:
        # Prefetched by customer_list_for_user for the rows of the page (one query).
        contacts = getattr(obj, "primary_contacts", None)
        if not contacts:
            return None
        return {"name": contacts[0].name, "mobile": contacts[0].mobile}


class CustomerIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=_max(Customer, "name"))
    short_name: str = Field("", max_length=_max(Customer, "short_name"))
    level: str = Field(
        ..., min_length=1, max_length=_max(CustomerLevel, "code"), description="Level code: VIP, A…"
    )
    industry: str = Field("", max_length=_max(Customer, "industry"))
    region: str = Field("", max_length=_max(Customer, "region"))
    city: str = Field("", max_length=_max(Customer, "city"))
    address: str = Field("", max_length=_max(Customer, "address"))
    owner: OptionalRefId = Field(None, description="Owner's user id (managers, administrators)")
    source: SourceValue = ""
    notes: str = Field("", max_length=_max(Customer, "notes"))


class CustomerPatch(NoNullsMixin, InputSchema):
    name: str | None = Field(None, min_length=1, max_length=_max(Customer, "name"))
    short_name: str | None = Field(None, max_length=_max(Customer, "short_name"))
    level: str | None = Field(None, min_length=1, max_length=_max(CustomerLevel, "code"))
    industry: str | None = Field(None, max_length=_max(Customer, "industry"))
    region: str | None = Field(None, max_length=_max(Customer, "region"))
    city: str | None = Field(None, max_length=_max(Customer, "city"))
    address: str | None = Field(None, max_length=_max(Customer, "address"))
    owner: int | None = Field(None, ge=1, le=MAX_ID)
    source: SourceValue | None = None
    notes: str | None = Field(None, max_length=_max(Customer, "notes"))


class ContactOut(Schema):
    id: int
    customer_id: int
    name: str
    gender: str
    title: str
    mobile: str = Field(..., description="E.164, e.g. +8613812345678")
    email: str
    wechat_id: str
    features: str
    diet: str
    drinking: str
    other_preferences: str
    is_primary: bool
    created: datetime
    updated: datetime


class ContactIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=_max(Contact, "name"))
    gender: Gender = Gender.UNKNOWN
    title: str = Field("", max_length=_max(Contact, "title"))
    mobile: str = Field("", max_length=MAX_PHONE_INPUT_LENGTH)
    email: str = Field("", max_length=_max(Contact, "email"))
    wechat_id: str = Field("", max_length=_max(Contact, "wechat_id"))
    features: str = Field("", max_length=_max(Contact, "features"))
    diet: str = Field("", max_length=_max(Contact, "diet"))
    drinking: str = Field("", max_length=_max(Contact, "drinking"))
    other_preferences: str = Field("", max_length=_max(Contact, "other_preferences"))
    is_primary: bool = False


class ContactPatch(NoNullsMixin, InputSchema):
    name: str | None = Field(None, min_length=1, max_length=_max(Contact, "name"))
    gender: Gender | None = None
    title: str | None = Field(None, max_length=_max(Contact, "title"))
    mobile: str | None = Field(None, max_length=MAX_PHONE_INPUT_LENGTH)
    email: str | None = Field(None, max_length=_max(Contact, "email"))
    wechat_id: str | None = Field(None, max_length=_max(Contact, "wechat_id"))
    features: str | None = Field(None, max_length=_max(Contact, "features"))
    diet: str | None = Field(None, max_length=_max(Contact, "diet"))
    drinking: str | None = Field(None, max_length=_max(Contact, "drinking"))
    other_preferences: str | None = Field(None, max_length=_max(Contact, "other_preferences"))
    is_primary: bool | None = None
