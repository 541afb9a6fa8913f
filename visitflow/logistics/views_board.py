"""The reception day board and the drivers' "my trips" page (issue 4, day board)."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.logistics.exports import TRANSFER_COLUMNS
from visitflow.logistics.selectors import transfer_list_for_user
from visitflow.logistics.selectors_board import (
    board_for,
    can_manage_board,
    can_view_board,
    can_view_my_trips,
    my_trips,
)
from visitflow.reports.exports import export_response, requested_format


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@login_required
@require_GET
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_board(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    week_start = _parse_day(request.GET.get("week"))
    if week_start is not None:
        first = week_start - timedelta(days=week_start.weekday())  # weeks start on Monday
        days, step = 7, timedelta(days=7)
    else:
        first = _parse_day(request.GET.get("day")) or today
        days, step = 1, timedelta(days=1)
    if fmt := requested_format(request):
        rows = transfer_list_for_user(request.user, day=first, days=days)
        return export_response(
            rows=rows, columns=TRANSFER_COLUMNS, fmt=fmt, name=_("Pickups and see-offs")
        )
    context = {
        "board": board_for(first, days),
        "first": first,
        "last": first + timedelta(days=days - 1),
        "is_week": days == 7,
        "previous": first - step,
        "next": first + step,
        "today": today,
        "can_manage": can_manage_board(request.user),
    }
    return render(request, "logistics/board/board_day.html", context)


@login_required
@require_GET
def trips(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_my_trips(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    transfers = my_trips(request.user, today)
    tomorrow = today + timedelta(days=1)
    groups = [
        (today, [t for t in transfers if timezone.localdate(t.leaves_at) <= today]),
        (tomorrow, [t for t in transfers if timezone.localdate(t.leaves_at) > today]),
    ]
    return render(
        request,
        "logistics/board/my_trips.html",
        {"groups": groups, "today": today, "tomorrow": tomorrow},
    )
