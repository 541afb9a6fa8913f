"""Hospitality spend (SOP 5.1 step 4: meals and lodging "by the standard of the
hospitality-spend instruction", 《交际接待费用及佣金管理作业指导书》).

Standards are dated versions per customer level and category; a planned line keeps the
standard it was planned against (its id and the amounts), so a later standard never
rewrites the past. Money is Decimal in CNY; nothing about money is deleted, only voided
with a reason."""

import os
import uuid
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from visitflow.core.models import BaseModel

CNY = "CNY"
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class SpendCategory(models.TextChoices):
    MEAL_LUNCH = "meal_lunch", _("Lunch")
    MEAL_DINNER = "meal_dinner", _("Dinner")
    MEAL_BANQUET = "meal_banquet", _("Banquet")
    HOTEL_NIGHT = "hotel_night", _("Hotel room-night")
    GIFT_PER_VISITOR = "gift_per_visitor", _("Gift per visitor")
    LOCAL_TRANSPORT = "local_transport", _("Local transport")
    OTHER = "other", pgettext_lazy("spend category", "Other")


MEAL_CATEGORIES = (SpendCategory.MEAL_LUNCH, SpendCategory.MEAL_DINNER, SpendCategory.MEAL_BANQUET)


class RoomType(models.TextChoices):
    NONE = "", _("Any")
    STANDARD = "standard", _("Standard room")
    BUSINESS = "business", _("Business room")
    SUITE = "suite", _("Suite")


class ApproverLevel(models.TextChoices):
    """Who may approve going over the standard: the host's manager up to the standard's
    percentage, a director or the general manager beyond it."""

    NONE = "", _("No approval needed")
    MANAGER = "manager", _("Sales manager")
    DIRECTOR = "director", _("Director")


class LineStatus(models.TextChoices):
    WITHIN = "within", _("Within the standard")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved over the standard")
    REFUSED = "refused", _("Refused")
    VOID = "void", _("Voided")


# The moves a line's status may make, in one place (services enforce it): a plan changed
# is judged again (within, or waiting once more); only a waiting line is decided; a
# voided line is final.
LINE_TRANSITIONS: dict[str, frozenset[str]] = {
    LineStatus.WITHIN: frozenset({LineStatus.WITHIN, LineStatus.PENDING, LineStatus.VOID}),
    LineStatus.PENDING: frozenset(
        {
            LineStatus.WITHIN,
            LineStatus.PENDING,
            LineStatus.APPROVED,
            LineStatus.REFUSED,
            LineStatus.VOID,
        }
    ),
    LineStatus.APPROVED: frozenset(
        {LineStatus.WITHIN, LineStatus.PENDING, LineStatus.APPROVED, LineStatus.VOID}
    ),
    LineStatus.REFUSED: frozenset({LineStatus.WITHIN, LineStatus.PENDING, LineStatus.VOID}),
    LineStatus.VOID: frozenset(),
}

# Lines whose planned amount counts in the visit's budget.
COUNTED_STATES = (LineStatus.WITHIN, LineStatus.PENDING, LineStatus.APPROVED)


class SpendStandard(BaseModel):
    """One dated version of the standard for a customer level and category.

    Never edited: a change is a new row with a later valid_from."""

    level = models.ForeignKey(
        "customers.CustomerLevel",
        verbose_name=_("customer level"),
        on_delete=models.PROTECT,
        related_name="spend_standards",
    )
    category = models.CharField(_("category"), max_length=20, choices=SpendCategory.choices)
    room_type = models.CharField(
        _("room type"), max_length=20, choices=RoomType.choices, blank=True, default=""
    )
    amount = models.DecimalField(
        _("amount (CNY)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Per person for meals, per room-night for hotels, per visitor for gifts."),
    )
    valid_from = models.DateField(_("applies from"))
    manager_max_over_percent = models.DecimalField(
        _("manager may approve up to (% over)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        help_text=_("Beyond this a director or the general manager approves."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("spend standard")
        verbose_name_plural = _("spend standards")
        ordering = ["level__rank", "category", "room_type", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "category", "room_type", "valid_from"],
                name="spend_standard_one_per_day",
                violation_error_message=_(
                    "A standard for this level and category already applies from that date."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="spend_standard_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(manager_max_over_percent__gte=0),
                name="spend_standard_percent_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(room_type="") | models.Q(category="hotel_night"),
                name="spend_standard_room_type_only_for_hotels",
            ),
        ]
        indexes = [
            models.Index(
                fields=["level", "category", "room_type", "-valid_from"],
                name="spend_standard_lookup_idx",
            ),
        ]

    def __str__(self) -> str:
        room = f" {self.get_room_type_display()}" if self.room_type else ""
        return f"{self.level} · {self.get_category_display()}{room} ≥ {self.valid_from}"


class SpendLine(BaseModel):
    """A planned meal, night of lodging, gift or other expense on a visit, planned
    against the standard for the customer's level on that date (SOP 5.1 step 4)."""

    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        related_name="spend_lines",
    )
    category = models.CharField(_("category"), max_length=20, choices=SpendCategory.choices)
    date = models.DateField(_("date"))
    venue = models.CharField(_("restaurant, hotel or supplier"), max_length=200, blank=True)
    room_type = models.CharField(
        _("room type"), max_length=20, choices=RoomType.choices, blank=True, default=""
    )
    guests = models.PositiveSmallIntegerField(_("guests"), default=0)
    hosts = models.PositiveSmallIntegerField(_("hosts"), default=0)
    nights = models.PositiveSmallIntegerField(_("nights"), default=0)
    rooms = models.PositiveSmallIntegerField(_("rooms"), default=0)
    description = models.CharField(_("description"), max_length=300, blank=True)
    planned_amount = models.DecimalField(_("planned amount (CNY)"), max_digits=12, decimal_places=2)
    # The standard in force when the line was (re)planned, copied so a later standard
    # never changes what this line was judged against.
    standard = models.ForeignKey(
        SpendStandard,
        verbose_name=_("standard"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
    )
    standard_unit_amount = models.DecimalField(
        _("standard per unit (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    standard_amount = models.DecimalField(
        _("standard total (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LineStatus.choices, default=LineStatus.WITHIN
    )
    required_approver = models.CharField(
        _("approved by"), max_length=20, choices=ApproverLevel.choices, blank=True, default=""
    )
    over_reason = models.CharField(_("reason for going over"), max_length=500, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("spend line")
        verbose_name_plural = _("spend lines")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_amount__gte=0), name="spend_line_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(standard_amount__isnull=True) | models.Q(standard_amount__gte=0),
                name="spend_line_standard_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["pending", "approved", "refused"])
                | ~models.Q(over_reason=""),
                name="spend_line_over_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="void") | ~models.Q(void_reason=""),
                name="spend_line_void_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["visit", "date"], name="spend_line_visit_idx"),
            models.Index(fields=["status", "required_approver"], name="spend_line_status_idx"),
            models.Index(fields=["date"], name="spend_line_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.date} ¥{self.planned_amount}"

    @property
    def units(self) -> int:
        return line_units(
            self.category,
            guests=self.guests,
            hosts=self.hosts,
            nights=self.nights,
            rooms=self.rooms,
        )

    @property
    def over_amount(self) -> Decimal:
        if self.standard_amount is None:
            return self.planned_amount
        return max(self.planned_amount - self.standard_amount, ZERO)

    @property
    def is_over(self) -> bool:
        return self.standard_amount is None or self.planned_amount > self.standard_amount

    @property
    def is_decided(self) -> bool:
        return self.status in (LineStatus.APPROVED, LineStatus.REFUSED)


def line_units(category: str, *, guests: int, hosts: int, nights: int, rooms: int) -> int:
    """How many times the standard applies: per person at a meal, per room-night at a
    hotel, per visitor for gifts, once for transport and other."""
    if category in MEAL_CATEGORIES:
        return guests + hosts
    if category == SpendCategory.HOTEL_NIGHT:
        return nights * rooms
    if category == SpendCategory.GIFT_PER_VISITOR:
        return guests
    return 1


@deconstructible
class ReceiptStorage(FileSystemStorage):
    """Receipts live outside MEDIA_ROOT and are never served as static files: the only
    way to one is the permission-checked download view. The folder is read from
    settings on each use (tests point it at a temporary folder)."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(settings.SPEND_RECEIPT_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Receipts have no public address; use the download view.")


@deconstructible
class ReceiptName:
    """A server-chosen name: the uploader's file name is kept only as a label."""

    def __call__(self, instance: Any, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()[:8]
        return f"{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class ActualSpend(BaseModel):
    """What was actually paid for a planned line, with its invoice or receipt."""

    line = models.ForeignKey(
        SpendLine, verbose_name=_("planned line"), on_delete=models.PROTECT, related_name="actuals"
    )
    amount = models.DecimalField(_("amount paid"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default=CNY)
    exchange_rate = models.DecimalField(
        _("rate to CNY"), max_digits=12, decimal_places=6, null=True, blank=True
    )
    amount_cny = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_on = models.DateField(_("paid on"))
    deviation_note = models.CharField(_("deviation from plan"), max_length=500, blank=True)
    receipt = models.FileField(
        _("invoice or receipt"),
        storage=ReceiptStorage(),
        upload_to=ReceiptName(),
        max_length=200,
        blank=True,
    )
    receipt_name = models.CharField(_("receipt file name"), max_length=200, blank=True)
    receipt_content_type = models.CharField(_("receipt type"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    confirmed_at = models.DateTimeField(_("confirmed for reimbursement"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("actual spend")
        verbose_name_plural = _("actual spend")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) & models.Q(amount_cny__gte=0),
                name="actual_spend_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(currency="CNY") | models.Q(exchange_rate__gt=0),
                name="actual_spend_foreign_has_rate",
            ),
            models.CheckConstraint(
                condition=models.Q(voided_at__isnull=True) | ~models.Q(void_reason=""),
                name="actual_spend_void_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(voided_at__isnull=True) | models.Q(confirmed_at__isnull=True),
                name="actual_spend_void_or_confirmed",
            ),
        ]
        indexes = [
            models.Index(fields=["line", "paid_on"], name="actual_spend_line_idx"),
            models.Index(fields=["confirmed_at", "voided_at"], name="actual_spend_confirm_idx"),
            models.Index(fields=["paid_on"], name="actual_spend_paid_idx"),
        ]

    def __str__(self) -> str:
        return f"¥{self.amount_cny} {self.paid_on}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None
