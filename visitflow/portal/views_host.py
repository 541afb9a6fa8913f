"""The host's side of the self-service link, on the visit page: create, regenerate and
revoke it; confirm or decline what the party proposed."""

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.portal import services
from visitflow.portal.forms import RejectForm
from visitflow.portal.models import PortalChange
from visitflow.portal.permissions import can_decide_change, can_manage_portal
from visitflow.portal.selectors import (
    change_get_for_visit,
    change_rows,
    link_for_visit,
    pending_changes,
)
from visitflow.visits.models import Visit
from visitflow.visits.selectors import visit_get_for_user


def panel_context(user: Any, visit: Visit, *, new_url: str = "", **extra: Any) -> dict[str, Any]:
    manage = can_manage_portal(user, visit)
    link = link_for_visit(visit) if manage else None
    changes = pending_changes(visit) if manage else []
    context: dict[str, Any] = {
        "visit": visit,
        "can_manage_portal": manage,
        "can_issue_link": manage and visit.status in services.LINK_STATES,
        "can_decide": manage and can_decide_change(user, visit),
        "link": link,
        "link_works": link is not None and services.link_state(link) == services.LinkState.OK,
        "changes": changes,
        "new_url": new_url,
        "qr": segno.make(new_url, error="m").svg_data_uri(scale=4, border=2) if new_url else "",
    }
    for change in changes:
        change.rows = change_rows(change)  # type: ignore[attr-defined]
        change.reject_form = RejectForm(prefix=f"reject{change.pk}")  # type: ignore[attr-defined]
    context.update(extra)
    return context


def _panel(request: HttpRequest, visit: Visit, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = panel_context(request.user, visit, **extra)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "portal/_visit_panel.html", context, status=status)
    return render(request, "portal/link_page.html", context, status=status)


def _managed_visit(request: AuthenticatedHttpRequest, pk: int) -> Visit:
    visit = visit_get_for_user(request.user, pk)
    if not can_manage_portal(request.user, visit):
        raise PermissionDenied
    return visit


@login_required
@require_POST
def link_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Create or regenerate: the new link is shown once, here, with its QR code."""
    visit = _managed_visit(request, pk)
    try:
        _link, token = services.link_issue(actor=request.user, visit=visit)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(f"{visit.get_absolute_url()}#portal")
    url = request.build_absolute_uri(reverse("portal:page", args=[token]))
    return _panel(request, visit, new_url=url)


@login_required
@require_POST
def link_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = _managed_visit(request, pk)
    link = link_for_visit(visit)
    if link is None:
        raise Http404
    services.link_revoke(actor=request.user, link=link)
    if request.htmx:
        return _panel(request, visit)
    messages.success(request, _("The link no longer works."))
    return redirect(f"{visit.get_absolute_url()}#portal")


def _change(request: AuthenticatedHttpRequest, pk: int) -> tuple[Visit, PortalChange]:
    """Scoped like its visit: a change of a visit one cannot see is a 404."""
    visit_id = PortalChange.objects.filter(pk=pk).values_list("visit_id", flat=True).first()
    if visit_id is None:
        raise Http404
    visit = visit_get_for_user(request.user, visit_id)
    if not can_decide_change(request.user, visit):
        raise PermissionDenied
    change = change_get_for_visit(visit, pk)
    if change is None:
        raise Http404
    return visit, change


@login_required
@require_POST
def change_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit, change = _change(request, pk)
    try:
        services.change_confirm(actor=request.user, change=change)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The visitor's change is now part of the visit."))
    return redirect(f"{visit.get_absolute_url()}#portal")


@login_required
@require_POST
def change_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit, change = _change(request, pk)
    form = RejectForm(request.POST, prefix=f"reject{change.pk}")
    if form.is_valid():
        try:
            services.change_reject(
                actor=request.user, change=change, answer=form.cleaned_data["answer"]
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("The visitor will see your answer on their link."))
            return redirect(f"{visit.get_absolute_url()}#portal")
    context = panel_context(request.user, visit, open_reject=change.pk)
    for shown in context["changes"]:
        if shown.pk == change.pk:
            shown.reject_form = form
    return render(request, "portal/link_page.html", context, status=422)
