from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


class AbsenceKind(models.TextChoices):
    BUSINESS_TRIP = "business_trip", _("Business trip")
    LEAVE = "leave", _("Leave")
    OTHER = "other", pgettext_lazy("absence kind", "Other")


class Absence(BaseModel):
    """出差 / 请假: days a person is away (SOP 5.2). Whole days, first and last included:
    a business trip is planned by the day, and so are the visits it clashes with."""

    person = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="absences"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AbsenceKind.choices, default=AbsenceKind.BUSINESS_TRIP
    )
    destination = models.CharField(_("destination"), max_length=100, blank=True)
    starts_on = models.DateField(_("first day away"))
    ends_on = models.DateField(_("last day away"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="absence_ends_after_start",
                violation_error_message=_("The last day away cannot be before the first."),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "ends_on", "starts_on"], name="absence_person_idx"),
            models.Index(fields=["starts_on", "ends_on"], name="absence_dates_idx"),
        ]

    def __str__(self) -> str:
        where = f" · {self.destination}" if self.destination else ""
        return (
            f"{self.person} · {self.get_kind_display()}{where} · {self.starts_on} ~ {self.ends_on}"
        )
