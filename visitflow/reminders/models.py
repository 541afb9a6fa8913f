"""Reminders: every due time in VisitFlow, planned ahead as one row per person to tell.

The planner (services.reminders_plan) derives the rows from the things that are due —
steps, pickups, leader meetings, follow-ups, visit requests — so moving or cancelling
one of them moves or cancels its reminders without any hook in their services. A row's
`key` says what, for whom and for which due time; it is unique, and it becomes the
idempotency key of the notification, so a reminder is delivered at most once however
often it is planned or dispatched (and at least once: a dispatch that dies before its
transaction commits leaves the row scheduled for the next one)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from visitflow.core.models import BaseModel
from visitflow.notifications.models import NotificationKind


class ReminderStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")
    SKIPPED = "skipped", _("Nothing to tell")


class Reminder(BaseModel):
    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    # What it is about: "step:12", "transfer:3", "meeting:4", "follow_up:9", "request:7",
    # "digest:2026-11-27". Kinds of source differ too much for one foreign key.
    source = models.CharField(_("about"), max_length=60)
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    due_at = models.DateTimeField(_("due"))
    send_at = models.DateTimeField(_("send at"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReminderStatus.choices, default=ReminderStatus.SCHEDULED
    )
    # A dispatch task holds the row until then; after it, the next tick may queue it again.
    queued_until = models.DateTimeField(_("queued until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    notification = models.ForeignKey(
        "notifications.Notification",
        verbose_name=_("notification"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["send_at", "id"]
        indexes = [
            # The dispatcher's question: scheduled and due, soonest first.
            models.Index(
                fields=["send_at"],
                condition=models.Q(status="scheduled"),
                name="reminder_due_idx",
            ),
            # How many are handed out and not done (reminders_queue_due's cap).
            models.Index(
                fields=["queued_until"],
                condition=models.Q(status="scheduled"),
                name="reminder_in_flight_idx",
            ),
            models.Index(fields=["recipient", "send_at"], name="reminder_recipient_idx"),
            models.Index(fields=["source"], name="reminder_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.recipient} · {self.send_at:%Y-%m-%d %H:%M}"
