"""On site (SOP 5.3.3-5.3.4): checking invitees in, capturing new visitors as leads,
who attends whom, and seeing visitors off."""

import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.core.validators import normalize_phone
from visitflow.customers.models import Contact, Customer
from visitflow.customers.selectors import core_company_name
from visitflow.logistics.models import GiftItem
from visitflow.logistics.services.gifts import stock_take
from visitflow.notifications.models import NotificationKind
from visitflow.notifications.services import notify
from visitflow.tradeshows.models import (
    BoothVisit,
    BoothVisitState,
    Invitation,
    InvitationStatus,
    Lead,
    TradeShow,
)

BV = BoothVisitState
LEAD_FIELDS = ["name", "company", "title", "mobile", "phone", "email", "address", "website"]
_TOKEN_IN_URL = re.compile(r"/r/([A-Za-z0-9_-]{20,64})/?")


def _error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def clean_code(raw: str) -> tuple[str, str]:
    """What was typed or scanned: ("code", "ABCD2345") or ("token", "…") when the letter's
    QR code (the personal link) was scanned."""
    raw = (raw or "").strip()
    found = _TOKEN_IN_URL.search(raw)
    if found:
        return "token", found.group(1)
    return "code", re.sub(r"[\s-]", "", raw).upper()[:12]


def invitation_for_code(show: TradeShow, raw: str) -> Invitation | None:
    kind, value = clean_code(raw)
    if not value:
        return None
    lookup = {"token": value} if kind == "token" else {"code": value}
    return (
        Invitation.objects.filter(show=show, **lookup)
        .select_related("customer", "contact", "owner")
        .first()
    )


def _board_link(show: TradeShow) -> str:
    return reverse("tradeshows:board", args=[show.pk])


@transaction.atomic
def booth_check_in(*, actor: User, show: TradeShow, invitation: Invitation) -> BoothVisit:
    """SOP 5.3.3: the invitee is recognised; their salesperson is told at once."""
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if invitation.show_id != show.pk:
        raise _error("code", _("This invitation is for another show."))
    here = BoothVisit.objects.filter(invitation=invitation).exclude(state=BV.LEFT).first()
    if here is not None:
        raise _error(
            "code",
            _("%(name)s is at the booth already (since %(time)s).")
            % {
                "name": here.visitor_name,
                "time": timezone.localtime(here.arrived_at).strftime("%H:%M"),
            },
        )
    now = timezone.now()
    contact = invitation.contact
    customer = invitation.customer
    visit = BoothVisit.objects.create(
        show=show,
        invitation=invitation,
        customer=customer,
        visitor_name=f"{contact.name} · {customer.short_name or customer.name}",
        greet_first=True,  # an invitee is an existing customer (老客户)
        arrived_at=now,
    )
    if invitation.status != InvitationStatus.CAME:
        invitation.status = InvitationStatus.CAME
        invitation.checked_in_at = now
        invitation.call_due_at = None
        invitation.save(update_fields=["status", "checked_in_at", "call_due_at", "updated"])
    log_activity(
        actor=actor,
        action="booth.checked_in",
        obj=visit,
        customer=customer,
        changes={"show": str(show)},
    )
    notify(
        recipient=invitation.owner,
        kind=NotificationKind.BOOTH_VISITOR,
        title=format_lazy(
            gettext_lazy("{contact} of {customer} is at the booth"),
            contact=contact.name,
            customer=customer.short_name or customer.name,
        ),
        body=format_lazy(
            gettext_lazy("Your customer {contact} ({customer}) arrived at {show}, booth {booth}."),
            contact=contact.name,
            customer=customer.name,
            show=show.name,
            booth=show.booth_number,
        ),
        link=_board_link(show),
        key=f"booth_visitor:{visit.pk}",
        actor=actor,
    )
    return visit


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def match_existing(
    *, mobile: str = "", email: str = "", company: str = ""
) -> tuple[Customer | None, Contact | None]:
    """The contact a card belongs to (by mobile, then e-mail), else the customer (by
    company name): SOP 5.3.5 整理 — a known person is linked, not added again."""
    contact = None
    if mobile:
        contact = Contact.objects.filter(mobile=mobile).select_related("customer").first()
    if contact is None and email:
        contact = Contact.objects.filter(email__iexact=email).select_related("customer").first()
    if contact is not None:
        return contact.customer, contact
    if company.strip():
        exact = Customer.objects.filter(name__iexact=company.strip()).first()
        if exact is not None:
            return exact, None
        core = core_company_name(company)
        if len(core) >= 2:
            close = list(Customer.objects.filter(name__icontains=core)[:2])
            if len(close) == 1:
                return close[0], None
    return None, None


def _clean_lead_fields(data: dict[str, Any]) -> dict[str, str]:
    fields = {name: str(data.get(name) or "").strip() for name in LEAD_FIELDS}
    if not fields["name"] and not fields["company"]:
        raise _error("name", _("Give at least the visitor's name or company."))
    if not fields["name"]:
        fields["name"] = fields["company"]
    if fields["mobile"]:
        try:
            fields["mobile"] = normalize_phone(fields["mobile"])
        except ValidationError as exc:
            raise _error("mobile", str(exc.messages[0])) from exc
    if fields["email"]:
        from django.core.validators import validate_email

        try:
            validate_email(fields["email"])
        except ValidationError as exc:
            raise _error("email", _("Enter a valid e-mail address.")) from exc
        fields["email"] = fields["email"].lower()
    limits = {f.name: f.max_length for f in Lead._meta.get_fields() if hasattr(f, "max_length")}
    for name, value in fields.items():
        limit = limits.get(name)
        if limit and len(value) > limit:
            raise _error(name, _("At most %(max)s characters, please.") % {"max": limit})
    return fields


@transaction.atomic
def lead_capture(*, actor: User, show: TradeShow, data: dict[str, Any]) -> Lead:
    """A new visitor at the booth: their card typed in (or read), matched against the
    customers, and put on the board as attended by whoever captured it."""
    fields = _clean_lead_fields(data)
    customer, contact = match_existing(
        mobile=fields["mobile"], email=fields["email"], company=fields["company"]
    )
    now = timezone.now()
    lead = Lead.objects.create(
        show=show,
        captured_by=actor,
        customer=customer,
        contact=contact,
        owner=customer.owner if customer else None,
        interest=str(data.get("interest") or "")[:300],
        grade=str(data.get("grade") or ""),
        notes=str(data.get("notes") or "")[:2000],
        **fields,
    )
    BoothVisit.objects.create(
        show=show,
        lead=lead,
        customer=customer,
        visitor_name=str(lead),
        greet_first=customer is not None,
        arrived_at=now,
        state=BV.ATTENDED,
        attended_by=actor,
        attended_at=now,
        interest=lead.interest,
        grade=lead.grade,
    )
    log_activity(
        actor=actor,
        action="lead.captured",
        obj=lead,
        customer=customer,
        changes={"show": str(show), "matched": str(contact or customer or "")},
    )
    if customer is not None and customer.owner_id != actor.pk:
        notify(
            recipient=customer.owner,
            kind=NotificationKind.BOOTH_VISITOR,
            title=format_lazy(
                gettext_lazy("{name} of {customer} is at the booth"),
                name=lead.name,
                customer=customer.short_name or customer.name,
            ),
            body=format_lazy(
                gettext_lazy("{name} ({customer}) came to {show}; {staff} is with them."),
                name=lead.name,
                customer=customer.name,
                show=show.name,
                staff=str(actor),
            ),
            link=_board_link(show),
            key=f"booth_lead:{lead.pk}",
            actor=actor,
        )
    return lead


@transaction.atomic
def booth_visit_attend(*, actor: User, visit: BoothVisit, staff: User) -> BoothVisit:
    """SOP 5.3.4 确保每个客户都有人接待: someone of the booth team takes the visitor."""
    visit = (
        BoothVisit.objects.select_for_update(of=("self",)).select_related("show").get(pk=visit.pk)
    )
    if visit.state == BV.LEFT:
        raise ApplicationError(_("%(name)s has left already.") % {"name": visit.visitor_name})
    if not visit.show.team.filter(pk=staff.pk).exists() and staff.pk != visit.show.organizer_id:
        raise _error("staff", _("Choose someone from the booth team."))
    visit.state = BV.ATTENDED
    visit.attended_by = staff
    visit.attended_at = timezone.now()
    visit.save(update_fields=["state", "attended_by", "attended_at", "updated"])
    log_activity(
        actor=actor,
        action="booth.attended",
        obj=visit,
        customer=visit.customer,
        changes={"attended_by": str(staff)},
    )
    return visit


VISIT_RECORD_FIELDS = ["interest", "grade", "notes"]


@transaction.atomic
def booth_visit_record(*, actor: User, visit: BoothVisit, data: dict[str, Any]) -> BoothVisit:
    visit = BoothVisit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
    if data.get("grade") and data["grade"] not in ("A", "B", "C"):
        raise _error("grade", _("Grade A, B or C."))
    for name in VISIT_RECORD_FIELDS:
        if name in data:
            setattr(visit, name, str(data[name] or "").strip())
    visit.save()
    if visit.lead_id:
        Lead.objects.filter(pk=visit.lead_id).update(
            interest=visit.interest, grade=visit.grade, notes=visit.notes
        )
    log_activity(actor=actor, action="booth.recorded", obj=visit, customer=visit.customer)
    return visit


@transaction.atomic
def booth_visit_see_off(
    *,
    actor: User,
    visit: BoothVisit,
    brochures_given: str = "",
    gift_item: GiftItem | None = None,
    gift_quantity: int = 0,
    invited_to_company: bool = False,
) -> BoothVisit:
    """SOP 5.3.4 (second): materials and gifts given, seen off, invited to the company."""
    visit = (
        BoothVisit.objects.select_for_update(of=("self",)).select_related("show").get(pk=visit.pk)
    )
    if visit.state == BV.LEFT:
        raise ApplicationError(_("%(name)s has left already.") % {"name": visit.visitor_name})
    if gift_quantity and gift_item is None:
        raise _error("gift_item", _("Choose which gift was given."))
    if gift_item is not None:
        if gift_quantity < 1:
            raise _error("gift_quantity", _("The quantity must be at least 1."))
        stock_take(
            actor=actor,
            item=gift_item,
            quantity=gift_quantity,
            note=f"{visit.show} · {visit.visitor_name}",
        )
    visit.state = BV.LEFT
    visit.left_at = timezone.now()
    visit.brochures_given = brochures_given.strip()[:300]
    visit.gift_item = gift_item
    visit.gift_quantity = gift_quantity if gift_item else 0
    visit.invited_to_company = invited_to_company
    if visit.attended_by_id is None:
        visit.attended_by = actor
        visit.attended_at = visit.left_at
    visit.save()
    log_activity(
        actor=actor,
        action="booth.seen_off",
        obj=visit,
        customer=visit.customer,
        changes={"invited_to_company": "1" if invited_to_company else "0"},
    )
    return visit


def unattended_after() -> timedelta:
    return timedelta(minutes=int(settings.TRADESHOW_UNATTENDED_MINUTES))


@transaction.atomic
def booth_visit_start_company_visit(
    *, actor: User, visit: BoothVisit, starts_at: datetime, ends_at: datetime
) -> Any:
    """The visitor accepted to visit the company (SOP 5.3.4): a draft Visit is registered
    for their customer, hosted by its owner."""
    from visitflow.visits.services import visit_create

    visit = (
        BoothVisit.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=visit.pk)
    )
    if visit.customer is None:
        raise ApplicationError(
            _("Convert the lead into a customer first; then register the visit.")
        )
    if visit.visit_id is not None:
        raise ApplicationError(_("A visit is registered for this visitor already."))
    if ends_at <= starts_at:
        raise _error("ends_at", _("The visit must end after it starts."))
    company_visit = visit_create(
        actor=actor,
        customer=visit.customer,
        starts_at=starts_at,
        ends_at=ends_at,
        notes=_("Invited at %(show)s.") % {"show": visit.show},
    )
    visit.visit = company_visit
    visit.invited_to_company = True
    visit.save(update_fields=["visit", "invited_to_company", "updated"])
    log_activity(actor=actor, action="booth.visit_started", obj=visit, customer=visit.customer)
    return company_visit
