"""The caller's notifications and preferences; team group bots (administrators only).

A notification that is not the caller's is a 404, like one that does not exist."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from visitflow.accounts.models import Team, User
from visitflow.api.common import ObjectId, actor
from visitflow.api.notifications.schemas import (
    NotificationFilterParams,
    NotificationOut,
    PreferenceOut,
    PreferencesIn,
    ReadAllOut,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
    WebhookTestOut,
)
from visitflow.api.pagination import PageOrOffsetPagination
from visitflow.core.exceptions import ApplicationError
from visitflow.notifications import services
from visitflow.notifications.models import Notification, WebhookEndpoint
from visitflow.notifications.permissions import can_manage_team_webhooks
from visitflow.notifications.selectors import (
    ChannelChoice,
    notification_get_for_user,
    notification_list_for_user,
    preference_rows_for_user,
    team_webhook_get_for_user,
    team_webhook_list_for_user,
)

router = Router(tags=["notifications"])


@router.get("/notifications", response=list[NotificationOut])
@paginate(PageOrOffsetPagination)
def notification_list(
    request: HttpRequest, filters: Query[NotificationFilterParams]
) -> QuerySet[Notification]:
    return notification_list_for_user(actor(request), unread=filters.unread)


@router.post("/notifications/read-all", response=ReadAllOut)
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked_read": services.notifications_mark_all_read(user=actor(request))}


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def notification_read(request: HttpRequest, notification_id: ObjectId) -> Notification:
    notification = notification_get_for_user(actor(request), notification_id)
    return services.notification_mark_read(notification=notification)


def _preferences(user: User) -> list[dict[str, Any]]:
    return [
        {
            "kind": row.kind,
            "label": str(row.label),
            "email": row.choice.email,
            "team_webhook": row.choice.team_webhook,
            "personal_webhook": row.choice.personal_webhook,
        }
        for row in preference_rows_for_user(user)
    ]


@router.get("/notifications/preferences", response=list[PreferenceOut])
def preference_list(request: HttpRequest) -> list[dict[str, Any]]:
    return _preferences(actor(request))


@router.put("/notifications/preferences", response=list[PreferenceOut])
def preference_update(request: HttpRequest, payload: PreferencesIn) -> list[dict[str, Any]]:
    user = actor(request)
    kinds = [item.kind for item in payload.preferences]
    if len(kinds) != len(set(kinds)):
        message = _("Each kind of notification may appear only once.")
        raise ApplicationError(message, field_errors={"preferences": [message]})
    choices = {
        str(item.kind): ChannelChoice(item.email, item.team_webhook, item.personal_webhook)
        for item in payload.preferences
    }
    services.preferences_update(actor=user, user=user, choices=choices)
    return _preferences(user)


# --- team bots ------------------------------------------------------------------------------


def _admin(request: HttpRequest) -> User:
    user = actor(request)
    if not can_manage_team_webhooks(user):
        raise HttpError(403, _("Only an administrator may manage the team bots."))
    return user


@router.get("/notifications/webhooks", response=list[WebhookOut])
def webhook_list(request: HttpRequest) -> list[WebhookEndpoint]:
    return list(team_webhook_list_for_user(_admin(request)))


@router.post("/notifications/webhooks", response={201: WebhookOut})
def webhook_create(request: HttpRequest, payload: WebhookIn) -> Status[WebhookEndpoint]:
    user = _admin(request)
    team = Team.objects.filter(pk=payload.team).first()
    if team is None:
        message = _("There is no such team.")
        raise ApplicationError(message, field_errors={"team": [message]})
    data = payload.model_dump(exclude={"team"})
    return Status(201, services.webhook_create(actor=user, team=team, **data))


@router.get("/notifications/webhooks/{webhook_id}", response=WebhookOut)
def webhook_detail(request: HttpRequest, webhook_id: ObjectId) -> WebhookEndpoint:
    user = _admin(request)
    return team_webhook_get_for_user(user, webhook_id)


@router.patch("/notifications/webhooks/{webhook_id}", response=WebhookOut)
def webhook_update(
    request: HttpRequest, webhook_id: ObjectId, payload: WebhookPatch
) -> WebhookEndpoint:
    user = _admin(request)
    endpoint = team_webhook_get_for_user(user, webhook_id)
    return services.webhook_update(
        actor=user, endpoint=endpoint, data=payload.model_dump(exclude_unset=True)
    )


@router.delete("/notifications/webhooks/{webhook_id}", response={204: None})
def webhook_delete(request: HttpRequest, webhook_id: ObjectId) -> Status[None]:
    user = _admin(request)
    services.webhook_delete(actor=user, endpoint=team_webhook_get_for_user(user, webhook_id))
    return Status(204, None)


@router.post("/notifications/webhooks/{webhook_id}/test", response=WebhookTestOut)
def webhook_test(request: HttpRequest, webhook_id: ObjectId) -> dict[str, Any]:
    """Send a test message now; `ok` false carries the bot's error code and message."""
    user = _admin(request)
    result = services.webhook_test(actor=user, endpoint=team_webhook_get_for_user(user, webhook_id))
    return {"ok": result.ok, "message": result.message}
