"""Reports pages (issue 9): the reception-quality report."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from visitflow.accounts.models import Role, Team, User
from visitflow.accounts.roles import is_admin, role_of
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.reports.columns import QUALITY_COLUMNS
from visitflow.reports.exports import export_response, requested_format
from visitflow.reports.forms import QualityFilterForm
from visitflow.reports.permissions import can_view_quality_report
from visitflow.reports.selectors import QualityFilters, quality_report

DEFAULT_MONTHS = 3


def _teams_for(user: User) -> QuerySet[Team]:
    role = role_of(user)
    if is_admin(user) or role in (Role.DIRECTOR, Role.GENERAL_MANAGER):
        return Team.objects.order_by("name")
    if role == Role.SALES_MANAGER:
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
    if fmt := requested_format(request):
        name = _("Reception quality")
        return export_response(rows=report.rows, columns=QUALITY_COLUMNS, fmt=fmt, name=name)
    context = {
        "form": form,
        "report": report,
        "show_team_filter": teams.exists(),
    }
    return render(request, "reports/quality.html", context)
