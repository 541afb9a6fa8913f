"""Phone pages for booth staff (SOP 5.3.3-5.3.4): check-in by code or QR scan, a new
visitor's card, the live board, attending and seeing visitors off."""

from dataclasses import asdict

from django.conf import settings
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
from visitflow.tradeshows import ratelimit
from visitflow.tradeshows.forms_booth import (
    AttendForm,
    CheckInForm,
    CompanyVisitForm,
    LeadForm,
    RecordForm,
    SeeOffForm,
)
from visitflow.tradeshows.models import BoothVisit, TradeShow
from visitflow.tradeshows.ocr import CardImageError, max_bytes, read_card
from visitflow.tradeshows.permissions import can_view_booth, is_booth_staff
from visitflow.tradeshows.selectors import tradeshow_get_for_user
from visitflow.tradeshows.selectors_booth import booth_board, booth_visit_get
from visitflow.tradeshows.services import booth as services

BOARD_POLL_SECONDS = 10


def _staff_show(request: AuthenticatedHttpRequest, pk: int) -> TradeShow:
    show = tradeshow_get_for_user(request.user, pk)
    if not is_booth_staff(request.user, show):
        raise PermissionDenied
    return show


def _checkin_key(request: AuthenticatedHttpRequest) -> str:
    return f"checkin:{request.user.pk}"


@login_required
def check_in(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = _staff_show(request, pk)
    form = CheckInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        limit, window = settings.TRADESHOW_CHECKIN_RATE_LIMIT
        if ratelimit.over(_checkin_key(request), limit=limit):
            form.is_valid()
            form.add_error(None, _("Too many wrong codes: wait a few minutes and try again."))
            return render(
                request, "tradeshows/check_in.html", {"show": show, "form": form}, status=429
            )
        if form.is_valid():
            invitation = services.invitation_for_code(show, form.cleaned_data["code"])
            if invitation is None:
                ratelimit.hit(_checkin_key(request), limit=limit, window_seconds=window)
                form.add_error("code", _("No invitation to this show has this code."))
            else:
                try:
                    visit = services.booth_check_in(
                        actor=request.user, show=show, invitation=invitation
                    )
                except ApplicationError as exc:
                    apply_application_error(form, exc)
                else:
                    messages.success(
                        request,
                        _("Welcome %(name)s: %(owner)s has been told.")
                        % {"name": visit.visitor_name, "owner": invitation.owner},
                    )
                    return redirect("tradeshows:board", pk=show.pk)
        status = 422
    return render(request, "tradeshows/check_in.html", {"show": show, "form": form}, status=status)


def _read_card_into(request: AuthenticatedHttpRequest, form: LeadForm) -> tuple[LeadForm, str]:
    """SOP 5.3.3 交换名片: read the uploaded card and fill the fields still empty, for the
    staff member to check; what they typed stays. The message says what happened."""
    upload = request.FILES.get("card")
    typed = {name: request.POST.get(name, "") for name in LeadForm.base_fields}
    if upload is None:
        return LeadForm(initial=typed), _("Choose a photo of the card first.")
    # Never more than the limit in memory: a bigger file is refused by read_card as such.
    data = upload.read(max_bytes() + 1)
    try:
        card = read_card(data)
    except CardImageError as exc:
        return LeadForm(initial=typed), str(exc.message)
    filled = dict(typed)
    for name, value in asdict(card).items():
        if name in filled and not str(filled[name]).strip() and value:
            filled[name] = value
    return LeadForm(initial=filled), ""


@login_required
def lead_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = _staff_show(request, pk)
    if request.method == "POST" and request.POST.get("action") == "read":
        form, problem = _read_card_into(request, LeadForm())
        context = {"show": show, "form": form, "card_problem": problem, "card_read": not problem}
        return render(request, "tradeshows/lead_form.html", context, status=422 if problem else 200)
    form = LeadForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                lead = services.lead_capture(actor=request.user, show=show, data=form.cleaned_data)
            except ApplicationError as exc:
                apply_application_error(form, exc)
            else:
                if lead.contact or lead.customer:
                    messages.success(
                        request,
                        _("%(name)s saved, linked to the existing %(match)s.")
                        % {"name": lead.name, "match": lead.contact or lead.customer},
                    )
                else:
                    messages.success(request, _("%(name)s saved.") % {"name": lead.name})
                return redirect("tradeshows:board", pk=show.pk)
        status = 422
    return render(request, "tradeshows/lead_form.html", {"show": show, "form": form}, status=status)


@login_required
def board(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = tradeshow_get_for_user(request.user, pk)
    if not can_view_booth(request.user, show):
        raise PermissionDenied
    context = {
        "show": show,
        "board": booth_board(show),
        "poll_seconds": BOARD_POLL_SECONDS,
        "limit_minutes": settings.TRADESHOW_UNATTENDED_MINUTES,
        "is_staff": is_booth_staff(request.user, show),
    }
    template = "tradeshows/board.html"
    if request.htmx:
        template += "#board"
    return render(request, template, context)


def _render_visit(
    request: AuthenticatedHttpRequest,
    show: TradeShow,
    visit: BoothVisit,
    *,
    status: int = 200,
    **forms: object,
) -> HttpResponse:
    context = {
        "show": show,
        "visit": visit,
        "attend_form": forms.get("attend_form") or AttendForm(show=show),
        "record_form": forms.get("record_form")
        or RecordForm(
            initial={"interest": visit.interest, "grade": visit.grade, "notes": visit.notes}
        ),
        "see_off_form": forms.get("see_off_form") or SeeOffForm(),
        "company_visit_form": forms.get("company_visit_form") or CompanyVisitForm(),
    }
    return render(request, "tradeshows/booth_visit.html", context, status=status)


@login_required
def booth_visit(request: AuthenticatedHttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    show = _staff_show(request, pk)
    return _render_visit(request, show, booth_visit_get(show, visit_pk))


@require_POST
@login_required
def booth_visit_action(
    request: AuthenticatedHttpRequest, pk: int, visit_pk: int, action: str
) -> HttpResponse:
    show = _staff_show(request, pk)
    visit = booth_visit_get(show, visit_pk)
    if action == "attend":
        form: AttendForm | RecordForm | SeeOffForm | CompanyVisitForm = AttendForm(
            request.POST, show=show
        )
    elif action == "record":
        form = RecordForm(request.POST)
    elif action == "see-off":
        form = SeeOffForm(request.POST)
    elif action == "company-visit":
        form = CompanyVisitForm(request.POST)
    else:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "attend":
                services.booth_visit_attend(actor=request.user, visit=visit, staff=data["staff"])
            elif action == "record":
                services.booth_visit_record(actor=request.user, visit=visit, data=data)
            elif action == "see-off":
                services.booth_visit_see_off(
                    actor=request.user,
                    visit=visit,
                    brochures_given=data["brochures_given"],
                    gift_item=data["gift_item"],
                    gift_quantity=data["gift_quantity"] or 0,
                    invited_to_company=data["invited_to_company"],
                )
            else:
                company_visit = services.booth_visit_start_company_visit(
                    actor=request.user,
                    visit=visit,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                )
                messages.success(request, _("Visit registered."))
                return redirect(company_visit.get_absolute_url())
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            if action in ("attend", "see-off"):
                return redirect("tradeshows:board", pk=show.pk)
            return redirect("tradeshows:booth_visit", pk=show.pk, visit_pk=visit.pk)
    key = {
        "attend": "attend_form",
        "record": "record_form",
        "see-off": "see_off_form",
        "company-visit": "company_visit_form",
    }[action]
    return _render_visit(request, show, visit, status=422, **{key: form})
