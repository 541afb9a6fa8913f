"""Downloads of a visit (.ics, PDF brief, PDF itinerary) and the personal calendar feed."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from visitflow.accounts.feeds import (
    calendar_feed_token_active,
    calendar_feed_token_create,
    calendar_feed_token_revoke,
    calendar_feed_user,
)
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.visits import calendar, documents
from visitflow.visits.selectors import visit_get_for_user

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
# Calendar apps poll every few minutes to hours; a few hundred requests per hour per
# address is far above that and far below what guessing tokens would need.
FEED_CACHE_SECONDS = 10 * 60
FEED_RATE_LIMIT = 120
FEED_RATE_WINDOW_SECONDS = 3600


def _download(content: bytes, *, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def visit_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    content = calendar.visit_ics(visit, absolute_url=request.build_absolute_uri)
    return _download(
        content, content_type=ICS_CONTENT_TYPE, filename=f"visit-{visit.pk}.ics", inline=False
    )


@login_required
@require_GET
def brief_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    content = documents.brief_pdf(visit, user=request.user)
    return _download(
        content, content_type="application/pdf", filename=f"brief-{visit.pk}.pdf", inline=True
    )


@login_required
@require_GET
def itinerary_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_for_user(request.user, pk)
    content = documents.itinerary_pdf(visit)
    return _download(
        content, content_type="application/pdf", filename=f"itinerary-{visit.pk}.pdf", inline=True
    )


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _over_rate_limit(request: HttpRequest) -> bool:
    key = f"calendar-feed-rate:{_client_address(request)}"
    cache.add(key, 0, FEED_RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, FEED_RATE_WINDOW_SECONDS)
        count = 1
    return count > FEED_RATE_LIMIT


@never_cache
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscribed calendar: no session, the secret token in the URL is the key."""
    if _over_rate_limit(request):
        response = HttpResponse(status=429)
        response["Retry-After"] = str(FEED_RATE_WINDOW_SECONDS)
        return response
    user = calendar_feed_user(token)
    if user is None:
        raise Http404
    # Calendar clients poll every hour or so; a feed a few minutes old is fine and
    # spares building hundreds of events on every poll.
    key = f"calendar-feed:{token}:{request.get_host()}"
    content = cache.get(key)
    if content is None:
        content = calendar.feed_ics(user, absolute_url=request.build_absolute_uri)
        cache.set(key, content, FEED_CACHE_SECONDS)
    return _download(content, content_type=ICS_CONTENT_TYPE, filename="visitflow.ics", inline=True)


def _feed_panel(request: AuthenticatedHttpRequest) -> HttpResponse:
    feed = calendar_feed_token_active(request.user)
    feed_url = ""
    if feed is not None:
        feed_url = request.build_absolute_uri(calendar.feed_path(feed.token))
    return render(
        request,
        "accounts/_calendar_feed.html#panel",
        {"feed": feed, "feed_url": feed_url},
    )


@login_required
@require_GET
def calendar_feed_panel(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _feed_panel(request)


def _after_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.htmx:
        return _feed_panel(request)
    return redirect("accounts:profile")


@login_required
@require_POST
def calendar_feed_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    calendar_feed_token_create(user=request.user)
    return _after_change(request)


@login_required
@require_POST
def calendar_feed_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    calendar_feed_token_revoke(user=request.user)
    return _after_change(request)
