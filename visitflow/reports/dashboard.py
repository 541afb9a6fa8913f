"""The dashboard (issue 9): whether the procedure is followed, at a glance, for what the
user may see — a salesperson their own visits, a manager their team's, the leaders the
company's. Every figure is counted in the database (a grouped query per chart, whatever
the number of visits) and carries the link of the list that shows what it counted: the
lists apply the same scope (visitflow.visits.selectors.ScopeFilters) to the same rows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import is_admin, role_of
from visitflow.core.sql import bucket, local_midnight, next_month
from visitflow.reports.selectors import RETURN_CALL_STEP
from visitflow.spend import permissions as spend_permissions
from visitflow.spend.selectors import ReportFilters, report_lines, report_totals
from visitflow.tradeshows.models import BoothVisit, LeadStatus, TradeShow
from visitflow.tradeshows.selectors import tradeshow_list_for_user
from visitflow.tradeshows.selectors_invitations import invitation_scope_for_user
from visitflow.tradeshows.selectors_leads import invitation_counts, lead_scope_for_user
from visitflow.visits.forms_scope import scope_query
from visitflow.visits.models import (
    FollowUp,
    PlaybookStep,
    Visit,
    VisitOutcome,
    VisitStatus,
    VisitStep,
)
from visitflow.visits.selectors import (
    CAME_STATES,
    DAY_OUTCOMES,
    FOLLOW_UP_GROUPS,
    STEP_OUTCOMES,
    ScopeFilters,
    feedback_list_for_user,
    follow_up_group_q,
    follow_up_list_for_user,
    step_counted_q,
    step_outcome_q,
    visit_base_qs_for_user,
)

MAX_SHOWS = 6  # trade-show funnels: the latest shows of the period


def link(name: str, scope: ScopeFilters, **params: Any) -> str:
    """The URL of a list filtered on the scope and the figure's own parameters."""
    query = {**scope_query(scope), **{k: str(v) for k, v in params.items() if v not in ("", None)}}
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


@dataclass
class Cell:
    value: int | Decimal | None
    url: str = ""


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None


def _average(total: int | None, count: int) -> Decimal | None:
    return (Decimal(total or 0) / count).quantize(Decimal("0.01")) if count else None


def _month_end(first: date) -> date:
    return next_month(first) - timedelta(days=1)


# --- Scope -----------------------------------------------------------------------------


def dashboard_level(user: User) -> str:
    """own, team or company: what the dashboard covers for this user."""
    role = role_of(user)
    if is_admin(user) or role in (Role.DIRECTOR, Role.GENERAL_MANAGER):
        return "company"
    if role == Role.SALES_MANAGER:
        return "team"
    return "own"


def scoped_visits(user: User, scope: ScopeFilters) -> QuerySet[Visit]:
    """The visits the figures count: those of the visit list, within the filters."""
    return visit_base_qs_for_user(user).filter(scope.visit_q())


# --- Visits per week by state -----------------------------------------------------------


@dataclass
class WeekRow:
    week: date
    cells: list[Cell]
    total: int = 0


@dataclass
class WeeksChart:
    states: list[tuple[str, str]]
    rows: list[WeekRow]
    totals: list[int]
    total: int


def visits_by_week(visits: QuerySet[Visit], scope: ScopeFilters) -> WeeksChart:
    if not (scope.start and scope.end):
        raise ValueError("The dashboard counts within a period.")
    first = scope.start - timedelta(days=scope.start.weekday())
    weeks = []
    week = first
    while week <= scope.end:
        weeks.append(week)
        week += timedelta(days=7)
    boundaries = [local_midnight(day) for day in [*weeks, week]]
    counts: dict[tuple[date, str], int] = {}
    grouped = (
        visits.annotate(w=bucket("starts_at", boundaries))
        .values("w", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for item in grouped:
        if item["w"] is not None:
            counts[(weeks[item["w"]], item["status"])] = item["n"]
    states = [(code, str(label)) for code, label in VisitStatus.choices]
    rows = []
    week = first
    while week <= scope.end:
        start = max(week, scope.start)
        end = min(week + timedelta(days=6), scope.end)
        week_scope = ScopeFilters(start, end, scope.team, scope.host, scope.level)
        cells = [
            Cell(counts.get((week, code), 0), link("visits:list", week_scope, status=code))
            for code, _label in states
        ]
        rows.append(WeekRow(week=week, cells=cells, total=sum(int(c.value or 0) for c in cells)))
        week += timedelta(days=7)
    totals = [sum(int(r.cells[i].value or 0) for r in rows) for i in range(len(states))]
    return WeeksChart(states=states, rows=rows, totals=totals, total=sum(totals))


# --- SOP adherence per step -------------------------------------------------------------


@dataclass
class StepRow:
    code: str
    name: str
    due: int
    cells: dict[str, Cell]

    def share(self, outcome: str) -> Decimal | None:
        return _rate(int(self.cells[outcome].value or 0), self.due)


def step_adherence(visits: QuerySet[Visit], scope: ScopeFilters, now: datetime) -> list[StepRow]:
    steps = VisitStep.objects.filter(
        visit__in=visits.exclude(status=VisitStatus.CANCELLED).values("pk"),
        due_at__isnull=False,
    )
    counted = {name: Count("pk", filter=step_outcome_q(name, now)) for name in STEP_OUTCOMES}
    grouped: dict[int, dict[str, Any]] = {
        item["playbook_step"]: dict(item)
        for item in steps.values("playbook_step")
        .annotate(due=Count("pk", filter=step_counted_q(now)), **counted)
        .order_by()
    }
    rows = []
    for step in PlaybookStep.objects.filter(Q(is_active=True) | Q(pk__in=grouped)).order_by(
        "position", "id"
    ):
        item = grouped.get(step.pk, {})
        cells = {
            name: Cell(
                item.get(name, 0),
                link("visits:list", scope, step=step.code, step_outcome=name),
            )
            for name in STEP_OUTCOMES
        }
        rows.append(StepRow(step.code, step.localized_name, item.get("due", 0), cells))
    return rows


# --- Return calls and feedback per month -------------------------------------------------


@dataclass
class MonthRow:
    month: date
    calls_due: int = 0
    on_time: Cell = field(default_factory=lambda: Cell(0))
    late: Cell = field(default_factory=lambda: Cell(0))
    overdue: Cell = field(default_factory=lambda: Cell(0))
    rated: Cell = field(default_factory=lambda: Cell(0))
    product_sum: int = 0
    image_sum: int = 0

    @property
    def rate(self) -> Decimal | None:
        return _rate(int(self.on_time.value or 0), self.calls_due)

    @property
    def product(self) -> Decimal | None:
        return _average(self.product_sum, int(self.rated.value or 0))

    @property
    def image(self) -> Decimal | None:
        return _average(self.image_sum, int(self.rated.value or 0))


def _months(scope: ScopeFilters) -> list[date]:
    if not (scope.start and scope.end):
        raise ValueError("The dashboard counts within a period.")
    month = scope.start.replace(day=1)
    months = []
    while month <= scope.end:
        months.append(month)
        month = next_month(month)
    return months


def return_calls_by_month(
    user: User, visits: QuerySet[Visit], scope: ScopeFilters, now: datetime
) -> list[MonthRow]:
    """Calls made within their due day (DAY_OUTCOMES), by the month of the visit; the
    customers' scores by the month of the call."""
    months = _months(scope)
    boundaries = [local_midnight(m) for m in [*months, next_month(months[-1])]]
    calls = (
        VisitStep.objects.filter(
            visit__in=visits.exclude(status=VisitStatus.CANCELLED).values("pk"),
            playbook_step__code=RETURN_CALL_STEP,
            due_at__isnull=False,
        )
        .annotate(m=bucket("visit__starts_at", boundaries))
        .values("m")
        .annotate(
            due=Count("pk", filter=step_counted_q(now, by_day=True)),
            **{name: Count("pk", filter=step_outcome_q(name, now)) for name in DAY_OUTCOMES},
        )
        .order_by()
    )
    by_month: dict[date, dict[str, Any]] = {
        months[item["m"]]: dict(item) for item in calls if item["m"] is not None
    }
    feedback = (
        feedback_list_for_user(user, scope, rated=True)
        .annotate(m=bucket("made_at", boundaries))
        .values("m")
        .annotate(n=Count("pk"), product=Sum("product_rating"), image=Sum("image_rating"))
        .order_by()
    )
    rated: dict[date, dict[str, Any]] = {
        months[item["m"]]: dict(item) for item in feedback if item["m"] is not None
    }
    rows = []
    for month in months:
        start, end = max(month, scope.start or month), min(_month_end(month), scope.end or month)
        month_scope = ScopeFilters(start, end, scope.team, scope.host, scope.level)
        item, said = by_month.get(month, {}), rated.get(month, {})
        count = said.get("n", 0)

        def step_cell(
            outcome: str, item: dict[str, Any] = item, s: ScopeFilters = month_scope
        ) -> Cell:
            """A count of return calls by the day's rule (DAY_OUTCOMES)."""
            url = link("visits:list", s, step=RETURN_CALL_STEP, step_outcome=f"day_{outcome}")
            return Cell(item.get(f"day_{outcome}", 0), url)

        rows.append(
            MonthRow(
                month=month,
                calls_due=item.get("due", 0),
                on_time=step_cell("on_time"),
                late=step_cell("late"),
                overdue=step_cell("overdue"),
                rated=Cell(count, link("visits:feedback", month_scope, rated=1)),
                product_sum=said.get("product") or 0,
                image_sum=said.get("image") or 0,
            )
        )
    return rows


# --- Follow-ups -----------------------------------------------------------------------------


def follow_ups(user: User, scope: ScopeFilters) -> dict[str, Cell]:
    """Open follow-ups overdue, due within a week, due later (whatever the period: it is
    today's work) and those done within the period."""
    qs: QuerySet[FollowUp] = follow_up_list_for_user(user, open_only=False, scope=scope)
    today = timezone.localdate()
    counts = qs.order_by().aggregate(
        **{
            group: Count("pk", filter=follow_up_group_q(group, today, scope))
            for group in FOLLOW_UP_GROUPS
        }
    )
    return {
        group: Cell(counts[group], link("visits:follow_ups", scope, group=group))
        for group in FOLLOW_UP_GROUPS
    }


# --- Visit to deal ----------------------------------------------------------------------------


@dataclass
class Conversion:
    came: Cell
    outcomes: dict[str, Cell]  # deal, negotiating, no_deal, none
    amount: Decimal

    @property
    def rate(self) -> Decimal | None:
        return _rate(int(self.outcomes["deal"].value or 0), int(self.came.value or 0))


def conversion(visits: QuerySet[Visit], scope: ScopeFilters) -> Conversion:
    came = visits.filter(status__in=CAME_STATES)
    outcomes = {
        "deal": VisitOutcome.DEAL,
        "negotiating": VisitOutcome.NEGOTIATING,
        "no_deal": VisitOutcome.NO_DEAL,
        "none": VisitOutcome.NOT_RECORDED,
    }
    counts = came.order_by().aggregate(
        came=Count("pk"),
        amount=Sum("deal_amount", filter=Q(outcome=VisitOutcome.DEAL)),
        **{key: Count("pk", filter=Q(outcome=value)) for key, value in outcomes.items()},
    )
    return Conversion(
        came=Cell(counts["came"], link("visits:list", scope, came=1)),
        outcomes={
            key: Cell(counts[key], link("visits:list", scope, came=1, outcome=key))
            for key in outcomes
        },
        amount=counts["amount"] or Decimal("0.00"),
    )


# --- Trade-show funnels -----------------------------------------------------------------------


@dataclass
class ShowFunnel:
    show: TradeShow
    invited: Cell
    came: Cell
    leads: Cell
    called: Cell
    visits: Cell
    deals: Cell
    confirmed: int = 0


def show_funnels(user: User, scope: ScopeFilters) -> list[ShowFunnel]:
    """Per show of the period (the latest MAX_SHOWS): invited → confirmed → came to the
    booth, leads → called, company visits → deals; owners within the team and
    salesperson filters. The customer level does not apply: most leads are not customers."""
    shows = tradeshow_list_for_user(user)
    if scope.start:
        shows = shows.filter(ends_on__gte=scope.start)
    if scope.end:
        shows = shows.filter(starts_on__lte=scope.end)
    picked = list(shows[:MAX_SHOWS])
    if not picked:
        return []
    owners = Q()
    if scope.team:
        owners &= Q(owner__team=scope.team)
    if scope.host:
        owners &= Q(owner=scope.host)
    invitations = invitation_scope_for_user(user).filter(owners, show__in=picked)
    leads = (
        lead_scope_for_user(user).filter(owners, show__in=picked).exclude(status=LeadStatus.MERGED)
    )
    invited: dict[int, dict[str, Any]] = {
        item["show"]: dict(item)
        for item in invitations.values("show").annotate(**invitation_counts()).order_by()
    }
    led: dict[int, dict[str, Any]] = {
        item["show"]: dict(item)
        for item in leads.values("show")
        .annotate(leads=Count("pk"), called=Count("pk", filter=Q(called_at__isnull=False)))
        .order_by()
    }
    visited: dict[int, dict[str, Any]] = {
        item["show"]: dict(item)
        for item in BoothVisit.objects.filter(show__in=picked, visit__isnull=False)
        .filter(Q(invitation__in=invitations.values("pk")) | Q(lead__in=leads.values("pk")))
        .values("show")
        .annotate(
            n=Count("visit", distinct=True),
            deals=Count("visit", distinct=True, filter=Q(visit__outcome=VisitOutcome.DEAL)),
        )
        .order_by()
    }
    owner = {"owner": scope.host} if scope.host else {}
    funnels = []
    for show in picked:
        inv, lead, visit = invited.get(show.pk, {}), led.get(show.pk, {}), visited.get(show.pk, {})
        invitations_url = reverse("tradeshows:invitation_list", args=[show.pk])
        leads_url = reverse("tradeshows:lead_list", args=[show.pk])
        funnel_url = reverse("tradeshows:funnel", args=[show.pk])
        funnels.append(
            ShowFunnel(
                show=show,
                invited=Cell(inv.get("invited", 0), _with(invitations_url, owner)),
                confirmed=inv.get("confirmed", 0),
                came=Cell(inv.get("came", 0), _with(invitations_url, {**owner, "status": "came"})),
                leads=Cell(lead.get("leads", 0), _with(leads_url, owner)),
                called=Cell(lead.get("called", 0), _with(leads_url, {**owner, "status": "called"})),
                visits=Cell(visit.get("n", 0), funnel_url),
                deals=Cell(visit.get("deals", 0), funnel_url),
            )
        )
    return funnels


def _with(url: str, params: dict[str, Any]) -> str:
    return f"{url}?{urlencode(params)}" if params else url


# --- Spend within standard ----------------------------------------------------------------------


@dataclass
class SpendFigure:
    lines: int
    within: int
    planned: Decimal
    actual: Decimal
    url: str

    @property
    def rate(self) -> Decimal | None:
        return _rate(self.within, self.lines)


def spend_within_standard(user: User, scope: ScopeFilters) -> SpendFigure | None:
    if not spend_permissions.can_use_spend(user):
        return None
    lines = report_lines(user, ReportFilters(start=scope.start, end=scope.end, scope=scope))
    totals = report_totals(lines)
    return SpendFigure(
        lines=totals.lines,
        within=totals.within,
        planned=totals.planned,
        actual=totals.actual,
        url=link("spend:reports", scope),
    )


# --- The whole page -----------------------------------------------------------------------------


@dataclass
class Dashboard:
    scope: ScopeFilters
    level: str
    visits_total: int
    weeks: WeeksChart
    steps: list[StepRow]
    months: list[MonthRow]
    follow_ups: dict[str, Cell]
    conversion: Conversion
    shows: list[ShowFunnel]
    spend: SpendFigure | None

    @property
    def steps_due(self) -> int:
        return sum(row.due for row in self.steps)

    @property
    def steps_on_time(self) -> int:
        return sum(int(row.cells["on_time"].value or 0) for row in self.steps)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.steps_on_time, self.steps_due)

    @property
    def return_call_rate(self) -> Decimal | None:
        due = sum(row.calls_due for row in self.months)
        return _rate(sum(int(row.on_time.value or 0) for row in self.months), due)

    @property
    def feedback_count(self) -> int:
        return sum(int(row.rated.value or 0) for row in self.months)

    @property
    def feedback(self) -> tuple[Decimal | None, Decimal | None]:
        """Averages over every call of the period, each weighing alike."""
        count = self.feedback_count
        return (
            _average(sum(row.product_sum for row in self.months), count),
            _average(sum(row.image_sum for row in self.months), count),
        )


def dashboard(user: User, scope: ScopeFilters) -> Dashboard:
    now = timezone.now()
    visits = scoped_visits(user, scope)
    weeks = visits_by_week(visits, scope)
    return Dashboard(
        scope=scope,
        level=dashboard_level(user),
        visits_total=weeks.total,
        weeks=weeks,
        steps=step_adherence(visits, scope, now),
        months=return_calls_by_month(user, visits, scope, now),
        follow_ups=follow_ups(user, scope),
        conversion=conversion(visits, scope),
        shows=show_funnels(user, scope),
        spend=spend_within_standard(user, scope),
    )
