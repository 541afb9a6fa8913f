from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.logistics import permissions, selectors
from visitflow.logistics.forms_transfers import TransferMessageForm, TransferPlanForm
from visitflow.logistics.models import Station, Transfer, TransferState
from visitflow.logistics.services import transfers as services
from visitflow.visits.permissions import can_view_visit
from visitflow.visits.selectors import leg_get_for_user


def _detail_url(transfer: Transfer) -> str:
    return reverse("logistics:transfer_detail", args=[transfer.pk])


@login_required
def transfer_plan(request: AuthenticatedHttpRequest, leg_pk: int) -> HttpResponse:
    leg = leg_get_for_user(request.user, leg_pk)
    visit = leg.visit
    if not permissions.can_plan_transfer(request.user, visit):
        raise PermissionDenied
    kind = services.kind_for_leg(leg)
    existing = services.transfer_for_leg(leg)
    if existing is not None:
        return redirect(_detail_url(existing))
    station = services.station_for_leg(leg, kind)
    data = request.POST if request.method == "POST" else None
    chosen = None
    if data and data.get("station", "").isdigit():
        chosen = Station.objects.filter(pk=int(data["station"]), is_active=True).first()
    window_station = chosen or station
    offered = None
    window = None
    if window_station is not None:
        window = services.transfer_window(
            leg=leg, kind=kind, travel_minutes=window_station.travel_minutes
        )
        seats = services.seats_needed(visit=visit, escort=visit.acting_host, driver=None)
        offered = services.free_vehicles(starts_at=window[0], ends_at=window[1], seats=seats)
    form = TransferPlanForm(
        data,
        offered=offered,
        initial={"station": station, "escort": visit.acting_host},
    )
    if data is not None and form.is_valid():
        try:
            transfer = services.transfer_plan(
                actor=request.user,
                visit=visit,
                leg=leg,
                kind=kind,
                vehicle=form.cleaned_data["vehicle"],
                driver=form.cleaned_data["driver"],
                escort=form.cleaned_data["escort"],
                escort_reason=form.cleaned_data["escort_reason"],
                meeting_point=form.cleaned_data["meeting_point"],
                station=form.cleaned_data["station"],
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Transfer planned."))
            return redirect(_detail_url(transfer))
    context = {
        "form": form,
        "leg": leg,
        "visit": visit,
        "kind": kind,
        "window": window,
        "offered": offered,
        "is_pickup": kind == "pickup",
    }
    status = 422 if data is not None else 200
    return render(request, "logistics/transfers/transfer_plan.html", context, status=status)


def _readable(request: AuthenticatedHttpRequest, pk: int) -> Transfer:
    transfer = selectors.transfer_get_for_user(request.user, pk)
    if not permissions.can_view_transfer(request.user, transfer):
        raise Http404
    return transfer


def _state_context(request: AuthenticatedHttpRequest, transfer: Transfer) -> dict[str, object]:
    next_state = services.NEXT_STATE.get(transfer.state)
    return {
        "transfer": transfer,
        "leg": transfer.leg,
        "visit": transfer.visit,
        # A driver (or an escort from another team) reaches the transfer, not the visit.
        "can_view_visit": can_view_visit(request.user, transfer.visit),
        "next_state": next_state,
        "next_label": TransferState(next_state).label if next_state else "",
        "can_move": permissions.can_move_transfer(request.user, transfer),
        "can_cancel": TransferState.CANCELLED in services.TRANSITIONS[transfer.state]
        and permissions.can_move_transfer(request.user, transfer),
    }


@login_required
def transfer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    transfer = _readable(request, pk)
    context = _state_context(request, transfer)
    context["bookings"] = transfer.bookings.select_related("vehicle", "person")
    context["sent"] = transfer.messages.select_related("sent_by")
    return render(request, "logistics/transfers/transfer_detail.html", context)


@login_required
def transfer_escort(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The escort's phone page: everything needed at the station, one button for the next step."""
    transfer = _readable(request, pk)
    context = _state_context(request, transfer)
    context["visitors"] = list(transfer.visit.visitors.all())
    context["arrival"] = services.leg_time(transfer.leg, transfer.kind)
    return render(request, "logistics/transfers/transfer_escort.html", context)


@login_required
def transfer_message(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    transfer = _readable(request, pk)
    if not permissions.can_move_transfer(request.user, transfer):
        raise PermissionDenied
    language = services.message_language(
        request.POST.get("language") or request.GET.get("lang") or get_language() or ""
    )
    text = services.transfer_message_text(transfer, language=language)
    form = TransferMessageForm(
        request.POST or None, initial={"language": language, "text": text, "channel": "wechat"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_message_send(
                actor=request.user,
                transfer=transfer,
                channel=form.cleaned_data["channel"],
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Recorded as sent to the customer."))
            return redirect(_detail_url(transfer))
    context = {
        **_state_context(request, transfer),
        "form": form,
        "text": text,
        "language": language,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "logistics/transfers/transfer_message.html", context, status=status)


@login_required
@require_POST
def transfer_move(request: AuthenticatedHttpRequest, pk: int, state: str) -> HttpResponse:
    transfer = _readable(request, pk)
    if not permissions.can_move_transfer(request.user, transfer):
        raise PermissionDenied
    service = services.TRANSITION_SERVICES.get(state)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, transfer=transfer)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Transfer is now “%(state)s”.") % {"state": transfer.get_state_display()}
        )
    back = request.POST.get("next", "")
    if back == "escort":
        return redirect(reverse("logistics:transfer_escort", args=[transfer.pk]))
    return redirect(_detail_url(transfer))
