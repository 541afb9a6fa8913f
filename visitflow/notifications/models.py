"""Notifications: the in-app inbox, each person's channel preferences, the group-bot
webhooks (WeCom, DingTalk, Feishu) and one Delivery row per message sent outside the app.

A Delivery is the unit of work of the delivery engine: it is claimed with a lease, sent,
and marked sent or scheduled for a retry (services.delivery_send), so a worker that dies
mid-send leaves a row that deliveries_sweep hands to another worker once the lease ends.
"""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from visitflow.core.models import BaseModel


class NotificationKind(models.TextChoices):
    STEP_DUE = "step_due", _("Step due")
    STEP_OVERDUE = "step_overdue", _("Step overdue")
    STEP_ESCALATED = "step_escalated", _("Overdue step escalated")
    ESCORT_DEPARTURE = "escort_departure", _("Time to leave for a pickup")
    ESCORT_PHONE = "escort_phone", _("Phone the escort during the pickup")
    LEADER_MEETING = "leader_meeting", _("Leader meeting")
    RETURN_CALL_DUE = "return_call_due", _("Return call due")
    FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")
    REQUEST_DUE = "request_due", _("Visit request due")
    DAILY_DIGEST = "daily_digest", _("Daily digest")
    COVER_REQUEST = "cover_request", _("Stand-in host request")
    ABSENCE_CLASH = "absence_clash", _("Host away during a visit")
    INVITATION_CALL = "invitation_call", _("Invitation call due")
    BOOTH_VISITOR = "booth_visitor", _("Your customer is at the booth")
    BOOTH_UNATTENDED = "booth_unattended", _("Visitor waiting unattended at the booth")
    LEAD_CALL = "lead_call", _("Trade-show lead call due")
    SPEND_APPROVAL = "spend_approval", _("Spend over the standard to approve")
    SPEND_DECIDED = "spend_decided", _("Spend over the standard decided")
    PORTAL_CHANGE = "portal_change", _("Visitor proposed a change on their link")
    TEST = "test", _("Test message")


class Channel(models.TextChoices):
    """Where a Delivery goes (the in-app inbox needs none: the Notification row is it)."""

    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group bot")
    DINGTALK = "dingtalk", _("DingTalk robot")
    FEISHU = "feishu", _("Feishu bot")


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("WeCom (企业微信) group bot")
    DINGTALK = "dingtalk", _("DingTalk (钉钉) custom robot")
    FEISHU = "feishu", _("Feishu (飞书) custom bot")


# A bot is reached over HTTP(S) only; URLField alone would also take ftp://.
validate_webhook_url = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address starting with http:// or https://.")
)


# The rows the key's unique index covers. A lookup by key must carry this condition too:
# the index is partial, and neither SQLite nor PostgreSQL uses it (they scan the whole
# table) unless the query itself says the key is not empty.
KEYED = ~models.Q(key="")


class Notification(models.Model):
    """One message in a person's inbox, stored already rendered in their language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # Idempotency: whoever creates the notification names it (e.g. "reminder:42"); a
    # second notify() with the same key creates nothing.
    key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=KEYED, name="notification_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created", "-id"], name="notification_inbox_idx"),
            # The badge counts a person's unread ones on every poll.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's choice of channels for one kind; without a row the defaults apply
    (services.DEFAULT_PREFERENCES). The in-app inbox is always on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    email = models.BooleanField(_("e-mail"), default=False)
    team_webhook = models.BooleanField(_("team group bot"), default=False)
    personal_webhook = models.BooleanField(_("personal bot"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


class WebhookEndpoint(BaseModel):
    """A group bot a team's messages (or one person's) are posted to."""

    kind = models.CharField(_("service"), max_length=16, choices=WebhookKind.choices)
    url = models.URLField(_("webhook address"), max_length=500, validators=[validate_webhook_url])
    # DingTalk's "加签" secret (SEC…) or Feishu's signature key; WeCom carries its key in the URL.
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_test_at = models.DateTimeField(_("last tested"), null=True, blank=True)
    last_test_ok = models.BooleanField(_("last test succeeded"), null=True, blank=True)
    last_test_message = models.CharField(_("last test answer"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["team__name", "user__username", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(team__isnull=False, user__isnull=True)
                    | models.Q(team__isnull=True, user__isnull=False)
                ),
                name="webhook_team_xor_user",
            ),
            # One bot per team and one per person (NULLs never collide).
            models.UniqueConstraint(fields=["team"], name="webhook_one_per_team"),
            models.UniqueConstraint(fields=["user"], name="webhook_one_per_user"),
        ]

    def __str__(self) -> str:
        owner = self.team if self.team_id else self.user
        return f"{self.get_kind_display()} · {owner}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")  # due at next_attempt_at (first try or a retry)
    QUEUED = "queued", _("Queued")  # handed to a worker at queued_at
    SENDING = "sending", _("Sending")  # claimed by a worker until lease_until
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")  # gave up after the last attempt


class Delivery(BaseModel):
    """One notification on its way to one external channel."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(channel="email") | models.Q(endpoint__isnull=True),
                name="delivery_email_has_no_endpoint",
            ),
        ]
        indexes = [
            # The sweep's three questions: which retries are due, which leases ended,
            # which queued ones were never picked up.
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx"),
            models.Index(fields=["status", "lease_until"], name="delivery_lease_idx"),
            models.Index(fields=["status", "queued_at"], name="delivery_queued_idx"),
            # The admin page, filtered by status, newest first.
            models.Index(fields=["status", "-created", "-id"], name="delivery_status_list_idx"),
            models.Index(fields=["-created", "-id"], name="delivery_list_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_channel_display()} · {self.get_status_display()}"
