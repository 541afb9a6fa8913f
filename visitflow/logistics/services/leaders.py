"""Leader meetings (SOP 5.1 领导接见): who should meet the customer, the request to a
named leader with a one-page brief, and the leader's answer."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from visitflow.accounts.models import Role, User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.customers.models import Customer
from visitflow.logistics.models import (
    BookingPurpose,
    BookingStatus,
    LeaderLevel,
    LeaderMeeting,
    LeaderRule,
    MeetingState,
    Room,
)
from visitflow.logistics.services.bookings import booking_cancel, booking_create
from visitflow.logistics.services.tours import ensure_visit_open
from visitflow.visits.models import OPEN_REQUEST_STATES, Visit, Visitor, VisitRequest

LEADER_ROLES = (Role.DIRECTOR, Role.GENERAL_MANAGER)

# The allowed moves, declared once; every state change goes through _move().
# OTHER_TIME → ACCEPTED is the requester taking the leader's proposed time.
TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingState.REQUESTED: frozenset(
        {MeetingState.ACCEPTED, MeetingState.DECLINED, MeetingState.OTHER_TIME}
        | {MeetingState.CANCELLED}
    ),
    MeetingState.OTHER_TIME: frozenset({MeetingState.ACCEPTED, MeetingState.CANCELLED}),
    MeetingState.ACCEPTED: frozenset({MeetingState.CANCELLED}),
    MeetingState.DECLINED: frozenset(),
    MeetingState.CANCELLED: frozenset(),
}
OPEN_STATES = (MeetingState.REQUESTED, MeetingState.OTHER_TIME, MeetingState.ACCEPTED)


def leader_recommendation(visit: Visit) -> str:
    """Customer level by visit importance → a LeaderLevel value (admin-edited matrix)."""
    leader = (
        LeaderRule.objects.filter(level_id=visit.customer.level_id, importance=visit.importance)
        .values_list("leader", flat=True)
        .first()
    )
    return leader or LeaderLevel.NONE


def leader_choices(recommended: str | None = None) -> QuerySet[User]:
    roles = (recommended,) if recommended in LEADER_ROLES else LEADER_ROLES
    return User.objects.filter(is_active=True, role__in=roles).order_by("role", "username")


def allowed_moves(meeting: LeaderMeeting) -> frozenset[str]:
    return TRANSITIONS.get(meeting.state, frozenset())


def _move(*, actor: User, meeting: LeaderMeeting, to: str, **changes: object) -> LeaderMeeting:
    if to not in allowed_moves(meeting):
        raise ApplicationError(
            _("A meeting that is “%(state)s” cannot become “%(target)s”.")
            % {"state": meeting.get_state_display(), "target": MeetingState(to).label}
        )
    old = meeting.state
    meeting.state = to
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.save()
    log_activity(
        actor=actor,
        action=f"leader_meeting.{to}",
        obj=meeting,
        customer=meeting.visit.customer,
        changes={"state": [old, to]},
    )
    return meeting


def _lock(meeting: LeaderMeeting) -> LeaderMeeting:
    """Re-read the meeting under a row lock so two answers cannot cross."""
    locked = LeaderMeeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.state = locked.state
    return meeting


def _validate_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        msg = _("A booking must end after it starts.")
        raise ApplicationError(msg, field_errors={"ends_at": [msg]})


@transaction.atomic
def meeting_request(
    *,
    actor: User,
    visit: Visit,
    leader: User,
    starts_at: datetime,
    ends_at: datetime,
    room: Room | None = None,
) -> LeaderMeeting:
    ensure_visit_open(visit)
    if leader.role not in LEADER_ROLES or not leader.is_active:
        msg = _("Only a director or the general manager can be asked to meet a customer.")
        raise ApplicationError(msg, field_errors={"leader": [msg]})
    if room is not None and not room.is_active:
        msg = _("%(room)s is not in use.") % {"room": room}
        raise ApplicationError(msg, field_errors={"room": [msg]})
    _validate_times(starts_at, ends_at)
    meeting = LeaderMeeting.objects.create(
        visit=visit,
        leader=leader,
        requested_by=actor,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
    )
    log_activity(
        actor=actor, action="leader_meeting.requested", obj=meeting, customer=visit.customer
    )
    return meeting


def _book(*, actor: User, meeting: LeaderMeeting) -> None:
    """The leader's time (a person booking: a leader is never booked twice) and the room."""
    booking_create(
        actor=actor,
        person=meeting.leader,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        purpose=BookingPurpose.LEADER_MEETING,
        visit=meeting.visit,
        leader_meeting=meeting,
    )
    if meeting.room is not None:
        booking_create(
            actor=actor,
            room=meeting.room,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            purpose=BookingPurpose.LEADER_MEETING,
            visit=meeting.visit,
            leader_meeting=meeting,
        )


@transaction.atomic
def meeting_accept(*, actor: User, meeting: LeaderMeeting) -> LeaderMeeting:
    """The leader says yes to the requested time."""
    _lock(meeting)
    if meeting.state != MeetingState.REQUESTED:
        raise ApplicationError(_("Only a requested meeting can be accepted by the leader."))
    _book(actor=actor, meeting=meeting)
    return _move(actor=actor, meeting=meeting, to=MeetingState.ACCEPTED)


@transaction.atomic
def meeting_decline(*, actor: User, meeting: LeaderMeeting, note: str) -> LeaderMeeting:
    note = note.strip()
    if not note:
        msg = _("Say why, so the host can tell the customer.")
        raise ApplicationError(msg, field_errors={"note": [msg]})
    _lock(meeting)
    return _move(actor=actor, meeting=meeting, to=MeetingState.DECLINED, answer_note=note[:300])


@transaction.atomic
def meeting_propose_time(
    *, actor: User, meeting: LeaderMeeting, starts_at: datetime, note: str = ""
) -> LeaderMeeting:
    if starts_at == meeting.starts_at:
        msg = _("Propose a time other than the one asked for.")
        raise ApplicationError(msg, field_errors={"starts_at": [msg]})
    _lock(meeting)
    return _move(
        actor=actor,
        meeting=meeting,
        to=MeetingState.OTHER_TIME,
        proposed_starts_at=starts_at,
        answer_note=note.strip()[:300],
    )


@transaction.atomic
def meeting_accept_proposal(*, actor: User, meeting: LeaderMeeting) -> LeaderMeeting:
    """The requester takes the leader's time; the meeting keeps its length."""
    _lock(meeting)
    if meeting.state != MeetingState.OTHER_TIME or meeting.proposed_starts_at is None:
        raise ApplicationError(_("The leader has not proposed another time."))
    length = meeting.ends_at - meeting.starts_at
    meeting.starts_at = meeting.proposed_starts_at
    meeting.ends_at = meeting.starts_at + length
    _book(actor=actor, meeting=meeting)
    return _move(
        actor=actor,
        meeting=meeting,
        to=MeetingState.ACCEPTED,
        proposed_starts_at=None,
    )


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: LeaderMeeting) -> LeaderMeeting:
    _lock(meeting)
    for booking in meeting.bookings.filter(status=BookingStatus.ACTIVE):
        booking_cancel(actor=actor, booking=booking)
    return _move(actor=actor, meeting=meeting, to=MeetingState.CANCELLED)


# --- Reads ---------------------------------------------------------------------------


@dataclass
class MeetingBrief:
    """The one page a leader reads before meeting the customer."""

    customer: Customer
    visit: Visit
    past_visits: list[Visit]
    party: list[Visitor]
    open_requests: list[VisitRequest]


def meeting_brief(meeting: LeaderMeeting) -> MeetingBrief:
    visit = meeting.visit
    customer = visit.customer
    return MeetingBrief(
        customer=customer,
        visit=visit,
        past_visits=list(
            customer.visits.exclude(pk=visit.pk)
            .filter(starts_at__lt=visit.starts_at)
            .select_related("host")
            .order_by("-starts_at")[:10]
        ),
        party=list(visit.visitors.all()),
        open_requests=list(
            VisitRequest.objects.filter(customer=customer, state__in=OPEN_REQUEST_STATES)
            .select_related("owner")
            .order_by("due_date")
        ),
    )
