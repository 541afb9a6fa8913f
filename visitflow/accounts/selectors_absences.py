"""Reads of absences, always scoped to the user who asks, and the date arithmetic that
turns "away from the 9th to the 12th" into instants a visit or a booking can overlap."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from visitflow.accounts.models import Absence, AbsenceKind, Role, Team, User
from visitflow.accounts.roles import is_admin, role_of

# Who may be recorded as away: everyone who logs in and can be booked for something.
CALENDAR_MAX_PEOPLE = 200


def company_zone() -> ZoneInfo:
    """Absences are whole days in the company's time zone, whoever reads them."""
    return ZoneInfo(settings.TIME_ZONE)


def local_day(value: datetime) -> date:
    return timezone.localtime(value, company_zone()).date()


def absence_window(absence: Absence) -> tuple[datetime, datetime]:
    """[first day 00:00, day after the last 00:00) in the company's time zone."""
    zone = company_zone()
    start = datetime.combine(absence.starts_on, time.min, tzinfo=zone)
    end = datetime.combine(absence.ends_on + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def absences_overlapping(
    *, person_ids: list[int], starts_at: datetime, ends_at: datetime
) -> QuerySet[Absence]:
    """Absences of these people on any local day that [starts_at, ends_at] touches."""
    return Absence.objects.filter(
        person_id__in=person_ids,
        starts_on__lte=local_day(ends_at),
        ends_on__gte=local_day(starts_at),
    ).select_related("person")


def absence_text(absence: Absence) -> str:
    """A sentence naming the absence: "王伟 is on a business trip to 上海 from … to …"."""
    values = {
        "person": absence.person,
        "destination": absence.destination,
        "start": absence.starts_on.isoformat(),
        "end": absence.ends_on.isoformat(),
    }
    if absence.kind == AbsenceKind.BUSINESS_TRIP and absence.destination:
        return _(
            "%(person)s is on a business trip to %(destination)s from %(start)s to %(end)s."
        ) % (values)
    if absence.kind == AbsenceKind.BUSINESS_TRIP:
        return _("%(person)s is on a business trip from %(start)s to %(end)s.") % values
    if absence.kind == AbsenceKind.LEAVE:
        return _("%(person)s is on leave from %(start)s to %(end)s.") % values
    return _("%(person)s is away from %(start)s to %(end)s.") % values


def absence_scope_q(user: User) -> Q | None:
    """Absences a user may see and change; None means everyone's."""
    if is_admin(user):
        return None
    if role_of(user) == Role.SALES_MANAGER:
        return Q(person=user) | Q(person__team__manager=user)
    return Q(person=user)


def absence_base_qs_for_user(user: User) -> QuerySet[Absence]:
    if not user.is_authenticated:
        return Absence.objects.none()
    qs = Absence.objects.all()
    scope = absence_scope_q(user)
    if scope is not None:
        qs = qs.filter(scope)
    return qs


@dataclass(frozen=True)
class AbsenceFilters:
    person: int | None = None
    period: str = "upcoming"  # upcoming, past, "" (all)


def absence_list_for_user(user: User, filters: AbsenceFilters | None = None) -> QuerySet[Absence]:
    filters = filters or AbsenceFilters()
    qs = absence_base_qs_for_user(user)
    if filters.person:
        qs = qs.filter(person_id=filters.person)
    today = timezone.localdate(timezone=company_zone())
    if filters.period == "upcoming":
        qs = qs.filter(ends_on__gte=today).order_by("starts_on", "id")
    elif filters.period == "past":
        qs = qs.filter(ends_on__lt=today).order_by("-starts_on", "-id")
    else:
        qs = qs.order_by("-starts_on", "-id")
    return qs.select_related("person", "person__team", "created_by")


def absence_get_for_user(user: User, pk: int) -> Absence:
    absence = (
        absence_base_qs_for_user(user)
        .filter(pk=pk)
        .select_related("person", "person__team", "created_by")
        .first()
    )
    if absence is None:
        raise Http404
    return absence


def absence_people_for_user(user: User) -> QuerySet[User]:
    """Whom this user may record an absence for."""
    qs = User.objects.filter(is_active=True)
    if is_admin(user):
        return qs.order_by("display_name", "username")
    if role_of(user) == Role.SALES_MANAGER:
        return qs.filter(Q(pk=user.pk) | Q(team__manager=user)).order_by("display_name")
    return qs.filter(pk=user.pk)


def calendar_teams_for_user(user: User) -> QuerySet[Team]:
    if is_admin(user):
        return Team.objects.order_by("name")
    return Team.objects.filter(manager=user).order_by("name")


@dataclass
class CalendarRow:
    person: User
    cells: list[Absence | None]  # one per day: the absence covering that day, if any


@dataclass
class TeamCalendar:
    days: list[date]
    rows: list[CalendarRow]
    away_count: int


def team_absence_calendar(
    user: User, *, first_day: date, last_day: date, team: Team | None
) -> TeamCalendar:
    """One row per member of the team (the manager's own team, or the one chosen), one
    column per day: who is away when (two queries, whatever the month holds)."""
    people_qs = absence_people_for_user(user)
    if team is not None:
        people_qs = people_qs.filter(Q(team=team) | Q(pk=team.manager_id))
    people = list(people_qs.select_related("team")[:CALENDAR_MAX_PEOPLE])
    absences = list(
        Absence.objects.filter(
            person__in=[p.pk for p in people], starts_on__lte=last_day, ends_on__gte=first_day
        ).order_by("starts_on", "id")
    )
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    by_person: dict[int, list[Absence]] = {}
    for absence in absences:
        by_person.setdefault(absence.person_id, []).append(absence)
    rows = []
    for person in people:
        own = by_person.get(person.pk, [])
        cells: list[Absence | None] = [
            next((a for a in own if a.starts_on <= day <= a.ends_on), None) for day in days
        ]
        for absence in own:
            absence.person = person  # no query when a cell names the person
        rows.append(CalendarRow(person=person, cells=cells))
    return TeamCalendar(days=days, rows=rows, away_count=len({a.person_id for a in absences}))
