"""The visiting party's personal link (issue 9): their itinerary without an account, and
the travel legs and names they propose, which the host confirms."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from visitflow.core.models import BaseModel


class PortalLink(BaseModel):
    """One link per visit. Only the SHA-256 of the token is kept (a leaked database does
    not open any link); the first characters tell the host which link is out there."""

    visit = models.OneToOneField(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        related_name="portal_link",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    token_prefix = models.CharField(_("token prefix"), max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_opened_at = models.DateTimeField(_("last opened at"), null=True, blank=True)
    open_count = models.PositiveIntegerField(_("times opened"), default=0)

    class Meta:
        verbose_name = _("self-service link")
        verbose_name_plural = _("self-service links")

    def __str__(self) -> str:
        return f"{self.visit} · {self.token_prefix}…"

    @property
    def expires_at(self) -> datetime:
        """The link follows the visit: moving the visit moves its end of life."""
        days = int(settings.PORTAL_LINK_DAYS_AFTER_VISIT)
        return self.visit.ends_at + timedelta(days=days)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ChangeKind(models.TextChoices):
    LEG_ADD = "leg_add", _("New journey")
    LEG_UPDATE = "leg_update", _("Corrected journey")
    VISITOR_ADD = "visitor_add", _("New person")
    VISITOR_UPDATE = "visitor_update", _("Corrected person")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the host")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not taken")


class PortalChange(BaseModel):
    """What the party proposed on their link; applied through the visit services (so
    pickups re-plan as usual) only when the host confirms it."""

    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        related_name="portal_changes",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    leg = models.ForeignKey(
        "visits.TravelLeg",
        verbose_name=_("travel leg"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    visitor = models.ForeignKey(
        "visits.Visitor",
        verbose_name=_("visitor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The proposed values as the party typed them (times as ISO strings).
    data = models.JSONField(_("proposed values"), default=dict)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    answer = models.CharField(_("answer to the visitor"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="leg_update")
                | models.Q(leg__isnull=False)
                | ~models.Q(status="pending"),
                name="portal_change_leg_update_has_leg",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="visitor_update")
                | models.Q(visitor__isnull=False)
                | ~models.Q(status="pending"),
                name="portal_change_visitor_update_has_visitor",
            ),
        ]
        indexes = [models.Index(fields=["visit", "status"], name="portal_change_visit_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"

    def value(self, name: str) -> Any:
        return self.data.get(name, "")
