from datetime import date, timedelta
from typing import Protocol, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.core.pagination import CappedPaginator
from visitflow.customers.permissions import can_list_customers
from visitflow.reports.exports import export_response, requested_format
from visitflow.reports.permissions import can_view_quality_report
from visitflow.visits import services
from visitflow.visits.exports import (
    FOLLOW_UP_COLUMNS,
    REQUEST_COLUMNS,
    RETURN_CALL_COLUMNS,
    VISIT_COLUMNS,
)
from visitflow.visits.forms import (
    CancelForm,
    FollowUpLogForm,
    LegForm,
    OutcomeForm,
    RequestForm,
    RequestStateForm,
    ReturnCallForm,
    SkipForm,
    VisitFilterForm,
    VisitForm,
    VisitorForm,
)
from visitflow.visits.forms_scope import ScopeForm, scope_banner
from visitflow.visits.models import (
    PlaybookStep,
    Visit,
    Visitor,
    VisitStatus,
    VisitStep,
    VisitStepItem,
)
from visitflow.visits.permissions import (
    can_create_visit,
    can_edit_visit,
    can_record_outcome,
    can_work_step,
)
from visitflow.visits.selectors import (
    VisitFilters,
    feedback_list_for_user,
    follow_up_get_for_user,
    follow_up_list_for_user,
    leg_get_for_user,
    my_day_for_user,
    request_get_for_user,
    request_list_for_user,
    step_get_for_user,
    visit_base_qs_for_user,
    visit_calendar_for_user,
    visit_detail_parts,
    visit_get_for_user,
    visit_list_for_user,
)
from visitflow.visits.selectors_cover import cover_tasks_for_user
from visitflow.visits.services_cover import visit_clash_notify
from visitflow.visits.views_cover import cover_panel_context

PAGE_SIZE = 25

_M = TypeVar("_M", bound=Model)


class _TransitionService(Protocol):
    def __call__(self, *, actor: User, visit: Visit) -> Visit: ...


# What each life-cycle button does (the allowed moves live in services.TRANSITIONS).
# Keyed by str: the URL's target is a plain string, and VisitStatus members are strs.
TRANSITION_SERVICES: dict[str, _TransitionService] = {
    VisitStatus.CONFIRMED: services.visit_confirm,
    VisitStatus.DRAFT: services.visit_reopen,
    VisitStatus.IN_PROGRESS: services.visit_mark_arrived,
    VisitStatus.DEPARTED: services.visit_mark_departed,
    VisitStatus.CLOSED: services.visit_close,
}


def _require_visits(request: AuthenticatedHttpRequest) -> None:
    if not can_list_customers(request.user):
        raise PermissionDenied


def _page(request: AuthenticatedHttpRequest, qs: QuerySet[_M]) -> Page[_M]:
    return CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _visit_list_extras(form: VisitFilterForm, data: dict[str, object]) -> list[str]:
    """The dashboard's filters of the visit list beyond its scope: a step's outcome, and
    only visits whose visitors came."""
    extras = []
    outcome = data.get("step_outcome")
    if outcome:
        label = dict(form.fields["step_outcome"].choices)[outcome]  # type: ignore[attr-defined]
        step = (
            PlaybookStep.objects.filter(code=data.get("step")).first() if data.get("step") else None
        )
        extras.append(
            f"{step.localized_name} · {label}"
            if step
            else _("Steps %(outcome)s") % {"outcome": label}
        )
    if data.get("came"):
        extras.append(_("Visitors came"))
    return extras


@login_required
def visit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_visits(request)
    form = VisitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    scope_form = ScopeForm(request.GET or None)
    filters = VisitFilters(
        q=data.get("q") or "",
        status=data.get("status") or "",
        period=data.get("period") or ("" if form.is_bound else "upcoming"),
        outcome=data.get("outcome") or "",
        scope=scope_form.scope(),
        step=data.get("step") or "",
        step_outcome=data.get("step_outcome") or "",
        came=bool(data.get("came")),
    )
    visits = visit_list_for_user(request.user, filters)
    if fmt := requested_format(request):
        return export_response(rows=visits, columns=VISIT_COLUMNS, fmt=fmt, name=_("Visits"))
    context = {
        "form": form,
        "filters": filters,
        "scope": scope_banner(
            scope_form, _visit_list_extras(form, data), ("step", "step_outcome", "came")
        ),
        "page": _page(request, visits),
        "can_create": can_create_visit(request.user),
        "can_view_quality": can_view_quality_report(request.user),
    }
    template = "visits/visit_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@login_required
def visit_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A month (or week) of visits: ?month=2026-12 or ?week=2026-12-07."""
    _require_visits(request)
    today = timezone.localdate()
    week = _parse_date(request.GET.get("week", ""))
    if week is not None:
        first = week - timedelta(days=week.weekday())
        last = first + timedelta(days=6)
        previous = {"week": (first - timedelta(days=7)).isoformat()}
        following = {"week": (first + timedelta(days=7)).isoformat()}
        title = first
    else:
        month = _parse_date(request.GET.get("month", "") + "-01") or today.replace(day=1)
        month = month.replace(day=1)
        title = month
        first = month - timedelta(days=month.weekday())
        next_month = (month + timedelta(days=32)).replace(day=1)
        last = next_month - timedelta(days=1)
        last += timedelta(days=6 - last.weekday())
        previous = {"month": (month - timedelta(days=1)).strftime("%Y-%m")}
        following = {"month": next_month.strftime("%Y-%m")}
    by_day = visit_calendar_for_user(request.user, first, last)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    weeks = [
        [(day, by_day.get(day, [])) for day in days[i : i + 7]] for i in range(0, len(days), 7)
    ]
    return render(
        request,
        "visits/calendar.html",
        {
            "weeks": weeks,
            "is_week": week is not None,
            "title": title,
            "today": today,
            "previous": urlencode(previous),
            "following": urlencode(following),
            "this_week": today - timedelta(days=today.weekday()),
        },
    )


def _parse_date(value: str) -> date | None:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    # Far-off dates are no calendar anyone needs, and they overflow date arithmetic.
    return parsed if 2000 <= parsed.year <= 2100 else None


@login_required
def my_day(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_visits(request)
    return render(
        request,
        "visits/my_day.html",
        {
            "day": my_day_for_user(request.user),
            "cover_tasks": cover_tasks_for_user(request.user),
            "now": timezone.now(),
        },
    )


def _warn_clashes(request: AuthenticatedHttpRequest, visit: Visit) -> None:
    """SOP 5.2: the host away during the visit is said at once, after saving too; the
    host and their manager are notified."""
    # The details are on the visit page, in the "host away" panel the redirect opens.
    if visit_clash_notify(actor=request.user, visit=visit):
        messages.warning(
            request,
            _("The host is away during this visit: ask for a stand-in or propose new dates below."),
        )


def _visit_form_response(
    request: AuthenticatedHttpRequest,
    form: VisitForm,
    visit: Visit | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(request, "visits/visit_form.html", {"form": form, "visit": visit}, status=status)


@login_required
def visit_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_create_visit(request.user):
        raise PermissionDenied
    initial = {}
    customer_id = request.GET.get("customer", "")
    if customer_id.isdigit():
        initial["customer"] = int(customer_id)
    form = VisitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reschedule_reason"}
        data["co_hosts"] = list(data.get("co_hosts") or [])
        try:
            visit = services.visit_create(actor=request.user, **data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(
                request, _("Visit registered. Add the visitors and their travel next.")
            )
            _warn_clashes(request, visit)
            return redirect("visits:detail", pk=visit.pk)
    status = 422 if request.method == "POST" else 200
    return _visit_form_response(request, form, status=status)


@login_required
def visit_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    if not can_edit_visit(request.user, visit):
        raise PermissionDenied
    form = VisitForm(request.POST or None, instance=visit, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reschedule_reason", "")
        data["co_hosts"] = list(data.get("co_hosts") or [])
        fresh = visit_get_for_user(request.user, pk)
        try:
            updated = services.visit_update(
                actor=request.user, visit=fresh, data=data, reschedule_reason=reason
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            _warn_clashes(request, updated)
            return redirect("visits:detail", pk=pk)
    status = 422 if request.method == "POST" else 200
    return _visit_form_response(request, form, visit, status=status)


def _detail_context(
    request: AuthenticatedHttpRequest, visit: Visit, **extra: object
) -> dict[str, object]:
    user = request.user
    can_edit = can_edit_visit(user, visit)
    context: dict[str, object] = {
        "visit": visit,
        "can_edit": can_edit,
        "editable": can_edit and visit.status in services.EDITABLE_STATES,
        "missing": services.visit_missing_for_confirmation(visit)
        if visit.status == VisitStatus.DRAFT
        else [],
        "moves": [
            target
            for target in services.TRANSITIONS[visit.status]
            if can_edit and target != VisitStatus.CANCELLED
        ],
        "can_cancel": can_edit and services.can_transition(visit, VisitStatus.CANCELLED),
        "visitor_form": VisitorForm(visit=visit),
        "leg_form": LegForm(),
        "request_form": RequestForm(user=user),
        "return_call_form": ReturnCallForm(),
        "outcome_form": _outcome_form(visit),
        "can_record_outcome": can_record_outcome(user, visit)
        and visit.status in services.OUTCOME_STATES,
        "show_outcome": visit.status in services.OUTCOME_STATES or bool(visit.outcome),
        "cancel_form": CancelForm(),
        "history": visit.customer.activity.filter(object_type__startswith="visits.")
        .select_related("actor")
        .order_by("-created", "-id")[:60],
        **visit_detail_parts(visit),
    }
    context.update(extra)
    context.update(cover_panel_context(user, visit, extra))
    for step in context["steps"]:  # type: ignore[attr-defined]
        step.workable = can_work_step(user, step)
    return context


@login_required
def visit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    return render(request, "visits/visit_detail.html", _detail_context(request, visit))


def _detail_with_errors(
    request: AuthenticatedHttpRequest, visit: Visit, **forms: object
) -> HttpResponse:
    """Re-show the visit page with the form that failed, keeping what was typed."""
    return render(
        request, "visits/visit_detail.html", _detail_context(request, visit, **forms), status=422
    )


@login_required
@require_POST
def visit_transition(request: AuthenticatedHttpRequest, pk: int, target: str) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    if not can_edit_visit(request.user, visit):
        raise PermissionDenied
    try:
        if target == VisitStatus.CANCELLED:
            form = CancelForm(request.POST)
            if not form.is_valid():
                return _detail_with_errors(request, visit, cancel_form=form)
            services.visit_cancel(
                actor=request.user, visit=visit, reason=form.cleaned_data["reason"]
            )
        elif target in TRANSITION_SERVICES:
            TRANSITION_SERVICES[target](actor=request.user, visit=visit)
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The visit is now “%(status)s”.") % {"status": visit.get_status_display()}
        )
        if target == VisitStatus.CONFIRMED:
            _warn_clashes(request, visit)
    return redirect("visits:detail", pk=pk)


@login_required
@require_POST
def visitor_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    form = VisitorForm(request.POST, visit=visit)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.visitor_add(actor=request.user, visit=visit, **data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Visitor added."))
            return redirect(f"{visit.get_absolute_url()}#party")
    return _detail_with_errors(request, visit, visitor_form=form)


@login_required
@require_POST
def visitor_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visitor = (
        Visitor.objects.filter(pk=pk, visit__in=visit_base_qs_for_user(request.user))
        .select_related("visit", "visit__customer")
        .first()
    )
    if visitor is None:
        raise Http404
    try:
        services.visitor_remove(actor=request.user, visitor=visitor)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(f"{visitor.visit.get_absolute_url()}#party")


@login_required
@require_POST
def leg_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    form = LegForm(request.POST)
    if form.is_valid():
        try:
            leg = services.leg_add(actor=request.user, visit=visit, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            warning = services.leg_number_warning(leg.mode, leg.number)
            if warning:
                messages.warning(request, warning)
            messages.success(request, _("Journey added."))
            return redirect(f"{visit.get_absolute_url()}#itinerary")
    return _detail_with_errors(request, visit, leg_form=form)


@login_required
def leg_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    leg = leg_get_for_user(request.user, pk)
    if not can_edit_visit(request.user, leg.visit):
        raise PermissionDenied
    form = LegForm(request.POST or None, instance=leg)
    if request.method == "POST" and form.is_valid():
        fresh = leg_get_for_user(request.user, pk)
        try:
            services.leg_update(actor=request.user, leg=fresh, data=form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(f"{leg.visit.get_absolute_url()}#itinerary")
    status = 422 if request.method == "POST" else 200
    return render(request, "visits/leg_form.html", {"form": form, "leg": leg}, status=status)


@login_required
@require_POST
def leg_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    leg = leg_get_for_user(request.user, pk)
    try:
        services.leg_remove(actor=request.user, leg=leg)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(f"{leg.visit.get_absolute_url()}#itinerary")


@login_required
@require_POST
def step_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    step = step_get_for_user(request.user, pk)
    try:
        if action == "done":
            services.step_complete(actor=request.user, step=step)
        elif action == "reopen":
            services.step_reopen(actor=request.user, step=step)
        elif action == "skip":
            form = SkipForm(request.POST)
            if not form.is_valid():
                raise ApplicationError(_("Say why the step is skipped."))
            services.step_skip(actor=request.user, step=step, reason=form.cleaned_data["reason"])
        else:
            raise Http404
    except ApplicationError as exc:
        if request.htmx:
            return render(
                request,
                "visits/_step.html",
                {"step": _step_for_partial(request, step.pk), "step_error": exc.message},
                status=422,
            )
        messages.error(request, exc.message)
    if request.htmx:
        return render(request, "visits/_step.html", {"step": _step_for_partial(request, pk)})
    return redirect(f"{step.visit.get_absolute_url()}#step-{pk}")


def _step_for_partial(request: AuthenticatedHttpRequest, pk: int) -> VisitStep:
    step = step_get_for_user(request.user, pk)
    step = (
        type(step)
        .objects.select_related("playbook_step", "owner", "done_by", "visit")
        .prefetch_related("items")
        .get(pk=step.pk)
    )
    step.workable = can_work_step(request.user, step)  # type: ignore[attr-defined]
    step.is_overdue = bool(  # type: ignore[attr-defined]
        step.state == "pending" and step.due_at and step.due_at < timezone.now()
    )
    return step


@login_required
@require_POST
def item_toggle(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = (
        VisitStepItem.objects.filter(pk=pk, step__visit__in=visit_base_qs_for_user(request.user))
        .select_related("step", "step__visit", "step__visit__customer")
        .first()
    )
    if item is None:
        raise Http404
    try:
        services.step_item_toggle(
            actor=request.user, item=item, done=request.POST.get("done") == "1"
        )
    except ApplicationError as exc:
        if request.htmx:
            return HttpResponse(exc.message, status=403)
        messages.error(request, exc.message)
    if request.htmx:
        return render(
            request, "visits/_step.html", {"step": _step_for_partial(request, item.step_id)}
        )
    return redirect(f"{item.step.visit.get_absolute_url()}#step-{item.step_id}")


@login_required
@require_POST
def request_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    form = RequestForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.request_create(actor=request.user, visit=visit, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Request recorded."))
            return redirect(f"{visit.get_absolute_url()}#requests")
    return _detail_with_errors(request, visit, request_form=form)


@login_required
@require_POST
def request_state(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit_request = request_get_for_user(request.user, pk)
    form = RequestStateForm(request.POST)
    if form.is_valid():
        try:
            services.request_set_state(
                actor=request.user, request=visit_request, **form.cleaned_data
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Unknown state."))
    target = request.POST.get("next") or f"{visit_request.visit.get_absolute_url()}#requests"
    if not target.startswith("/"):
        target = "/"
    return redirect(target)


@login_required
def request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_visits(request)
    rows = request_list_for_user(request.user)
    if fmt := requested_format(request):
        return export_response(
            rows=rows, columns=REQUEST_COLUMNS, fmt=fmt, name=_("Customer requests")
        )
    return render(request, "visits/request_list.html", {"page": _page(request, rows)})


@login_required
def return_call(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    if request.method != "POST":
        return redirect(f"{visit.get_absolute_url()}#return-call")
    form = ReturnCallForm(request.POST)
    if form.is_valid():
        try:
            services.return_call_record(actor=request.user, visit=visit, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Return call recorded."))
            return redirect(f"{visit.get_absolute_url()}#return-call")
    return _detail_with_errors(request, visit, return_call_form=form)


def _outcome_form(visit: Visit) -> OutcomeForm:
    return OutcomeForm(
        initial={
            "outcome": visit.outcome,
            "amount": visit.deal_amount,
            "note": visit.outcome_note,
        }
    )


@login_required
@require_POST
def visit_outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Issues 7 and 9: deal / no deal / still negotiating, with the amount of a deal."""
    visit = visit_get_for_user(request.user, pk)
    if not can_record_outcome(request.user, visit):
        raise PermissionDenied
    if visit.status not in services.OUTCOME_STATES:
        # The page shows no outcome card for such a visit: the refusal becomes a message.
        messages.error(
            request,
            _("A cancelled visit has no outcome.")
            if visit.status == VisitStatus.CANCELLED
            else _("The outcome is recorded once the visitors have arrived."),
        )
        return redirect(visit.get_absolute_url())
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            visit = services.visit_record_outcome(
                actor=request.user,
                visit=visit,
                outcome=form.cleaned_data["outcome"],
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Outcome recorded."))
                return redirect(f"{visit.get_absolute_url()}#outcome")
            response = render(
                request,
                "visits/_outcome.html",
                {
                    "visit": visit,
                    "outcome_form": _outcome_form(visit),
                    "can_record_outcome": True,
                },
            )
            response["HX-Trigger"] = "vf-outcome-recorded"
            return response
    if request.htmx:
        # htmx swaps only 2xx answers: the card comes back with the errors and what was typed.
        return render(
            request,
            "visits/_outcome.html",
            {
                "visit": visit,
                "outcome_form": form,
                "can_record_outcome": True,
            },
        )
    return _detail_with_errors(request, visit, outcome_form=form)


@login_required
def feedback_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_visits(request)
    scope_form = ScopeForm(request.GET or None)
    rated = request.GET.get("rated") == "1"
    rows = feedback_list_for_user(request.user, scope_form.scope(), rated=rated)
    if fmt := requested_format(request):
        return export_response(
            rows=rows, columns=RETURN_CALL_COLUMNS, fmt=fmt, name=_("Return calls")
        )
    extras = [_("with scores")] if rated else []
    context = {"page": _page(request, rows), "scope": scope_banner(scope_form, extras)}
    return render(request, "visits/feedback_list.html", context)


FOLLOW_UP_GROUP_LABELS = {
    "overdue": _("Overdue"),
    "week": _("Due within a week"),
    "later": _("Due later"),
    "done": _("Done"),
}


@login_required
def follow_up_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_visits(request)
    scope_form = ScopeForm(request.GET or None)
    group = request.GET.get("group", "")
    group = group if group in FOLLOW_UP_GROUP_LABELS else ""
    rows = follow_up_list_for_user(request.user, scope=scope_form.scope(), group=group)
    if fmt := requested_format(request):
        return export_response(rows=rows, columns=FOLLOW_UP_COLUMNS, fmt=fmt, name=_("Follow-ups"))
    extras = [str(FOLLOW_UP_GROUP_LABELS[group])] if group else []
    context = {"page": _page(request, rows), "scope": scope_banner(scope_form, extras)}
    return render(request, "visits/follow_up_list.html", context)


@login_required
def follow_up_log(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    follow_up = follow_up_get_for_user(request.user, pk)
    form = FollowUpLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_log(actor=request.user, follow_up=follow_up, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Follow-up logged; the next one is planned."))
            return redirect("visits:follow_ups")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "visits/follow_up_form.html",
        {"form": form, "follow_up": follow_up},
        status=status,
    )
