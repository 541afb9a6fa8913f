"""The party's page behind their personal link (issue 9): no account, rate limited,
only their own visit, in Chinese or English."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.portal import services
from visitflow.portal.calendar import guest_ics
from visitflow.portal.forms import LegProposalForm, VisitorProposalForm
from visitflow.portal.models import ChangeKind, PortalLink
from visitflow.portal.selectors import GuestItinerary, customer_language, guest_itinerary
from visitflow.tradeshows import ratelimit

LANG_COOKIE = "vf_portal_lang"
LANGUAGES = {"zh-hans": "zh-hans", "zh": "zh-hans", "en": "en"}

PortalView = Callable[..., HttpResponse]


def portal_language(request: HttpRequest, link: PortalLink | None = None) -> str:
    """The party's choice on the page, else their browser's first language we speak,
    else the language the host last wrote to this customer in, else Chinese (the
    company's language)."""
    chosen = request.GET.get("lang") or request.COOKIES.get(LANG_COOKIE, "")
    if chosen in LANGUAGES:
        return LANGUAGES[chosen]
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        code = code.lower()
        if code.startswith("zh"):
            return "zh-hans"
        if code.startswith("en"):
            return "en"
    if link is not None:
        written = customer_language(link.visit)
        if written in LANGUAGES:
            return LANGUAGES[written]
    return "zh-hans"


def _closed(request: HttpRequest, state: str, status: int) -> HttpResponse:
    return render(
        request,
        "portal/portal_closed.html",
        {"state": state, "message": closed_message(state)},
        status=status,
    )


def guest_view(view: PortalView) -> PortalView:
    """Rate limit by address, open the link by its token, speak the party's language."""

    @wraps(view)
    @never_cache
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        limit, window = settings.PORTAL_RATE_LIMIT
        key = f"portal:{ratelimit.client_ip(request)}"
        link = None
        if not ratelimit.hit(key, limit=limit, window_seconds=window):
            state = "rate_limited"
        else:
            state, link = services.link_for_token(token)
        language = portal_language(request, link if state == services.LinkState.OK else None)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            if link is None or state != services.LinkState.OK:
                status = {"rate_limited": 429, services.LinkState.UNKNOWN: 404}.get(state, 410)
                response = _closed(request, state, status)
            else:
                response = view(request, link, token, *args, **kwargs)
        if request.GET.get("lang") in LANGUAGES:
            response.set_cookie(
                LANG_COOKIE, LANGUAGES[request.GET["lang"]], max_age=365 * 86400, samesite="Lax"
            )
        response.headers["Content-Language"] = language
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        # The token is in the address: never sent to another site, but the own origin is
        # (the CSRF check needs it on the forms).
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    return wrapper


def _page(
    request: HttpRequest,
    link: PortalLink,
    token: str,
    *,
    itinerary: GuestItinerary | None = None,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    itinerary = itinerary or guest_itinerary(link)
    leg_forms = [
        (
            index,
            leg,
            forms.get(f"leg_form_{index}") or LegProposalForm(leg=leg, prefix=f"leg{index}"),
        )
        for index, leg in enumerate(itinerary.legs, start=1)
    ]
    visitor_forms = [
        (
            index,
            visitor,
            forms.get(f"visitor_form_{index}")
            or VisitorProposalForm(visitor=visitor, prefix=f"visitor{index}"),
        )
        for index, visitor in enumerate(itinerary.visitors, start=1)
    ]
    context = {
        "it": itinerary,
        "visit": itinerary.visit,
        "token": token,
        "leg_forms": leg_forms,
        "visitor_forms": visitor_forms,
        "new_leg_form": forms.get("new_leg_form") or LegProposalForm(prefix="newleg"),
        "new_visitor_form": forms.get("new_visitor_form")
        or VisitorProposalForm(prefix="newvisitor"),
        "open_form": forms.get("open_form", ""),
        "can_propose": itinerary.visit.status in services.PROPOSAL_STATES,
        "time_zone": settings.TIME_ZONE,
        "company": settings.VISITFLOW_COMPANY_NAME,
        "company_address": settings.VISITFLOW_COMPANY_ADDRESS,
        "saved": request.GET.get("saved") == "1",
    }
    return render(request, "portal/portal_page.html", context, status=status)


@guest_view
def portal_page(request: HttpRequest, link: PortalLink, token: str) -> HttpResponse:
    if request.method == "GET" and "lang" not in request.GET:
        services.link_opened(link)
    return _page(request, link, token)


def _saved(token: str, anchor: str) -> HttpResponse:
    return redirect(f"{reverse('portal:page', args=[token])}?saved=1#{anchor}")


@require_POST
@guest_view
def portal_leg(request: HttpRequest, link: PortalLink, token: str, index: int = 0) -> HttpResponse:
    """index 0: a new journey; n: correct the n-th journey as listed on the page."""
    itinerary = guest_itinerary(link)
    leg = None
    if index:
        if index > len(itinerary.legs):
            return _page(request, link, token, itinerary=itinerary, status=404)
        leg = itinerary.legs[index - 1]
    prefix = f"leg{index}" if index else "newleg"
    form = LegProposalForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            services.change_propose(
                link=link,
                kind=ChangeKind.LEG_UPDATE if leg else ChangeKind.LEG_ADD,
                data=form.cleaned_data,
                leg=leg,
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            return _saved(token, "changes")
    key = f"leg_form_{index}" if index else "new_leg_form"
    return _page(
        request, link, token, itinerary=itinerary, status=422, open_form=prefix, **{key: form}
    )


@require_POST
@guest_view
def portal_visitor(
    request: HttpRequest, link: PortalLink, token: str, index: int = 0
) -> HttpResponse:
    itinerary = guest_itinerary(link)
    visitor = None
    if index:
        if index > len(itinerary.visitors):
            return _page(request, link, token, itinerary=itinerary, status=404)
        visitor = itinerary.visitors[index - 1]
    prefix = f"visitor{index}" if index else "newvisitor"
    form = VisitorProposalForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            services.change_propose(
                link=link,
                kind=ChangeKind.VISITOR_UPDATE if visitor else ChangeKind.VISITOR_ADD,
                data=form.cleaned_data,
                visitor=visitor,
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            return _saved(token, "changes")
    key = f"visitor_form_{index}" if index else "new_visitor_form"
    return _page(
        request, link, token, itinerary=itinerary, status=422, open_form=prefix, **{key: form}
    )


@guest_view
def portal_ics(request: HttpRequest, link: PortalLink, token: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("portal:page", args=[token]))
    body = guest_ics(guest_itinerary(link), url=url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="visit.ics"'
    return response


def closed_message(state: str) -> str:
    return {
        "rate_limited": _("Too many attempts. Please wait a few minutes and try again."),
        "unknown": _("This link is not valid."),
        "revoked": _("This link no longer works. Your host can send you a new one."),
        "expired": _("This link has expired: the visit is over."),
    }.get(state, _("This link is not valid."))
