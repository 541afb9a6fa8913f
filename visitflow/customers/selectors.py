"""Reads of customers and contacts, always scoped to the user who asks."""

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import CUSTOMER_READ_ALL_ROLES, is_admin, role_of
from visitflow.customers.models import Contact, Customer, CustomerLevel
from visitflow.customers.permissions import can_list_customers

SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "level": ("level__rank", "name"),
    "-level": ("-level__rank", "name"),
    "city": ("city", "name"),
    "-city": ("-city", "name"),
    "updated": ("updated", "id"),
    "-updated": ("-updated", "-id"),
}
DEFAULT_SORT = "-updated"


def customer_scope_q(user: User) -> Q | None:
    """The customers a user may see, as a filter; None means all of them."""
    role = role_of(user)
    if role in CUSTOMER_READ_ALL_ROLES:
        return None
    if role == Role.SALES_MANAGER:
        # Owners first, then their customers: an IN over the owner index, not an OR
        # across a join that no index serves.
        team_people = User.objects.filter(Q(pk=user.pk) | Q(team__manager=user)).values("pk")
        return Q(owner__in=team_people)
    return Q(owner=user)


def _stood_in_customers_q(user: User) -> Q:
    """SOP 5.2: a stand-in host sees the customer of a visit they cover until it closes.

    Only for reading one customer: in a list the OR would keep the planner off the owner
    index (a scan of every customer), and a stand-in needs the page, not the list."""
    # Imported here: visits builds on customers, not the other way round.
    from visitflow.visits.models import Visit
    from visitflow.visits.selectors import stand_in_visits_q

    return Q(pk__in=Visit.objects.filter(stand_in_visits_q(user)).values("customer_id"))


def customer_base_qs_for_user(
    user: User, *, include_archived: bool = False, include_stood_in: bool = False
) -> QuerySet[Customer]:
    if not can_list_customers(user):
        return Customer.objects.none()
    qs = Customer.objects.all()
    scope = customer_scope_q(user)
    if scope is not None:
        qs = qs.filter(scope | _stood_in_customers_q(user) if include_stood_in else scope)
    if not (include_archived and is_admin(user)):
        qs = qs.filter(is_active=True)
    return qs


@dataclass(frozen=True)
class CustomerFilters:
    q: str = ""
    level: str = ""
    owner: int | None = None
    city: str = ""
    archived: bool = False
    sort: str = DEFAULT_SORT


DIGITS = re.compile(r"\D+")


def customer_list_for_user(
    user: User, filters: CustomerFilters | None = None
) -> QuerySet[Customer]:
    """The customer list: scoped, filtered, sorted, with the primary contact in the same query."""
    filters = filters or CustomerFilters()
    qs = customer_base_qs_for_user(user, include_archived=filters.archived)
    if filters.archived and is_admin(user):
        qs = qs.filter(is_active=False)
    if filters.q:
        term = filters.q.strip()
        contact_match = Q(name__icontains=term)
        digits = DIGITS.sub("", term)
        if len(digits) >= 4:
            contact_match |= Q(mobile__contains=digits)
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(short_name__icontains=term)
            # One scan of the contacts, not one probe per customer row.
            | Q(pk__in=Contact.objects.filter(contact_match).values("customer_id"))
        )
    if filters.level:
        qs = qs.filter(level__code=filters.level)
    if filters.owner:
        qs = qs.filter(owner_id=filters.owner)
    if filters.city:
        qs = qs.filter(city=filters.city)
    # The primary contact of the rows on the page only: one query, whatever the page size.
    primary = Prefetch(
        "contacts",
        queryset=Contact.objects.filter(is_primary=True).only(
            "id", "customer_id", "name", "mobile"
        ),
        to_attr="primary_contacts",
    )
    return (
        qs.select_related("level", "owner")
        .prefetch_related(primary)
        .order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))
    )


def customer_get_for_user(user: User, pk: int) -> Customer:
    """One customer the user may see, or 404 (never 403: a foreign id tells nothing)."""
    qs = customer_base_qs_for_user(
        user, include_archived=True, include_stood_in=True
    ).select_related("level", "owner", "owner__team")
    customer = qs.filter(pk=pk).first()
    if customer is None or (not customer.is_active and not is_admin(user)):
        raise Http404
    return customer


def contact_get_for_user(user: User, pk: int) -> Contact:
    customers = customer_base_qs_for_user(user)
    contact = (
        Contact.objects.filter(pk=pk, customer__in=customers).select_related("customer").first()
    )
    if contact is None:
        raise Http404
    return contact


def owner_choices_for_user(user: User) -> QuerySet[User]:
    """Whom this user may name as a customer's owner."""
    qs = User.objects.filter(is_active=True, role__in=[Role.SALES, Role.SALES_MANAGER])
    if is_admin(user):
        return qs.order_by("display_name", "username")
    if role_of(user) == Role.SALES_MANAGER:
        return qs.filter(Q(pk=user.pk) | Q(team__manager=user)).order_by("display_name")
    return qs.filter(pk=user.pk)


def owner_filter_choices_for_user(user: User) -> QuerySet[User]:
    """Owners offered in the list filter: those whose customers the user can see."""
    role = role_of(user)
    qs = User.objects.filter(role__in=[Role.SALES, Role.SALES_MANAGER], is_active=True)
    if role in CUSTOMER_READ_ALL_ROLES:
        return qs.order_by("display_name", "username")
    if role == Role.SALES_MANAGER:
        return qs.filter(Q(pk=user.pk) | Q(team__manager=user)).order_by("display_name")
    return qs.none()


def level_choices() -> QuerySet[CustomerLevel]:
    return CustomerLevel.objects.filter(is_active=True).order_by("rank", "code")


CITY_CHOICES_TTL = 300


def city_choices_for_user(user: User) -> list[str]:
    """Cities of the customers the user sees, for the filter (cached: a DISTINCT over
    the whole scope is too dear to run on every list page)."""
    key = f"customers:cities:{user.pk}:{role_of(user)}"
    cities: list[str] | None = cache.get(key)
    if cities is None:
        qs = customer_base_qs_for_user(user).exclude(city="")
        cities = list(qs.order_by("city").values_list("city", flat=True).distinct()[:300])
        cache.set(key, cities, CITY_CHOICES_TTL)
    return cities


def similar_customers(
    name: str, *, exclude_pk: int | None = None, limit: int = 5
) -> list[Customer]:
    """Customers whose name is the same or very close (查重 before saving)."""
    core = core_company_name(name)
    if len(core) < 2:
        return []
    qs = Customer.objects.select_related("owner").filter(
        Q(name__iexact=name.strip()) | Q(name__icontains=core) | Q(short_name__iexact=core)
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.order_by("name")[:limit])


_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "公司",
    "co., ltd.",
    "co.,ltd.",
    "co. ltd",
    "company",
    "limited",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
    "gmbh",
    "llc",
)
_PROVINCE_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}?(?:省|市))")


def core_company_name(name: str) -> str:
    """The distinctive part of a company name: without legal suffix and city prefix."""
    text = (name or "").strip().lower()
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)].strip(" ,.")
                changed = True
    text = _PROVINCE_PREFIX.sub("", text)
    return text.strip()
