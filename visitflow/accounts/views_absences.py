"""Absences on the web (SOP 5.2 出差): one's own and, for a manager, the team's; the team
calendar; the CSV import."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visitflow.accounts.forms_absences import AbsenceFilterForm, AbsenceForm, AbsenceImportForm
from visitflow.accounts.models import Absence
from visitflow.accounts.permissions import can_change_absence, can_view_team_absences
from visitflow.accounts.selectors_absences import (
    AbsenceFilters,
    absence_get_for_user,
    absence_list_for_user,
    calendar_teams_for_user,
    company_zone,
    team_absence_calendar,
)
from visitflow.accounts.services_absences import (
    MAX_IMPORT_BYTES,
    absence_import_file,
)
from visitflow.accounts.services_absences import (
    absence_create as absence_create_service,
)
from visitflow.accounts.services_absences import (
    absence_delete as absence_delete_service,
)
from visitflow.accounts.services_absences import (
    absence_update as absence_update_service,
)
from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.core.pagination import CappedPaginator

PAGE_SIZE = 25


def _warn_clashing_visits(request: AuthenticatedHttpRequest, absence: Absence) -> None:
    """SOP 5.2: an absence over visits the person hosts is said at once."""
    from visitflow.visits.services_cover import absence_clashing_visits

    for visit in absence_clashing_visits(absence):
        messages.warning(
            request,
            _(
                "%(person)s hosts %(customer)s on %(date)s, during this absence: open the visit "
                "to ask for a stand-in host or propose new dates."
            )
            % {
                "person": absence.person,
                "customer": visit.customer,
                "date": timezone.localtime(visit.starts_at).strftime("%m-%d %H:%M"),
            },
        )


@login_required
def absence_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AbsenceFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    person = data.get("person")
    period = data.get("period") or "upcoming"
    filters = AbsenceFilters(
        person=person.pk if person else None, period="" if period == "all" else period
    )
    page = CappedPaginator(absence_list_for_user(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/absence_list.html",
        {
            "form": form,
            "page": page,
            "can_view_team": can_view_team_absences(request.user),
            "today": timezone.localdate(timezone=company_zone()),
        },
    )


@login_required
def absence_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AbsenceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            absence = absence_create_service(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Absence recorded."))
            _warn_clashing_visits(request, absence)
            return redirect("accounts:absence_list")
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/absence_form.html", {"form": form}, status=status)


@login_required
def absence_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    absence = absence_get_for_user(request.user, pk)
    if not can_change_absence(request.user, absence):
        raise PermissionDenied
    form = AbsenceForm(request.POST or None, instance=absence, user=request.user)
    if request.method == "POST" and form.is_valid():
        fresh = absence_get_for_user(request.user, pk)
        try:
            absence = absence_update_service(
                actor=request.user, absence=fresh, data=form.cleaned_data
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            _warn_clashing_visits(request, absence)
            return redirect("accounts:absence_list")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "accounts/absence_form.html", {"form": form, "absence": absence}, status=status
    )


@login_required
@require_POST
def absence_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    absence = absence_get_for_user(request.user, pk)
    try:
        absence_delete_service(actor=request.user, absence=absence)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Absence removed."))
    return redirect("accounts:absence_list")


@login_required
def absence_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AbsenceImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = absence_import_file(
                actor=request.user, content=upload.read(MAX_IMPORT_BYTES + 1)
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
        else:
            if not result.errors:
                messages.success(
                    request,
                    _("%(count)s absences imported.") % {"count": len(result.created)},
                )
                for absence in result.created:
                    _warn_clashing_visits(request, absence)
                return redirect("accounts:absence_list")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "accounts/absence_import.html", {"form": form, "result": result}, status=status
    )


def _month(value: str) -> date:
    today = timezone.localdate(timezone=company_zone())
    try:
        parsed = date.fromisoformat(f"{value}-01")
    except ValueError:
        return today.replace(day=1)
    return parsed if 2000 <= parsed.year <= 2100 else today.replace(day=1)


@login_required
def absence_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The team's absences by day: a row per person, a column per day of the month."""
    if not can_view_team_absences(request.user):
        raise PermissionDenied
    month = _month(request.GET.get("month", ""))
    next_month = (month + timedelta(days=32)).replace(day=1)
    teams = list(calendar_teams_for_user(request.user))
    team_id = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == team_id), teams[0] if teams else None)
    calendar = team_absence_calendar(
        request.user, first_day=month, last_day=next_month - timedelta(days=1), team=team
    )
    return render(
        request,
        "accounts/absence_calendar.html",
        {
            "calendar": calendar,
            "month": month,
            "previous": (month - timedelta(days=1)).strftime("%Y-%m"),
            "following": next_month.strftime("%Y-%m"),
            "teams": teams,
            "team": team,
            "today": timezone.localdate(timezone=company_zone()),
        },
    )
