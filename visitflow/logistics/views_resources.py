"""Pages where reception keeps cars, rooms, stations and gift items. One set of views
serves the four kinds; what differs (form, service, columns) is declared once per kind in
KINDS, so the pages cannot drift apart."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.logistics import selectors
from visitflow.logistics.forms_resources import (
    GiftItemForm,
    ResourceForm,
    RoomForm,
    StationForm,
    VehicleForm,
)
from visitflow.logistics.permissions import can_manage_resources, can_view_resources
from visitflow.logistics.services import resources as services


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


@dataclass(frozen=True)
class Kind:
    slug: str
    title: Promise
    new_label: Promise
    form: type[ResourceForm]
    list_for_user: Callable[..., QuerySet[Any]]
    get_for_user: Callable[[User, int], Any]
    create: Callable[..., Any]
    update: Callable[[User, Any, dict[str, Any]], Any]
    columns: tuple[Promise, ...]
    cells: Callable[[Any], list[str]]


KINDS: dict[str, Kind] = {
    "vehicles": Kind(
        slug="vehicles",
        title=gettext_lazy("Vehicles"),
        new_label=gettext_lazy("New vehicle"),
        form=VehicleForm,
        list_for_user=selectors.vehicle_list_for_user,
        get_for_user=selectors.vehicle_get_for_user,
        create=services.vehicle_create,
        update=lambda actor, obj, data: services.vehicle_update(
            actor=actor, vehicle=obj, data=data
        ),
        columns=(
            gettext_lazy("plate"),
            gettext_lazy("model"),
            gettext_lazy("seats"),
            gettext_lazy("default driver"),
        ),
        cells=lambda v: [v.plate, v.model_name, str(v.seats), str(v.default_driver or "")],
    ),
    "rooms": Kind(
        slug="rooms",
        title=gettext_lazy("Rooms"),
        new_label=gettext_lazy("New room"),
        form=RoomForm,
        list_for_user=selectors.room_list_for_user,
        get_for_user=selectors.room_get_for_user,
        create=services.room_create,
        update=lambda actor, obj, data: services.room_update(actor=actor, room=obj, data=data),
        columns=(
            gettext_lazy("name"),
            gettext_lazy("kind"),
            gettext_lazy("capacity"),
            gettext_lazy("may be used for the company tour"),
        ),
        cells=lambda r: [r.name, r.get_kind_display(), str(r.capacity), _yes_no(r.tour_allowed)],
    ),
    "stations": Kind(
        slug="stations",
        title=gettext_lazy("Stations and airports"),
        new_label=gettext_lazy("New station or airport"),
        form=StationForm,
        list_for_user=selectors.station_list_for_user,
        get_for_user=selectors.station_get_for_user,
        create=services.station_create,
        update=lambda actor, obj, data: services.station_update(
            actor=actor, station=obj, data=data
        ),
        columns=(
            gettext_lazy("name"),
            gettext_lazy("kind"),
            gettext_lazy("travel time to the company (minutes)"),
            gettext_lazy("advice when no car is free (Chinese)"),
        ),
        cells=lambda s: [s.name, s.get_kind_display(), str(s.travel_minutes), s.no_car_advice],
    ),
    "gifts": Kind(
        slug="gifts",
        title=gettext_lazy("Gift items"),
        new_label=gettext_lazy("New gift item"),
        form=GiftItemForm,
        list_for_user=selectors.gift_list_for_user,
        get_for_user=selectors.gift_get_for_user,
        create=services.gift_item_create,
        update=lambda actor, obj, data: services.gift_item_update(actor=actor, item=obj, data=data),
        columns=(gettext_lazy("name"), gettext_lazy("unit value (CNY)"), gettext_lazy("in stock")),
        cells=lambda g: [g.name, number_format(g.unit_value, 2), str(g.stock)],
    ),
}


def _kind(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


@login_required
def resource_list(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    if not can_view_resources(request.user):
        raise PermissionDenied
    show_inactive = request.GET.get("inactive") == "1"
    objects = spec.list_for_user(request.user, include_inactive=show_inactive)
    context = {
        "kind": spec,
        "kinds": KINDS.values(),
        "rows": [(obj, spec.cells(obj)) for obj in objects],
        "show_inactive": show_inactive,
        "can_manage": can_manage_resources(request.user),
    }
    return render(request, "logistics/resources/resource_list.html", context)


def _render_form(
    request: AuthenticatedHttpRequest,
    spec: Kind,
    form: ResourceForm,
    obj: Model | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "logistics/resources/resource_form.html",
        {"kind": spec, "form": form, "object": obj},
        status=status,
    )


@login_required
def resource_create(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    if not can_manage_resources(request.user):
        raise PermissionDenied
    form = spec.form(request.POST or None)
    if request.method != "POST":
        return _render_form(request, spec, form, None)
    if form.is_valid():
        try:
            obj = spec.create(actor=request.user, **form.service_data())
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": obj})
            return redirect("logistics:resource_list", kind=spec.slug)
    return _render_form(request, spec, form, None, status=422)


@login_required
def resource_edit(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _kind(kind)
    obj = spec.get_for_user(request.user, pk)
    if not can_manage_resources(request.user):
        raise PermissionDenied
    # The form works on its own copy, so the service sees the stored values as "before".
    form = spec.form(request.POST or None, instance=spec.get_for_user(request.user, pk))
    if request.method != "POST":
        return _render_form(request, spec, form, obj)
    if form.is_valid():
        try:
            spec.update(request.user, obj, form.service_data())
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": obj})
            return redirect("logistics:resource_list", kind=spec.slug)
    return _render_form(request, spec, form, obj, status=422)


@require_POST
@login_required
def resource_set_active(
    request: AuthenticatedHttpRequest, kind: str, pk: int, active: bool
) -> HttpResponse:
    spec = _kind(kind)
    obj = spec.get_for_user(request.user, pk)
    if not can_manage_resources(request.user):
        raise PermissionDenied
    services.resource_set_active(actor=request.user, resource=obj, active=active)
    if active:
        messages.success(request, _("“%(name)s” is available again.") % {"name": obj})
    else:
        messages.success(
            request, _("“%(name)s” deactivated: no longer offered for bookings.") % {"name": obj}
        )
    return redirect("logistics:resource_list", kind=spec.slug)
