"""Every write to hospitality spend: standards, planned lines, approvals, actual spend.

Each service runs in one transaction and writes its ActivityLog row there (old → new
amounts in `changes`); nothing about money is deleted, only voided with a reason."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visitflow.accounts.models import Role, User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.customers.models import CustomerLevel
from visitflow.notifications.models import NotificationKind
from visitflow.notifications.services import notify
from visitflow.spend import permissions
from visitflow.spend.models import (
    CENT,
    CNY,
    MEAL_CATEGORIES,
    ActualSpend,
    ApproverLevel,
    LineStatus,
    RoomType,
    SpendCategory,
    SpendLine,
    SpendStandard,
    line_units,
)
from visitflow.spend.validators import validate_receipt
from visitflow.visits.models import Visit, VisitStatus

HUNDRED = Decimal(100)


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


def _required(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, field_errors={field: [message]})
    return value


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


# --- Planning against the standard -----------------------------------------------------


@dataclass(frozen=True)
class Judgement:
    """A planned amount held against the standard in force."""

    standard: SpendStandard | None
    units: int
    standard_amount: Decimal | None
    is_over: bool
    approver: str  # ApproverLevel

    @property
    def unit_amount(self) -> Decimal | None:
        return self.standard.amount if self.standard else None


def required_approver(
    *, planned: Decimal, standard_amount: Decimal | None, max_over_percent: Decimal
) -> str:
    """Manager up to the standard's percentage over, director beyond; a line with no
    standard at all (or a standard of nothing) is a director's decision."""
    if standard_amount is None or standard_amount == 0:
        return ApproverLevel.DIRECTOR if planned > 0 or standard_amount is None else ""
    if planned <= standard_amount:
        return ApproverLevel.NONE
    # planned / standard <= 1 + pct/100, kept in integers of fen (no division, no drift).
    if planned * HUNDRED <= standard_amount * (HUNDRED + max_over_percent):
        return ApproverLevel.MANAGER
    return ApproverLevel.DIRECTOR


def judge(
    *,
    visit: Visit,
    category: str,
    on: date,
    planned: Decimal,
    room_type: str = "",
    guests: int = 0,
    hosts: int = 0,
    nights: int = 0,
    rooms: int = 0,
) -> Judgement:
    standard = standard_in_force(
        level=visit.customer.level_id, category=category, on=on, room_type=room_type
    )
    units = line_units(category, guests=guests, hosts=hosts, nights=nights, rooms=rooms)
    total = (standard.amount * units).quantize(CENT) if standard else None
    approver = required_approver(
        planned=planned,
        standard_amount=total,
        max_over_percent=standard.manager_max_over_percent if standard else Decimal(0),
    )
    return Judgement(
        standard=standard,
        units=units,
        standard_amount=total,
        is_over=bool(approver),
        approver=approver,
    )


def _check_counts(category: str, *, guests: int, hosts: int, nights: int, rooms: int) -> None:
    for field, value in (
        ("guests", guests),
        ("hosts", hosts),
        ("nights", nights),
        ("rooms", rooms),
    ):
        if value < 0 or value > 500:
            msg = _("Enter a number between 0 and 500.")
            raise ApplicationError(msg, field_errors={field: [msg]})
    if category in MEAL_CATEGORIES and guests + hosts < 1:
        msg = _("A meal needs at least one guest or host.")
        raise ApplicationError(msg, field_errors={"guests": [msg]})
    if category == SpendCategory.HOTEL_NIGHT:
        if nights < 1:
            msg = _("Lodging needs at least one night.")
            raise ApplicationError(msg, field_errors={"nights": [msg]})
        if rooms < 1:
            msg = _("Lodging needs at least one room.")
            raise ApplicationError(msg, field_errors={"rooms": [msg]})
    if category == SpendCategory.GIFT_PER_VISITOR and guests < 1:
        msg = _("Gifts need at least one visitor.")
        raise ApplicationError(msg, field_errors={"guests": [msg]})


def _ensure_visit_plannable(visit: Visit) -> None:
    if visit.status == VisitStatus.CANCELLED:
        raise ApplicationError(_("This visit is cancelled; nothing more is planned for it."))


def _line_link(line: SpendLine) -> str:
    return reverse("spend:visit", args=[line.visit_id]) + f"#line-{line.pk}"


def approvers_for(line: SpendLine) -> list[User]:
    """Who is told that the line waits for them (never the person who planned it)."""
    people: list[User] = []
    if line.required_approver == ApproverLevel.MANAGER:
        team = line.visit.host.team
        if team and team.manager and team.manager.is_active:
            people = [team.manager]
    else:
        people = list(
            User.objects.filter(
                role__in=[Role.DIRECTOR, Role.GENERAL_MANAGER], is_active=True
            ).order_by("pk")
        )
    return [p for p in people if p.pk != line.planned_by_id]


def _route(line: SpendLine) -> None:
    """A manager cannot approve their own line, and a host without a manager has none to
    ask: both go to a director."""
    if line.required_approver != ApproverLevel.MANAGER:
        return
    team = line.visit.host.team
    manager = team.manager if team else None
    if manager is None or not manager.is_active or manager.pk == line.planned_by_id:
        line.required_approver = ApproverLevel.DIRECTOR


def _ask_approval(line: SpendLine, actor: User) -> None:
    customer = line.visit.customer
    for person in approvers_for(line):
        notify(
            recipient=person,
            kind=NotificationKind.SPEND_APPROVAL,
            title=format_lazy(
                gettext_lazy("Over the standard: {category} for {customer}"),
                category=line.get_category_display(),
                customer=customer.name,
            ),
            body=format_lazy(
                gettext_lazy("Planned ¥{planned}, standard ¥{standard}. Reason: {reason}"),
                planned=f"{line.planned_amount:,.2f}",
                standard=f"{line.standard_amount:,.2f}"
                if line.standard_amount is not None
                else "—",
                reason=line.over_reason,
            ),
            link=reverse("spend:approvals"),
            key=f"spend-approval:{line.pk}:{person.pk}:{line.updated.timestamp():.3f}",
            actor=actor,
        )


_LINE_FIELDS = [
    "category",
    "date",
    "venue",
    "room_type",
    "guests",
    "hosts",
    "nights",
    "rooms",
    "description",
    "planned_amount",
    "standard_amount",
    "status",
    "required_approver",
    "over_reason",
]


def _line_snapshot(line: SpendLine) -> dict[str, str]:
    return {
        name: "" if getattr(line, name) is None else str(getattr(line, name))
        for name in _LINE_FIELDS
    }


def _apply_plan(line: SpendLine, *, over_reason: str) -> None:
    """Hold the line against the standard in force on its date and set its status."""
    verdict = judge(
        visit=line.visit,
        category=line.category,
        on=line.date,
        planned=line.planned_amount,
        room_type=line.room_type,
        guests=line.guests,
        hosts=line.hosts,
        nights=line.nights,
        rooms=line.rooms,
    )
    line.standard = verdict.standard
    line.standard_unit_amount = verdict.unit_amount
    line.standard_amount = verdict.standard_amount
    line.decided_by = None
    line.decided_at = None
    line.decision_note = ""
    if not verdict.is_over:
        line.status = LineStatus.WITHIN
        line.required_approver = ApproverLevel.NONE
        line.over_reason = ""
        return
    # Issue 8: going over is a deliberate decision, so it says why.
    line.over_reason = _required(
        over_reason,
        field="over_reason",
        message=_("This is over the standard: give a reason for the approver."),
    )[:500]
    line.status = LineStatus.PENDING
    line.required_approver = verdict.approver
    _route(line)


@transaction.atomic
def line_plan(
    *,
    actor: User,
    visit: Visit,
    category: str,
    date: date,
    planned_amount: Any,
    venue: str = "",
    room_type: str = "",
    guests: int = 0,
    hosts: int = 0,
    nights: int = 0,
    rooms: int = 0,
    description: str = "",
    over_reason: str = "",
) -> SpendLine:
    _ensure_visit_plannable(visit)
    if category not in SpendCategory.values:
        msg = _("Choose a category.")
        raise ApplicationError(msg, field_errors={"category": [msg]})
    if room_type not in RoomType.values or (room_type and category != SpendCategory.HOTEL_NIGHT):
        msg = _("A room type belongs only to lodging.")
        raise ApplicationError(msg, field_errors={"room_type": [msg]})
    _check_counts(category, guests=guests, hosts=hosts, nights=nights, rooms=rooms)
    line = SpendLine(
        visit=visit,
        category=category,
        date=date,
        venue=(venue or "").strip()[:200],
        room_type=room_type,
        guests=guests,
        hosts=hosts,
        nights=nights,
        rooms=rooms,
        description=(description or "").strip()[:300],
        planned_amount=clean_amount(planned_amount, field="planned_amount"),
        planned_by=actor,
    )
    _apply_plan(line, over_reason=over_reason)
    line.save()
    log_activity(
        actor=actor,
        action="spend.line_planned",
        obj=line,
        customer=visit.customer,
        changes={k: ["", v] for k, v in _line_snapshot(line).items() if v},
    )
    if line.status == LineStatus.PENDING:
        _ask_approval(line, actor)
    return line


def _ensure_changeable(line: SpendLine) -> None:
    if line.status == LineStatus.VOID:
        raise ApplicationError(_("This line is voided; plan a new one instead."))
    if line.actuals.filter(confirmed_at__isnull=False).exists():
        raise ApplicationError(
            _("Finance has confirmed spend on this line; it can no longer be changed.")
        )


@transaction.atomic
def line_update(*, actor: User, line: SpendLine, data: dict[str, Any]) -> SpendLine:
    """Change the plan. The line is judged again against the standard in force on its
    date today: a change re-opens the approval when it is over the standard."""
    line = SpendLine.objects.select_for_update().select_related("visit__customer").get(pk=line.pk)
    _ensure_changeable(line)
    _ensure_visit_plannable(line.visit)
    before = _line_snapshot(line)
    editable = {"date", "venue", "room_type", "guests", "hosts", "nights", "rooms", "description"}
    for name, value in data.items():
        if name in editable:
            setattr(line, name, value.strip() if isinstance(value, str) else value)
    if "planned_amount" in data:
        line.planned_amount = clean_amount(data["planned_amount"], field="planned_amount")
    if line.room_type not in RoomType.values or (
        line.room_type and line.category != SpendCategory.HOTEL_NIGHT
    ):
        msg = _("A room type belongs only to lodging.")
        raise ApplicationError(msg, field_errors={"room_type": [msg]})
    _check_counts(
        line.category, guests=line.guests, hosts=line.hosts, nights=line.nights, rooms=line.rooms
    )
    was_approved = line.status == LineStatus.APPROVED
    unchanged_money = all(
        before[k] == _line_snapshot(line)[k]
        for k in ("date", "room_type", "guests", "hosts", "nights", "rooms", "planned_amount")
    )
    if was_approved and unchanged_money:
        line.save()  # venue or description only: the decision stands
    else:
        _apply_plan(line, over_reason=data.get("over_reason", line.over_reason))
        line.save()
    after = _line_snapshot(line)
    log_activity(
        actor=actor,
        action="spend.line_changed",
        obj=line,
        customer=line.visit.customer,
        changes={k: [before[k], v] for k, v in after.items() if before[k] != v},
    )
    if (line.status == LineStatus.PENDING and before["status"] != LineStatus.PENDING) or (
        line.status == LineStatus.PENDING and before["planned_amount"] != after["planned_amount"]
    ):
        _ask_approval(line, actor)
    return line


@transaction.atomic
def line_submit_over(*, actor: User, line: SpendLine, reason: str) -> SpendLine:
    """Ask again for a refused line, with a (new) reason; it waits for approval again."""
    line = SpendLine.objects.select_for_update().get(pk=line.pk)
    if line.status not in (LineStatus.REFUSED, LineStatus.PENDING):
        raise ApplicationError(_("Only a refused or waiting line is submitted for approval."))
    _ensure_visit_plannable(line.visit)
    before = _line_snapshot(line)
    _apply_plan(line, over_reason=reason)
    line.save()
    log_activity(
        actor=actor,
        action="spend.line_submitted",
        obj=line,
        customer=line.visit.customer,
        changes={k: [before[k], v] for k, v in _line_snapshot(line).items() if before[k] != v},
    )
    if line.status == LineStatus.PENDING:
        _ask_approval(line, actor)
    return line


def _decide(*, actor: User, line: SpendLine, status: str, note: str, action: str) -> SpendLine:
    line = (
        SpendLine.objects.select_for_update()
        .select_related("visit__customer", "visit__host__team")
        .get(pk=line.pk)
    )
    if line.status != LineStatus.PENDING:
        raise ApplicationError(_("This line is not waiting for approval."))
    if line.planned_by_id == actor.pk:
        raise ApplicationError(_("You planned this line; someone else approves it."))
    if not permissions.may_approve_level(actor, line):
        raise ApplicationError(
            _("This is %(level)s's decision: it is too far over the standard for you.")
            % {"level": line.get_required_approver_display()}
            if line.required_approver == ApproverLevel.DIRECTOR
            else _("Only the host's manager, a director or the general manager decides this.")
        )
    before = _line_snapshot(line)
    line.status = status
    line.decided_by = actor
    line.decided_at = timezone.now()
    line.decision_note = note[:500]
    line.save()
    log_activity(
        actor=actor,
        action=action,
        obj=line,
        customer=line.visit.customer,
        changes={"status": [before["status"], status], **({"note": ["", note]} if note else {})},
    )
    title = (
        gettext_lazy("Approved over the standard: {category} on {day}")
        if status == LineStatus.APPROVED
        else gettext_lazy("Refused over the standard: {category} on {day}")
    )
    notify(
        recipient=line.planned_by,
        kind=NotificationKind.SPEND_DECIDED,
        title=format_lazy(title, category=line.get_category_display(), day=line.date.isoformat()),
        body=format_lazy(
            gettext_lazy("{customer}: ¥{planned}. {note}"),
            customer=line.visit.customer.name,
            planned=f"{line.planned_amount:,.2f}",
            note=note,
        ),
        link=_line_link(line),
        actor=actor,
    )
    return line


@transaction.atomic
def line_approve(*, actor: User, line: SpendLine, note: str = "") -> SpendLine:
    return _decide(
        actor=actor,
        line=line,
        status=LineStatus.APPROVED,
        note=(note or "").strip(),
        action="spend.line_approved",
    )


@transaction.atomic
def line_refuse(*, actor: User, line: SpendLine, note: str) -> SpendLine:
    note = _required(note, field="note", message=_("Say why the spend is refused."))
    return _decide(
        actor=actor, line=line, status=LineStatus.REFUSED, note=note, action="spend.line_refused"
    )


@transaction.atomic
def line_void(*, actor: User, line: SpendLine, reason: str) -> SpendLine:
    reason = _required(reason, field="reason", message=_("Say why the line is voided."))
    line = SpendLine.objects.select_for_update().get(pk=line.pk)
    if line.status == LineStatus.VOID:
        raise ApplicationError(_("This line is already voided."))
    if line.actuals.filter(voided_at__isnull=True).exists():
        raise ApplicationError(_("Void the spend recorded on this line first."))
    before = line.status
    line.status = LineStatus.VOID
    line.void_reason = reason[:300]
    line.save()
    log_activity(
        actor=actor,
        action="spend.line_voided",
        obj=line,
        customer=line.visit.customer,
        changes={"status": [before, LineStatus.VOID], "void_reason": ["", line.void_reason]},
    )
    return line


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
    line = SpendLine.objects.select_for_update().select_related("visit__customer").get(pk=line.pk)
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
        ActualSpend.objects.select_for_update()
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
    reason = _required(reason, field="reason", message=_("Say why this spend is voided."))
    actual = (
        ActualSpend.objects.select_for_update()
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
