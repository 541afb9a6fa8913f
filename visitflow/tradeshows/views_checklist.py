"""The booth checklist on a phone (SOP 5.3.2): what to bring, who packs it, where it is."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.tradeshows.forms_checklist import ChecklistItemForm, ReturnForm
from visitflow.tradeshows.models import BoothChecklistItem, ChecklistCategory, TradeShow
from visitflow.tradeshows.permissions import can_manage_show, can_view_booth, is_booth_staff
from visitflow.tradeshows.selectors import tradeshow_get_for_user
from visitflow.tradeshows.services import checklist as services


def _show_for_booth(request: AuthenticatedHttpRequest, pk: int) -> TradeShow:
    show = tradeshow_get_for_user(request.user, pk)
    if not can_view_booth(request.user, show):
        raise PermissionDenied
    return show


def _item(show: TradeShow, item_pk: int) -> BoothChecklistItem:
    item = show.checklist.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    return item


def _render(
    request: AuthenticatedHttpRequest,
    show: TradeShow,
    form: ChecklistItemForm | None = None,
    status: int = 200,
) -> HttpResponse:
    items = list(show.checklist.select_related("packer", "gift_item"))
    labels = dict(ChecklistCategory.choices)
    order = list(labels)
    items.sort(key=lambda i: (order.index(i.category), i.position, i.pk))
    groups = [(labels[key], list(rows)) for key, rows in groupby(items, key=lambda i: i.category)]
    context = {
        "show": show,
        "groups": groups,
        "count": len(items),
        "done": sum(1 for i in items if i.state != "to_pack"),
        "can_manage": can_manage_show(request.user, show),
        "can_move": is_booth_staff(request.user, show),
        "form": form or ChecklistItemForm(show=show),
    }
    return render(request, "tradeshows/checklist.html", context, status=status)


@login_required
def checklist(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render(request, _show_for_booth(request, pk))


@require_POST
@login_required
def checklist_from_template(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = _show_for_booth(request, pk)
    if not can_manage_show(request.user, show):
        raise PermissionDenied
    created = services.checklist_create_from_template(actor=request.user, show=show)
    messages.success(
        request, _("%(count)s items from the booth standard.") % {"count": len(created)}
    )
    return redirect("tradeshows:checklist", pk=show.pk)


@require_POST
@login_required
def checklist_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = _show_for_booth(request, pk)
    if not can_manage_show(request.user, show):
        raise PermissionDenied
    form = ChecklistItemForm(request.POST, show=show)
    if form.is_valid():
        try:
            services.checklist_item_create(actor=request.user, show=show, **form.service_data())
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Item added."))
            return redirect("tradeshows:checklist", pk=show.pk)
    return _render(request, show, form, status=422)


@login_required
def checklist_edit(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    show = _show_for_booth(request, pk)
    if not can_manage_show(request.user, show):
        raise PermissionDenied
    item = _item(show, item_pk)
    form = ChecklistItemForm(request.POST or None, instance=_item(show, item_pk), show=show)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.checklist_item_update(
                    actor=request.user, item=item, data=form.service_data()
                )
            except ApplicationError as exc:
                apply_application_error(form, exc)
            else:
                messages.success(request, _("“%(name)s” saved.") % {"name": item.name})
                return redirect("tradeshows:checklist", pk=show.pk)
        status = 422
    return render(
        request,
        "tradeshows/checklist_item_form.html",
        {"show": show, "item": item, "form": form},
        status=status,
    )


@require_POST
@login_required
def checklist_advance(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    show = _show_for_booth(request, pk)
    if not is_booth_staff(request.user, show):
        raise PermissionDenied
    item = _item(show, item_pk)
    back = reverse("tradeshows:checklist", args=[show.pk]) + f"#item-{item.pk}"
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how many came back, as a whole number."))
        return redirect(back)
    returned = form.cleaned_data["returned_quantity"] or 0
    try:
        services.checklist_item_advance(actor=request.user, item=item, returned_quantity=returned)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect(back)


@require_POST
@login_required
def checklist_delete(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    show = _show_for_booth(request, pk)
    if not can_manage_show(request.user, show):
        raise PermissionDenied
    try:
        services.checklist_item_delete(actor=request.user, item=_item(show, item_pk))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("tradeshows:checklist", pk=show.pk)
