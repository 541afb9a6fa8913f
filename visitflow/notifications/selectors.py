"""Reads of notifications, preferences, bots and deliveries, scoped to who asks (a
notification that is not yours is a 404, the same as one that does not exist)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import Promise

from visitflow.accounts.models import Team, User
from visitflow.notifications.models import (
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    WebhookEndpoint,
)
from visitflow.notifications.permissions import can_manage_team_webhooks, can_view_deliveries


@dataclass(frozen=True)
class ChannelChoice:
    """Which external channels a kind goes to (the in-app inbox always gets it)."""

    email: bool = False
    team_webhook: bool = False
    personal_webhook: bool = False


# Sensible defaults: e-mail only for what must not be missed and is read at a desk (an
# escalation, the morning digest, a request to stand in); the person's own bot, once they
# set one up, for everything that is due; the team group for what the whole team acts on.
_REMINDERS = ChannelChoice(personal_webhook=True)
_TEAM = ChannelChoice(team_webhook=True, personal_webhook=True)
DEFAULT_PREFERENCES: dict[str, ChannelChoice] = {
    NotificationKind.STEP_DUE: _REMINDERS,
    NotificationKind.STEP_OVERDUE: _REMINDERS,
    NotificationKind.STEP_ESCALATED: ChannelChoice(
        email=True, team_webhook=True, personal_webhook=True
    ),
    NotificationKind.ESCORT_DEPARTURE: _TEAM,
    NotificationKind.ESCORT_PHONE: _REMINDERS,
    NotificationKind.LEADER_MEETING: _TEAM,
    NotificationKind.RETURN_CALL_DUE: _REMINDERS,
    NotificationKind.FOLLOW_UP_DUE: _REMINDERS,
    NotificationKind.REQUEST_DUE: _REMINDERS,
    NotificationKind.DAILY_DIGEST: ChannelChoice(email=True, personal_webhook=True),
    NotificationKind.COVER_REQUEST: ChannelChoice(email=True, personal_webhook=True),
    NotificationKind.ABSENCE_CLASH: ChannelChoice(email=True, personal_webhook=True),
    NotificationKind.TEST: ChannelChoice(email=True, team_webhook=True, personal_webhook=True),
}


def default_choice(kind: str) -> ChannelChoice:
    # Kinds added later without a default here go to the inbox and the personal bot.
    return DEFAULT_PREFERENCES.get(kind, _REMINDERS)


def preference_for_user(user: User, kind: str) -> ChannelChoice:
    row = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if row is None:
        return default_choice(kind)
    return ChannelChoice(row.email, row.team_webhook, row.personal_webhook)


@dataclass(frozen=True)
class PreferenceRow:
    kind: str
    label: str | Promise
    choice: ChannelChoice


def preference_rows_for_user(user: User) -> list[PreferenceRow]:
    """Every kind a person can be told about, with their choice or the default."""
    saved = {
        row.kind: ChannelChoice(row.email, row.team_webhook, row.personal_webhook)
        for row in NotificationPreference.objects.filter(user=user)
    }
    return [
        PreferenceRow(kind, label, saved.get(kind, default_choice(kind)))
        for kind, label in NotificationKind.choices
    ]


def notification_list_for_user(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created", "-id")


def notification_get_for_user(user: User, pk: int) -> Notification:
    notification = Notification.objects.filter(recipient=user, pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def unread_count_for_user(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def personal_webhook_for_user(user: User) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.filter(user=user).first()


def team_webhook_list_for_user(user: User) -> QuerySet[WebhookEndpoint]:
    if not can_manage_team_webhooks(user):
        return WebhookEndpoint.objects.none()
    return (
        WebhookEndpoint.objects.filter(team__isnull=False)
        .select_related("team")
        .order_by("team__name", "id")
    )


def teams_without_webhook_for_user(user: User) -> QuerySet[Team]:
    if not can_manage_team_webhooks(user):
        return Team.objects.none()
    return Team.objects.filter(webhook_endpoints__isnull=True).order_by("name")


def team_webhook_get_for_user(user: User, pk: int) -> WebhookEndpoint:
    endpoint = team_webhook_list_for_user(user).filter(pk=pk).first()
    if endpoint is None:
        raise Http404
    return endpoint


def delivery_list_for_user(user: User, *, status: str = "") -> QuerySet[Delivery]:
    if not can_view_deliveries(user):
        return Delivery.objects.none()
    qs = Delivery.objects.select_related(
        "notification__recipient", "endpoint__team", "endpoint__user"
    ).order_by("-created", "-id")
    if status in DeliveryStatus.values:
        qs = qs.filter(status=status)
    return qs


def delivery_get_for_user(user: User, pk: int) -> Delivery:
    delivery = delivery_list_for_user(user).filter(pk=pk).first()
    if delivery is None:
        raise Http404
    return delivery
