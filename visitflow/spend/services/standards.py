"""Standards of the hospitality-spend instruction: dated versions, never edited."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.customers.models import CustomerLevel
from visitflow.spend.models import (
    CENT,
    RoomType,
    SpendCategory,
    SpendStandard,
)
from visitflow.spend.services._amounts import clean_amount

# --- Standards -------------------------------------------------------------------------


def standard_in_force(
    *, level: CustomerLevel | int, category: str, on: date, room_type: str = ""
) -> SpendStandard | None:
    """The newest version applying on `on`. A hotel standard for the room type wins over
    the level's general hotel standard (room type left empty)."""
    level_id = level if isinstance(level, int) else level.pk
    qs = SpendStandard.objects.filter(level_id=level_id, category=category, valid_from__lte=on)
    if category == SpendCategory.HOTEL_NIGHT and room_type:
        specific = qs.filter(room_type=room_type).order_by("-valid_from").first()
        if specific is not None:
            return specific
    return qs.filter(room_type="").order_by("-valid_from").first()


def _clean_percent(value: Any) -> Decimal:
    try:
        percent = Decimal(str(value))
    except (InvalidOperation, ValueError):
        percent = Decimal("NaN")
    if not percent.is_finite() or percent < 0 or percent > 1000:
        msg = _("Enter a percentage between 0 and 1000.")
        raise ApplicationError(msg, field_errors={"manager_max_over_percent": [msg]})
    return percent.quantize(CENT)


_STANDARD_FIELDS = ["amount", "valid_from", "manager_max_over_percent", "room_type", "note"]


@transaction.atomic
def standard_create(
    *,
    actor: User,
    level: CustomerLevel,
    category: str,
    amount: Any,
    valid_from: date,
    room_type: str = "",
    manager_max_over_percent: Any = Decimal("20"),
    note: str = "",
    previous: SpendStandard | None = None,
) -> SpendStandard:
    if category not in SpendCategory.values:
        msg = _("Choose a category.")
        raise ApplicationError(msg, field_errors={"category": [msg]})
    if room_type not in RoomType.values:
        msg = _("Choose a room type.")
        raise ApplicationError(msg, field_errors={"room_type": [msg]})
    if room_type and category != SpendCategory.HOTEL_NIGHT:
        msg = _("A room type belongs only to a hotel standard.")
        raise ApplicationError(msg, field_errors={"room_type": [msg]})
    standard = SpendStandard(
        level=level,
        category=category,
        room_type=room_type,
        amount=clean_amount(amount, field="amount"),
        valid_from=valid_from,
        manager_max_over_percent=_clean_percent(manager_max_over_percent),
        note=(note or "").strip()[:300],
        created_by=actor,
    )
    if SpendStandard.objects.filter(
        level=level, category=category, room_type=room_type, valid_from=valid_from
    ).exists():
        msg = _("A standard for this level and category already applies from %(day)s.") % {
            "day": valid_from.isoformat()
        }
        raise ApplicationError(msg, field_errors={"valid_from": [msg]})
    previous = previous or standard_in_force(
        level=level, category=category, on=valid_from, room_type=room_type
    )
    if previous is not None and previous.room_type != room_type:
        previous = None  # the general hotel standard is not what this one changes
    try:
        with transaction.atomic():
            standard.save()
    except IntegrityError as exc:
        msg = _("A standard for this level and category already applies from that date.")
        raise ApplicationError(msg, field_errors={"valid_from": [msg]}) from exc
    before = dict.fromkeys(_STANDARD_FIELDS, "")
    if previous is not None:
        before = {name: str(getattr(previous, name)) for name in _STANDARD_FIELDS}
    after = {name: str(getattr(standard, name)) for name in _STANDARD_FIELDS}
    log_activity(
        actor=actor,
        action="spend.standard_changed" if previous else "spend.standard_created",
        obj=standard,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )
    return standard


def standard_update(
    *,
    actor: User,
    standard: SpendStandard,
    amount: Any,
    valid_from: date,
    manager_max_over_percent: Any,
    note: str = "",
) -> SpendStandard:
    """A change is a new version from `valid_from`: lines already planned keep the
    standard they were planned against, and days before `valid_from` keep the old one."""
    if valid_from <= standard.valid_from:
        msg = _("A changed standard applies from a day after %(day)s.") % {
            "day": standard.valid_from.isoformat()
        }
        raise ApplicationError(msg, field_errors={"valid_from": [msg]})
    return standard_create(
        actor=actor,
        level=standard.level,
        category=standard.category,
        room_type=standard.room_type,
        amount=amount,
        valid_from=valid_from,
        manager_max_over_percent=manager_max_over_percent,
        note=note,
        previous=standard,
    )
