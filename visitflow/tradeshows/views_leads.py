"""After the show (SOP 5.3.5): the lead list with merge suggestions, assignment, the
follow-up call, conversion into a customer, the funnel and the export (.xlsx, .csv)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visitflow.accounts.roles import is_admin
from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.core.pagination import CappedPaginator
from visitflow.reports.exports import export_response, requested_format
from visitflow.tradeshows.exports import LEAD_COLUMNS
from visitflow.tradeshows.forms_leads import AssignForm, ConvertForm, LeadCallForm, LeadFilterForm
from visitflow.tradeshows.models import Lead
from visitflow.tradeshows.permissions import can_manage_show
from visitflow.tradeshows.selectors import tradeshow_get_for_user
from visitflow.tradeshows.selectors_leads import (
    LeadFilters,
    funnel_total,
    lead_get_for_user,
    lead_list_for_user,
    show_funnel,
)
from visitflow.tradeshows.services import leads as services

PAGE_SIZE = 25


def _may_work(request: AuthenticatedHttpRequest, lead: Lead) -> bool:
    user = request.user
    if is_admin(user) or lead.owner_id == user.pk or can_manage_show(user, lead.show):
        return True
    owner = lead.owner
    return bool(owner and owner.team_id and owner.team and owner.team.manager_id == user.pk)


def _filters(form: LeadFilterForm) -> LeadFilters:
    if not form.is_valid():
        return LeadFilters()
    return LeadFilters(
        status=form.cleaned_data["status"], unassigned=form.cleaned_data["unassigned"]
    )


@login_required
def lead_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = tradeshow_get_for_user(request.user, pk)
    form = LeadFilterForm(request.GET or None)
    leads = lead_list_for_user(request.user, show, _filters(form))
    if fmt := requested_format(request):
        return export_response(
            rows=leads, columns=LEAD_COLUMNS, fmt=fmt, name=f"{show.name}-{_('Leads')}"
        )
    page = CappedPaginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = can_manage_show(request.user, show)
    context = {
        "show": show,
        "page": page,
        "form": form,
        "can_manage": can_manage,
        "duplicates": services.duplicate_groups(show) if can_manage else [],
    }
    return render(request, "tradeshows/lead_list.html", context)


@require_POST
@login_required
def lead_auto_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = tradeshow_get_for_user(request.user, pk)
    if not can_manage_show(request.user, show):
        raise PermissionDenied
    count = services.leads_auto_assign(actor=request.user, show=show)
    messages.success(request, _("%(count)s leads assigned.") % {"count": count})
    return redirect("tradeshows:lead_list", pk=show.pk)


def _render_detail(
    request: AuthenticatedHttpRequest, lead: Lead, status: int = 200, **forms: object
) -> HttpResponse:
    duplicates = []
    if can_manage_show(request.user, lead.show):
        for group in services.duplicate_groups(lead.show):
            if any(other.pk == lead.pk for other in group):
                duplicates = [other for other in group if other.pk != lead.pk]
    context = {
        "lead": lead,
        "show": lead.show,
        "can_work": _may_work(request, lead),
        "can_assign": can_manage_show(request.user, lead.show),
        "duplicates": duplicates,
        "assign_form": forms.get("assign_form") or AssignForm(initial={"owner": lead.owner_id}),
        "call_form": forms.get("call_form") or LeadCallForm(),
        "convert_form": forms.get("convert_form") or ConvertForm(),
    }
    return render(request, "tradeshows/lead_detail.html", context, status=status)


@login_required
def lead_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, lead_get_for_user(request.user, pk))


@require_POST
@login_required
def lead_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    lead = lead_get_for_user(request.user, pk)
    if action == "assign":
        if not can_manage_show(request.user, lead.show):
            raise PermissionDenied
        form: AssignForm | LeadCallForm | ConvertForm = AssignForm(request.POST)
        key = "assign_form"
    elif action in ("call", "convert"):
        if not _may_work(request, lead):
            raise PermissionDenied
        form = LeadCallForm(request.POST) if action == "call" else ConvertForm(request.POST)
        key = f"{action}_form"
    elif action == "merge":
        if not can_manage_show(request.user, lead.show):
            raise PermissionDenied
        other_pk = request.POST.get("other", "")
        other = lead_get_for_user(request.user, int(other_pk)) if other_pk.isdigit() else None
        if other is None:
            raise PermissionDenied
        try:
            services.lead_merge(actor=request.user, keep=lead, other=other)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Merged."))
        return redirect("tradeshows:lead_detail", pk=lead.pk)
    else:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "assign":
                services.lead_assign(actor=request.user, lead=lead, owner=data["owner"])
            elif action == "call":
                services.lead_call_record(actor=request.user, lead=lead, outcome=data["outcome"])
            else:
                services.lead_convert(actor=request.user, lead=lead, level=data["level"])
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("tradeshows:lead_detail", pk=lead.pk)
    return _render_detail(request, lead, status=422, **{key: form})


@login_required
def funnel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = tradeshow_get_for_user(request.user, pk)
    rows = show_funnel(request.user, show)
    return render(
        request,
        "tradeshows/funnel.html",
        {"show": show, "rows": rows, "total": funnel_total(rows)},
    )
