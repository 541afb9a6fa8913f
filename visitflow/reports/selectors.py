"""The reception-quality report (issue 9): per host and month, whether the procedure was
followed — visits hosted, steps done on time or late, steps overdue, return calls made
on time, the customers' feedback, requests still open. Counted in the database: one
grouped query per measure, whatever the number of visits."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import is_admin, role_of
from visitflow.core.sql import bucket, local_midnight, next_month
from visitflow.visits.models import (
    OPEN_REQUEST_STATES,
    ReturnCall,
    Visit,
    VisitRequest,
    VisitStatus,
    VisitStep,
)
from visitflow.visits.selectors import step_counted_q, step_outcome_q

RETURN_CALL_STEP = "return_call"  # SOP 5.1: the call after the visitors are home


@dataclass
class QualityRow:
    month: date
    host: str = ""
    team: str = ""
    visits: int = 0
    steps_due: int = 0
    steps_on_time: int = 0
    steps_late: int = 0
    steps_overdue: int = 0
    steps_skipped: int = 0
    return_calls_due: int = 0
    return_calls_on_time: int = 0
    feedback_count: int = 0
    product_sum: int = 0
    image_sum: int = 0
    open_requests: int = 0
    host_ids: set[int] = field(default_factory=set)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.steps_on_time, self.steps_due)

    @property
    def return_call_rate(self) -> Decimal | None:
        return _rate(self.return_calls_on_time, self.return_calls_due)

    @property
    def product_average(self) -> Decimal | None:
        return _average(self.product_sum, self.feedback_count)

    @property
    def image_average(self) -> Decimal | None:
        return _average(self.image_sum, self.feedback_count)

    def add(self, other: "QualityRow") -> None:
        for name in (
            "visits",
            "steps_due",
            "steps_on_time",
            "steps_late",
            "steps_overdue",
            "steps_skipped",
            "return_calls_due",
            "return_calls_on_time",
            "feedback_count",
            "product_sum",
            "image_sum",
            "open_requests",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.host_ids |= other.host_ids


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1")) if whole else None


def _average(total: int, count: int) -> Decimal | None:
    return (Decimal(total) / count).quantize(Decimal("0.01")) if count else None


@dataclass(frozen=True)
class QualityFilters:
    start: date  # first day of the first month
    end: date  # first day of the last month
    team: int | None = None


@dataclass
class QualityReport:
    filters: QualityFilters
    rows: list[QualityRow]  # per host and month, months newest first
    teams: list[QualityRow]  # per team and month
    total: QualityRow


def visits_for_report(user: User, filters: QualityFilters) -> QuerySet[Visit]:
    """Visits that count: not cancelled, arriving within the months, of hosts the user
    may judge (a salesperson their own, a manager their team's, leaders everyone's)."""
    start, end = local_midnight(filters.start), local_midnight(next_month(filters.end))
    qs = Visit.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(
        status=VisitStatus.CANCELLED
    )
    role = role_of(user)
    if role == Role.SALES:
        qs = qs.filter(host=user)
    elif role == Role.SALES_MANAGER:
        qs = qs.filter(Q(host__team__manager=user) | Q(host=user))
    elif not (is_admin(user) or role in (Role.DIRECTOR, Role.GENERAL_MANAGER)):
        return qs.none()
    if filters.team:
        qs = qs.filter(host__team=filters.team)
    return qs


def quality_report(user: User, filters: QualityFilters) -> QualityReport:
    visits = visits_for_report(user, filters)
    # Months numbered by plain comparisons in the database (visitflow.core.sql.bucket).
    months = [filters.start]
    while months[-1] < filters.end:
        months.append(next_month(months[-1]))
    boundaries = [local_midnight(m) for m in [*months, next_month(months[-1])]]
    month = bucket("visit__starts_at", boundaries)
    now = timezone.now()
    rows: dict[tuple[int, date], QualityRow] = {}

    def row(host_id: int, index: int) -> QualityRow:
        key = (host_id, months[index])
        if key not in rows:
            rows[key] = QualityRow(month=key[1], host_ids={host_id})
        return rows[key]

    by_month = bucket("starts_at", boundaries)
    for visit_row in (
        visits.annotate(m=by_month).values("host", "m").annotate(n=Count("pk")).order_by()
    ):
        row(visit_row["host"], visit_row["m"]).visits = visit_row["n"]

    steps = VisitStep.objects.filter(visit__in=visits.values("pk"), due_at__isnull=False)
    # A step counts once it is due, or done (or skipped) earlier: next week's steps of
    # this month's visits do not lower this month's figures. A return call counts by the
    # day: made within the day it was due (as on the dashboard).
    is_call = Q(playbook_step__code=RETURN_CALL_STEP)
    counted = {
        "due": Count("pk", filter=step_counted_q(now)),
        "on_time": Count("pk", filter=step_outcome_q("on_time", now)),
        "late": Count("pk", filter=step_outcome_q("late", now)),
        "overdue": Count("pk", filter=step_outcome_q("overdue", now)),
        "skipped": Count("pk", filter=step_outcome_q("skipped", now)),
        "calls_due": Count("pk", filter=is_call & step_counted_q(now, by_day=True)),
        "calls_on_time": Count("pk", filter=is_call & step_outcome_q("day_on_time", now)),
    }
    step_rows: list[dict[str, Any]] = [
        dict(step_row)
        for step_row in steps.annotate(m=month)
        .values("visit__host", "m")
        .annotate(**counted)
        .order_by()
    ]
    for step_row in step_rows:
        r = row(step_row["visit__host"], step_row["m"])
        r.steps_due, r.steps_on_time, r.steps_late = (
            step_row["due"],
            step_row["on_time"],
            step_row["late"],
        )
        r.steps_overdue, r.steps_skipped = step_row["overdue"], step_row["skipped"]
        r.return_calls_due, r.return_calls_on_time = (
            step_row["calls_due"],
            step_row["calls_on_time"],
        )

    rated = Q(product_rating__isnull=False, image_rating__isnull=False)
    feedback = (
        ReturnCall.objects.filter(visit__in=visits.values("pk"), reached=True)
        .annotate(m=month)
        .values("visit__host", "m")
        .annotate(
            n=Count("pk", filter=rated),
            product=Sum("product_rating", filter=rated),
            image=Sum("image_rating", filter=rated),
        )
        .order_by()
    )
    for call_row in feedback:
        if call_row["n"]:
            r = row(call_row["visit__host"], call_row["m"])
            # Sums, not averages: team and company averages then weigh every call alike.
            r.feedback_count, r.product_sum, r.image_sum = (
                call_row["n"],
                call_row["product"],
                call_row["image"],
            )

    requests = (
        VisitRequest.objects.filter(visit__in=visits.values("pk"), state__in=OPEN_REQUEST_STATES)
        .annotate(m=month)
        .values("visit__host", "m")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for request_row in requests:
        row(request_row["visit__host"], request_row["m"]).open_requests = request_row["n"]

    people = {
        u.pk: u
        for u in User.objects.filter(pk__in={host for host, _m in rows}).select_related("team")
    }
    teams: dict[tuple[str, date], QualityRow] = {}
    total = QualityRow(month=filters.start)
    for (host_id, when), r in rows.items():
        person = people[host_id]
        r.host = str(person)
        r.team = person.team.name if person.team else ""
        team_row = teams.setdefault((r.team, when), QualityRow(month=when, team=r.team))
        team_row.add(r)
        total.add(r)
    ordered = sorted(rows.values(), key=lambda r: (-r.month.toordinal(), r.team, r.host))
    team_rows = sorted(teams.values(), key=lambda r: (-r.month.toordinal(), r.team))
    return QualityReport(filters=filters, rows=ordered, teams=team_rows, total=total)
