"""Pages to create and edit trade shows and staff their posts (SOP 5.3, 5.3.3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.core.pagination import CappedPaginator
from visitflow.tradeshows import selectors
from visitflow.tradeshows.forms import StaffPostForm, StaffShiftForm, TradeShowForm
from visitflow.tradeshows.models import TradeShow
from visitflow.tradeshows.permissions import (
    can_create_show,
    can_list_shows,
    can_manage_show,
    can_view_booth,
    is_booth_staff,
)
from visitflow.tradeshows.services import shows as services

PAGE_SIZE = 25


@login_required
def show_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_list_shows(request.user):
        raise PermissionDenied
    upcoming = request.GET.get("all") != "1"
    shows = selectors.tradeshow_list_for_user(request.user, upcoming_only=upcoming)
    page = CappedPaginator(shows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tradeshows/tradeshow_list.html",
        {"page": page, "upcoming": upcoming, "can_create": can_create_show(request.user)},
    )


def _render_show_form(
    request: AuthenticatedHttpRequest, form: TradeShowForm, show: TradeShow | None, status: int
) -> HttpResponse:
    return render(
        request, "tradeshows/tradeshow_form.html", {"form": form, "show": show}, status=status
    )


@login_required
def show_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_create_show(request.user):
        raise PermissionDenied
    form = TradeShowForm(request.POST or None)
    if request.method != "POST":
        return _render_show_form(request, form, None, 200)
    if form.is_valid():
        try:
            show = services.tradeshow_create(
                actor=request.user, team=list(form.cleaned_data["team"]), **form.service_data()
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": show})
            return redirect("tradeshows:detail", pk=show.pk)
    return _render_show_form(request, form, None, 422)


@login_required
def show_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = selectors.tradeshow_get_for_user(request.user, pk)
    if not can_manage_show(request.user, show):
        raise PermissionDenied
    form = TradeShowForm(
        request.POST or None, instance=selectors.tradeshow_get_for_user(request.user, pk)
    )
    if request.method != "POST":
        return _render_show_form(request, form, show, 200)
    if form.is_valid():
        try:
            services.tradeshow_update(
                actor=request.user,
                show=show,
                data=form.service_data(),
                team=list(form.cleaned_data["team"]),
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": show})
            return redirect("tradeshows:detail", pk=show.pk)
    return _render_show_form(request, form, show, 422)


def _render_detail(
    request: AuthenticatedHttpRequest,
    show: TradeShow,
    *,
    post_form: StaffPostForm | None = None,
    shift_form: StaffShiftForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = can_manage_show(request.user, show)
    context = {
        "show": show,
        "can_manage": can_manage,
        "is_staff": is_booth_staff(request.user, show),
        "can_view_booth": can_view_booth(request.user, show),
        "team": selectors.team_choices(show),
        "staffing": selectors.staffing_table(show),
        "post_form": post_form or StaffPostForm(),
        "shift_form": shift_form or StaffShiftForm(show=show),
    }
    return render(request, "tradeshows/tradeshow_detail.html", context, status=status)


@login_required
def show_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = selectors.tradeshow_get_for_user(request.user, pk)
    return _render_detail(request, show)


@require_POST
@login_required
def post_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = selectors.tradeshow_get_for_user(request.user, pk)
    if not can_manage_show(request.user, show):
        raise PermissionDenied
    form = StaffPostForm(request.POST)
    if form.is_valid():
        try:
            services.staff_post_create(
                actor=request.user,
                show=show,
                name=form.cleaned_data["name"],
                position=show.posts.count(),
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Post added."))
            return redirect("tradeshows:detail", pk=show.pk)
    return _render_detail(request, show, post_form=form, status=422)


@require_POST
@login_required
def post_delete(request: AuthenticatedHttpRequest, pk: int, post_pk: int) -> HttpResponse:
    show = selectors.tradeshow_get_for_user(request.user, pk)
    if not can_manage_show(request.user, show):
        raise PermissionDenied
    post = selectors.staff_post_get(show, post_pk)
    services.staff_post_delete(actor=request.user, post=post)
    messages.success(request, _("Post removed with its shifts."))
    return redirect("tradeshows:detail", pk=show.pk)


@require_POST
@login_required
def shift_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = selectors.tradeshow_get_for_user(request.user, pk)
    if not can_manage_show(request.user, show):
        raise PermissionDenied
    form = StaffShiftForm(request.POST, show=show)
    if form.is_valid():
        try:
            services.staff_shift_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Shift added."))
            return redirect("tradeshows:detail", pk=show.pk)
    return _render_detail(request, show, shift_form=form, status=422)


@require_POST
@login_required
def shift_delete(request: AuthenticatedHttpRequest, pk: int, shift_pk: int) -> HttpResponse:
    show = selectors.tradeshow_get_for_user(request.user, pk)
    if not can_manage_show(request.user, show):
        raise PermissionDenied
    shift = selectors.staff_shift_get(show, shift_pk)
    services.staff_shift_delete(actor=request.user, shift=shift)
    messages.success(request, _("Shift removed."))
    return redirect("tradeshows:detail", pk=show.pk)
