"""Meals, lodging and other spend planned against the standard, and the approval of
going over it (issue 8; SOP 5.1 step 4)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visitflow.accounts.models import Role, User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.notifications.models import NotificationKind
from visitflow.notifications.services import notify
from visitflow.spend import permissions
from visitflow.spend.models import (
    CENT,
    LINE_TRANSITIONS,
    MEAL_CATEGORIES,
    ApproverLevel,
    LineStatus,
    RoomType,
    SpendCategory,
    SpendLine,
    SpendStandard,
    line_units,
)
from visitflow.spend.services._amounts import clean_amount, required_text
from visitflow.spend.services.standards import standard_in_force
from visitflow.visits.models import Visit, VisitStatus

HUNDRED = Decimal(100)

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


def _move(line: SpendLine, status: str) -> None:
    """Set the status, refusing a move the table does not allow. A new line (no pk yet)
    starts where its plan puts it."""
    if not line._state.adding and status not in LINE_TRANSITIONS[line.status]:
        raise ApplicationError(
            _("A line that is %(now)s cannot become %(new)s.")
            % {"now": line.get_status_display(), "new": LineStatus(status).label}
        )
    line.status = status


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
        _move(line, LineStatus.WITHIN)
        line.required_approver = ApproverLevel.NONE
        line.over_reason = ""
        return
    # Issue 8: going over is a deliberate decision, so it says why.
    line.over_reason = required_text(
        over_reason,
        field="over_reason",
        message=_("This is over the standard: give a reason for the approver."),
    )[:500]
    _move(line, LineStatus.PENDING)
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


def _same_kind(old: str, new: str) -> bool:
    groups = [set(MEAL_CATEGORIES), {SpendCategory.HOTEL_NIGHT}]
    others = {SpendCategory.GIFT_PER_VISITOR, SpendCategory.LOCAL_TRANSPORT, SpendCategory.OTHER}
    return any(old in group and new in group for group in [*groups, others])


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
    line = (
        SpendLine.objects.select_for_update(of=("self",))
        .select_related("visit__customer")
        .get(pk=line.pk)
    )
    _ensure_changeable(line)
    _ensure_visit_plannable(line.visit)
    before = _line_snapshot(line)
    editable = {"date", "venue", "room_type", "guests", "hosts", "nights", "rooms", "description"}
    for name, value in data.items():
        if name in editable:
            setattr(line, name, value.strip() if isinstance(value, str) else value)
    if "planned_amount" in data:
        line.planned_amount = clean_amount(data["planned_amount"], field="planned_amount")
    if "category" in data and data["category"] != line.category:
        # Lunch may become a banquet; a meal does not become a hotel night.
        if not _same_kind(line.category, data["category"]):
            msg = _("Plan a new line for a different kind of spend.")
            raise ApplicationError(msg, field_errors={"category": [msg]})
        line.category = data["category"]
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
        for k in (
            "category",
            "date",
            "room_type",
            "guests",
            "hosts",
            "nights",
            "rooms",
            "planned_amount",
        )
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
    line = SpendLine.objects.select_for_update(of=("self",)).get(pk=line.pk)
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
        SpendLine.objects.select_for_update(of=("self",))
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
    _move(line, status)
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
    note = required_text(note, field="note", message=_("Say why the spend is refused."))
    return _decide(
        actor=actor, line=line, status=LineStatus.REFUSED, note=note, action="spend.line_refused"
    )


@transaction.atomic
def line_void(*, actor: User, line: SpendLine, reason: str) -> SpendLine:
    reason = required_text(reason, field="reason", message=_("Say why the line is voided."))
    line = SpendLine.objects.select_for_update(of=("self",)).get(pk=line.pk)
    if line.status == LineStatus.VOID:
        raise ApplicationError(_("This line is already voided."))
    if line.actuals.filter(voided_at__isnull=True).exists():
        raise ApplicationError(_("Void the spend recorded on this line first."))
    before = line.status
    _move(line, LineStatus.VOID)
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
