"""Reads of visits and what hangs off them, always scoped to the user who asks."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.db.models.sql.where import NothingNode
from django.http import Http404
from django.utils import timezone
from django.utils.tree import Node

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import is_admin, role_of
from visitflow.core.sql import LocalDate, local_midnight
from visitflow.customers.permissions import can_list_customers
from visitflow.customers.selectors import customer_scope_q
from visitflow.visits.models import (
    OPEN_REQUEST_STATES,
    CoverRequest,
    CoverState,
    FollowUp,
    FollowUpState,
    RescheduleState,
    ReturnCall,
    StepState,
    TravelLeg,
    Visit,
    VisitOutcome,
    VisitRequest,
    VisitStatus,
    VisitStep,
)

# The longest a visit may last (services refuse longer ones). Lists of current visits
# filter on starts_at >= now - this, so the start-date index bounds the scan.
VISIT_MAX_DAYS = 30


def _overlapping(start: datetime, end: datetime) -> Q:
    """Visits that overlap [start, end), in a form the starts_at index can serve."""
    return Q(
        starts_at__lt=end,
        starts_at__gte=start - timedelta(days=VISIT_MAX_DAYS),
        ends_at__gte=start,
    )


def _prefixed(q: Q, prefix: str) -> Q:
    """The customer scope, re-rooted on a relation (customer__owner=… for visits)."""
    children: list[Node | NothingNode | Sequence[Any]] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_prefixed(child, prefix))
        else:
            key, value = cast("tuple[str, Any]", child)  # a Q's leaves are (lookup, value)
            children.append((f"{prefix}__{key}", value))
    clone = Q()
    clone.connector = q.connector
    clone.negated = q.negated
    clone.children = children
    return clone


def visit_scope_q(user: User) -> Q | None:
    """Visits a user may see: their customers' visits, plus those they host or co-host,
    stand in for, or are asked to stand in for (SOP 5.2)."""
    scope = customer_scope_q(user)
    if scope is None:
        return None
    co_hosted = Visit.co_hosts.through.objects.filter(user_id=user.pk).values("visit_id")
    return (
        _prefixed(scope, "customer")
        | Q(host=user)
        | Q(pk__in=co_hosted)
        | stand_in_visits_q(user)
        | asked_stand_in_visits_q(user)
    )


# SOP 5.2: a stand-in acts as host while the visit is open; closing it ends their access.
STAND_IN_OPEN_STATES = (
    VisitStatus.DRAFT,
    VisitStatus.CONFIRMED,
    VisitStatus.IN_PROGRESS,
    VisitStatus.DEPARTED,
)


def stand_in_visits_q(user: User) -> Q:
    """Open visits the user stands in for (served by the stand_in index)."""
    return Q(stand_in=user, status__in=STAND_IN_OPEN_STATES)


def asked_stand_in_visits_q(user: User) -> Q:
    """Visits the user is asked to stand in for: they read it before they answer."""
    asked = CoverRequest.objects.filter(stand_in=user, state=CoverState.ASSIGNED)
    return Q(pk__in=asked.values("visit_id"))


def visit_base_qs_for_user(user: User) -> QuerySet[Visit]:
    if not user.is_authenticated:
        return Visit.objects.none()
    if not can_list_customers(user):
        # A driver sees no visit list (their trips come with logistics).
        return Visit.objects.none()
    qs = Visit.objects.all()
    scope = visit_scope_q(user)
    if scope is not None:
        qs = qs.filter(scope)
    if not is_admin(user):
        qs = qs.filter(customer__is_active=True)
    return qs


def day_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """[start 00:00, the day after end 00:00) in the current time zone."""
    low = local_midnight(start) if start else None
    high = local_midnight(end + timedelta(days=1)) if end else None
    return low, high


def visit_related_q(user: User, prefix: str) -> Q | None:
    """visit_base_qs_for_user as a condition on rows of visits (prefix: the relation's
    name); None when the user sees no visit at all."""
    if not can_list_customers(user):  # anonymous users included
        return None
    q = Q()
    scope = visit_scope_q(user)
    if scope is not None:
        q &= _prefixed(scope, prefix)
    if not is_admin(user):
        q &= Q(**{f"{prefix}__customer__is_active": True})
    return q


@dataclass(frozen=True)
class ScopeFilters:
    """The dashboard's filters (issue 9), carried to the lists behind its figures so a
    list shows exactly what a figure counted: arrival dates, the host's team, the host,
    the customer's level."""

    start: date | None = None
    end: date | None = None
    team: int | None = None
    host: int | None = None
    level: int | None = None

    def visit_q(self, prefix: str = "") -> Q:
        """Visits (or rows of visits, through prefix "visit__") within the filters."""
        p = prefix
        q = Q()
        low, high = day_bounds(self.start, self.end)
        if low:
            q &= Q(**{f"{p}starts_at__gte": low})
        if high:
            q &= Q(**{f"{p}starts_at__lt": high})
        return q & self.people_q(host=f"{p}host", customer=f"{p}customer")

    def people_q(self, *, host: str, customer: str) -> Q:
        """Team, host and level on any row with a person and a customer."""
        q = Q()
        if self.team:
            q &= Q(**{f"{host}__team": self.team})
        if self.host:
            q &= Q(**{host: self.host})
        if self.level:
            q &= Q(**{f"{customer}__level": self.level})
        return q

    @property
    def is_set(self) -> bool:
        return any((self.start, self.end, self.team, self.host, self.level))


# Step outcomes the dashboard counts and the visit list filters on (issue 9). A step done
# by its due time is on time; done after it, late; still pending past it, overdue.
STEP_OUTCOMES = ("on_time", "late", "skipped", "overdue")
# A return call counts by the day (issue 9: "made within the due day"): on time when made
# by the end of the day it was due, in the company's time zone; overdue once that day is
# over.
DAY_OUTCOMES = ("day_on_time", "day_late", "day_overdue")


def _start_of_day(now: datetime) -> datetime:
    return local_midnight(timezone.localdate(now))


def step_outcome_q(outcome: str, now: datetime) -> Q:
    """VisitStep rows with this outcome (one of STEP_OUTCOMES or DAY_OUTCOMES)."""
    return {
        "on_time": Q(state=StepState.DONE, due_at__isnull=False, done_at__lte=F("due_at")),
        "late": Q(state=StepState.DONE, done_at__gt=F("due_at")),
        "skipped": Q(state=StepState.SKIPPED),
        "overdue": Q(state=StepState.PENDING, due_at__lt=now),
        "day_on_time": Q(
            LessThanOrEqual(LocalDate("done_at"), LocalDate("due_at")),
            state=StepState.DONE,
            due_at__isnull=False,
        ),
        "day_late": Q(GreaterThan(LocalDate("done_at"), LocalDate("due_at")), state=StepState.DONE),
        "day_overdue": Q(state=StepState.PENDING, due_at__lt=_start_of_day(now)),
    }[outcome]


def step_counted_q(now: datetime, *, by_day: bool = False) -> Q:
    """Steps that count in a rate: due by now (by the day's start for by_day), or done or
    skipped earlier than that: next week's steps do not lower this week's figures."""
    due = Q(due_at__lt=_start_of_day(now)) if by_day else Q(due_at__lte=now)
    return ~Q(state=StepState.NOT_NEEDED) & (due | Q(state__in=[StepState.DONE, StepState.SKIPPED]))


# Visits whose visitors came: the ones a deal can come of (issue 9's conversion).
CAME_STATES = (VisitStatus.IN_PROGRESS, VisitStatus.DEPARTED, VisitStatus.CLOSED)


@dataclass(frozen=True)
class VisitFilters:
    q: str = ""
    status: str = ""
    host: int | None = None
    period: str = ""  # upcoming, today, past
    customer: int | None = None
    outcome: str = ""  # deal, negotiating, no_deal; "none": not recorded
    scope: ScopeFilters = ScopeFilters()
    step: str = ""  # a playbook step's code
    step_outcome: str = ""  # one of STEP_OUTCOMES
    came: bool = False  # only visits whose visitors came


def visit_list_for_user(user: User, filters: VisitFilters | None = None) -> QuerySet[Visit]:
    filters = filters or VisitFilters()
    qs = visit_base_qs_for_user(user)
    if filters.q:
        term = filters.q.strip()
        qs = qs.filter(Q(customer__name__icontains=term) | Q(customer__short_name__icontains=term))
    if filters.status in VisitStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.outcome == "none":
        qs = qs.filter(outcome=VisitOutcome.NOT_RECORDED)
    elif filters.outcome and filters.outcome in VisitOutcome.values:
        qs = qs.filter(outcome=filters.outcome)
    if filters.host:
        qs = qs.filter(host_id=filters.host)
    if filters.customer:
        qs = qs.filter(customer_id=filters.customer)
    if filters.scope.is_set:
        qs = qs.filter(filters.scope.visit_q())
    if filters.came:
        qs = qs.filter(status__in=CAME_STATES)
    now = timezone.now()
    if filters.step_outcome in STEP_OUTCOMES + DAY_OUTCOMES:
        # As the dashboard counts them: steps with a due time, of visits not cancelled.
        steps = VisitStep.objects.filter(
            step_outcome_q(filters.step_outcome, now), due_at__isnull=False
        )
        if filters.step:
            steps = steps.filter(playbook_step__code=filters.step)
        qs = qs.filter(pk__in=steps.values("visit_id")).exclude(status=VisitStatus.CANCELLED)
    today = timezone.localdate()
    start_of_day = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    if filters.period == "today":
        qs = qs.filter(_overlapping(start_of_day, start_of_day + timedelta(days=1)))
    elif filters.period == "upcoming":
        qs = qs.filter(
            ends_at__gte=now, starts_at__gte=now - timedelta(days=VISIT_MAX_DAYS)
        ).exclude(status=VisitStatus.CANCELLED)
    elif filters.period == "past":
        qs = qs.filter(ends_at__lt=now)
    order = (
        ("starts_at", "id") if filters.period in ("upcoming", "today") else ("-starts_at", "-id")
    )
    return qs.select_related("customer", "customer__level", "host", "stand_in").order_by(*order)


def visit_get_for_user(user: User, pk: int) -> Visit:
    visit = (
        visit_base_qs_for_user(user)
        .filter(pk=pk)
        .select_related(
            "customer",
            "customer__level",
            "customer__owner",
            "host",
            "host__team",
            "stand_in",
            "outcome_by",
        )
        .prefetch_related("co_hosts")
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def visit_detail_parts(visit: Visit) -> dict[str, object]:
    """Everything the visit page shows, in a fixed number of queries."""
    steps = list(
        visit.steps.select_related("playbook_step", "owner", "done_by").prefetch_related("items")
    )
    now = timezone.now()
    pending = [s for s in steps if s.state == StepState.PENDING]
    for step in steps:
        step.is_overdue = bool(  # type: ignore[attr-defined]
            step.state == StepState.PENDING and step.due_at and step.due_at < now
        )
    return {
        "visitors": list(visit.visitors.select_related("contact")),
        "legs": list(visit.legs.all()),
        "steps": steps,
        "next_step": min(pending, key=lambda s: (s.due_at or now, s.position), default=None),
        "overdue_count": sum(1 for s in steps if getattr(s, "is_overdue", False)),
        "requests": list(visit.requests.select_related("owner").order_by("state", "due_date")),
        "reschedules": list(
            visit.reschedules.filter(state=RescheduleState.APPLIED).select_related("by")
        ),
        "return_call": ReturnCall.objects.filter(visit=visit).select_related("made_by").first(),
    }


def step_get_for_user(user: User, pk: int) -> VisitStep:
    step = (
        VisitStep.objects.filter(pk=pk, visit__in=visit_base_qs_for_user(user))
        .select_related("visit", "visit__customer", "visit__host", "playbook_step")
        .first()
    )
    if step is None:
        raise Http404
    return step


def leg_get_for_user(user: User, pk: int) -> TravelLeg:
    leg = (
        TravelLeg.objects.filter(pk=pk, visit__in=visit_base_qs_for_user(user))
        .select_related("visit", "visit__customer")
        .first()
    )
    if leg is None:
        raise Http404
    return leg


def request_list_for_user(user: User, *, open_only: bool = True) -> QuerySet[VisitRequest]:
    qs = VisitRequest.objects.filter(
        Q(visit__in=visit_base_qs_for_user(user)) | Q(owner=user)
    ).select_related("visit", "customer", "owner")
    if open_only:
        qs = qs.filter(state__in=OPEN_REQUEST_STATES)
    return qs.order_by("due_date", "id")


def request_get_for_user(user: User, pk: int) -> VisitRequest:
    request = request_list_for_user(user, open_only=False).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


RATED_CALL_Q = Q(reached=True, product_rating__isnull=False, image_rating__isnull=False)


def feedback_list_for_user(
    user: User, scope: ScopeFilters | None = None, *, rated: bool = False
) -> QuerySet[ReturnCall]:
    """Return-call outcomes: a manager sees the team's, newest first (SOP 5.1 及时做好报告).
    The scope's dates are those of the calls; rated: reached, with both scores given."""
    visible = visit_related_q(user, "visit")
    if visible is None:
        return ReturnCall.objects.none()
    # A join on the visit, not "visit IN (every visible visit)": the range of the calls'
    # dates then leads, and a manager's dashboard does not list the team's whole history.
    qs = ReturnCall.objects.filter(visible)
    if scope is not None and scope.is_set:
        low, high = day_bounds(scope.start, scope.end)
        if low:
            qs = qs.filter(made_at__gte=low)
        if high:
            qs = qs.filter(made_at__lt=high)
        qs = qs.filter(scope.people_q(host="visit__host", customer="visit__customer"))
    if rated:
        qs = qs.filter(RATED_CALL_Q)
    return qs.select_related("visit", "visit__customer", "made_by").order_by("-made_at", "-id")


# The follow-up groups the dashboard counts (issue 9): open ones overdue, due within a
# week, due later; and those done within the period.
FOLLOW_UP_GROUPS = ("overdue", "week", "later", "done")
FOLLOW_UP_WEEK_DAYS = 7


def follow_up_group_q(group: str, today: date, scope: ScopeFilters | None = None) -> Q:
    week = today + timedelta(days=FOLLOW_UP_WEEK_DAYS)
    is_open = Q(state=FollowUpState.OPEN)
    if group == "overdue":
        return is_open & Q(due_date__lt=today)
    if group == "week":
        return is_open & Q(due_date__gte=today, due_date__lt=week)
    if group == "later":
        return is_open & Q(due_date__gte=week)
    q = Q(state=FollowUpState.DONE)
    low, high = day_bounds(scope.start, scope.end) if scope else (None, None)
    if low:
        q &= Q(done_at__gte=low)
    if high:
        q &= Q(done_at__lt=high)
    return q


def follow_up_list_for_user(
    user: User,
    *,
    open_only: bool = True,
    scope: ScopeFilters | None = None,
    group: str = "",
) -> QuerySet[FollowUp]:
    """Follow-ups of the user's customers. With a group (FOLLOW_UP_GROUPS) the list is
    what the dashboard counted; the scope's team and salesperson are the owner's."""
    customers = customer_scope_q(user)
    qs = FollowUp.objects.all()
    if not can_list_customers(user):
        return qs.none()
    if customers is not None:
        qs = qs.filter(_prefixed(customers, "customer") | Q(owner=user))
    if scope is not None:
        qs = qs.filter(scope.people_q(host="owner", customer="customer"))
    if group in FOLLOW_UP_GROUPS:
        qs = qs.filter(follow_up_group_q(group, timezone.localdate(), scope))
    elif open_only:
        qs = qs.filter(state=FollowUpState.OPEN)
    return qs.select_related("customer", "customer__level", "owner", "visit").order_by(
        "due_date", "id"
    )


def follow_up_get_for_user(user: User, pk: int) -> FollowUp:
    follow_up = follow_up_list_for_user(user, open_only=False).filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    return follow_up


@dataclass
class MyDay:
    today: date
    visits: list[Visit]
    steps: list[VisitStep]
    requests: list[VisitRequest]
    follow_ups: list[FollowUp]


def my_day_for_user(user: User) -> MyDay:
    """Today and tomorrow: visits I host, my steps due or overdue, requests, follow-ups."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    horizon = start + timedelta(days=2)
    co_hosted = Visit.co_hosts.through.objects.filter(user_id=user.pk).values("visit_id")
    visits = list(
        Visit.objects.filter(Q(host=user) | Q(pk__in=co_hosted) | stand_in_visits_q(user))
        .filter(_overlapping(start, horizon))
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("customer", "customer__level", "host", "stand_in")
        .prefetch_related(
            Prefetch("legs", queryset=TravelLeg.objects.order_by("arrives_at")),
            "visitors",
        )
        .order_by("starts_at")[:50]
    )
    steps = list(
        VisitStep.objects.filter(owner=user, state=StepState.PENDING, due_at__lt=horizon)
        .exclude(visit__status__in=[VisitStatus.CANCELLED, VisitStatus.CLOSED])
        .select_related("visit", "visit__customer", "playbook_step")
        .order_by("due_at")[:100]
    )
    # The stand-in also has the steps of the visits they cover (SOP 5.2): a query of its
    # own (the stand_in index), as an OR would keep the planner off the owner index.
    covered = list(Visit.objects.filter(stand_in_visits_q(user)).values_list("pk", flat=True)[:50])
    if covered:
        # A few visits' steps, read by the visit index and filtered here (a state and
        # due-time filter in SQL tempts the planner into the company-wide due index).
        steps += [
            step
            for step in VisitStep.objects.filter(visit_id__in=covered).select_related(
                "visit", "visit__customer", "playbook_step"
            )
            if step.state == StepState.PENDING
            and step.due_at is not None
            and step.due_at < horizon
            and step.owner_id != user.pk
        ]
        steps = sorted(steps, key=lambda step: step.due_at or horizon)[:100]
    requests = list(
        VisitRequest.objects.filter(
            owner=user, state__in=OPEN_REQUEST_STATES, due_date__lt=today + timedelta(days=2)
        )
        .select_related("customer", "visit")
        .order_by("due_date")[:50]
    )
    follow_ups = list(
        FollowUp.objects.filter(
            owner=user, state=FollowUpState.OPEN, due_date__lt=today + timedelta(days=2)
        )
        .select_related("customer", "customer__level")
        .order_by("due_date")[:50]
    )
    return MyDay(today=today, visits=visits, steps=steps, requests=requests, follow_ups=follow_ups)


def host_choices_for_user(user: User) -> QuerySet[User]:
    """Who may host: active salespeople and managers the user can assign work to."""
    qs = User.objects.filter(is_active=True, role__in=[Role.SALES, Role.SALES_MANAGER])
    if is_admin(user) or role_of(user) in (Role.DIRECTOR, Role.GENERAL_MANAGER):
        return qs.order_by("display_name")
    if role_of(user) == Role.SALES_MANAGER:
        return qs.filter(Q(pk=user.pk) | Q(team__manager=user)).order_by("display_name")
    if user.team_id:
        return qs.filter(team_id=user.team_id).order_by("display_name")
    return qs.filter(pk=user.pk)


CALENDAR_LIMIT = 1000


def visit_calendar_for_user(user: User, first_day: date, last_day: date) -> dict[date, list[Visit]]:
    """Visits the user can see, by local day, for a month or week grid (one query).

    A visit over several days appears on each of them; cancelled visits are left out.
    """
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first_day, datetime.min.time()), tz)
    end = timezone.make_aware(
        datetime.combine(last_day + timedelta(days=1), datetime.min.time()), tz
    )
    visits = (
        visit_base_qs_for_user(user)
        .filter(_overlapping(start, end))
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("customer", "customer__level", "host")
        .order_by("starts_at", "id")[:CALENDAR_LIMIT]
    )
    days: dict[date, list[Visit]] = {}
    for visit in visits:
        day = max(timezone.localtime(visit.starts_at, tz).date(), first_day)
        last = min(timezone.localtime(visit.ends_at, tz).date(), last_day)
        while day <= last:
            days.setdefault(day, []).append(visit)
            day += timedelta(days=1)
    return days
