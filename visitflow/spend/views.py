"""Spend pages: a visit's budget and its lines, approvals, finance and reports."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.reports.exports import requested_format
from visitflow.spend import exports, permissions, selectors, services
from visitflow.spend.forms import (
    KINDS,
    ActualForm,
    DecisionForm,
    ReasonForm,
    ReportFilterForm,
    SpendLineForm,
    StandardForm,
    kind_of,
)
from visitflow.spend.models import SpendLine, SpendStandard
from visitflow.spend.receipts import receipt_response
from visitflow.visits.forms_scope import ScopeForm, scope_banner
from visitflow.visits.models import Visit

PAGE_SIZE = 25


def _spend_user(request: AuthenticatedHttpRequest) -> User:
    if not permissions.can_use_spend(request.user):
        raise PermissionDenied
    return request.user


def _visit(request: AuthenticatedHttpRequest, pk: int) -> Visit:
    user = _spend_user(request)
    qs = Visit.objects.select_related("customer__level", "host__team", "stand_in")
    scope = selectors.spend_visit_q(user)
    if scope is not None:
        qs = qs.filter(scope)
    visit = qs.prefetch_related("co_hosts").filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


def _render(
    request: AuthenticatedHttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The spend pages share their tabs: which ones this person gets."""
    context["perms_spend"] = {
        "is_approver": permissions.is_approver(request.user),
        "is_finance": permissions.can_confirm_actuals(request.user),
    }
    return render(request, template, context, status=status)


def _visit_url(visit_id: int, anchor: str = "") -> str:
    return reverse("spend:visit", args=[visit_id]) + (f"#{anchor}" if anchor else "")


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- A visit's spend -------------------------------------------------------------------


@login_required
def visit_spend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    budget = selectors.visit_budget(visit)
    user = request.user
    rows = [
        {
            "line": line,
            "can_decide": permissions.can_decide_line(user, line),
            "can_record": permissions.can_record_actual(user, line),
        }
        for line in budget.rows
    ]
    context = {
        "visit": visit,
        "budget": budget,
        "rows": rows,
        "can_plan": permissions.can_plan_spend(user, visit),
        "decision_form": DecisionForm(),
        "reason_form": ReasonForm(),
        "kinds": KINDS,
    }
    return render(request, "spend/visit_spend.html", context)


def _plan_context(visit: Visit, kind: str, form: SpendLineForm, preview: Any) -> dict[str, Any]:
    return {"visit": visit, "kind": kind, "spec": KINDS[kind], "form": form, "preview": preview}


def _preview(visit: Visit, form: SpendLineForm) -> services.Judgement | None:
    """The standard that applies to what is typed so far, and whether it is within it."""
    if not form.is_valid():
        return None
    data = form.service_kwargs()
    return services.judge(
        visit=visit,
        category=data["category"],
        on=data["date"],
        planned=data["planned_amount"],
        room_type=data["room_type"],
        guests=data["guests"],
        hosts=data["hosts"],
        nights=data["nights"],
        rooms=data["rooms"],
    )


@login_required
def line_plan(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    visit = _visit(request, pk)
    if kind not in KINDS:
        raise Http404
    if not permissions.can_plan_spend(request.user, visit):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    initial = {"date": timezone.localtime(visit.starts_at).date(), "guests": visit.party_size}
    form = SpendLineForm(data, kind=kind, initial=initial)
    if data is not None and request.htmx and request.POST.get("preview"):
        return render(
            request,
            "spend/_standard_preview.html",
            {"preview": _preview(visit, form), "kind": kind},
        )
    preview = _preview(visit, form) if data is not None else None
    if data is not None and form.is_valid():
        try:
            line = services.line_plan(actor=request.user, visit=visit, **form.service_kwargs())
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            if line.status == "pending":
                messages.warning(request, _("Planned over the standard; sent for approval."))
            else:
                messages.success(request, _("Planned within the standard."))
            return redirect(_visit_url(visit.pk, f"line-{line.pk}"))
    status = 422 if data is not None else 200
    return render(
        request, "spend/line_plan.html", _plan_context(visit, kind, form, preview), status=status
    )


def _line_for_change(request: AuthenticatedHttpRequest, pk: int) -> SpendLine:
    line = selectors.line_get_for_user(_spend_user(request), pk)
    if not permissions.can_plan_spend(request.user, line.visit):
        raise PermissionDenied
    return line


@login_required
def line_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a planned line; it is judged again, and over the standard asks again."""
    line = _line_for_change(request, pk)
    visit = line.visit
    kind = kind_of(line.category)
    data = request.POST if request.method == "POST" else None
    form = SpendLineForm(data, kind=kind, initial=SpendLineForm.initial_for(line))
    if data is not None and request.htmx and request.POST.get("preview"):
        return render(
            request,
            "spend/_standard_preview.html",
            {"preview": _preview(visit, form), "kind": kind},
        )
    preview = _preview(visit, form) if data is not None else None
    if data is not None and form.is_valid():
        try:
            changes = form.service_kwargs()
            line = services.line_update(actor=request.user, line=line, data=changes)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Line changed."))
            return redirect(_visit_url(visit.pk, f"line-{line.pk}"))
    context = _plan_context(visit, kind, form, preview)
    context.update({"line": line, "title": _("Change the plan")})
    status = 422 if data is not None else 200
    return render(request, "spend/line_plan.html", context, status=status)


def _line_with_reason(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    act: Callable[..., SpendLine],
    missing: str,
    done: str,
) -> HttpResponse:
    """A change to a line that needs a reason (void, ask again): the reason or an error."""
    line = _line_for_change(request, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(missing)
        act(actor=request.user, line=line, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(_visit_url(line.visit_id, f"line-{line.pk}"))


@login_required
@require_POST
def line_void(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _line_with_reason(
        request,
        pk,
        act=services.line_void,
        missing=_("Say why the line is voided."),
        done=_("Line voided."),
    )


@login_required
@require_POST
def line_resubmit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _line_with_reason(
        request,
        pk,
        act=services.line_submit_over,
        missing=_("This is over the standard: give a reason for the approver."),
        done=_("Sent for approval again."),
    )


@login_required
@require_POST
def line_decide(request: AuthenticatedHttpRequest, pk: int, decision: str) -> HttpResponse:
    if decision not in ("approve", "refuse"):
        raise Http404
    user = request.user
    line = selectors.line_get_for_user(_spend_user(request), pk)
    if not permissions.can_decide_line(user, line):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    note = form.data.get("note", "")
    try:
        if decision == "approve":
            services.line_approve(actor=user, line=line, note=note)
            messages.success(request, _("Approved."))
        else:
            services.line_refuse(actor=user, line=line, note=note)
            messages.success(request, _("Refused."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    back = request.POST.get("next", "")
    if back == "approvals":
        return redirect("spend:approvals")
    return redirect(_visit_url(line.visit_id, f"line-{line.pk}"))


# --- Actual spend ----------------------------------------------------------------------


def _payers(visit: Visit) -> Any:
    ids = {visit.host_id, *(u.pk for u in visit.co_hosts.all())}
    if visit.stand_in_id:
        ids.add(visit.stand_in_id)
    if visit.host.team_id:
        return User.objects.filter(Q(pk__in=ids) | Q(team_id=visit.host.team_id), is_active=True)
    return User.objects.filter(pk__in=ids, is_active=True)


@login_required
def actual_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    line = selectors.line_get_for_user(_spend_user(request), pk)
    if not permissions.can_record_actual(request.user, line):
        raise PermissionDenied
    visit = line.visit
    payers = _payers(visit).order_by("display_name", "username")
    data = request.POST if request.method == "POST" else None
    form = ActualForm(
        data,
        request.FILES if data is not None else None,
        payers=payers,
        initial={"paid_on": line.date, "payer": request.user, "amount": line.planned_amount},
    )
    if data is not None and form.is_valid():
        cd = form.cleaned_data
        try:
            services.actual_record(
                actor=request.user,
                line=line,
                amount=cd["amount"],
                currency=cd["currency"],
                exchange_rate=cd["exchange_rate"],
                payer=cd["payer"],
                paid_on=cd["paid_on"],
                deviation_note=cd["deviation_note"],
                receipt=cd["receipt"],
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Spend recorded."))
            return redirect(_visit_url(visit.pk, f"line-{line.pk}"))
    status = 422 if data is not None else 200
    return render(
        request,
        "spend/actual_form.html",
        {"visit": visit, "line": line, "form": form},
        status=status,
    )


@login_required
@require_POST
def actual_void(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    actual = selectors.actual_get_for_user(_spend_user(request), pk)
    if not permissions.can_plan_spend(request.user, actual.line.visit):
        raise PermissionDenied
    try:
        services.actual_void(
            actor=request.user, actual=actual, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Spend voided."))
    return redirect(_visit_url(actual.line.visit_id, f"line-{actual.line_id}"))


@login_required
def receipt_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    actual = selectors.actual_get_for_user(_spend_user(request), pk)
    if not permissions.can_download_receipt(request.user, actual):
        raise Http404
    return receipt_response(actual)


# --- Approvals -------------------------------------------------------------------------


@login_required
def approvals(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = _spend_user(request)
    if not permissions.is_approver(user):
        raise PermissionDenied
    page = Paginator(selectors.approvals_for_user(user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "spend/approvals.html",
        {"page": page, "decision_form": DecisionForm(), "tab": "approvals"},
    )


# --- Finance ---------------------------------------------------------------------------


@login_required
def standards(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = _spend_user(request)
    can_manage = permissions.can_manage_standards(user)
    data = request.POST if request.method == "POST" else None
    if data is not None and not can_manage:
        raise PermissionDenied
    initial: dict[str, Any] = {"valid_from": timezone.localdate()}
    base = request.GET.get("from", "")
    if can_manage and base.isdigit():
        # "Change" on a row: the same level and category, from a later day.
        current = SpendStandard.objects.filter(pk=int(base)).first()
        if current is not None:
            initial.update(
                level=current.level_id,
                category=current.category,
                room_type=current.room_type,
                amount=current.amount,
                manager_max_over_percent=current.manager_max_over_percent,
                valid_from=max(timezone.localdate(), current.valid_from + timedelta(days=1)),
            )
    form = StandardForm(data, initial=initial)
    if data is not None and form.is_valid():
        cd = form.cleaned_data
        try:
            services.standard_create(
                actor=user,
                level=cd["level"],
                category=cd["category"],
                room_type=cd["room_type"] or "",
                amount=cd["amount"],
                valid_from=cd["valid_from"],
                manager_max_over_percent=cd["manager_max_over_percent"],
                note=cd["note"],
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Standard saved."))
            return redirect("spend:standards")
    rows = selectors.standards_current(timezone.localdate())
    status = 422 if data is not None else 200
    return _render(
        request,
        "spend/standards.html",
        {"rows": rows, "form": form, "can_manage": can_manage, "tab": "standards"},
        status=status,
    )


@login_required
def confirm_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _spend_user(request)
    if not permissions.can_confirm_actuals(request.user):
        raise PermissionDenied
    page = Paginator(selectors.actuals_to_confirm(), PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(request, "spend/confirm.html", {"page": page, "tab": "confirm"})


@login_required
@require_POST
def actual_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _spend_user(request)
    if not permissions.can_confirm_actuals(request.user):
        raise PermissionDenied
    actual = selectors.actual_get_for_user(request.user, pk)
    try:
        services.actual_confirm(actor=request.user, actual=actual)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Confirmed for reimbursement."))
    return redirect("spend:confirm")


@login_required
def confirm_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    _spend_user(request)
    if not permissions.can_confirm_actuals(request.user):
        raise PermissionDenied
    which = request.GET.get("which", "open")
    rows: Any = (
        selectors.actuals_confirmed() if which == "confirmed" else selectors.actuals_to_confirm()
    )
    return exports.actuals_export(rows, requested_format(request) or "xlsx")


# --- Reports ---------------------------------------------------------------------------


REPORT_TITLES = {
    "visit": lambda: _("Per visit"),
    "customer": lambda: _("Per customer"),
    "salesperson": lambda: _("Per salesperson"),
    "team": lambda: _("Per team"),
    "month": lambda: _("Per month"),
}


def _report(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    user = _spend_user(request)
    form = ReportFilterForm(request.GET or None)
    start: date | None = None
    end: date | None = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    # The dashboard's team, salesperson and level come with its link (issue 9).
    scope_form = ScopeForm(request.GET or None)
    scope = scope_form.scope()
    filters = selectors.ReportFilters(start=start, end=end, scope=scope)
    qs = selectors.report_lines(user, filters)
    groups = {key: (title(), selectors.report_by(qs, key)) for key, title in REPORT_TITLES.items()}
    return {
        "form": form,
        "scope": scope_banner(scope_form) if (scope.team or scope.host or scope.level) else None,
        "groups": groups,
        "totals": selectors.report_totals(qs),
        "overruns": selectors.top_overruns(qs),
    }


@login_required
def reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = _report(request)
    charts = {
        f"chart-{key}": {
            "labels": [row.label for row in rows],
            "planned": [str(row.planned) for row in rows],
            "standard": [str(row.standard) for row in rows],
            "actual": [str(row.actual) for row in rows],
        }
        for key, (_title, rows) in context["groups"].items()
    }
    context.update(
        {
            "charts": charts,
            "tab": "reports",
            "series_names": {
                "planned": _("Planned"),
                "standard": _("Standard"),
                "actual": _("Actual"),
            },
            "query": request.GET.urlencode(),
        }
    )
    return _render(request, "spend/reports.html", context)


@login_required
def reports_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = _report(request)
    content = exports.report_workbook(context["groups"], context["totals"])
    return _xlsx(content, f"spend-report-{timezone.localdate():%Y%m%d}.xlsx")
