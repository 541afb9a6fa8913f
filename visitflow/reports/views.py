"""Reports pages (issue 9): the dashboard and the reception-quality report."""

from dataclasses import replace
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from visitflow.accounts.models import Role, Team, User
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.reports.charts import conversion_labels, dashboard_charts, follow_up_labels
from visitflow.reports.columns import QUALITY_COLUMNS
from visitflow.reports.dashboard import dashboard as build_dashboard
from visitflow.reports.dashboard import dashboard_level
from visitflow.reports.documents import quality_pdf
from visitflow.reports.exports import export_response, requested_format
from visitflow.reports.forms import QualityFilterForm
from visitflow.reports.permissions import can_view_dashboard, can_view_quality_report
from visitflow.reports.selectors import QualityFilters, quality_report
from visitflow.visits.forms_scope import ScopeForm, scope_query

DEFAULT_MONTHS = 3


def _teams_for(user: User) -> QuerySet[Team]:
    level = dashboard_level(user)
    if level == "company":
        return Team.objects.order_by("name")
    if level == "team":
        return Team.objects.filter(manager=user).order_by("name")
    return Team.objects.none()


def _months_back(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


@login_required
def quality(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Per host and month: visits hosted, steps on time, overdue steps, return calls made
    on time, feedback averages, open requests (SOP 5.1 及时做好报告)."""
    if not can_view_quality_report(request.user):
        raise PermissionDenied
    teams = _teams_for(request.user)
    form = QualityFilterForm(request.GET or None, teams=teams)
    this_month = timezone.localdate().replace(day=1)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    end = data.get("end") or this_month
    start = data.get("start") or _months_back(end, DEFAULT_MONTHS - 1)
    team = data.get("team")
    filters = QualityFilters(start=start, end=end, team=team.pk if team else None)
    report = quality_report(request.user, filters)
    if request.GET.get("export") == "pdf":
        content = quality_pdf(report, user=request.user, team_name=team.name if team else "")
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="reception-quality-{start:%Y%m}-{end:%Y%m}.pdf"'
        )
        return response
    if fmt := requested_format(request):
        name = _("Reception quality")
        return export_response(rows=report.rows, columns=QUALITY_COLUMNS, fmt=fmt, name=name)
    context = {
        "form": form,
        "report": report,
        "show_team_filter": teams.exists(),
    }
    return render(request, "reports/quality.html", context)


def _scope_choices(user: User, level: str) -> tuple[QuerySet[Team], QuerySet[User]]:
    """The teams and salespeople a user may filter on: a manager their team's people, the
    leaders everyone who hosts; a salesperson filters on neither (it is their own)."""
    hosts = User.objects.filter(is_active=True, role__in=[Role.SALES, Role.SALES_MANAGER]).order_by(
        "display_name", "username"
    )
    if level == "company":
        return Team.objects.order_by("name"), hosts
    if level == "team":
        teams = _teams_for(user)
        return teams, hosts.filter(Q(team__in=teams) | Q(pk=user.pk))
    return Team.objects.none(), User.objects.none()


DEFAULT_WEEKS = 12


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Whether the procedure is followed, for what the user may see (issue 9)."""
    user = request.user
    if not can_view_dashboard(user):
        raise PermissionDenied
    level = dashboard_level(user)
    teams, people = _scope_choices(user, level)
    form = ScopeForm(request.GET or None, teams=teams, people=people)
    today = timezone.localdate()
    default_end = today + timedelta(days=6 - today.weekday())
    default_start = default_end - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1)
    scope = form.scope(default_start=default_start, default_end=default_end)
    if scope.end and scope.start and scope.end < scope.start:
        # Only a start was given, after the default end: show twelve weeks from it.
        scope = replace(scope, end=scope.start + timedelta(weeks=DEFAULT_WEEKS, days=-1))
    if level == "own":
        scope = replace(scope, team=None, host=None)
    data = build_dashboard(user, scope)
    context = {
        "form": form,
        "data": data,
        "charts": dashboard_charts(data),
        "scope_query": urlencode(scope_query(scope)),
        "follow_up_labels": follow_up_labels(),
        "conversion_labels": conversion_labels(),
        "presets": _presets(today),
        "show_people": level != "own",
        "can_view_quality": can_view_quality_report(user),
    }
    return render(request, "reports/dashboard.html", context)


def _presets(today: date) -> list[tuple[str, str]]:
    """Quick periods: the last 4 and 12 weeks, this year."""
    sunday = today + timedelta(days=6 - today.weekday())
    return [
        (_("Last 4 weeks"), urlencode({"start": sunday - timedelta(days=27), "end": sunday})),
        (_("Last 12 weeks"), urlencode({"start": sunday - timedelta(days=83), "end": sunday})),
        (
            _("This year"),
            urlencode(
                {"start": today.replace(month=1, day=1), "end": today.replace(month=12, day=31)}
            ),
        ),
    ]
