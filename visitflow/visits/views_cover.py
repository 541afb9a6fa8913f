"""SOP 5.2 on the web: the cover panel of the visit page and its actions, the manager's
"cover needed" list, the hand-over brief, the apology to the customer, and the clash
check the visit form asks while dates and host are typed."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from visitflow.accounts.models import User
from visitflow.accounts.roles import is_admin
from visitflow.accounts.selectors_absences import absence_text
from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.core.pagination import CappedPaginator
from visitflow.customers.selectors import customer_base_qs_for_user
from visitflow.visits import services_cover as cover_services
from visitflow.visits.forms_cover import (
    ApologyForm,
    CoverAssignForm,
    CoverDeclineForm,
    CoverRequestForm,
    RescheduleDeclineForm,
    RescheduleForm,
)
from visitflow.visits.models import CoverState, RescheduleState, Visit
from visitflow.visits.permissions import can_hand_over_visit, can_send_apology
from visitflow.visits.selectors import host_choices_for_user, visit_get_for_user
from visitflow.visits.selectors_cover import (
    can_view_cover_needed,
    cover_get_for_user,
    cover_needed_for_user,
    handover_brief,
    proposal_get_for_user,
    visit_absences,
)

PAGE_SIZE = 25


def _local_input(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def cover_panel_context(user: User, visit: Visit, extra: dict[str, object]) -> dict[str, object]:
    """The cover panel of the visit page: the clash, the cover and the proposal, and the
    forms the user may use on them (a form that failed comes back in `extra`)."""
    warnings = cover_services.visit_clash_warnings(visit)
    cover = cover_services.active_cover(visit)
    proposal = visit.reschedules.filter(state=RescheduleState.PROPOSED).select_related("by").first()
    may_hand_over = can_hand_over_visit(user, visit)
    is_asked = bool(cover and cover.state == CoverState.ASSIGNED and cover.stand_in_id == user.pk)
    moved = (
        visit.reschedules.filter(state=RescheduleState.APPLIED, decided_at__isnull=False).exists()
        if not cover
        else False
    )
    panel: dict[str, Any] = {
        "warnings": warnings,
        "cover": cover,
        "proposal": proposal,
        "may_hand_over": may_hand_over,
        "arranges": is_admin(user) or cover_services.is_supervisor_of_host(user, visit),
        "is_asked": is_asked,
        "moved_after_proposal": moved,
        "may_apologise": can_send_apology(user, visit) and bool(visit.stand_in_id or moved),
        "show": bool(warnings or cover or proposal or visit.stand_in_id or moved),
    }
    if may_hand_over:
        panel["request_form"] = extra.get("cover_form") or CoverRequestForm(user=user, visit=visit)
        panel["assign_form"] = extra.get("assign_form") or CoverAssignForm(user=user, visit=visit)
        panel["reschedule_form"] = extra.get("reschedule_form") or RescheduleForm(
            initial={
                "starts_at": _local_input(visit.starts_at),
                "ends_at": _local_input(visit.ends_at),
            }
        )
        panel["show"] = panel["show"] or "reschedule_form" in extra or "cover_form" in extra
    if is_asked:
        panel["decline_form"] = extra.get("decline_form") or CoverDeclineForm()
    return {"cover_panel": panel}


def _detail_with_errors(
    request: AuthenticatedHttpRequest, visit: Visit, **forms: object
) -> HttpResponse:
    from visitflow.visits.views import _detail_with_errors as detail_with_errors

    return detail_with_errors(request, visit, **forms)


def _back(visit: Visit) -> HttpResponse:
    return redirect(f"{visit.get_absolute_url()}#cover")


@login_required
@require_POST
def cover_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    if not can_hand_over_visit(request.user, visit):
        raise PermissionDenied
    form = CoverRequestForm(request.POST, user=request.user, visit=visit)
    if form.is_valid():
        try:
            cover = cover_services.cover_request(
                actor=request.user, visit=visit, **form.cleaned_data
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            if cover.state == CoverState.ACCEPTED:
                messages.success(request, _("You host this visit now."))
            elif cover.supervisor is not None:
                messages.success(
                    request,
                    _("%(supervisor)s is asked to arrange a stand-in host.")
                    % {"supervisor": cover.supervisor},
                )
            else:
                messages.success(request, _("Cover asked for; choose the stand-in host below."))
            return _back(visit)
    return _detail_with_errors(request, visit, cover_form=form)


@login_required
@require_POST
def cover_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cover = cover_get_for_user(request.user, pk)
    visit = cover.visit
    if not can_hand_over_visit(request.user, visit):
        raise PermissionDenied
    form = CoverAssignForm(request.POST, user=request.user, visit=visit)
    if form.is_valid():
        try:
            cover_services.cover_assign(
                actor=request.user, cover=cover, stand_in=form.cleaned_data["stand_in"]
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            if cover.state == CoverState.ACCEPTED:
                messages.success(request, _("You host this visit now."))
                for problem in getattr(cover, "escort_problems", []):
                    messages.warning(request, problem)
            else:
                messages.success(
                    request,
                    _("%(person)s is asked to stand in.") % {"person": cover.stand_in},
                )
            return _back(visit)
    return _detail_with_errors(request, visit, assign_form=form)


@login_required
@require_POST
def cover_answer(request: AuthenticatedHttpRequest, pk: int, answer: str) -> HttpResponse:
    cover = cover_get_for_user(request.user, pk)
    visit = cover.visit
    if cover.stand_in_id != request.user.pk:
        raise PermissionDenied
    if answer == "accept":
        try:
            cover_services.cover_accept(actor=request.user, cover=cover)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("You stand in for %(host)s: the visit is on your My day.") % {"host": visit.host},
            )
            for problem in getattr(cover, "escort_problems", []):
                messages.warning(request, problem)
        return _back(visit)
    if answer != "decline":
        raise Http404
    form = CoverDeclineForm(request.POST)
    if form.is_valid():
        try:
            cover_services.cover_decline(
                actor=request.user, cover=cover, note=form.cleaned_data["note"]
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Your answer is passed on."))
            # They are no longer asked: the visit may be out of their sight now.
            return redirect("visits:my_day")
    return _detail_with_errors(request, visit, decline_form=form)


@login_required
@require_POST
def cover_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cover = cover_get_for_user(request.user, pk)
    if not can_hand_over_visit(request.user, cover.visit):
        raise PermissionDenied
    try:
        cover_services.cover_cancel(actor=request.user, cover=cover)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The cover is withdrawn; the host hosts again."))
    return _back(cover.visit)


@login_required
@require_POST
def reschedule_propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    if not can_hand_over_visit(request.user, visit):
        raise PermissionDenied
    form = RescheduleForm(request.POST)
    if form.is_valid():
        try:
            cover_services.reschedule_propose(actor=request.user, visit=visit, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(
                request,
                _("New dates proposed. Record the customer's answer here when you have it."),
            )
            return _back(visit)
    return _detail_with_errors(request, visit, reschedule_form=form)


@login_required
@require_POST
def reschedule_answer(request: AuthenticatedHttpRequest, pk: int, answer: str) -> HttpResponse:
    proposal = proposal_get_for_user(request.user, pk)
    visit = proposal.visit
    if not can_hand_over_visit(request.user, visit):
        raise PermissionDenied
    try:
        if answer == "agree":
            outcome = cover_services.reschedule_agree(actor=request.user, proposal=proposal)
            messages.success(request, _("The visit has moved to the new dates."))
            if outcome.released:
                messages.warning(
                    request,
                    _("No longer fitting and released: %(items)s")
                    % {"items": "、".join(outcome.released)},
                )
        elif answer == "decline":
            form = RescheduleDeclineForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            cover_services.reschedule_decline(actor=request.user, proposal=proposal, note=note)
            messages.success(request, _("The visit keeps its dates."))
        elif answer == "withdraw":
            cover_services.reschedule_withdraw(actor=request.user, proposal=proposal)
            messages.success(request, _("The proposal is withdrawn."))
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return _back(visit)


@login_required
def apology(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """SOP 5.2 向客户说明情况, 征求客户原谅: the message, prefilled from the template."""
    visit = visit_get_for_user(request.user, pk)
    if not can_send_apology(request.user, visit):
        raise PermissionDenied
    kind = request.GET.get("kind") or cover_services.apology_kind(visit)
    if kind not in (cover_services.APOLOGY_STAND_IN, cover_services.APOLOGY_NEW_DATES):
        kind = cover_services.apology_kind(visit)
    language = "en" if request.GET.get("language") == "en" else "zh-hans"
    if request.method == "POST":
        form = ApologyForm(request.POST)
        if form.is_valid():
            try:
                cover_services.apology_send(
                    actor=request.user,
                    visit=visit,
                    channel=form.cleaned_data["channel"],
                    text=form.cleaned_data["text"],
                    language=form.cleaned_data["language"],
                )
            except ApplicationError as exc:
                apply_application_error(form, exc)
            else:
                messages.success(request, _("The message to the customer is recorded."))
                return _back(visit)
    else:
        form = ApologyForm(
            initial={
                "kind": kind,
                "language": language,
                "channel": "wechat",
                "text": cover_services.apology_text(visit, kind=kind, language=language),
            }
        )
    sent = visit.customer_messages.filter(transfer__isnull=True).select_related("sent_by")[:10]
    return render(
        request,
        "visits/cover_apology.html",
        {"visit": visit, "form": form, "kind": kind, "language": language, "sent": sent},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def handover(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The hand-over brief: what a stand-in needs to receive someone else's customer."""
    visit = visit_get_for_user(request.user, pk)
    return render(request, "visits/cover_handover.html", {"brief": handover_brief(visit)})


@login_required
@require_GET
def cover_needed(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_cover_needed(request.user):
        raise PermissionDenied
    page = CappedPaginator(cover_needed_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for visit in page.object_list:
        visit.away = visit_absences(visit)
        covers = getattr(visit, "open_covers", [])
        visit.open_cover = covers[0] if covers else None
        proposals = getattr(visit, "open_proposals", [])
        visit.open_proposal = proposals[0] if proposals else None
    return render(request, "visits/cover_needed.html", {"page": page})


@login_required
@require_GET
def clash_check(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The visit form asks as dates and host are typed (htmx): is the host away then?"""
    user = request.user
    starts = parse_datetime(request.GET.get("starts_at", "") or "")
    ends = parse_datetime(request.GET.get("ends_at", "") or "")
    host: User | None = None
    host_id = request.GET.get("host", "")
    if host_id.isdigit():
        host = host_choices_for_user(user).filter(pk=int(host_id)).first()
    customer_id = request.GET.get("customer", "")
    if host is None and customer_id.isdigit():
        customer = (
            customer_base_qs_for_user(user)
            .filter(pk=int(customer_id))
            .select_related("owner")
            .first()
        )
        host = customer.owner if customer else None
    visit_id = request.GET.get("visit", "")
    if host is None and visit_id.isdigit():
        host = visit_get_for_user(user, int(visit_id)).host
    warnings: list[str] = []
    if host is not None and starts is not None and ends is not None and ends > starts:
        if timezone.is_naive(starts):
            starts = timezone.make_aware(starts)
        if timezone.is_naive(ends):
            ends = timezone.make_aware(ends)
        warnings = [
            absence_text(a) for a in cover_services.person_absences_during(host, starts, ends)
        ]
    return render(
        request,
        "visits/_clash_warning.html",
        {"clash_warnings": warnings, "language": get_language()},
    )
