from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from visitflow.accounts.models import Team
from visitflow.core.exceptions import ApplicationError
from visitflow.core.forms import apply_application_error
from visitflow.core.http import AuthenticatedHttpRequest
from visitflow.core.pagination import CappedPaginator
from visitflow.notifications import services
from visitflow.notifications.forms import (
    DeliveryFilterForm,
    PreferencesForm,
    TeamWebhookForm,
    WebhookForm,
)
from visitflow.notifications.models import DeliveryStatus, WebhookEndpoint
from visitflow.notifications.permissions import (
    can_manage_team_webhooks,
    can_manage_webhook,
    can_retry_delivery,
    can_view_deliveries,
)
from visitflow.notifications.selectors import (
    delivery_get_for_user,
    delivery_list_for_user,
    notification_get_for_user,
    notification_list_for_user,
    personal_webhook_for_user,
    preference_rows_for_user,
    team_webhook_get_for_user,
    team_webhook_list_for_user,
    teams_without_webhook_for_user,
    unread_count_for_user,
)

PAGE_SIZE = 20
DELIVERY_PAGE_SIZE = 50


# --- inbox --------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    paginator = Paginator(notification_list_for_user(request.user, unread=unread_only), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread_count": unread_count_for_user(request.user),
        },
    )


# htmx stops polling on this status: a page left open after logging out (or once the
# session ends) stops asking, instead of pasting the log-in page into the navbar.
STOP_POLLING = 286


@require_GET
def badge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The navbar bell (htmx polls it; it carries its own next poll)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=STOP_POLLING)
    return render(
        request,
        "notifications/_badge.html",
        {
            "unread_count": unread_count_for_user(request.user),
            "poll_seconds": settings.NOTIFICATION_POLL_SECONDS,
        },
    )


def _safe_link(request: AuthenticatedHttpRequest, link: str) -> str:
    if link and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return link
    return reverse("notifications:inbox")


@login_required
@require_GET
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Opening a notification reads it and follows its link (the inbox when it has none)."""
    notification = notification_get_for_user(request.user, pk)
    services.notification_mark_read(notification=notification)
    return redirect(_safe_link(request, notification.link))


@login_required
@require_POST
def notification_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = notification_get_for_user(request.user, pk)
    services.notification_mark_read(notification=notification)
    if request.htmx:
        response = render(request, "notifications/notification_list.html#row", {"n": notification})
        response["HX-Trigger"] = "vf-notifications-changed"
        return response
    return redirect("notifications:inbox")


@login_required
@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return redirect("notifications:inbox")


# --- the person's settings ------------------------------------------------------------------


def _settings_context(request: AuthenticatedHttpRequest, **extra: object) -> dict[str, object]:
    endpoint = personal_webhook_for_user(request.user)
    context: dict[str, object] = {
        "form": PreferencesForm(rows=preference_rows_for_user(request.user)),
        "endpoint": endpoint,
        "bot_form": WebhookForm(instance=endpoint, prefix="bot"),
        "team": request.user.team,
        "team_endpoint": WebhookEndpoint.objects.filter(team_id=request.user.team_id).first()
        if request.user.team_id
        else None,
        "has_email": bool(request.user.email),
        "can_manage_team_webhooks": can_manage_team_webhooks(request.user),
    }
    context.update(extra)
    return context


@login_required
def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "notifications/settings.html", _settings_context(request))
    form = PreferencesForm(request.POST, rows=preference_rows_for_user(request.user))
    if form.is_valid():
        try:
            services.preferences_update(
                actor=request.user, user=request.user, choices=form.choices()
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    return render(
        request, "notifications/settings.html", _settings_context(request, form=form), status=422
    )


@login_required
@require_POST
def personal_webhook_save(request: AuthenticatedHttpRequest) -> HttpResponse:
    endpoint = personal_webhook_for_user(request.user)
    form = WebhookForm(request.POST, instance=endpoint, prefix="bot")
    if form.is_valid():
        try:
            if endpoint is None:
                services.webhook_create(
                    actor=request.user, user=request.user, **form.service_data()
                )
            else:
                services.webhook_update(
                    actor=request.user,
                    endpoint=endpoint,
                    data={**form.service_data(), "keep_secret": True},
                )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Your bot is saved. Send a test message to check it."))
            return redirect(reverse("notifications:settings") + "#bot")
    fresh = personal_webhook_for_user(request.user)
    return render(
        request,
        "notifications/settings.html",
        _settings_context(request, bot_form=form, endpoint=fresh),
        status=422,
    )


@login_required
@require_POST
def personal_webhook_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    endpoint = personal_webhook_for_user(request.user)
    if endpoint is not None:
        services.webhook_delete(actor=request.user, endpoint=endpoint)
        messages.success(request, _("Your bot is removed."))
    return redirect("notifications:settings")


@login_required
@require_POST
def webhook_test(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Send a test message now and show the bot's answer where the bot is configured."""
    endpoint = personal_webhook_for_user(request.user)
    if endpoint is None or endpoint.pk != pk:
        endpoint = team_webhook_get_for_user(request.user, pk)
    if not can_manage_webhook(request.user, endpoint):
        raise PermissionDenied
    result = services.webhook_test(actor=request.user, endpoint=endpoint)
    if request.htmx:
        return render(request, "notifications/_test_result.html", {"endpoint": endpoint})
    if result.ok:
        messages.success(request, result.message)
    else:
        messages.error(request, _("The test message failed: %(error)s") % {"error": result.message})
    if endpoint.user_id:
        return redirect(reverse("notifications:settings") + "#bot")
    return redirect("notifications:webhooks")


# --- team bots (administrators) --------------------------------------------------------------


def _require_webhook_admin(request: AuthenticatedHttpRequest) -> None:
    if not can_manage_team_webhooks(request.user):
        raise PermissionDenied


@login_required
@require_GET
def webhook_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_webhook_admin(request)
    return render(
        request,
        "notifications/webhook_list.html",
        {
            "endpoints": team_webhook_list_for_user(request.user),
            "teams_without": teams_without_webhook_for_user(request.user),
        },
    )


@login_required
def webhook_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_webhook_admin(request)
    teams = teams_without_webhook_for_user(request.user)
    initial = {}
    if team_id := request.GET.get("team", ""):
        initial["team"] = team_id if team_id.isdigit() else None
    form = TeamWebhookForm(request.POST or None, teams=teams, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            services.webhook_create(actor=request.user, team=form.cleaned_data["team"], **data)
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(
                request, _("The team's bot is saved. Send a test message to check it.")
            )
            return redirect("notifications:webhooks")
    status = 422 if request.method == "POST" else 200
    return render(request, "notifications/webhook_form.html", {"form": form}, status=status)


@login_required
def webhook_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_webhook_admin(request)
    endpoint = team_webhook_get_for_user(request.user, pk)
    form = TeamWebhookForm(
        request.POST or None,
        instance=endpoint,
        teams=Team.objects.filter(webhook_endpoints=endpoint),
    )
    if request.method == "POST" and form.is_valid():
        fresh = team_webhook_get_for_user(request.user, pk)
        try:
            services.webhook_update(
                actor=request.user,
                endpoint=fresh,
                data={**form.service_data(), "keep_secret": True},
            )
        except ApplicationError as exc:
            apply_application_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("notifications:webhooks")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "notifications/webhook_form.html",
        {"form": form, "endpoint": endpoint},
        status=status,
    )


@login_required
@require_POST
def webhook_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_webhook_admin(request)
    endpoint = team_webhook_get_for_user(request.user, pk)
    services.webhook_delete(actor=request.user, endpoint=endpoint)
    messages.success(request, _("The team's bot is removed."))
    return redirect("notifications:webhooks")


# --- deliveries (administrators) ---------------------------------------------------------------


@login_required
@require_GET
def delivery_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_view_deliveries(request.user):
        raise PermissionDenied
    form = DeliveryFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    paginator = CappedPaginator(
        delivery_list_for_user(request.user, status=status), DELIVERY_PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/delivery_list.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "statuses": DeliveryStatus.choices,
            "retryable": {DeliveryStatus.FAILED, DeliveryStatus.PENDING},
            "can_retry": can_retry_delivery(request.user),
        },
    )


@login_required
@require_POST
def delivery_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not can_retry_delivery(request.user):
        raise PermissionDenied
    delivery = delivery_get_for_user(request.user, pk)
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Delivery #%(id)s is queued again.") % {"id": delivery.pk})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("notifications:deliveries")
