"""After the show (SOP 5.3.5 展会结束后…整理…主动电话联系跟进): leads de-duplicated,
assigned to a salesperson, called within a set time, and converted into customers."""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visitflow.accounts.models import Role, User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.customers.models import CustomerLevel, CustomerSource
from visitflow.customers.services import contact_create, customer_create
from visitflow.notifications.models import NotificationKind
from visitflow.notifications.services import notify
from visitflow.tradeshows.models import Lead, LeadStatus, TradeShow
from visitflow.tradeshows.services.booth import LEAD_FIELDS, match_existing

OPEN = (LeadStatus.NEW, LeadStatus.ASSIGNED)


def _error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def lead_call_window() -> timedelta:
    return timedelta(hours=int(settings.TRADESHOW_LEAD_CALL_HOURS))


def duplicate_groups(show: TradeShow) -> list[list[Lead]]:
    """Leads of one show that are the same person: same mobile, same e-mail, or same
    name at the same company. Merge suggestions, oldest first in each group."""
    leads = list(
        show.leads.exclude(status=LeadStatus.MERGED)
        .select_related("owner", "customer")
        .order_by("created", "pk")
    )
    parent = {lead.pk: lead.pk for lead in leads}

    def find(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    seen: dict[str, int] = {}
    for lead in leads:
        keys = []
        if lead.mobile:
            keys.append(f"m:{lead.mobile}")
        if lead.email:
            keys.append(f"e:{lead.email.lower()}")
        if lead.company:
            keys.append(f"n:{lead.name.strip().lower()}|{lead.company.strip().lower()}")
        for key in keys:
            if key in seen:
                parent[find(lead.pk)] = find(seen[key])
            else:
                seen[key] = lead.pk
    groups: dict[int, list[Lead]] = {}
    for lead in leads:
        groups.setdefault(find(lead.pk), []).append(lead)
    return [group for group in groups.values() if len(group) > 1]


@transaction.atomic
def lead_merge(*, actor: User, keep: Lead, other: Lead) -> Lead:
    """Fold `other` into `keep`: empty fields are filled, its booth visits move over."""
    if keep.pk == other.pk or keep.show_id != other.show_id:
        raise ApplicationError(_("Only two different leads of the same show can be merged."))
    keep = Lead.objects.select_for_update(of=("self",)).get(pk=keep.pk)
    other = Lead.objects.select_for_update(of=("self",)).get(pk=other.pk)
    if other.status == LeadStatus.MERGED or keep.status == LeadStatus.MERGED:
        raise ApplicationError(_("One of these leads was merged already."))
    for name in [*LEAD_FIELDS, "interest", "grade"]:
        if not getattr(keep, name) and getattr(other, name):
            setattr(keep, name, getattr(other, name))
    if other.notes:
        keep.notes = "\n".join(filter(None, [keep.notes, other.notes]))[:2000]
    for name in ("customer", "contact", "owner"):
        if getattr(keep, f"{name}_id") is None and getattr(other, f"{name}_id") is not None:
            setattr(keep, name, getattr(other, name))
    keep.save()
    other.booth_visits.update(lead=keep)
    other.status = LeadStatus.MERGED
    other.merged_into = keep
    other.call_due_at = None
    other.save(update_fields=["status", "merged_into", "call_due_at", "updated"])
    log_activity(
        actor=actor,
        action="lead.merged",
        obj=keep,
        customer=keep.customer,
        changes={"merged": str(other)},
    )
    return keep


def _region_owner(lead: Lead) -> User | None:
    """The salesperson who holds most customers in the province or city the card's
    address names."""
    from visitflow.customers.models import Customer

    if not lead.address:
        return None
    regions = Customer.objects.exclude(region="").values_list("region", flat=True).distinct()
    found = [r for r in regions[:500] if r and r in lead.address]
    if not found:
        return None
    best = (
        Customer.objects.filter(region__in=found, is_active=True, owner__is_active=True)
        .values("owner")
        .annotate(n=Count("pk"))
        .order_by("-n", "owner")
        .first()
    )
    return User.objects.get(pk=best["owner"]) if best else None


def _round_robin_pool(show: TradeShow) -> list[User]:
    pool = list(show.team.filter(is_active=True, role__in=[Role.SALES, Role.SALES_MANAGER]))
    if not pool:
        pool = list(User.objects.filter(is_active=True, role=Role.SALES).order_by("pk")[:50])
    return pool


@transaction.atomic
def lead_assign(*, actor: User, lead: Lead, owner: User) -> Lead:
    if owner.role not in (Role.SALES, Role.SALES_MANAGER) or not owner.is_active:
        raise _error("owner", _("Leads go to a salesperson."))
    lead = Lead.objects.select_for_update(of=("self",)).select_related("show").get(pk=lead.pk)
    if lead.status in (LeadStatus.MERGED, LeadStatus.CONVERTED):
        raise ApplicationError(_("This lead is closed."))
    lead.owner = owner
    if lead.status == LeadStatus.NEW:
        lead.status = LeadStatus.ASSIGNED
    if lead.called_at is None:
        lead.call_due_at = timezone.now() + lead_call_window()
    lead.save()
    log_activity(
        actor=actor,
        action="lead.assigned",
        obj=lead,
        customer=lead.customer,
        changes={"owner": str(owner)},
    )
    if owner.pk != actor.pk:
        notify(
            recipient=owner,
            kind=NotificationKind.LEAD_CALL,
            title=format_lazy(
                gettext_lazy("New lead from {show}: {name}"), show=lead.show.name, name=str(lead)
            ),
            body=format_lazy(
                gettext_lazy("Call {name} by {due}."),
                name=str(lead),
                due=timezone.localtime(lead.call_due_at).strftime("%m-%d %H:%M")
                if lead.call_due_at
                else "",
            ),
            link=reverse("tradeshows:lead_detail", args=[lead.pk]),
            key=f"lead_assigned:{lead.pk}:u{owner.pk}",
            actor=actor,
        )
    return lead


@transaction.atomic
def leads_auto_assign(*, actor: User, show: TradeShow) -> int:
    """Every new lead of the show: the matching customer's owner, else the
    salesperson of the address's region, else round robin over the booth's salespeople
    (whoever has fewest of this show's leads first)."""
    unassigned = list(
        show.leads.filter(status=LeadStatus.NEW)
        .select_related("customer__owner", "owner")
        .order_by("created", "pk")
    )
    pool = _round_robin_pool(show)
    load = Counter(
        dict(
            show.leads.exclude(owner__isnull=True)
            .values_list("owner")
            .annotate(n=Count("pk"))
            .values_list("owner", "n")
        )
    )
    done = 0
    for lead in unassigned:
        if lead.customer_id is None:
            customer, contact = match_existing(
                mobile=lead.mobile, email=lead.email, company=lead.company
            )
            if customer is not None:
                lead.customer, lead.contact = customer, contact
                lead.save(update_fields=["customer", "contact", "updated"])
        owner = lead.owner or (lead.customer.owner if lead.customer else _region_owner(lead))
        if owner is None:
            if not pool:
                break
            owner = min(pool, key=lambda person: (load[person.pk], person.pk))
        lead_assign(actor=actor, lead=lead, owner=owner)
        load[owner.pk] += 1
        done += 1
    return done


@transaction.atomic
def lead_call_record(*, actor: User, lead: Lead, outcome: str) -> Lead:
    outcome = outcome.strip()
    if not outcome:
        raise _error("outcome", _("Say what came of the call."))
    lead = Lead.objects.select_for_update(of=("self",)).get(pk=lead.pk)
    if lead.status in (LeadStatus.MERGED,):
        raise ApplicationError(_("This lead was merged into another; call that one."))
    lead.called_at = timezone.now()
    lead.call_outcome = outcome[:500]
    lead.call_due_at = None
    if lead.status in OPEN:
        lead.status = LeadStatus.CALLED
    if lead.owner_id is None:
        lead.owner = actor
    lead.save()
    log_activity(actor=actor, action="lead.called", obj=lead, customer=lead.customer)
    return lead


@transaction.atomic
def lead_convert(*, actor: User, lead: Lead, level: CustomerLevel) -> Lead:
    """The lead becomes a customer with a contact, or a contact of the customer it
    matches; nothing known is created twice."""
    lead = (
        Lead.objects.select_for_update(of=("self",))
        .select_related("customer", "contact")
        .get(pk=lead.pk)
    )
    if lead.status in (LeadStatus.MERGED, LeadStatus.CONVERTED):
        raise ApplicationError(_("This lead is closed."))
    owner = lead.owner or actor
    customer = lead.customer
    if customer is None:
        customer = customer_create(
            actor=actor,
            name=lead.company or lead.name,
            level=level,
            owner=owner,
            address=lead.address,
            source=CustomerSource.TRADE_SHOW,
            notes=_("Met at %(show)s.") % {"show": lead.show},
        )
    contact = lead.contact
    if contact is None:
        contact = customer.contacts.filter(
            Q(mobile=lead.mobile) if lead.mobile else Q(name=lead.name)
        ).first()
    if contact is None:
        contact = contact_create(
            actor=actor,
            customer=customer,
            name=lead.name,
            title=lead.title,
            mobile=lead.mobile,
            email=lead.email,
        )
    lead.customer, lead.contact, lead.owner = customer, contact, customer.owner
    lead.status = LeadStatus.CONVERTED
    lead.call_due_at = None
    lead.save()
    log_activity(actor=actor, action="lead.converted", obj=lead, customer=customer)
    return lead
