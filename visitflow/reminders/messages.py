"""What a reminder says, read from its source when it is sent (so it is never stale), as
lazy strings that notify() renders in the recipient's language. None: nothing to tell
any more (the step was done, the pickup cancelled, the day is empty)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from visitflow.logistics.models import LeaderMeeting, MeetingState, Transfer
from visitflow.logistics.services.transfers import leg_time
from visitflow.notifications.models import NotificationKind
from visitflow.reminders.models import Reminder
from visitflow.reminders.planning import CLOSED_VISIT, NOT_LEFT, UNDER_WAY
from visitflow.spend.models import LineStatus, SpendLine
from visitflow.tradeshows.models import (
    BoothVisit,
    BoothVisitState,
    Invitation,
    InvitationStatus,
    Lead,
    LeadStatus,
)
from visitflow.visits.models import (
    OPEN_REQUEST_STATES,
    FollowUp,
    FollowUpState,
    StepState,
    Visit,
    VisitRequest,
    VisitStep,
)


@dataclass(frozen=True)
class Message:
    title: str | Promise
    body: str | Promise
    link: str


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def _customer(visit: Visit) -> str:
    return str(visit.customer.short_name or visit.customer.name)


def _step_rows() -> QuerySet[VisitStep]:
    return (
        VisitStep.objects.filter(state=StepState.PENDING)
        .exclude(visit__status__in=CLOSED_VISIT)
        .select_related("visit__customer", "visit__host", "playbook_step")
    )


def _step(reminder: Reminder, step: VisitStep, now: datetime) -> Message | None:
    if step.due_at is None:
        return None
    visit = step.visit
    # The step's name in the recipient's language, decided when notify() renders it.
    name = lazy(lambda: step.playbook_step.localized_name, str)()
    values = {"step": name, "customer": _customer(visit), "due": _when(step.due_at)}
    link = visit.get_absolute_url()
    if reminder.kind == NotificationKind.STEP_ESCALATED:
        return Message(
            format_lazy(_("Overdue: {step} for {customer}"), **values),
            format_lazy(
                _("{host} has not done “{step}” for {customer}, due {due}. Please follow up."),
                host=str(visit.host),
                **values,
            ),
            link,
        )
    if reminder.kind == NotificationKind.STEP_OVERDUE:
        if step.due_at > now + timedelta(minutes=1):
            return None  # moved later meanwhile; the new due time has its own reminder
        return Message(
            format_lazy(_("Overdue: {step} for {customer}"), **values),
            format_lazy(_("“{step}” for {customer} was due {due}."), **values),
            link,
        )
    if reminder.kind == NotificationKind.RETURN_CALL_DUE:
        return Message(
            format_lazy(_("Return call due: {customer}"), **values),
            format_lazy(
                _(
                    "The visitors of {customer} should be home by now: call them, thank them "
                    "and ask for their feedback (due {due})."
                ),
                **values,
            ),
            link,
        )
    return Message(
        format_lazy(_("Due {due}: {step}"), **values),
        format_lazy(_("“{step}” for {customer} is due {due}."), **values),
        link,
    )


def _transfer_rows() -> QuerySet[Transfer]:
    return Transfer.objects.filter(state__in=UNDER_WAY).select_related(
        "visit__customer", "leg", "station", "vehicle", "escort"
    )


def _transfer(reminder: Reminder, transfer: Transfer, now: datetime) -> Message | None:
    leg = transfer.leg
    values = {
        "customer": _customer(transfer.visit),
        "number": leg.number,
        "station": str(transfer.station or ""),
        "at": _when(leg_time(leg, transfer.kind)),
        "leaves": _when(transfer.leaves_at),
        "plate": transfer.vehicle.plate if transfer.vehicle else "",
        "escort": str(transfer.escort),
        "phone": transfer.escort.mobile_display or transfer.escort.mobile,
    }
    link = reverse("logistics:transfer_escort", args=[transfer.pk])
    if reminder.kind == NotificationKind.ESCORT_PHONE:
        return Message(
            format_lazy(_("Phone {escort} about the pickup of {customer}"), **values),
            format_lazy(
                _(
                    "{number} is due at {station} at {at}. Call {escort} ({phone}) to check "
                    "that the visitors of {customer} were met."
                ),
                **values,
            ),
            link,
        )
    if transfer.state not in NOT_LEFT:
        return None
    body = (
        _("{number} of {customer} arrives at {station} at {at}. Leave at {leaves}; car {plate}.")
        if transfer.vehicle
        else _("{number} of {customer} arrives at {station} at {at}. Leave at {leaves}.")
    )
    return Message(
        format_lazy(_("Leave at {leaves} for {station}"), **values),
        format_lazy(body, **values),
        link,
    )


def _meeting_rows() -> QuerySet[LeaderMeeting]:
    return LeaderMeeting.objects.filter(state=MeetingState.ACCEPTED).select_related(
        "visit__customer", "leader", "room"
    )


def _meeting(reminder: Reminder, meeting: LeaderMeeting, now: datetime) -> Message | None:
    values = {
        "customer": _customer(meeting.visit),
        "leader": str(meeting.leader),
        "at": _when(meeting.starts_at),
        "room": str(meeting.room or ""),
    }
    return Message(
        format_lazy(_("Leader meeting at {at}: {customer}"), **values),
        format_lazy(_("{leader} meets {customer} at {at} {room}."), **values),
        reverse("logistics:meeting_detail", args=[meeting.pk]),
    )


def _follow_up_rows() -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(state=FollowUpState.OPEN).select_related("customer")


def _follow_up(reminder: Reminder, follow_up: FollowUp, now: datetime) -> Message | None:
    customer = str(follow_up.customer.short_name or follow_up.customer.name)
    return Message(
        format_lazy(_("Follow up with {customer} today"), customer=customer),
        format_lazy(
            _("The next follow-up of {customer} is due {day}."),
            customer=customer,
            day=follow_up.due_date.isoformat(),
        ),
        reverse("visits:follow_ups"),
    )


def _request_rows() -> QuerySet[VisitRequest]:
    return VisitRequest.objects.filter(state__in=OPEN_REQUEST_STATES).select_related("customer")


def _request(reminder: Reminder, request: VisitRequest, now: datetime) -> Message | None:
    customer = str(request.customer.short_name or request.customer.name)
    return Message(
        format_lazy(_("Request due today: {title}"), title=request.title),
        format_lazy(
            _("{customer} asked: “{title}”, due {day}."),
            customer=customer,
            title=request.title,
            day=request.due_date.isoformat(),
        ),
        reverse("visits:requests"),
    )


def _invitation_call_rows() -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(call_due_at__isnull=False)
        .exclude(status=InvitationStatus.CAME)
        .select_related("show", "contact", "customer")
    )


def _invitation_call(reminder: Reminder, invitation: Invitation, now: datetime) -> Message | None:
    values = {
        "contact": invitation.contact.name,
        "customer": str(invitation.customer.short_name or invitation.customer.name),
        "show": invitation.show.name,
        "phone": invitation.contact.mobile,
    }
    return Message(
        format_lazy(_("Call {contact} about {show}"), **values),
        format_lazy(
            _(
                "Call {contact} of {customer} ({phone}): did the invitation to {show} arrive? "
                "Remind them of the date and the booth."
            ),
            **values,
        ),
        reverse("tradeshows:invitation_detail", args=[invitation.pk]),
    )


def _lead_call_rows() -> QuerySet[Lead]:
    return Lead.objects.filter(
        call_due_at__isnull=False, status__in=(LeadStatus.NEW, LeadStatus.ASSIGNED)
    ).select_related("show")


def _lead_call(reminder: Reminder, lead: Lead, now: datetime) -> Message | None:
    values = {"lead": str(lead), "show": lead.show.name, "phone": lead.mobile or lead.phone}
    return Message(
        format_lazy(_("Call {lead} (met at {show})"), **values),
        format_lazy(
            _("Call {lead} ({phone}), met at {show}: ask what they need (SOP 5.3.5)."), **values
        ),
        reverse("tradeshows:lead_detail", args=[lead.pk]),
    )


def _booth_waiting_rows() -> QuerySet[BoothVisit]:
    return BoothVisit.objects.filter(state=BoothVisitState.WAITING).select_related("show")


def _booth_waiting(reminder: Reminder, visit: BoothVisit, now: datetime) -> Message | None:
    minutes = int((now - visit.arrived_at).total_seconds() // 60)
    return Message(
        format_lazy(_("{name} is waiting unattended"), name=visit.visitor_name),
        format_lazy(
            _("{name} has waited {minutes} minutes at the booth: please go."),
            name=visit.visitor_name,
            minutes=minutes,
        ),
        reverse("tradeshows:board", args=[visit.show_id]),
    )


def _spend_approval_rows() -> QuerySet[SpendLine]:
    return SpendLine.objects.filter(status=LineStatus.PENDING).select_related("visit__customer")


def _spend_approval(reminder: Reminder, line: SpendLine, now: datetime) -> Message | None:
    customer = str(line.visit.customer.short_name or line.visit.customer.name)
    return Message(
        format_lazy(_("Spend over the standard waits for you: {customer}"), customer=customer),
        format_lazy(
            _("{category} on {day}: planned ¥{planned}, standard ¥{standard}. Reason: {reason}"),
            category=line.get_category_display(),
            day=line.date.isoformat(),
            planned=f"{line.planned_amount:,.2f}",
            standard=f"{line.standard_amount:,.2f}" if line.standard_amount is not None else "—",
            reason=line.over_reason,
        ),
        reverse("spend:approvals"),
    )


def _digest(reminder: Reminder, now: datetime) -> Message | None:
    from visitflow.reminders.digest import digest_for

    return digest_for(reminder.recipient, timezone.localtime(reminder.send_at).date(), now=now)


# Each source: the rows it may still speak of (a row that has left this set, done or
# cancelled meanwhile, gives no message), and what to say about one of them.
Source = tuple[Callable[[], QuerySet[Any]], Callable[[Reminder, Any, datetime], Message | None]]
SOURCES: dict[str, Source] = {
    "step": (_step_rows, _step),
    "transfer": (_transfer_rows, _transfer),
    "meeting": (_meeting_rows, _meeting),
    "follow_up": (_follow_up_rows, _follow_up),
    "request": (_request_rows, _request),
    "invitation_call": (_invitation_call_rows, _invitation_call),
    "lead_call": (_lead_call_rows, _lead_call),
    "booth_waiting": (_booth_waiting_rows, _booth_waiting),
    "spend_approval": (_spend_approval_rows, _spend_approval),
}


def _source_of(reminder: Reminder) -> tuple[str, int | None]:
    prefix, _sep, ident = reminder.source.partition(":")
    return prefix, int(ident) if ident.isdigit() else None


def render(reminder: Reminder, *, now: datetime | None = None) -> Message | None:
    return render_many([reminder], now=now)[reminder.pk]


def render_many(
    reminders: Sequence[Reminder], *, now: datetime | None = None
) -> dict[int, Message | None]:
    """What each reminder says, by reminder id: one query per kind of source, not one
    per reminder (a worker renders its reminders in groups)."""
    now = now or timezone.now()
    wanted: dict[str, set[int]] = {}
    for reminder in reminders:
        prefix, ident = _source_of(reminder)
        if prefix in SOURCES and ident is not None:
            wanted.setdefault(prefix, set()).add(ident)
    rows: dict[str, dict[int, Any]] = {}
    for prefix, idents in wanted.items():
        queryset = SOURCES[prefix][0]()
        rows[prefix] = {row.pk: row for row in queryset.filter(pk__in=sorted(idents))}
    out: dict[int, Message | None] = {}
    for reminder in reminders:
        prefix, ident = _source_of(reminder)
        if prefix == "digest":
            out[reminder.pk] = _digest(reminder, now)
            continue
        row = rows.get(prefix, {}).get(ident) if ident is not None else None
        out[reminder.pk] = None if row is None else SOURCES[prefix][1](reminder, row, now)
    return out
