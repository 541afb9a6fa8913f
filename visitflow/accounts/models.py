from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from visitflow.core.models import BaseModel
from visitflow.core.validators import format_phone, validate_phone


class Role(models.TextChoices):
    SALES = "sales", _("Salesperson")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    DIRECTOR = "director", _("Director")
    GENERAL_MANAGER = "general_manager", _("General manager")
    RECEPTION = "reception", _("Reception / dispatch")
    DRIVER = "driver", _("Driver")
    FINANCE = "finance", _("Finance")
    ADMIN = "admin", _("Administrator")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class Team(BaseModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    manager = models.ForeignKey(
        "accounts.User",
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. `role` is the job they do; their group carries the permissions."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    mobile = models.CharField(
        _("mobile phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.SALES, db_index=True
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def mobile_display(self) -> str:
        return format_phone(self.mobile)

    @property
    def supervisor(self) -> "User | None":
        """Whom this person reports to (SOP 5.2 部门主管): their team's manager."""
        if self.team is None or self.team.manager_id == self.pk:
            return None
        return self.team.manager


class CalendarFeedToken(models.Model):
    """The secret in a personal calendar feed URL (/visits/calendar/<token>.ics).

    Calendar apps cannot log in, so the URL itself is the credential. Unlike API tokens
    the value is kept (not hashed): like the "secret address" of other calendars, the
    owner can copy the URL again to subscribe on another device. It only ever gives
    read access to the owner's calendar, and rotating or revoking it cuts off every
    subscriber at once.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_tokens",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="calendar_feed_one_active_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.created:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
