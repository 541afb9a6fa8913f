"""What each row would do: create, update or refuse, and why. No writes here.

Everything a row is checked against (levels, people, existing customers) is read in a
few queries per chunk of rows, never one per row: 50,000 rows must take seconds."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import CUSTOMER_OWNER_ROLES, role_of
from visitflow.core.validators import normalize_phone
from visitflow.customers.models import Customer, CustomerLevel
from visitflow.customers.permissions import can_choose_owner, can_edit_customer
from visitflow.customers.selectors import owner_choices_for_user
from visitflow.imports.mapping import FIELD_BY_KEY
from visitflow.imports.models import RowAction

CHUNK = 500
CUSTOMER_KEYS = ("short_name", "industry", "region", "city", "address", "notes")
CONTACT_KEYS = {
    "contact_title": "title",
    "contact_mobile": "mobile",
    "contact_email": "email",
    "contact_wechat": "wechat_id",
    "contact_features": "features",
}


@dataclass
class RowPlan:
    row: int  # the row number as the spreadsheet shows it (header is row 1)
    name: str
    action: str
    errors: list[str] = field(default_factory=list)
    customer: dict[str, Any] = field(default_factory=dict)
    contact: dict[str, Any] | None = None
    existing_id: int | None = None

    def as_report(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"row": self.row, "name": self.name[:200], "action": self.action}
        if self.errors:
            entry["errors"] = self.errors
        return entry


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


_CN_MOBILE = re.compile(r"^(?:\+?86)?(1\d{10})$")
_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")


def _normalize_mobile(ctx: "PlanContext", text: str) -> str:
    """normalize_phone(), remembered by prefix for plain Chinese mobiles.

    libphonenumber (about 0.1 ms a number) decides a Chinese mobile's validity from its
    first five digits (its CN pattern ends in a free \\d{6} or \\d{8}); 50,000
    numbers checked twice cost seconds, so the answer is kept per seven-digit prefix."""
    match = _CN_MOBILE.match(_PHONE_PUNCTUATION.sub("", text))
    if match is None or settings.PHONENUMBER_DEFAULT_REGION != "CN":
        return normalize_phone(text)
    national = match.group(1)
    prefix = national[:7]
    valid = ctx.mobile_prefixes.get(prefix)
    if valid is None:
        try:
            normalize_phone(national)
            valid = True
        except ValidationError:
            valid = False
        ctx.mobile_prefixes[prefix] = valid
    return f"+86{national}" if valid else normalize_phone(text)


class PlanContext:
    """Levels, people and the importer's rights, read once per job."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.levels: dict[str, int] = {}
        for level in CustomerLevel.objects.filter(is_active=True).only("id", "code", "name"):
            self.levels.setdefault(level.code.strip().lower(), level.pk)
            self.levels.setdefault(level.name.strip().lower(), level.pk)
        self.people: dict[str, int | None] = {}
        names: dict[int, str] = {}
        for pk, username, display_name, first, last in User.objects.filter(
            is_active=True, role__in=[Role.SALES, Role.SALES_MANAGER]
        ).values_list("pk", "username", "display_name", "first_name", "last_name"):
            names[pk] = display_name or username
            self.people[username.lower()] = pk
            for alias in {display_name, f"{last}{first}", f"{first} {last}".strip()}:
                alias = alias.strip().lower()
                if alias and alias != username.lower():
                    # Two people with the same name: neither can be meant by it.
                    self.people[alias] = None if alias in self.people else pk
        self.person_names = names
        self.allowed_owner_ids = set(owner_choices_for_user(actor).values_list("pk", flat=True))
        self.chooses_owner = can_choose_owner(actor)
        self.default_owner_id = actor.pk if role_of(actor) in CUSTOMER_OWNER_ROLES else None
        self.seen: dict[str, int] = {}
        self.mobile_prefixes: dict[str, bool] = {}


def _values(row: list[str], mapping: dict[int, str]) -> dict[str, str]:
    return {key: (row[i].strip() if i < len(row) else "") for i, key in mapping.items()}


def _check_lengths(values: dict[str, str], errors: list[str]) -> None:
    for key, value in values.items():
        limit = FIELD_BY_KEY[key].max_length
        if limit and len(value) > limit:
            errors.append(
                _("%(field)s is longer than %(max)d characters.")
                % {"field": FIELD_BY_KEY[key].label, "max": limit}
            )


def _owner(ctx: PlanContext, text: str, errors: list[str]) -> int | None:
    if not text:
        if ctx.default_owner_id is None:
            errors.append(_("The owner is missing."))
        return ctx.default_owner_id
    key = text.lower()
    if key not in ctx.people:
        errors.append(_("Unknown owner “%(value)s”.") % {"value": text})
        return None
    owner_id = ctx.people[key]
    if owner_id is None:
        errors.append(
            _("Several people are called “%(value)s”: give the username.") % {"value": text}
        )
        return None
    if owner_id not in ctx.allowed_owner_ids:
        errors.append(
            _("You cannot give customers to %(owner)s.") % {"owner": ctx.person_names[owner_id]}
        )
        return None
    return owner_id


def _contact(ctx: PlanContext, values: dict[str, str], errors: list[str]) -> dict[str, Any] | None:
    contact = {target: values.get(key, "") for key, target in CONTACT_KEYS.items()}
    name = values.get("contact_name", "")
    if not name:
        if any(contact.values()):
            errors.append(_("Contact details are given without the contact's name."))
        return None
    if contact["mobile"]:
        try:
            contact["mobile"] = _normalize_mobile(ctx, contact["mobile"])
        except ValidationError as exc:
            errors.extend(exc.messages)
    if contact["email"]:
        try:
            validate_email(contact["email"])
        except ValidationError:
            errors.append(
                _("“%(value)s” is not a valid e-mail address.") % {"value": contact["email"]}
            )
    contact["name"] = name
    return contact


def _plan_row(
    ctx: PlanContext, row_no: int, values: dict[str, str], existing: dict[str, Customer]
) -> RowPlan:
    name = values.get("name", "")
    errors: list[str] = []
    plan = RowPlan(row=row_no, name=name, action=RowAction.CREATE, errors=errors)
    _check_lengths(values, errors)
    if not name:
        errors.append(_("The company name is missing."))
    level_text = values.get("level", "")
    level_id = ctx.levels.get(level_text.lower()) if level_text else None
    if not level_text:
        errors.append(_("The level is missing."))
    elif level_id is None:
        errors.append(_("Unknown level “%(value)s”.") % {"value": level_text})
    owner_text = values.get("owner", "")
    owner_id = _owner(ctx, owner_text, errors)
    plan.contact = _contact(ctx, values, errors)
    plan.customer = {key: values[key] for key in CUSTOMER_KEYS if values.get(key)}
    plan.customer["level_id"] = level_id
    plan.customer["owner_id"] = owner_id
    if name:
        lname = name.lower()
        first = ctx.seen.setdefault(lname, row_no)
        if first != row_no:
            errors.append(_("The same company as row %(row)d.") % {"row": first})
        elif (customer := existing.get(lname)) is not None:
            if not customer.is_active:
                errors.append(_("A customer with this name exists and is archived."))
            elif not can_edit_customer(ctx.actor, customer):
                # Whose it is stays unsaid: the importer may not see that customer.
                errors.append(_("A customer with this name exists and belongs to someone else."))
            else:
                plan.action = RowAction.UPDATE
                plan.existing_id = customer.pk
                if not (owner_text and ctx.chooses_owner):
                    del plan.customer["owner_id"]
    if errors:
        plan.action = RowAction.REFUSE
    return plan


def _existing(names: Iterable[str]) -> dict[str, Customer]:
    lowered = {n.lower() for n in names if n}
    if not lowered:
        return {}
    qs = (
        Customer.objects.annotate(lname=Lower("name"))
        .filter(Q(lname__in=lowered))
        .select_related("owner__team")
    )
    return {c.name.lower(): c for c in qs}


def plan_rows(
    ctx: PlanContext, rows: Iterator[tuple[int, list[str]]], mapping: dict[str, str]
) -> Iterator[RowPlan]:
    """One plan per data row (numbered as the spreadsheet numbers them), in file order."""
    columns = {int(i): key for i, key in mapping.items() if key}
    for chunk in _batched(rows, CHUNK):
        values = [(row_no, _values(row, columns)) for row_no, row in chunk]
        existing = _existing(v.get("name", "") for _, v in values)
        for row_no, row_values in values:
            yield _plan_row(ctx, row_no, row_values, existing)
