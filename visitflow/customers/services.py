"""Every write to customers and contacts: permission-checked, audited, atomic."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import diff_snapshots, log_activity, snapshot, validate_model
from visitflow.core.validators import normalize_phone
from visitflow.customers.models import Contact, Customer, CustomerLevel
from visitflow.customers.permissions import (
    can_archive_customer,
    can_choose_owner,
    can_create_customer,
    can_edit_customer,
    can_restore_customer,
)
from visitflow.customers.selectors import owner_choices_for_user

CUSTOMER_FIELDS = [
    "name",
    "short_name",
    "level",
    "industry",
    "region",
    "city",
    "address",
    "owner",
    "source",
    "notes",
]
CONTACT_FIELDS = [
    "name",
    "gender",
    "title",
    "mobile",
    "email",
    "wechat_id",
    "features",
    "diet",
    "drinking",
    "other_preferences",
    "is_primary",
]


def _duplicate_name_error(name: str, exclude_pk: int | None = None) -> ApplicationError | None:
    qs = Customer.objects.annotate(lname=Lower("name")).filter(lname=name.strip().lower())
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    existing = qs.select_related("owner").first()
    if existing is None:
        return None
    if existing.is_active:
        msg = _("A customer named “%(name)s” already exists (owner: %(owner)s).") % {
            "name": existing.name,
            "owner": existing.owner,
        }
    else:
        msg = _(
            "An archived customer named “%(name)s” already exists; ask an administrator to restore it."
        ) % {"name": existing.name}
    return ApplicationError(msg, field_errors={"name": [msg]})


def _check_owner(actor: User, owner: User | None) -> User:
    if owner is None or not can_choose_owner(actor):
        return actor
    if not owner_choices_for_user(actor).filter(pk=owner.pk).exists():
        msg = _("You cannot give a customer to %(owner)s.") % {"owner": owner}
        raise ApplicationError(msg, field_errors={"owner": [msg]})
    return owner


@transaction.atomic
def customer_create(
    *,
    actor: User,
    name: str,
    level: CustomerLevel,
    owner: User | None = None,
    short_name: str = "",
    industry: str = "",
    region: str = "",
    city: str = "",
    address: str = "",
    source: str = "",
    notes: str = "",
    primary_contact: dict[str, Any] | None = None,
) -> Customer:
    """Register a customer, with its primary contact when one is given (same transaction)."""
    if not can_create_customer(actor):
        raise ApplicationError(_("You may not register customers."))
    name = name.strip()
    if error := _duplicate_name_error(name):
        raise error
    customer = Customer(
        name=name,
        short_name=short_name.strip(),
        level=level,
        owner=_check_owner(actor, owner),
        industry=industry.strip(),
        region=region.strip(),
        city=city.strip(),
        address=address.strip(),
        source=source,
        notes=notes.strip(),
    )
    validate_model(customer)
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError as exc:
        # Two people registered the same name at once; the unique index decided.
        raise _duplicate_name_error(name) or ApplicationError(_("Could not save.")) from exc
    log_activity(
        actor=actor,
        action="customer.created",
        obj=customer,
        customer=customer,
        changes=diff_snapshots({}, snapshot(customer, CUSTOMER_FIELDS)),
    )
    if primary_contact:
        contact_create(actor=actor, customer=customer, is_primary=True, **primary_contact)
    return customer


@transaction.atomic
def customer_update(*, actor: User, customer: Customer, data: dict[str, Any]) -> Customer:
    if not can_edit_customer(actor, customer):
        raise ApplicationError(_("You may not change this customer."))
    customer = (
        Customer.objects.select_for_update(of=("self",))
        .select_related("owner__team")
        .get(pk=customer.pk)
    )
    before = snapshot(customer, CUSTOMER_FIELDS)
    for field, value in data.items():
        if field not in CUSTOMER_FIELDS:
            continue
        if field == "owner":
            if value is not None and can_choose_owner(actor):
                customer.owner = _check_owner(actor, value)
            continue
        if isinstance(value, str):
            value = value.strip()
        setattr(customer, field, value)
    if "name" in data and (error := _duplicate_name_error(customer.name, exclude_pk=customer.pk)):
        raise error
    validate_model(customer)
    changes = diff_snapshots(before, snapshot(customer, CUSTOMER_FIELDS))
    if not changes:
        return customer
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError as exc:
        raise _duplicate_name_error(customer.name, exclude_pk=customer.pk) or ApplicationError(
            _("Could not save.")
        ) from exc
    log_activity(
        actor=actor, action="customer.updated", obj=customer, customer=customer, changes=changes
    )
    return customer


@transaction.atomic
def customer_archive(*, actor: User, customer: Customer) -> Customer:
    if not can_archive_customer(actor, customer):
        raise ApplicationError(_("You may not archive this customer."))
    customer.is_active = False
    customer.archived_at = timezone.now()
    customer.save(update_fields=["is_active", "archived_at", "updated"])
    log_activity(actor=actor, action="customer.archived", obj=customer, customer=customer)
    return customer


@transaction.atomic
def customer_restore(*, actor: User, customer: Customer) -> Customer:
    if not can_restore_customer(actor, customer):
        raise ApplicationError(_("Only an administrator can restore an archived customer."))
    customer.is_active = True
    customer.archived_at = None
    customer.save(update_fields=["is_active", "archived_at", "updated"])
    log_activity(actor=actor, action="customer.restored", obj=customer, customer=customer)
    return customer


def _clean_contact(contact: Contact) -> None:
    if contact.mobile:
        contact.mobile = normalize_phone(contact.mobile)
    validate_model(contact)


def _make_only_primary(contact: Contact) -> None:
    if contact.is_primary:
        Contact.objects.filter(customer_id=contact.customer_id, is_primary=True).exclude(
            pk=contact.pk
        ).update(is_primary=False)


@transaction.atomic
def contact_create(*, actor: User, customer: Customer, **fields: Any) -> Contact:
    if not can_edit_customer(actor, customer):
        raise ApplicationError(_("You may not change this customer."))
    contact = Contact(customer=customer)
    for field in CONTACT_FIELDS:
        if field in fields:
            value = fields[field]
            setattr(contact, field, value.strip() if isinstance(value, str) else value)
    if not customer.contacts.exists():
        contact.is_primary = True
    _make_only_primary(contact)
    _clean_contact(contact)
    contact.save()
    log_activity(
        actor=actor,
        action="contact.created",
        obj=contact,
        customer=customer,
        changes=diff_snapshots({}, snapshot(contact, CONTACT_FIELDS)),
    )
    return contact


@transaction.atomic
def contact_update(*, actor: User, contact: Contact, data: dict[str, Any]) -> Contact:
    if not can_edit_customer(actor, contact.customer):
        raise ApplicationError(_("You may not change this customer."))
    before = snapshot(contact, CONTACT_FIELDS)
    for field, value in data.items():
        if field in CONTACT_FIELDS:
            setattr(contact, field, value.strip() if isinstance(value, str) else value)
    _make_only_primary(contact)
    _clean_contact(contact)
    changes = diff_snapshots(before, snapshot(contact, CONTACT_FIELDS))
    if not changes:
        return contact
    contact.save()
    log_activity(
        actor=actor,
        action="contact.updated",
        obj=contact,
        customer=contact.customer,
        changes=changes,
    )
    return contact


@transaction.atomic
def contact_delete(*, actor: User, contact: Contact) -> None:
    customer = contact.customer
    if not can_edit_customer(actor, customer):
        raise ApplicationError(_("You may not change this customer."))
    log_activity(actor=actor, action="contact.deleted", obj=contact, customer=customer)
    was_primary = contact.is_primary
    contact.delete()
    if was_primary:
        # A customer with contacts always has a primary one (lists show it).
        successor = customer.contacts.order_by("id").first()
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary", "updated"])
