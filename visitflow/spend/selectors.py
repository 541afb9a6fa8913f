"""Reads of hospitality spend, always scoped to the user who asks."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import role_of
from visitflow.spend import permissions
from visitflow.spend.models import (
    CENT,
    COUNTED_STATES,
    ZERO,
    ActualSpend,
    ApproverLevel,
    LineStatus,
    SpendLine,
    SpendStandard,
)
from visitflow.visits.models import Visit, VisitStatus
from visitflow.visits.selectors import STAND_IN_OPEN_STATES, ScopeFilters

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _cents(value: Decimal | None) -> Decimal:
    """Database sums back to exact fen: SQLite adds decimals as binary floats, and an
    error that small vanishes at two places for any total a company spends."""
    return (value or ZERO).quantize(CENT)


def spend_visit_q(user: User, prefix: str = "") -> Q | None:
    """Visits whose spend the user sees, as a filter (None: all of them).

    A salesperson: visits they host, co-host or stand in for; a manager: also every
    visit hosted by their team."""
    p = f"{prefix}__" if prefix else ""
    if permissions.can_view_all_spend(user):
        return None
    role = role_of(user)
    if role not in permissions.SPEND_SCOPED_ROLES:
        return Q(pk__in=[])
    co_hosted = Visit.co_hosts.through.objects.filter(user_id=user.pk).values("visit_id")
    q = (
        Q(**{f"{p}host": user})
        | Q(**{f"{p}pk__in" if not p else f"{p}id__in": co_hosted})
        | Q(**{f"{p}stand_in": user, f"{p}status__in": STAND_IN_OPEN_STATES})
    )
    if role == Role.SALES_MANAGER:
        q |= Q(**{f"{p}host__team__manager": user})
    return q


def line_qs_for_user(user: User) -> QuerySet[SpendLine]:
    if not permissions.can_use_spend(user):
        return SpendLine.objects.none()
    qs = SpendLine.objects.all()
    scope = spend_visit_q(user, "visit")
    if scope is not None:
        qs = qs.filter(scope)
    return qs


def line_get_for_user(user: User, pk: int) -> SpendLine:
    line = (
        line_qs_for_user(user)
        .select_related("visit__customer__level", "visit__host__team", "planned_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if line is None:
        raise Http404
    return line


def actual_get_for_user(user: User, pk: int) -> ActualSpend:
    actual = (
        ActualSpend.objects.filter(line__in=line_qs_for_user(user))
        .select_related("line__visit__customer", "line__visit__host__team", "payer")
        .filter(pk=pk)
        .first()
    )
    if actual is None:
        raise Http404
    return actual


def lines_for_visit(visit: Visit) -> QuerySet[SpendLine]:
    return (
        visit.spend_lines.select_related("planned_by", "decided_by", "standard")
        .prefetch_related("actuals__payer")
        .order_by("date", "id")
    )


@dataclass
class Budget:
    """A visit's spend at a glance: planned vs standard vs paid (all CNY)."""

    planned: Decimal = ZERO
    standard: Decimal = ZERO
    # What may be spent now: lines within the standard or approved over it at their
    # planned amount, lines still waiting only up to their standard.
    approved: Decimal = ZERO
    actual: Decimal = ZERO
    lines: int = 0
    over: int = 0
    pending: int = 0
    refused: int = 0
    unstandardised: int = 0
    rows: list[SpendLine] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return self.standard - self.planned

    @property
    def is_over(self) -> bool:
        return self.planned > self.standard

    @property
    def used_percent(self) -> int:
        if not self.standard:
            return 100 if self.planned else 0
        return int(self.planned * 100 / self.standard)


def budget_from_lines(lines: Iterable[SpendLine]) -> Budget:
    """Totals over lines that count (within, waiting, approved); refused and voided lines
    stay on the page but add nothing. Decimal sums: exact, no drift."""
    budget = Budget()
    for line in lines:
        budget.rows.append(line)
        if line.status == LineStatus.REFUSED:
            budget.refused += 1
        if line.status not in COUNTED_STATES:
            continue
        budget.lines += 1
        budget.planned += line.planned_amount
        budget.standard += line.standard_amount or ZERO
        if line.standard_amount is None:
            budget.unstandardised += 1
        if line.is_over:
            budget.over += 1
        if line.status == LineStatus.PENDING:
            budget.pending += 1
            budget.approved += min(line.planned_amount, line.standard_amount or ZERO)
        else:
            budget.approved += line.planned_amount
        budget.actual += sum(
            (a.amount_cny for a in line.actuals.all() if a.voided_at is None), ZERO
        )
    return budget


def visit_budget(visit: Visit) -> Budget:
    return budget_from_lines(lines_for_visit(visit))


def approvals_for_user(user: User) -> QuerySet[SpendLine]:
    """Lines waiting for this person's decision (never their own)."""
    role = role_of(user)
    qs = SpendLine.objects.filter(status=LineStatus.PENDING).exclude(planned_by=user)
    if role in permissions.DIRECTOR_ROLES:
        pass
    elif role == Role.SALES_MANAGER:
        qs = qs.filter(required_approver=ApproverLevel.MANAGER, visit__host__team__manager=user)
    else:
        return SpendLine.objects.none()
    return qs.select_related("visit__customer__level", "visit__host", "planned_by").order_by(
        "date", "id"
    )


def actuals_to_confirm() -> QuerySet[ActualSpend]:
    return (
        ActualSpend.objects.filter(confirmed_at__isnull=True, voided_at__isnull=True)
        .select_related("line__visit__customer", "line__visit__host", "payer")
        .order_by("paid_on", "id")
    )


def actuals_confirmed() -> QuerySet[ActualSpend]:
    return (
        ActualSpend.objects.filter(confirmed_at__isnull=False)
        .select_related("line__visit__customer", "line__visit__host", "payer", "confirmed_by")
        .order_by("-confirmed_at", "-id")
    )


def standards_current(on: date) -> list[SpendStandard]:
    """Every standard version, newest first per level and category, marking which one
    applies on `on` (the rest are history or future)."""
    rows = list(
        SpendStandard.objects.select_related("level", "created_by").order_by(
            "level__rank", "category", "room_type", "-valid_from"
        )
    )
    seen: set[tuple[int, str, str]] = set()
    for row in rows:
        key = (row.level_id, row.category, row.room_type)
        row.in_force = False  # type: ignore[attr-defined]
        row.is_future = row.valid_from > on  # type: ignore[attr-defined]
        if row.valid_from <= on and key not in seen:
            row.in_force = True  # type: ignore[attr-defined]
            seen.add(key)
    return rows


# --- Reports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    start: date | None = None
    end: date | None = None
    # The dashboard's team, salesperson (host) and customer level (issue 9); its dates
    # are those of the lines here, as start and end above.
    scope: ScopeFilters | None = None


def report_lines(user: User, filters: ReportFilters) -> QuerySet[SpendLine]:
    qs = line_qs_for_user(user).filter(status__in=COUNTED_STATES)
    qs = qs.exclude(visit__status=VisitStatus.CANCELLED)
    if filters.scope is not None:
        qs = qs.filter(filters.scope.people_q(host="visit__host", customer="visit__customer"))
    if filters.start:
        qs = qs.filter(date__gte=filters.start)
    if filters.end:
        qs = qs.filter(date__lte=filters.end)
    return qs


def _actual_sum() -> Coalesce:
    return Coalesce(
        Sum("actuals__amount_cny", filter=Q(actuals__voided_at__isnull=True)),
        Value(ZERO),
        output_field=MONEY,
    )


@dataclass
class ReportRow:
    key: str
    label: str
    planned: Decimal
    standard: Decimal
    actual: Decimal
    lines: int
    within: int

    @property
    def within_rate(self) -> int:
        return round(self.within * 100 / self.lines) if self.lines else 100


def _grouped(qs: QuerySet[SpendLine], key: str, label: str) -> list[ReportRow]:
    """One row per group. Planned and standard come from the lines alone and actual from
    a separate query, so the join to actuals never counts a line twice."""
    base = qs.values(key, label).annotate(
        planned=Coalesce(Sum("planned_amount"), Value(ZERO), output_field=MONEY),
        standard=Coalesce(Sum("standard_amount"), Value(ZERO), output_field=MONEY),
        n=Count("id"),
        within=Count("id", filter=Q(status=LineStatus.WITHIN)),
    )
    actual = {
        row[key]: row["paid"] for row in qs.values(key).annotate(paid=_actual_sum()).order_by()
    }
    rows = [
        ReportRow(
            key=str(row[key]),
            label=str(row[label] or "—"),
            planned=_cents(row["planned"]),
            standard=_cents(row["standard"]),
            actual=_cents(actual.get(row[key])),
            lines=row["n"],
            within=row["within"],
        )
        for row in base.order_by(label)
    ]
    return rows


def report_by_month(qs: QuerySet[SpendLine]) -> list[ReportRow]:
    annotated = qs.annotate(month=TruncMonth("date"))
    base = annotated.values("month").annotate(
        planned=Coalesce(Sum("planned_amount"), Value(ZERO), output_field=MONEY),
        standard=Coalesce(Sum("standard_amount"), Value(ZERO), output_field=MONEY),
        n=Count("id"),
        within=Count("id", filter=Q(status=LineStatus.WITHIN)),
    )
    paid = {r["month"]: r["paid"] for r in annotated.values("month").annotate(paid=_actual_sum())}
    return [
        ReportRow(
            key=row["month"].strftime("%Y-%m"),
            label=row["month"].strftime("%Y-%m"),
            planned=_cents(row["planned"]),
            standard=_cents(row["standard"]),
            actual=_cents(paid.get(row["month"])),
            lines=row["n"],
            within=row["within"],
        )
        for row in base.order_by("month")
    ]


REPORT_GROUPS = {
    "visit": ("visit_id", "visit__customer__name"),
    "customer": ("visit__customer_id", "visit__customer__name"),
    "salesperson": ("visit__host_id", "visit__host__display_name"),
    "team": ("visit__host__team_id", "visit__host__team__name"),
}


def report_by(qs: QuerySet[SpendLine], group: str) -> list[ReportRow]:
    if group == "month":
        return report_by_month(qs)
    key, label = REPORT_GROUPS[group]
    rows = _grouped(qs, key, label)
    if group == "salesperson":
        people = {str(u.pk): str(u) for u in User.objects.filter(pk__in=[r.key for r in rows])}
        for row in rows:
            row.label = people.get(row.key, row.label)
    if group == "visit":
        starts = dict(
            Visit.objects.filter(pk__in=[int(r.key) for r in rows]).values_list("pk", "starts_at")
        )
        for row in rows:
            start = starts.get(int(row.key))
            if start:
                row.label = f"{row.label} · {start:%Y-%m-%d}"
    return rows


@dataclass
class ReportTotals:
    planned: Decimal
    standard: Decimal
    actual: Decimal
    lines: int
    within: int

    @property
    def within_rate(self) -> int:
        return round(self.within * 100 / self.lines) if self.lines else 100


def report_totals(qs: QuerySet[SpendLine]) -> ReportTotals:
    agg = qs.aggregate(
        planned=Coalesce(Sum("planned_amount"), Value(ZERO), output_field=MONEY),
        standard=Coalesce(Sum("standard_amount"), Value(ZERO), output_field=MONEY),
        n=Count("id"),
        within=Count("id", filter=Q(status=LineStatus.WITHIN)),
    )
    paid = ActualSpend.objects.filter(line__in=qs, voided_at__isnull=True).aggregate(
        paid=Coalesce(Sum("amount_cny"), Value(ZERO), output_field=MONEY)
    )["paid"]
    return ReportTotals(
        planned=_cents(agg["planned"]),
        standard=_cents(agg["standard"]),
        actual=_cents(paid),
        lines=agg["n"],
        within=agg["within"],
    )


def top_overruns(qs: QuerySet[SpendLine], limit: int = 10) -> list[SpendLine]:
    """The lines furthest over their standard, with the reason given."""
    lines = list(
        qs.exclude(status=LineStatus.WITHIN).select_related("visit__customer", "visit__host")
    )
    lines.sort(key=lambda line: (-line.over_amount, line.pk))
    return lines[:limit]
