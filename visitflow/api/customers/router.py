"""Customers and their contacts. Reads go through the scoped selectors (a foreign id is a
404); a visible object the caller's role may not change is a 403."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from visitflow.accounts.models import User
from visitflow.accounts.roles import is_admin
from visitflow.api.common import ObjectId, actor
from visitflow.api.customers.schemas import (
    ContactIn,
    ContactOut,
    ContactPatch,
    CustomerFilterParams,
    CustomerIn,
    CustomerListItemOut,
    CustomerOut,
    CustomerPatch,
)
from visitflow.api.pagination import PageOrOffsetPagination
from visitflow.core.exceptions import ApplicationError
from visitflow.core.validators import normalize_phone
from visitflow.customers import services
from visitflow.customers.models import Contact, Customer, CustomerLevel
from visitflow.customers.permissions import (
    can_create_customer,
    can_edit_customer,
    can_list_customers,
)
from visitflow.customers.selectors import (
    CustomerFilters,
    contact_get_for_user,
    customer_get_for_user,
    customer_list_for_user,
    level_choices,
    owner_choices_for_user,
)

router = Router(tags=["customers"])


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def _level(code: str) -> CustomerLevel:
    level = level_choices().filter(code=code).first()
    if level is None:
        raise _field_error("level", _("There is no customer level “%(code)s”.") % {"code": code})
    return level


def _owner(user: User, owner_id: int) -> User:
    owner = owner_choices_for_user(user).filter(pk=owner_id).first()
    if owner is None:
        raise _field_error("owner", _("You cannot give a customer to this person."))
    return owner


def _mobile(value: str) -> str:
    try:
        return normalize_phone(value)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], field_errors={"mobile": exc.messages}) from exc


def _ensure_editable(user: User, customer: Customer) -> None:
    if not customer.is_active:
        raise HttpError(409, _("This customer is archived; restore it first."))
    if not can_edit_customer(user, customer):
        raise HttpError(403, _("You may not change this customer."))


@router.get("/customers", response=list[CustomerListItemOut])
@paginate(PageOrOffsetPagination)
def customer_list(request: HttpRequest, filters: Query[CustomerFilterParams]) -> QuerySet[Customer]:
    user = actor(request)
    if not can_list_customers(user):
        raise HttpError(403, _("You may not see customers."))
    return customer_list_for_user(
        user,
        CustomerFilters(
            q=filters.q,
            level=filters.level,
            owner=filters.owner,
            city=filters.city,
            archived=filters.archived,
            sort=filters.sort,
        ),
    )


@router.post("/customers", response={201: CustomerOut})
def customer_create(request: HttpRequest, payload: CustomerIn) -> Status[Customer]:
    user = actor(request)
    if not can_create_customer(user):
        raise HttpError(403, _("You may not register customers."))
    data = payload.model_dump()
    data["level"] = _level(payload.level)
    data["owner"] = _owner(user, payload.owner) if payload.owner is not None else None
    return Status(201, services.customer_create(actor=user, **data))


@router.get("/customers/{customer_id}", response=CustomerOut)
def customer_detail(request: HttpRequest, customer_id: ObjectId) -> Customer:
    return customer_get_for_user(actor(request), customer_id)


@router.patch("/customers/{customer_id}", response=CustomerOut)
def customer_update(
    request: HttpRequest, customer_id: ObjectId, payload: CustomerPatch
) -> Customer:
    user = actor(request)
    customer = customer_get_for_user(user, customer_id)
    _ensure_editable(user, customer)
    data = payload.model_dump(exclude_unset=True)
    if "level" in data:
        data["level"] = _level(data["level"])
    if "owner" in data:
        data["owner"] = _owner(user, data["owner"])
    return services.customer_update(actor=user, customer=customer, data=data)


@router.post("/customers/{customer_id}/archive", response=CustomerOut)
def customer_archive(request: HttpRequest, customer_id: ObjectId) -> Customer:
    user = actor(request)
    customer = customer_get_for_user(user, customer_id)
    _ensure_editable(user, customer)
    return services.customer_archive(actor=user, customer=customer)


@router.post("/customers/{customer_id}/restore", response=CustomerOut)
def customer_restore(request: HttpRequest, customer_id: ObjectId) -> Customer:
    user = actor(request)
    customer = customer_get_for_user(user, customer_id)
    if not is_admin(user):
        raise HttpError(403, _("Only an administrator can restore an archived customer."))
    if customer.is_active:
        raise HttpError(409, _("This customer is not archived."))
    return services.customer_restore(actor=user, customer=customer)


@router.get("/customers/{customer_id}/contacts", response=list[ContactOut])
def contact_list(request: HttpRequest, customer_id: ObjectId) -> list[Contact]:
    customer = customer_get_for_user(actor(request), customer_id)
    return list(customer.contacts.all())


@router.post("/customers/{customer_id}/contacts", response={201: ContactOut})
def contact_create(
    request: HttpRequest, customer_id: ObjectId, payload: ContactIn
) -> Status[Contact]:
    user = actor(request)
    customer = customer_get_for_user(user, customer_id)
    _ensure_editable(user, customer)
    data = payload.model_dump()
    data["mobile"] = _mobile(payload.mobile)
    return Status(201, services.contact_create(actor=user, customer=customer, **data))


@router.get("/contacts/{contact_id}", response=ContactOut)
def contact_detail(request: HttpRequest, contact_id: ObjectId) -> Contact:
    return contact_get_for_user(actor(request), contact_id)


@router.patch("/contacts/{contact_id}", response=ContactOut)
def contact_update(request: HttpRequest, contact_id: ObjectId, payload: ContactPatch) -> Contact:
    user = actor(request)
    contact = contact_get_for_user(user, contact_id)
    _ensure_editable(user, contact.customer)
    data = payload.model_dump(exclude_unset=True)
    if "mobile" in data:
        data["mobile"] = _mobile(data["mobile"])
    return services.contact_update(actor=user, contact=contact, data=data)


@router.delete("/contacts/{contact_id}", response={204: None})
def contact_delete(request: HttpRequest, contact_id: ObjectId) -> Status[None]:
    user = actor(request)
    contact = contact_get_for_user(user, contact_id)
    _ensure_editable(user, contact.customer)
    services.contact_delete(actor=user, contact=contact)
    return Status(204, None)
