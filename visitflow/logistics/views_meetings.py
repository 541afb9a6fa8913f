"""Pages of the company tour, leader meetings (领导接见) and gifts. Thin: parse, call a
service, redirect; domain errors become form errors or messages."""

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
from visitflow.logistics import permissions, selectors
from visitflow.logistics.forms_meetings import (
    DeclineForm,
    GiftIssueForm,
    MeetingRequestForm,
    ProposeForm,
    StockReceiveForm,
    TourForm,
)
from visitflow.logistics.models import (
    Booking,
    BookingPurpose,
    GiftIssue,
    GiftItem,
    LeaderLevel,
    LeaderMeeting,
    MeetingState,
    StockMovement,
)
from visitflow.logistics.permissions import can_manage_resources
from visitflow.logistics.services import gifts, leaders, tours
from visitflow.visits.models import Visit
from visitflow.visits.permissions import can_edit_visit
from visitflow.visits.selectors import visit_base_qs_for_user, visit_get_for_user

PANEL = "#hospitality"


def _visit_url(visit_id: int) -> str:
    return reverse("visits:detail", args=[visit_id]) + PANEL


def _editable_visit(request: AuthenticatedHttpRequest, pk: int) -> Visit:
    visit = visit_get_for_user(request.user, pk)
    if not can_edit_visit(request.user, visit):
        raise PermissionDenied
    return visit


def _report(request: AuthenticatedHttpRequest, exc: ApplicationError) -> None:
    messages.error(request, str(exc.message))


# --- Company tour ----------------------------------------------------------------------


@login_required
def tour_book(request: AuthenticatedHttpRequest, visit_pk: int) -> HttpResponse:
    visit = _editable_visit(request, visit_pk)
    form = TourForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tours.tour_book(actor=request.user, visit=visit, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("The tour room is booked."))
            return redirect(_visit_url(visit.pk))
    return render(
        request,
        "logistics/meetings/tour_form.html",
        {"visit": visit, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def tour_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    booking = (
        Booking.objects.filter(
            pk=pk,
            purpose=BookingPurpose.TOUR,
            visit__in=visit_base_qs_for_user(request.user).values("pk"),
        )
        .select_related("visit")
        .first()
    )
    if booking is None or booking.visit is None:
        raise Http404
    _editable_visit(request, booking.visit.pk)
    tours.tour_cancel(actor=request.user, booking=booking)
    messages.success(request, _("The tour room booking is cancelled."))
    return redirect(_visit_url(booking.visit.pk))


# --- Leader meetings -------------------------------------------------------------------


@login_required
def meeting_new(request: AuthenticatedHttpRequest, visit_pk: int) -> HttpResponse:
    visit = _editable_visit(request, visit_pk)
    recommended = leaders.leader_recommendation(visit)
    initial = {}
    suggested = leaders.leader_choices(recommended).first()
    if suggested is not None:
        initial["leader"] = suggested.pk
    form = MeetingRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = leaders.meeting_request(actor=request.user, visit=visit, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(
                request, _("The request was sent to %(leader)s.") % {"leader": meeting.leader}
            )
            return redirect("logistics:meeting_detail", meeting.pk)
    return render(
        request,
        "logistics/meetings/meeting_form.html",
        {
            "visit": visit,
            "form": form,
            "recommended_label": LeaderLevel(recommended).label,
        },
        status=422 if form.errors else 200,
    )


def _meeting_page(
    request: AuthenticatedHttpRequest,
    meeting: LeaderMeeting,
    *,
    decline_form: DeclineForm | None = None,
    propose_form: ProposeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_leader = meeting.leader_id == request.user.pk
    moves = leaders.allowed_moves(meeting)
    return render(
        request,
        "logistics/meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "brief": leaders.meeting_brief(meeting),
            "is_leader": is_leader,
            "can_answer": is_leader and meeting.state == MeetingState.REQUESTED,
            "can_take_proposal": meeting.state == MeetingState.OTHER_TIME
            and can_edit_visit(request.user, meeting.visit),
            "can_cancel": MeetingState.CANCELLED in moves
            and can_edit_visit(request.user, meeting.visit),
            "decline_form": decline_form or DeclineForm(),
            "propose_form": propose_form or ProposeForm(),
        },
        status=status,
    )


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, selectors.meeting_get_for_user(request.user, pk))


@login_required
def meeting_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    meetings = list(selectors.meetings_for_leader(request.user))
    return render(
        request,
        "logistics/meetings/meeting_mine.html",
        {
            "open": [m for m in meetings if m.state == MeetingState.REQUESTED],
            "others": [m for m in meetings if m.state != MeetingState.REQUESTED],
        },
    )


def _own_meeting(request: AuthenticatedHttpRequest, pk: int) -> LeaderMeeting:
    """Only the leader asked answers; anyone else gets 404."""
    meeting = (
        selectors.meetings_for_leader(request.user)
        .select_related("visit__customer", "leader")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


@login_required
@require_POST
def meeting_answer(request: AuthenticatedHttpRequest, pk: int, answer: str) -> HttpResponse:
    meeting = _own_meeting(request, pk)
    try:
        if answer == "accept":
            leaders.meeting_accept(actor=request.user, meeting=meeting)
            messages.success(request, _("Accepted; your time is booked."))
        elif answer == "decline":
            decline_form = DeclineForm(request.POST)
            if not decline_form.is_valid():
                return _meeting_page(request, meeting, decline_form=decline_form, status=422)
            leaders.meeting_decline(
                actor=request.user, meeting=meeting, note=decline_form.cleaned_data["note"]
            )
            messages.success(request, _("Declined; the host is told why."))
        elif answer == "propose":
            propose_form = ProposeForm(request.POST)
            if not propose_form.is_valid():
                return _meeting_page(request, meeting, propose_form=propose_form, status=422)
            leaders.meeting_propose_time(
                actor=request.user, meeting=meeting, **propose_form.cleaned_data
            )
            messages.success(request, _("Another time was proposed to the host."))
        else:
            raise Http404
    except ApplicationError as exc:
        meeting.refresh_from_db()
        _report(request, exc)
    return redirect("logistics:meeting_detail", meeting.pk)


@login_required
@require_POST
def meeting_take_proposal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, pk)
    if not permissions.can_change_meeting(request.user, meeting):
        raise PermissionDenied
    try:
        leaders.meeting_accept_proposal(actor=request.user, meeting=meeting)
        messages.success(request, _("The new time is booked."))
    except ApplicationError as exc:
        _report(request, exc)
    return redirect("logistics:meeting_detail", meeting.pk)


@login_required
@require_POST
def meeting_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, pk)
    if not permissions.can_change_meeting(request.user, meeting):
        raise PermissionDenied
    try:
        leaders.meeting_cancel(actor=request.user, meeting=meeting)
        messages.success(request, _("The meeting is cancelled."))
    except ApplicationError as exc:
        _report(request, exc)
    return redirect(_visit_url(meeting.visit_id))


# --- Gifts -----------------------------------------------------------------------------


@login_required
def gift_issue(request: AuthenticatedHttpRequest, visit_pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, visit_pk)
    if not permissions.can_issue_gift(request.user, visit):
        raise PermissionDenied
    form = GiftIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            gifts.gift_issue(actor=request.user, visit=visit, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("The gifts are taken from stock."))
            return redirect(_visit_url(visit.pk))
    return render(
        request,
        "logistics/meetings/gift_form.html",
        {"visit": visit, "form": form},
        status=422 if form.errors else 200,
    )


def _issue_for(request: AuthenticatedHttpRequest, pk: int) -> GiftIssue:
    return selectors.gift_issue_get_for_user(request.user, pk)


@login_required
@require_POST
def gift_hand_over(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = _issue_for(request, pk)
    if not permissions.can_hand_over_gift(request.user, issue):
        raise PermissionDenied
    try:
        gifts.gift_hand_over(actor=request.user, issue=issue)
        messages.success(request, _("Marked as handed over in person."))
    except ApplicationError as exc:
        _report(request, exc)
    return redirect(_visit_url(issue.visit_id))


@login_required
@require_POST
def gift_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    issue = _issue_for(request, pk)
    if not permissions.can_return_gift(request.user, issue):
        raise PermissionDenied
    try:
        gifts.gift_return(actor=request.user, issue=issue)
        messages.success(request, _("Returned to stock."))
    except ApplicationError as exc:
        _report(request, exc)
    return redirect(_visit_url(issue.visit_id))


@login_required
def gift_stock(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_resources(request.user):
        raise PermissionDenied
    form = StockReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            gifts.stock_receive(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Stock received."))
            return redirect("logistics:gift_stock")
    return render(
        request,
        "logistics/meetings/gift_stock.html",
        {
            "items": GiftItem.objects.order_by("-is_active", "name"),
            "movements": StockMovement.objects.select_related(
                "item", "by", "issue__visit__customer"
            )[:100],
            "form": form,
        },
        status=422 if form.errors else 200,
    )
