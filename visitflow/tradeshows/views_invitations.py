"""Invitation pages (SOP 5.3.1): choosing invitees, letters, confirmation calls, and the
invitee's own answer page reached by their personal link (no account)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.core.pagination import CappedPaginator
from visitflow.tradeshows import ratelimit
from visitflow.tradeshows.documents import invitation_pdf, letter_filename, letters_zip
from visitflow.tradeshows.forms_invitations import (
    CallForm,
    CandidateFilterForm,
    InvitationFilterForm,
    RsvpForm,
)
from visitflow.tradeshows.models import Invitation
from visitflow.tradeshows.permissions import can_invite, can_work_invitation
from visitflow.tradeshows.selectors import tradeshow_get_for_user
from visitflow.tradeshows.selectors_invitations import (
    CandidateFilters,
    InvitationFilters,
    LinkState,
    contacts_for_user,
    invitation_counts,
    invitation_for_token,
    invitation_get_for_user,
    invitation_list_for_user,
    invitee_candidates_for_user,
)
from visitflow.tradeshows.services import invitations as services

PAGE_SIZE = 25
ZIP_MAX_LETTERS = 300


def _may_work(request: AuthenticatedHttpRequest, invitation: Invitation) -> bool:
    owner = invitation.owner
    manager_id = owner.team.manager_id if owner.team_id and owner.team else None
    return can_work_invitation(request.user, owner.pk, manager_id)


def _filters(form: InvitationFilterForm) -> InvitationFilters:
    if not form.is_valid():
        return InvitationFilters()
    return InvitationFilters(
        status=form.cleaned_data["status"], not_confirmed=form.cleaned_data["not_confirmed"]
    )


@login_required
def invitation_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = tradeshow_get_for_user(request.user, pk)
    form = InvitationFilterForm(request.GET or None)
    invitations = invitation_list_for_user(request.user, show, _filters(form))
    page = CappedPaginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "show": show,
        "page": page,
        "form": form,
        "counts": invitation_counts(request.user, show),
        "can_invite": can_invite(request.user),
    }
    return render(request, "tradeshows/invitation_list.html", context)


@login_required
def invitation_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = tradeshow_get_for_user(request.user, pk)
    if not can_invite(request.user):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        raw = request.POST.getlist("contacts")
        ids = [int(value) for value in raw if value.isdigit()]
        try:
            created = services.invitation_create_many(
                actor=request.user, show=show, contacts=contacts_for_user(request.user, ids)
            )
        except ApplicationError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("%(count)s invited.") % {"count": len(created)})
            return redirect("tradeshows:invitation_list", pk=show.pk)
    filter_form = CandidateFilterForm(request.GET or None, user=request.user)
    filters = CandidateFilters()
    if filter_form.is_valid():
        data = filter_form.cleaned_data
        filters = CandidateFilters(
            level=data["level"], owner=data.get("owner"), region=data["region"], q=data["q"]
        )
    customers = invitee_candidates_for_user(request.user, show, filters)
    page = CappedPaginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tradeshows/invitation_add.html",
        {"show": show, "page": page, "filter_form": filter_form, "error": error},
        status=422 if error else 200,
    )


def _render_detail(
    request: AuthenticatedHttpRequest,
    invitation: Invitation,
    call_form: CallForm | None = None,
    status: int = 200,
) -> HttpResponse:
    from visitflow.tradeshows.documents import personal_link

    context = {
        "invitation": invitation,
        "show": invitation.show,
        "call_form": call_form or CallForm(),
        "calls": invitation.calls.all(),
        "can_work": _may_work(request, invitation),
        "link": personal_link(invitation),
    }
    return render(request, "tradeshows/invitation_detail.html", context, status=status)


@login_required
def invitation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, invitation_get_for_user(request.user, pk))


@require_POST
@login_required
def invitation_call(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_get_for_user(request.user, pk)
    if not _may_work(request, invitation):
        raise PermissionDenied
    form = CallForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_call_record(
                actor=request.user, invitation=invitation, **form.cleaned_data
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Call recorded."))
            return redirect("tradeshows:invitation_detail", pk=invitation.pk)
    return _render_detail(request, invitation, form, status=422)


@login_required
def invitation_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_get_for_user(request.user, pk)
    response = HttpResponse(invitation_pdf(invitation), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter_filename(invitation)}"'
    return response


@login_required
def invitation_letters_zip(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    show = tradeshow_get_for_user(request.user, pk)
    invitations = list(
        invitation_list_for_user(request.user, show).select_related("show")[: ZIP_MAX_LETTERS + 1]
    )
    if not invitations:
        messages.info(request, _("No invitations to put in a zip yet."))
        return redirect("tradeshows:invitation_list", pk=show.pk)
    if len(invitations) > ZIP_MAX_LETTERS:
        messages.error(
            request,
            _("More than %(max)s letters: filter the list and download them in parts.")
            % {"max": ZIP_MAX_LETTERS},
        )
        return redirect("tradeshows:invitation_list", pk=show.pk)
    response = HttpResponse(letters_zip(invitations), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="invitations-{show.pk}.zip"'
    return response


@require_POST
@login_required
def invitation_email(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_get_for_user(request.user, pk)
    if not _may_work(request, invitation):
        raise PermissionDenied
    try:
        services.invitation_email_letter(actor=request.user, invitation=invitation)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("The letter is on its way to %(email)s.") % {"email": invitation.contact.email},
        )
    return redirect("tradeshows:invitation_detail", pk=invitation.pk)


@require_POST
@login_required
def invitation_email_all(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """E-mail every letter not sent yet where the contact has an address."""
    show = tradeshow_get_for_user(request.user, pk)
    if not can_invite(request.user):
        raise PermissionDenied
    pending = (
        invitation_list_for_user(request.user, show)
        .filter(letter_sent_at__isnull=True)
        .exclude(contact__email="")
    )
    queued = 0
    for invitation in pending.select_related("owner__team"):
        if _may_work(request, invitation):
            services.invitation_email_letter(actor=request.user, invitation=invitation)
            queued += 1
    messages.success(request, _("%(count)s letters are on their way.") % {"count": queued})
    return redirect("tradeshows:invitation_list", pk=show.pk)


@require_POST
@login_required
def invitation_link(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("revoke", "renew"):
        raise Http404
    invitation = invitation_get_for_user(request.user, pk)
    if not _may_work(request, invitation):
        raise PermissionDenied
    if action == "revoke":
        services.invitation_revoke_link(actor=request.user, invitation=invitation)
        messages.success(request, _("The personal link no longer works."))
    else:
        services.invitation_renew_link(actor=request.user, invitation=invitation)
        messages.success(request, _("A new personal link was made; the old one no longer works."))
    return redirect("tradeshows:invitation_detail", pk=invitation.pk)


def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's page (no account): only their own invitation, nothing else."""
    limit, window = settings.TRADESHOW_RSVP_RATE_LIMIT
    if not ratelimit.hit(
        f"rsvp:{ratelimit.client_ip(request)}", limit=limit, window_seconds=window
    ):
        return render(request, "tradeshows/rsvp_closed.html", {"state": "rate_limited"}, status=429)
    state, invitation = invitation_for_token(token)
    if invitation is None or state != LinkState.OK:
        status = 404 if state == LinkState.UNKNOWN else 410
        return render(request, "tradeshows/rsvp_closed.html", {"state": state}, status=status)
    form = RsvpForm(request.POST or None, show=invitation.show)
    saved = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_rsvp(
                invitation=invitation,
                coming=data["coming"],
                day=data["day"],
                party_size=data["party_size"],
                names=data["names"],
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            saved = True
    status = 422 if request.method == "POST" and not saved else 200
    return render(
        request,
        "tradeshows/rsvp.html",
        {"invitation": invitation, "show": invitation.show, "form": form, "saved": saved},
        status=status,
    )
