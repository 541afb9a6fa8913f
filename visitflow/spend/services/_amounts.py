"""Amounts as exact decimals in CNY, and a required reason."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from visitflow.core.exceptions import ApplicationError
from visitflow.spend.models import (
    CENT,
)

# --- Amounts ---------------------------------------------------------------------------


def clean_amount(value: Any, *, field: str, allow_zero: bool = True) -> Decimal:
    """An exact amount in CNY: a Decimal with at most two places, not negative, not absurd.
    Floats are refused: 0.1 + 0.2 is not 0.3 in binary."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if not amount.is_finite():
        msg = _("Enter an amount such as 1280.00.")
        raise ApplicationError(msg, field_errors={field: [msg]})
    if amount < 0 or (amount == 0 and not allow_zero):
        msg = (
            _("The amount must be more than zero.")
            if not allow_zero
            else _("The amount may not be negative.")
        )
        raise ApplicationError(msg, field_errors={field: [msg]})
    if amount != amount.quantize(CENT):
        msg = _("Amounts are kept to the fen: at most two decimal places.")
        raise ApplicationError(msg, field_errors={field: [msg]})
    limit = Decimal(settings.SPEND_MAX_LINE_CNY)
    if amount > limit:
        msg = _("%(amount)s is more than the %(limit)s one line may hold; check the amount.") % {
            "amount": f"{amount:,.2f}",
            "limit": f"{limit:,.0f}",
        }
        raise ApplicationError(msg, field_errors={field: [msg]})
    return amount.quantize(CENT)


def required_text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, field_errors={field: [message]})
    return value
