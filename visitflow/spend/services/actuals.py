"""What was actually paid, with its receipt; finance confirms it for reimbursement."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.spend import permissions
from visitflow.spend.models import (
    CENT,
    CNY,
    ActualSpend,
    LineStatus,
    SpendLine,
)
from visitflow.spend.services._amounts import clean_amount, required_text
from visitflow.spend.validators import validate_receipt

# --- Actual spend ----------------------------------------------------------------------


def _clean_currency(currency: str, rate: Any) -> tuple[str, Decimal | None]:
    currency = (currency or CNY).strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        msg = _("Enter a three-letter currency code such as CNY or USD.")
        raise ApplicationError(msg, field_errors={"currency": [msg]})
    if currency == CNY:
        return currency, None
    if rate in (None, ""):
        msg = _("Spend in %(currency)s needs its rate to CNY.") % {"currency": currency}
        raise ApplicationError(msg, field_errors={"exchange_rate": [msg]})
    try:
        value = Decimal(str(rate))
    except (InvalidOperation, ValueError):
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0 or value > 10000:
        msg = _("Enter a rate to CNY above 0, such as 7.1234.")
        raise ApplicationError(msg, field_errors={"exchange_rate": [msg]})
    return currency, value.quantize(Decimal("0.000001"))


@transaction.atomic
def actual_record(
    *,
    actor: User,
    line: SpendLine,
    amount: Any,
    payer: User,
    paid_on: date,
    currency: str = CNY,
    exchange_rate: Any = None,
    deviation_note: str = "",
    receipt: UploadedFile | None = None,
) -> ActualSpend:
    line = (
        SpendLine.objects.select_for_update(of=("self",))
        .select_related("visit__customer")
        .get(pk=line.pk)
    )
    if line.status == LineStatus.VOID:
        raise ApplicationError(_("This line is voided; spend is not recorded on it."))
    if line.status == LineStatus.REFUSED:
        raise ApplicationError(
            _("This line was refused; ask again with a reason or plan within the standard.")
        )
    value = clean_amount(amount, field="amount", allow_zero=False)
    currency, rate = _clean_currency(currency, exchange_rate)
    amount_cny = (value * rate).quantize(CENT) if rate is not None else value
    clean_amount(amount_cny, field="amount")
    actual = ActualSpend(
        line=line,
        amount=value,
        currency=currency,
        exchange_rate=rate,
        amount_cny=amount_cny,
        payer=payer,
        paid_on=paid_on,
        deviation_note=(deviation_note or "").strip()[:500],
        recorded_by=actor,
    )
    if receipt is not None:
        _store_receipt(actual, receipt)
    try:
        actual.save()
    except Exception:
        # No row, no file: a receipt nobody can reach would only take space.
        if actual.receipt:
            actual.receipt.storage.delete(actual.receipt.name or "")
        raise
    log_activity(
        actor=actor,
        action="spend.actual_recorded",
        obj=actual,
        customer=line.visit.customer,
        changes={
            "amount_cny": ["", str(amount_cny)],
            "planned_amount": [str(line.planned_amount), str(line.planned_amount)],
            **({"currency": ["", currency]} if currency != CNY else {}),
        },
    )
    return actual


def _store_receipt(actual: ActualSpend, receipt: UploadedFile) -> None:
    content_type, suffix = validate_receipt(receipt)
    actual.receipt_name = (receipt.name or "")[-200:]
    actual.receipt_content_type = content_type
    # The stored name is the server's (ReceiptName); only the suffix follows the content.
    actual.receipt.save(f"receipt{suffix}", receipt, save=False)


@transaction.atomic
def actual_attach_receipt(
    *, actor: User, actual: ActualSpend, receipt: UploadedFile
) -> ActualSpend:
    """The invoice for spend recorded without one. A receipt once attached stays: a wrong
    one is corrected by voiding the spend and recording it again."""
    actual = (
        ActualSpend.objects.select_for_update(of=("self",))
        .select_related("line__visit__customer")
        .get(pk=actual.pk)
    )
    if actual.voided_at is not None or actual.confirmed_at is not None:
        raise ApplicationError(_("This spend is voided or confirmed; its receipt stays as it is."))
    if actual.receipt:
        msg = _("This spend already has a receipt; void it and record it again to change it.")
        raise ApplicationError(msg, field_errors={"receipt": [msg]})
    _store_receipt(actual, receipt)
    try:
        actual.save()
    except Exception:
        actual.receipt.storage.delete(actual.receipt.name or "")
        raise
    log_activity(
        actor=actor,
        action="spend.receipt_attached",
        obj=actual,
        customer=actual.line.visit.customer,
        changes={"receipt": ["", actual.receipt_content_type]},
    )
    return actual


@transaction.atomic
def actual_void(*, actor: User, actual: ActualSpend, reason: str) -> ActualSpend:
    reason = required_text(reason, field="reason", message=_("Say why this spend is voided."))
    actual = (
        ActualSpend.objects.select_for_update(of=("self",))
        .select_related("line__visit__customer")
        .get(pk=actual.pk)
    )
    if actual.voided_at is not None:
        raise ApplicationError(_("This spend is already voided."))
    if actual.confirmed_at is not None:
        raise ApplicationError(
            _("Finance has confirmed this spend for reimbursement; ask finance to reverse it.")
        )
    actual.voided_at = timezone.now()
    actual.voided_by = actor
    actual.void_reason = reason[:300]
    actual.save()
    log_activity(
        actor=actor,
        action="spend.actual_voided",
        obj=actual,
        customer=actual.line.visit.customer,
        changes={"amount_cny": [str(actual.amount_cny), "0.00"], "void_reason": ["", reason]},
    )
    return actual


@transaction.atomic
def actual_confirm(*, actor: User, actual: ActualSpend) -> ActualSpend:
    """Finance confirms a paid line for reimbursement."""
    if not permissions.can_confirm_actuals(actor):
        raise ApplicationError(_("Only finance confirms spend for reimbursement."))
    done = ActualSpend.objects.filter(
        pk=actual.pk, voided_at__isnull=True, confirmed_at__isnull=True
    ).update(confirmed_at=timezone.now(), confirmed_by=actor)
    if done != 1:
        raise ApplicationError(_("This spend is already confirmed or voided."))
    actual.refresh_from_db()
    log_activity(
        actor=actor,
        action="spend.actual_confirmed",
        obj=actual,
        customer=actual.line.visit.customer,
        changes={"confirmed": ["", "1"]},
    )
    return actual
