"""Pure predicates for notifications: a person's inbox is theirs alone; team bots and
the delivery log belong to administrators; a personal bot to its owner."""

from django.contrib.auth.models import AnonymousUser

from visitflow.accounts.models import User
from visitflow.accounts.roles import is_admin
from visitflow.notifications.models import Notification, WebhookEndpoint


def can_view_notification(user: User | AnonymousUser, notification: Notification) -> bool:
    return bool(user.is_authenticated and notification.recipient_id == user.pk)


def can_manage_team_webhooks(user: User | AnonymousUser) -> bool:
    return is_admin(user)


def can_manage_webhook(user: User | AnonymousUser, endpoint: WebhookEndpoint) -> bool:
    if not user.is_authenticated:
        return False
    if endpoint.user_id is not None:
        return endpoint.user_id == user.pk
    return is_admin(user)


def can_view_deliveries(user: User | AnonymousUser) -> bool:
    return is_admin(user)


def can_retry_delivery(user: User | AnonymousUser) -> bool:
    return is_admin(user)
