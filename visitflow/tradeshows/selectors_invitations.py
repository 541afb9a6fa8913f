"""Reads of invitations. An invitee belongs to their salesperson as the customer does
(customers.selectors.customer_scope_q, whose filter names `owner`, a field invitations
share); the public answer page finds one invitation by its secret token only."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from visitflow.accounts.models import User
from visitflow.customers.models import Contact, Customer
from visitflow.customers.permissions import can_list_customers
from visitflow.customers.selectors import customer_base_qs_for_user, customer_scope_q
from visitflow.tradeshows.models import Invitation, InvitationStatus, TradeShow

NOT_CONFIRMED = (InvitationStatus.INVITED,)


def invitation_scope_for_user(user: User) -> QuerySet[Invitation]:
    if not can_list_customers(user):
        return Invitation.objects.none()
    qs = Invitation.objects.all()
    scope = customer_scope_q(user)
    return qs if scope is None else qs.filter(scope)


@dataclass(frozen=True)
class InvitationFilters:
    status: str = ""
    not_confirmed: bool = False
    owner: int | None = None


def invitation_list_for_user(
    user: User, show: TradeShow, filters: InvitationFilters | None = None
) -> QuerySet[Invitation]:
    filters = filters or InvitationFilters()
    qs = invitation_scope_for_user(user).filter(show=show)
    if filters.not_confirmed:
        qs = qs.filter(status__in=NOT_CONFIRMED)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    return qs.select_related("customer__level", "contact", "owner").order_by(
        "customer__name", "contact__name", "pk"
    )


def invitation_counts(user: User, show: TradeShow) -> dict[str, int]:
    rows = (
        invitation_scope_for_user(user)
        .filter(show=show)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(InvitationStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    counts["total"] = sum(counts[s] for s in InvitationStatus.values)
    return counts


def invitation_get_for_user(user: User, pk: int) -> Invitation:
    invitation = (
        invitation_scope_for_user(user)
        .filter(pk=pk)
        .select_related("show", "customer__level", "contact", "owner__team")
        .prefetch_related("calls__caller")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


class LinkState:
    OK = "ok"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    EXPIRED = "expired"


def invitation_for_token(token: str) -> tuple[str, Invitation | None]:
    """The invitation behind a personal link, and whether the link still works."""
    if not 20 <= len(token) <= 64:
        return LinkState.UNKNOWN, None
    invitation = (
        Invitation.objects.filter(token=token)
        .select_related("show", "customer", "contact", "owner")
        .first()
    )
    if invitation is None:
        return LinkState.UNKNOWN, None
    if invitation.link_revoked_at is not None:
        return LinkState.REVOKED, invitation
    if invitation.link_expires_at <= timezone.now():
        return LinkState.EXPIRED, invitation
    return LinkState.OK, invitation


@dataclass(frozen=True)
class CandidateFilters:
    level: str = ""
    owner: int | None = None
    region: str = ""
    q: str = ""


def invitee_candidates_for_user(
    user: User, show: TradeShow, filters: CandidateFilters
) -> QuerySet[Customer]:
    """Customers the user may invite (their own, as the customer list scopes them), each
    with its contacts and which of them are invited already."""
    qs = customer_base_qs_for_user(user)
    if filters.level:
        qs = qs.filter(level__code=filters.level)
    if filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    if filters.region:
        qs = qs.filter(Q(region=filters.region) | Q(city=filters.region))
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(short_name__icontains=filters.q))
    contacts = Contact.objects.order_by("-is_primary", "name").annotate(
        invited=Exists(Invitation.objects.filter(show=show, contact=OuterRef("pk")))
    )
    return (
        qs.select_related("level", "owner")
        .prefetch_related(Prefetch("contacts", queryset=contacts, to_attr="invite_contacts"))
        .order_by("name", "pk")
    )


def contacts_for_user(user: User, ids: list[int]) -> list[Contact]:
    """The chosen contacts the user may invite; a foreign id is silently not there."""
    customers = customer_base_qs_for_user(user)
    return list(
        Contact.objects.filter(pk__in=ids, customer__in=customers).select_related("customer__owner")
    )


def region_choices_for_user(user: User) -> list[str]:
    regions = (
        customer_base_qs_for_user(user)
        .exclude(region="")
        .values_list("region", flat=True)
        .distinct()
        .order_by("region")[:200]
    )
    return list(regions)
