"""Reads of leads and the show's funnel. Booth staff of a show see all its leads; anyone
else sees the leads whose salesperson's customers they see (customer_scope_q on
`owner`, a field leads share with customers)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from visitflow.accounts.models import User
from visitflow.customers.permissions import can_list_customers
from visitflow.customers.selectors import customer_scope_q
from visitflow.tradeshows.models import (
    BoothVisit,
    InvitationStatus,
    Lead,
    LeadStatus,
    TradeShow,
)
from visitflow.tradeshows.permissions import is_booth_staff
from visitflow.visits.models import VisitOutcome


def lead_scope_for_user(user: User, show: TradeShow | None = None) -> QuerySet[Lead]:
    if show is not None and is_booth_staff(user, show):
        return show.leads.all()
    if not can_list_customers(user):
        return Lead.objects.none()
    qs = Lead.objects.all() if show is None else show.leads.all()
    scope = customer_scope_q(user)
    return qs if scope is None else qs.filter(scope)


@dataclass(frozen=True)
class LeadFilters:
    status: str = ""
    owner: int | None = None
    unassigned: bool = False


def lead_list_for_user(
    user: User, show: TradeShow, filters: LeadFilters | None = None
) -> QuerySet[Lead]:
    filters = filters or LeadFilters()
    qs = lead_scope_for_user(user, show)
    if filters.status:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.exclude(status=LeadStatus.MERGED)
    if filters.unassigned:
        qs = qs.filter(owner__isnull=True)
    elif filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    return qs.select_related("owner", "customer", "contact", "captured_by").order_by(
        "-created", "-pk"
    )


def lead_get_for_user(user: User, pk: int) -> Lead:
    lead = Lead.objects.filter(pk=pk).select_related("show").first()
    if lead is None:
        raise Http404
    found = (
        lead_scope_for_user(user, lead.show)
        .filter(pk=pk)
        .select_related("show", "owner", "customer__owner", "contact", "captured_by", "merged_into")
        .first()
    )
    if found is None:
        raise Http404
    return found


FUNNEL_STAGES = ("invited", "confirmed", "came", "leads", "called", "visits", "deals")


@dataclass
class FunnelRow:
    owner: str
    invited: int = 0
    confirmed: int = 0
    came: int = 0
    leads: int = 0
    called: int = 0
    visits: int = 0
    deals: int = 0


def invitation_counts() -> dict[str, Count]:
    """The invitation stages of a funnel, to annotate grouped invitations with. Confirmed
    counts those who said they would come and those who came."""
    return {
        "invited": Count("pk"),
        "confirmed": Count(
            "pk", filter=Q(status__in=[InvitationStatus.CONFIRMED, InvitationStatus.CAME])
        ),
        "came": Count("pk", filter=Q(status=InvitationStatus.CAME)),
    }


def show_funnel(user: User, show: TradeShow) -> list[FunnelRow]:
    """SOP 5.3.5 per salesperson: invited → confirmed → came → leads → called → visit →
    deal. Confirmed counts those who said they would come and those who came; visits and
    deals are counted per host of the company visit (issue 7)."""
    from visitflow.tradeshows.selectors_invitations import invitation_scope_for_user

    names: dict[int, str] = {}
    rows: dict[int | None, FunnelRow] = {}

    def row(owner_id: int | None) -> FunnelRow:
        if owner_id not in rows:
            rows[owner_id] = FunnelRow(owner="")
        return rows[owner_id]

    invitations = (
        invitation_scope_for_user(user)
        .filter(show=show)
        .values("owner")
        .annotate(**invitation_counts())
        .order_by()
    )
    for item in invitations:
        counts: dict[str, Any] = dict(item)
        r = row(counts["owner"])
        r.invited, r.confirmed, r.came = counts["invited"], counts["confirmed"], counts["came"]
    leads = (
        lead_scope_for_user(user, show)
        .exclude(status=LeadStatus.MERGED)
        .values("owner")
        .annotate(
            leads=Count("pk"),
            called=Count("pk", filter=Q(called_at__isnull=False)),
        )
        .order_by()
    )
    for lead_row in leads:
        r = row(lead_row["owner"])
        r.leads, r.called = lead_row["leads"], lead_row["called"]
    visible_invitations = invitation_scope_for_user(user).filter(show=show).values("pk")
    visible_leads = lead_scope_for_user(user, show).values("pk")
    visits = (
        BoothVisit.objects.filter(show=show, visit__isnull=False)
        .filter(Q(invitation__in=visible_invitations) | Q(lead__in=visible_leads))
        .values("visit__host")
        .annotate(
            n=Count("visit", distinct=True),
            deals=Count("visit", distinct=True, filter=Q(visit__outcome=VisitOutcome.DEAL)),
        )
        .order_by()
    )
    for visit_row in visits:
        r = row(visit_row["visit__host"])
        r.visits, r.deals = visit_row["n"], visit_row["deals"]
    ids = [pk for pk in rows if pk is not None]
    names.update({u.pk: str(u) for u in User.objects.filter(pk__in=ids)})
    result = []
    for owner_id, r in rows.items():
        r.owner = names.get(owner_id, "") if owner_id is not None else ""
        result.append(r)
    result.sort(key=lambda r: (r.owner == "", r.owner))
    return result


def funnel_total(rows: list[FunnelRow]) -> FunnelRow:
    total = FunnelRow(owner="")
    for r in rows:
        for name in FUNNEL_STAGES:
            setattr(total, name, getattr(total, name) + getattr(r, name))
    return total
