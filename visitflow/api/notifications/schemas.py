"""Notification, preference and bot shapes. A bot's secret is written, never read back."""

from datetime import datetime

from ninja import Field, Schema

from visitflow.api.common import MAX_ID, InputSchema, NoNullsMixin
from visitflow.notifications.models import NotificationKind, WebhookEndpoint, WebhookKind


class NotificationFilterParams(InputSchema):
    unread: bool = Field(False, description="Only the unread ones")


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    title: str
    body: str
    link: str
    created: datetime
    read_at: datetime | None
    is_read: bool


class ReadAllOut(Schema):
    marked_read: int


class PreferenceItem(Schema):
    kind: NotificationKind
    email: bool
    team_webhook: bool
    personal_webhook: bool


class PreferenceOut(PreferenceItem):
    label: str


class PreferencesIn(InputSchema):
    """The kinds listed are changed; kinds left out keep their current choice."""

    preferences: list[PreferenceItem] = Field(..., max_length=len(NotificationKind.values))


URL_MAX = 500
SECRET_MAX = 200


class WebhookOut(Schema):
    id: int
    kind: WebhookKind
    url: str
    has_secret: bool
    team: int | None
    user: int | None
    is_active: bool
    last_test_at: datetime | None
    last_test_ok: bool | None
    last_test_message: str

    @staticmethod
    def resolve_has_secret(obj: WebhookEndpoint) -> bool:
        return bool(obj.secret)

    @staticmethod
    def resolve_team(obj: WebhookEndpoint) -> int | None:
        return obj.team_id

    @staticmethod
    def resolve_user(obj: WebhookEndpoint) -> int | None:
        return obj.user_id


class WebhookIn(InputSchema):
    team: int = Field(
        ..., ge=1, le=MAX_ID, description="The team whose group chat the bot posts to"
    )
    kind: WebhookKind
    url: str = Field(..., min_length=1, max_length=URL_MAX)
    secret: str = Field("", max_length=SECRET_MAX)
    is_active: bool = True


class WebhookPatch(NoNullsMixin, InputSchema):
    """Fields left out stay as they are."""

    kind: WebhookKind | None = None
    url: str | None = Field(None, min_length=1, max_length=URL_MAX)
    secret: str | None = Field(None, max_length=SECRET_MAX)
    is_active: bool | None = None


class WebhookTestOut(Schema):
    ok: bool
    message: str
