"""What should be reminded, to whom and when: derived from the things that are due.

Each source below reads one kind of due thing whose reminder falls in a window and
returns Planned rows; nothing here writes. The key of a row names the kind, the thing,
the person and the due time, so when the thing moves its old reminder is no longer
wanted (and is cancelled) and a new one is (and is created)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from visitflow.accounts.models import User
from visitflow.logistics.models import LeaderMeeting, MeetingState, Transfer, TransferKind
from visitflow.logistics.services.transfers import leg_time
from visitflow.notifications.models import NotificationKind
from visitflow.spend.models import LineStatus, SpendLine
from visitflow.spend.services import approvers_for
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
    VisitStatus,
    VisitStep,
)

CLOSED_VISIT = (VisitStatus.CLOSED, VisitStatus.CANCELLED)
# Transfers whose escort has not left yet; and those still under way (the phone call).
NOT_LEFT = ("planned", "customer_told")
UNDER_WAY = ("planned", "customer_told", "on_the_way")


@dataclass(frozen=True)
class Planned:
    key: str
    kind: str
    recipient_id: int
    source: str
    visit_id: int | None
    due_at: datetime
    send_at: datetime


def lead(kind: str) -> timedelta:
    return timedelta(minutes=int(settings.REMINDER_LEAD_MINUTES.get(kind, 0)))


def escalate_after() -> timedelta:
    return timedelta(hours=float(settings.REMINDER_ESCALATE_AFTER_HOURS))


def _stamp(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y%m%d%H%M")


def make_key(kind: str, source: str, recipient_id: int, due_at: datetime) -> str:
    return f"{kind}:{source}:u{recipient_id}:{_stamp(due_at)}"


def _planned(
    kind: str,
    source: str,
    recipient_id: int | None,
    visit_id: int | None,
    due: datetime,
    at: datetime,
) -> Planned | None:
    if recipient_id is None:
        return None
    return Planned(
        key=make_key(kind, source, recipient_id, due),
        kind=kind,
        recipient_id=recipient_id,
        source=source,
        visit_id=visit_id,
        due_at=due,
        send_at=at,
    )


def acting_host_id(visit: Visit) -> int:
    """SOP 5.2: while a stand-in covers an open visit, the host's reminders go to them."""
    if visit.stand_in_id is not None and visit.status not in CLOSED_VISIT:
        return visit.stand_in_id
    return visit.host_id


def _manager_id(user: User) -> int | None:
    team = user.team
    if team is None or team.manager_id is None or team.manager_id == user.pk:
        return None
    return team.manager_id


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(settings.REMINDER_DAY_START_HOUR)))


# --- Sources ----------------------------------------------------------------------------


def _steps(start: datetime, end: datetime) -> Iterator[Planned | None]:
    """Step due (before), overdue (at the due time) and escalated to the host's manager."""
    due_lead = lead(NotificationKind.STEP_DUE)
    late = escalate_after()
    steps = (
        VisitStep.objects.filter(
            state=StepState.PENDING,
            due_at__gte=start - late,
            due_at__lt=end + due_lead,
        )
        .exclude(visit__status__in=CLOSED_VISIT)
        .select_related("visit__host__team", "playbook_step")
    )
    for step in steps.iterator(chunk_size=2000):
        visit = step.visit
        due = step.due_at
        if due is None:  # the due_at filter excludes it; this tells the type checker
            continue
        source = f"step:{step.pk}"
        owner = acting_host_id(visit) if step.owner_id == visit.host_id else step.owner_id
        is_call = step.playbook_step.code == "return_call"
        first = NotificationKind.RETURN_CALL_DUE if is_call else NotificationKind.STEP_DUE
        yield _planned(first, source, owner, visit.pk, due, due - due_lead)
        yield _planned(NotificationKind.STEP_OVERDUE, source, owner, visit.pk, due, due)
        manager = _manager_id(visit.host)
        yield _planned(NotificationKind.STEP_ESCALATED, source, manager, visit.pk, due, due + late)


def _transfers(start: datetime, end: datetime) -> Iterator[Planned | None]:
    """Leave for the station (escort and driver); phone the escort (host, SOP 电话跟进)."""
    go = lead(NotificationKind.ESCORT_DEPARTURE)
    transfers = (
        Transfer.objects.filter(
            state__in=UNDER_WAY,
            leaves_at__lt=end + go,
            back_at__gte=start,
        )
        .exclude(visit__status__in=CLOSED_VISIT)
        .select_related("visit", "leg")
    )
    for transfer in transfers.iterator(chunk_size=2000):
        visit = transfer.visit
        source = f"transfer:{transfer.pk}"
        if transfer.state in NOT_LEFT:
            leaves = transfer.leaves_at
            kind = NotificationKind.ESCORT_DEPARTURE
            yield _planned(kind, source, transfer.escort_id, visit.pk, leaves, leaves - go)
            if transfer.driver_id and transfer.driver_id != transfer.escort_id:
                yield _planned(kind, source, transfer.driver_id, visit.pk, leaves, leaves - go)
        if transfer.kind == TransferKind.PICKUP and transfer.escort_id != acting_host_id(visit):
            # SOP 5.1 接车: when someone else escorts, the host phones during the pickup.
            at = leg_time(transfer.leg, transfer.kind)
            kind = NotificationKind.ESCORT_PHONE
            yield _planned(kind, source, acting_host_id(visit), visit.pk, at, at)


def _meetings(start: datetime, end: datetime) -> Iterator[Planned | None]:
    before = lead(NotificationKind.LEADER_MEETING)
    meetings = (
        LeaderMeeting.objects.filter(
            state=MeetingState.ACCEPTED,
            starts_at__gte=start + before,
            starts_at__lt=end + before,
        )
        .exclude(visit__status__in=CLOSED_VISIT)
        .select_related("visit")
    )
    for meeting in meetings:
        visit = meeting.visit
        source = f"meeting:{meeting.pk}"
        at = meeting.starts_at - before
        kind = NotificationKind.LEADER_MEETING
        yield _planned(kind, source, meeting.leader_id, visit.pk, meeting.starts_at, at)
        yield _planned(kind, source, acting_host_id(visit), visit.pk, meeting.starts_at, at)


def _dates(start: datetime, end: datetime) -> tuple[date, date]:
    return timezone.localtime(start).date() - timedelta(days=1), timezone.localtime(
        end
    ).date() + timedelta(days=1)


def _follow_ups(start: datetime, end: datetime) -> Iterator[Planned | None]:
    first, last = _dates(start, end)
    follow_ups = FollowUp.objects.filter(
        state=FollowUpState.OPEN, due_date__gte=first, due_date__lte=last
    ).only("id", "due_date", "owner_id", "visit_id")
    for follow_up in follow_ups.iterator(chunk_size=2000):
        at = day_start(follow_up.due_date)
        kind = NotificationKind.FOLLOW_UP_DUE
        source = f"follow_up:{follow_up.pk}"
        yield _planned(kind, source, follow_up.owner_id, follow_up.visit_id, at, at)


def _requests(start: datetime, end: datetime) -> Iterator[Planned | None]:
    first, last = _dates(start, end)
    requests = VisitRequest.objects.filter(
        state__in=OPEN_REQUEST_STATES, due_date__gte=first, due_date__lte=last
    ).only("id", "due_date", "owner_id", "visit_id")
    for request in requests.iterator(chunk_size=2000):
        at = day_start(request.due_date)
        kind = NotificationKind.REQUEST_DUE
        yield _planned(kind, f"request:{request.pk}", request.owner_id, request.visit_id, at, at)


def _invitation_calls(start: datetime, end: datetime) -> Iterator[Planned | None]:
    """SOP 5.3.1: the call confirming a trade-show invitation, to its salesperson."""
    calls = (
        Invitation.objects.filter(call_due_at__gte=start, call_due_at__lt=end)
        .exclude(status=InvitationStatus.CAME)
        .only("id", "call_due_at", "owner_id")
    )
    for invitation in calls.iterator(chunk_size=2000):
        at = invitation.call_due_at
        if at is None:
            continue
        kind = NotificationKind.INVITATION_CALL
        yield _planned(kind, f"invitation_call:{invitation.pk}", invitation.owner_id, None, at, at)


def _lead_calls(start: datetime, end: datetime) -> Iterator[Planned | None]:
    """SOP 5.3.5: the follow-up call of a trade-show lead, to its salesperson."""
    leads = Lead.objects.filter(
        call_due_at__gte=start,
        call_due_at__lt=end,
        status__in=(LeadStatus.NEW, LeadStatus.ASSIGNED),
    ).only("id", "call_due_at", "owner_id")
    for lead in leads.iterator(chunk_size=2000):
        if lead.call_due_at is None:
            continue
        at = lead.call_due_at
        yield _planned(
            NotificationKind.LEAD_CALL, f"lead_call:{lead.pk}", lead.owner_id, None, at, at
        )


def _booth_waiting(start: datetime, end: datetime) -> Iterator[Planned | None]:
    """SOP 5.3.4 确保每个客户都有人接待: a visitor still waiting unattended at the booth
    TRADESHOW_UNATTENDED_MINUTES after arriving, to everyone on the booth team."""
    limit = timedelta(minutes=int(settings.TRADESHOW_UNATTENDED_MINUTES))
    waiting = (
        BoothVisit.objects.filter(
            state=BoothVisitState.WAITING,
            arrived_at__gte=start - limit,
            arrived_at__lt=end - limit,
        )
        .select_related("show")
        .prefetch_related("show__team")
    )
    for visit in waiting:
        at = visit.arrived_at + limit
        source = f"booth_waiting:{visit.pk}"
        for person in visit.show.team.all():
            if person.is_active:
                yield _planned(NotificationKind.BOOTH_UNATTENDED, source, person.pk, None, at, at)


def _spend_approvals(start: datetime, end: datetime) -> Iterator[Planned | None]:
    """Issue 8: spend over the standard still waiting the day before the meal or night,
    to whoever must decide it (the host's manager, or the directors and the GM)."""
    first, last = _dates(start, end)
    lines = SpendLine.objects.filter(
        status=LineStatus.PENDING,
        date__gte=first + timedelta(days=1),
        date__lte=last + timedelta(days=1),
    ).select_related("visit__host__team__manager")
    for line in lines.iterator(chunk_size=2000):
        at = day_start(line.date - timedelta(days=1))
        for person in approvers_for(line):
            kind = NotificationKind.SPEND_APPROVAL
            yield _planned(kind, f"spend_approval:{line.pk}", person.pk, line.visit_id, at, at)


def _digests(start: datetime, end: datetime) -> Iterator[Planned | None]:
    """One digest a day at REMINDER_DIGEST_HOUR for everyone; an empty day sends nothing."""
    first, last = _dates(start, end)
    hour = time(settings.REMINDER_DIGEST_HOUR)
    people = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    day = first
    while day <= last:
        at = timezone.make_aware(datetime.combine(day, hour))
        if start <= at < end:
            for pk in people:
                yield _planned(NotificationKind.DAILY_DIGEST, f"digest:{day}", pk, None, at, at)
        day += timedelta(days=1)


SOURCES = (
    _steps,
    _transfers,
    _meetings,
    _follow_ups,
    _requests,
    _invitation_calls,
    _lead_calls,
    _booth_waiting,
    _spend_approvals,
    _digests,
)


def planned_reminders(*, start: datetime, end: datetime) -> dict[str, Planned]:
    """Every reminder whose send time falls in [start, end), by key."""
    wanted: dict[str, Planned] = {}
    for source in SOURCES:
        for planned in source(start, end):
            if planned is not None and start <= planned.send_at < end:
                wanted[planned.key] = planned
    return wanted
