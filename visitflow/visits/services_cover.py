"""SOP 5.2 出差客户接待: the host is away when a customer comes. VisitFlow notices the clash
(a visit registered, moved or confirmed over an absence, or an absence entered over a
visit) and carries either path of the clause through: a stand-in host arranged by the
supervisor (请求上级协助接待安排), or new dates agreed with the customer
(与客户协商更改到访时间). Whichever path, the customer gets an apology (向客户说明情况,
征求客户原谅), recorded like the other customer messages."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visitflow.accounts.models import Absence, AbsenceKind, Role, User
from visitflow.accounts.selectors_absences import absence_text, absences_overlapping
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.notifications.models import NotificationKind
from visitflow.notifications.services import notify
from visitflow.visits.models import (
    OPEN_COVER_STATES,
    CoverRequest,
    CoverState,
    RescheduleState,
    Visit,
    VisitReschedule,
    VisitStatus,
)
from visitflow.visits.permissions import can_hand_over_visit, can_send_apology
from visitflow.visits.selectors import VISIT_MAX_DAYS

# Visits a clash still matters for: not yet over, not closed or cancelled.
CLASH_STATES = (VisitStatus.DRAFT, VisitStatus.CONFIRMED, VisitStatus.IN_PROGRESS)
# Who may host (and so stand in): the people who own customers.
HOST_ROLES = (Role.SALES, Role.SALES_MANAGER)

# The cover's life cycle, declared once; each move is its own service below.
COVER_TRANSITIONS: dict[str, frozenset[str]] = {
    CoverState.REQUESTED: frozenset(
        {CoverState.ASSIGNED, CoverState.ACCEPTED, CoverState.CANCELLED}
    ),
    CoverState.ASSIGNED: frozenset(
        {CoverState.ASSIGNED, CoverState.ACCEPTED, CoverState.REQUESTED, CoverState.CANCELLED}
    ),
    CoverState.ACCEPTED: frozenset(
        {CoverState.ASSIGNED, CoverState.ACCEPTED, CoverState.CANCELLED}
    ),
    CoverState.CANCELLED: frozenset(),
}


def _field_error(name: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={name: [message]})


# --- Clash detection ---------------------------------------------------------------------


def person_absences_during(person: User, starts_at: datetime, ends_at: datetime) -> list[Absence]:
    return list(
        absences_overlapping(person_ids=[person.pk], starts_at=starts_at, ends_at=ends_at).order_by(
            "starts_on"
        )
    )


def host_absences(visit: Visit) -> list[Absence]:
    """The host's absences at any time of the visit."""
    return person_absences_during(visit.host, visit.starts_at, visit.ends_at)


def active_cover(visit: Visit) -> CoverRequest | None:
    return (
        visit.cover_requests.filter(state__in=OPEN_COVER_STATES)
        .select_related("stand_in", "supervisor", "host", "requested_by")
        .first()
    )


def visit_clash_warnings(visit: Visit) -> list[str]:
    """What the visit page, the form and the API say at once about absences (SOP 5.2):
    the host away and nobody covering, or a stand-in who is away too. Nothing for a
    visit that is over, closed or cancelled."""
    if visit.status not in CLASH_STATES or visit.ends_at < timezone.now():
        return []
    warnings: list[str] = []
    if visit.stand_in_id is None:
        for absence in host_absences(visit):
            warnings.append(
                _(
                    "%(absence)s The visit is during this time: ask the supervisor for a "
                    "stand-in host or propose new dates to the customer."
                )
                % {"absence": absence_text(absence)}
            )
    else:
        stand_in: User = visit.stand_in  # type: ignore[assignment]  # stand_in_id is set
        for absence in person_absences_during(stand_in, visit.starts_at, visit.ends_at):
            warnings.append(
                _("The stand-in host is away too: %(absence)s") % {"absence": absence_text(absence)}
            )
    return warnings


def absence_clashing_visits(absence: Absence) -> list[Visit]:
    """Open visits the absent person hosts (or stands in for) on the absence's days."""
    from visitflow.accounts.selectors_absences import absence_window

    start, end = absence_window(absence)
    now = timezone.now()
    hosted = Visit.objects.filter(
        host_id=absence.person_id, stand_in__isnull=True
    ) | Visit.objects.filter(stand_in_id=absence.person_id)
    return list(
        hosted.filter(
            status__in=CLASH_STATES,
            starts_at__lt=end,
            starts_at__gte=start - timedelta(days=VISIT_MAX_DAYS),
            ends_at__gt=max(start, now),
        )
        .select_related("customer", "host", "host__team", "stand_in")
        .order_by("starts_at")
    )


# --- Telling people (in their own language: notify() renders the lazy strings) --------------


def _when(visit: Visit) -> str:
    return date_format(timezone.localtime(visit.starts_at), "Y-m-d H:i")


def _away_lazy(absence: Absence) -> Promise:
    """The absence as a sentence in the reader's language."""
    if absence.destination:
        return format_lazy(
            gettext_lazy("{person}: {kind} to {destination}, {start} to {end}"),
            person=absence.person,
            kind=absence.get_kind_display(),
            destination=absence.destination,
            start=absence.starts_on.isoformat(),
            end=absence.ends_on.isoformat(),
        )
    return format_lazy(
        gettext_lazy("{person}: {kind}, {start} to {end}"),
        person=absence.person,
        kind=absence.get_kind_display(),
        start=absence.starts_on.isoformat(),
        end=absence.ends_on.isoformat(),
    )


def _cover_link(visit: Visit) -> str:
    return f"{visit.get_absolute_url()}#cover"


def _tell_clash(actor: User | None, visit: Visit, absence: Absence) -> None:
    """SOP 5.2: the host and their manager (部门主管) hear of the clash, once each."""
    host = visit.host
    recipients = [host]
    if host.supervisor is not None:
        recipients.append(host.supervisor)
    if absence.person_id != host.pk:
        recipients.append(absence.person)  # a stand-in who is away now
    title = format_lazy(
        gettext_lazy("Host away during the visit of {customer}"), customer=visit.customer.name
    )
    body = format_lazy(
        gettext_lazy(
            "{absence}. The visit of {customer} starts {when}: ask for a stand-in host or "
            "propose new dates to the customer."
        ),
        absence=_away_lazy(absence),
        customer=visit.customer.name,
        when=_when(visit),
    )
    for recipient in dict.fromkeys(recipients):
        notify(
            recipient=recipient,
            kind=NotificationKind.ABSENCE_CLASH,
            title=title,
            body=body,
            link=_cover_link(visit),
            key=f"absence-clash:{absence.pk}:{visit.pk}:{recipient.pk}",
            actor=actor,
        )


def absence_clashes_notify(*, actor: User | None, absence: Absence) -> list[Visit]:
    """An absence entered over existing visits: the host and their manager are told once
    per visit and absence. Returns the clashing visits."""
    visits = absence_clashing_visits(absence)
    for visit in visits:
        _tell_clash(actor, visit, absence)
    return visits


@transaction.atomic
def visit_clash_notify(*, actor: User | None, visit: Visit) -> list[str]:
    """A visit registered, moved or confirmed over the host's absence: the warnings to
    show at once, and the host and their manager told (once per visit and absence)."""
    warnings = visit_clash_warnings(visit)
    if warnings and visit.stand_in_id is None:
        for absence in host_absences(visit):
            _tell_clash(actor, visit, absence)
    return warnings


# --- Cover: a stand-in host ---------------------------------------------------------------


def _require_cover_move(cover: CoverRequest, target: str) -> None:
    if target not in COVER_TRANSITIONS[cover.state]:
        raise ApplicationError(
            _("A cover request that is “%(state)s” cannot become “%(target)s”.")
            % {"state": cover.get_state_display(), "target": CoverState(target).label}
        )


def _require_open_visit(visit: Visit) -> None:
    if visit.status not in CLASH_STATES:
        raise ApplicationError(
            _("The visit is “%(status)s”; its host can no longer be handed over.")
            % {"status": visit.get_status_display()}
        )


def _lock_cover(cover: CoverRequest) -> CoverRequest:
    """Re-read the request under a row lock so that two answers cannot cross."""
    locked = CoverRequest.objects.select_for_update().get(pk=cover.pk)
    for name in ("state", "stand_in_id", "supervisor_id", "accepted_at", "assigned_at"):
        setattr(cover, name, getattr(locked, name))
    if cover.stand_in_id is None:
        cover.stand_in = None
    elif cover.stand_in is None or cover.stand_in.pk != cover.stand_in_id:
        cover.stand_in = User.objects.get(pk=cover.stand_in_id)
    return cover


def _set_visit_stand_in(visit: Visit, stand_in: User | None) -> None:
    """Visit.stand_in is what scopes, My day and reminders read: kept in step here only."""
    Visit.objects.filter(pk=visit.pk).update(stand_in=stand_in, updated=timezone.now())
    visit.stand_in = stand_in


def is_supervisor_of_host(user: User, visit: Visit) -> bool:
    supervisor = visit.host.supervisor
    return supervisor is not None and supervisor.pk == user.pk


@transaction.atomic
def cover_request(
    *, actor: User, visit: Visit, note: str = "", stand_in: User | None = None
) -> CoverRequest:
    """The host (or their manager) asks the supervisor to arrange a stand-in host."""
    if not can_hand_over_visit(actor, visit):
        raise ApplicationError(
            _("Only the host, their manager or an administrator may hand this visit over.")
        )
    _require_open_visit(visit)
    if visit.cover_requests.filter(state__in=OPEN_COVER_STATES).exists():
        raise ApplicationError(_("This visit already has a cover request."))
    cover = CoverRequest(
        visit=visit,
        host=visit.host,
        requested_by=actor,
        supervisor=visit.host.supervisor,
        note=note.strip()[:500],
    )
    try:
        with transaction.atomic():
            cover.save()
    except IntegrityError as exc:  # a second request that raced this one
        raise ApplicationError(_("This visit already has a cover request.")) from exc
    log_activity(actor=actor, action="cover.requested", obj=cover, customer=visit.customer)
    if stand_in is not None:
        cover_assign(actor=actor, cover=cover, stand_in=stand_in)
    elif cover.supervisor is not None and cover.supervisor.pk != actor.pk:
        # SOP 5.2 向部门主管报告, 请求上级协助接待安排.
        notify(
            recipient=cover.supervisor,
            kind=NotificationKind.COVER_REQUEST,
            title=format_lazy(
                gettext_lazy("{host} asks for a stand-in host for {customer}"),
                host=visit.host,
                customer=visit.customer.name,
            ),
            body=format_lazy(
                gettext_lazy("The visit starts {when}. {note}"),
                when=_when(visit),
                note=cover.note,
            ),
            link=_cover_link(visit),
            key=f"cover-requested:{cover.pk}",
            actor=actor,
        )
    return cover


def check_stand_in(*, actor: User, visit: Visit, stand_in: User) -> None:
    """SOP 5.2 bad input: a stand-in who is away too, or from another team without the
    manager's say, is refused with the reason."""
    if stand_in.pk == visit.host_id:
        raise _field_error("stand_in", _("The stand-in must be someone other than the host."))
    if not stand_in.is_active or stand_in.role not in HOST_ROLES:
        raise _field_error("stand_in", _("%(person)s cannot host visits.") % {"person": stand_in})
    away = person_absences_during(stand_in, visit.starts_at, visit.ends_at)
    if away:
        raise _field_error(
            "stand_in",
            _("%(person)s is away too: %(absence)s")
            % {"person": stand_in, "absence": absence_text(away[0])},
        )
    from visitflow.accounts.roles import is_admin

    same_team = stand_in.team_id is not None and stand_in.team_id == visit.host.team_id
    if not same_team and not (is_admin(actor) or is_supervisor_of_host(actor, visit)):
        raise _field_error(
            "stand_in",
            _("%(person)s is in another team: only the supervisor (%(supervisor)s) may ask them.")
            % {
                "person": stand_in,
                "supervisor": visit.host.supervisor or _("an administrator"),
            },
        )


@transaction.atomic
def cover_assign(*, actor: User, cover: CoverRequest, stand_in: User) -> CoverRequest:
    """The supervisor chooses the stand-in (or takes it on: then it is accepted at once)."""
    visit = cover.visit
    if not can_hand_over_visit(actor, visit):
        raise ApplicationError(
            _("Only the host, their manager or an administrator may hand this visit over.")
        )
    _lock_cover(cover)
    target = CoverState.ACCEPTED if stand_in.pk == actor.pk else CoverState.ASSIGNED
    _require_cover_move(cover, target)
    _require_open_visit(visit)
    check_stand_in(actor=actor, visit=visit, stand_in=stand_in)
    previous = cover.stand_in
    now = timezone.now()
    cover.stand_in = stand_in
    cover.state = target
    cover.assigned_by = actor
    cover.assigned_at = now
    cover.accepted_at = now if target == CoverState.ACCEPTED else None
    cover.answer_note = ""
    cover.save()
    _set_visit_stand_in(visit, stand_in if target == CoverState.ACCEPTED else None)
    log_activity(
        actor=actor,
        action="cover.assigned" if target == CoverState.ASSIGNED else "cover.accepted",
        obj=cover,
        customer=visit.customer,
        changes={"stand_in": [str(previous or ""), str(stand_in)]},
    )
    if target == CoverState.ASSIGNED:
        notify(
            recipient=stand_in,
            kind=NotificationKind.COVER_REQUEST,
            title=format_lazy(
                gettext_lazy("Will you stand in for {host} with {customer}?"),
                host=visit.host,
                customer=visit.customer.name,
            ),
            body=format_lazy(
                gettext_lazy(
                    "{host} is away when {customer} visits ({when}). {actor} asks you to host; "
                    "read the hand-over brief and answer on the visit page."
                ),
                host=visit.host,
                customer=visit.customer.name,
                when=_when(visit),
                actor=actor,
            ),
            link=_cover_link(visit),
            key=f"cover-assigned:{cover.pk}:{stand_in.pk}:{now.timestamp()}",
            actor=actor,
        )
    else:
        cover.escort_problems = _hand_over_escorts(actor, visit)  # type: ignore[attr-defined]
        _tell_covered(actor, cover)
    return cover


def _hand_over_escorts(actor: User, visit: Visit) -> list[str]:
    """SOP 5.2: the stand-in escorts by default. A pickup or see-off not yet under way
    that the host was to escort is planned again with the stand-in (same car, driver,
    station and meeting point); the customer is then told the new escort. Where the
    stand-in is not free, the transfer stays as it was and the reason is returned."""
    from visitflow.logistics.models import Transfer, TransferState
    from visitflow.logistics.services.transfers import transfer_cancel, transfer_plan

    problems: list[str] = []
    waiting = Transfer.objects.filter(
        visit=visit,
        escort_id=visit.host_id,
        state__in=[TransferState.PLANNED, TransferState.CUSTOMER_TOLD],
    ).select_related("leg", "vehicle", "driver", "station")
    reason = _("Stand-in host while %(host)s is away (SOP 5.2).") % {"host": visit.host}
    for transfer in waiting:
        try:
            with transaction.atomic():
                transfer_cancel(actor=actor, transfer=transfer)
                transfer_plan(
                    actor=actor,
                    visit=visit,
                    leg=transfer.leg,
                    kind=transfer.kind,
                    vehicle=transfer.vehicle,
                    driver=transfer.driver,
                    escort=visit.stand_in,
                    escort_reason=reason,
                    meeting_point=transfer.meeting_point,
                    station=transfer.station,
                )
        except ApplicationError as exc:
            problems.append(f"{transfer}: {exc.message}")
    return problems


def _tell_covered(actor: User, cover: CoverRequest) -> None:
    """The host (kept informed, SOP 5.2) and whoever arranged it hear who hosts now."""
    visit = cover.visit
    title = format_lazy(
        gettext_lazy("{person} hosts {customer} for you"),
        person=cover.stand_in,
        customer=visit.customer.name,
    )
    body = format_lazy(
        gettext_lazy("{person} accepted to stand in for the visit starting {when}."),
        person=cover.stand_in,
        when=_when(visit),
    )
    recipients = [visit.host]
    if cover.assigned_by is not None:
        recipients.append(cover.assigned_by)
    for recipient in dict.fromkeys(recipients):
        if recipient.pk == actor.pk:
            continue
        notify(
            recipient=recipient,
            kind=NotificationKind.COVER_REQUEST,
            title=title,
            body=body,
            link=_cover_link(visit),
            key=f"cover-accepted:{cover.pk}:{cover.stand_in_id}:{recipient.pk}",
            actor=actor,
        )


@transaction.atomic
def cover_accept(*, actor: User, cover: CoverRequest) -> CoverRequest:
    """The stand-in says yes: from now on they act as host until the visit closes."""
    _lock_cover(cover)
    if cover.stand_in_id != actor.pk:
        raise ApplicationError(_("Only the chosen stand-in may answer."))
    if cover.state != CoverState.ASSIGNED:
        raise ApplicationError(_("This cover request is not waiting for your answer."))
    visit = cover.visit
    _require_open_visit(visit)
    away = person_absences_during(actor, visit.starts_at, visit.ends_at)
    if away:
        raise ApplicationError(
            _("You are away during the visit: %(absence)s") % {"absence": absence_text(away[0])}
        )
    cover.state = CoverState.ACCEPTED
    cover.accepted_at = timezone.now()
    cover.save(update_fields=["state", "accepted_at", "updated"])
    _set_visit_stand_in(visit, actor)
    log_activity(actor=actor, action="cover.accepted", obj=cover, customer=visit.customer)
    cover.escort_problems = _hand_over_escorts(actor, visit)  # type: ignore[attr-defined]
    _tell_covered(actor, cover)
    return cover


@transaction.atomic
def cover_decline(*, actor: User, cover: CoverRequest, note: str) -> CoverRequest:
    """The stand-in cannot: the request goes back to the supervisor, with the reason."""
    _lock_cover(cover)
    if cover.stand_in_id != actor.pk:
        raise ApplicationError(_("Only the chosen stand-in may answer."))
    if cover.state != CoverState.ASSIGNED:
        raise ApplicationError(_("This cover request is not waiting for your answer."))
    note = (note or "").strip()
    if not note:
        raise _field_error("note", _("Say why you cannot stand in."))
    cover.state = CoverState.REQUESTED
    cover.stand_in = None
    cover.answer_note = note[:300]
    cover.save(update_fields=["state", "stand_in", "answer_note", "updated"])
    log_activity(
        actor=actor,
        action="cover.declined",
        obj=cover,
        customer=cover.visit.customer,
        changes={"answer_note": ["", cover.answer_note]},
    )
    arranger = cover.assigned_by or cover.supervisor
    if arranger is not None and arranger.pk != actor.pk:
        notify(
            recipient=arranger,
            kind=NotificationKind.COVER_REQUEST,
            title=format_lazy(
                gettext_lazy("{person} cannot stand in for {customer}"),
                person=actor,
                customer=cover.visit.customer.name,
            ),
            body=format_lazy(
                gettext_lazy("{note} Choose another stand-in host."), note=cover.answer_note
            ),
            link=_cover_link(cover.visit),
            key=f"cover-declined:{cover.pk}:{actor.pk}:{timezone.now().timestamp()}",
            actor=actor,
        )
    return cover


@transaction.atomic
def cover_cancel(*, actor: User, cover: CoverRequest) -> CoverRequest:
    """The host is back (or the dates moved): the stand-in's access ends now."""
    visit = cover.visit
    if not can_hand_over_visit(actor, visit):
        raise ApplicationError(
            _("Only the host, their manager or an administrator may hand this visit over.")
        )
    _lock_cover(cover)
    _require_cover_move(cover, CoverState.CANCELLED)
    cover.state = CoverState.CANCELLED
    cover.ended_at = timezone.now()
    cover.save(update_fields=["state", "ended_at", "updated"])
    if visit.stand_in_id is not None:
        _set_visit_stand_in(visit, None)
    log_activity(actor=actor, action="cover.cancelled", obj=cover, customer=visit.customer)
    return cover


# --- Reschedule: new dates agreed with the customer ----------------------------------------


def _check_new_dates(visit: Visit, starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise _field_error("ends_at", _("The departure must be after the arrival."))
    if ends_at - starts_at > timedelta(days=VISIT_MAX_DAYS):
        raise _field_error(
            "ends_at", _("A visit lasts at most %(days)s days.") % {"days": VISIT_MAX_DAYS}
        )
    if starts_at < timezone.now():
        raise _field_error("starts_at", _("The new arrival is in the past."))
    if (starts_at, ends_at) == (visit.starts_at, visit.ends_at):
        raise _field_error("starts_at", _("These are the visit's dates already."))
    away = person_absences_during(visit.host, starts_at, ends_at)
    if away:
        raise _field_error(
            "starts_at",
            _("The new dates fall into the host's absence: %(absence)s")
            % {"absence": absence_text(away[0])},
        )


@transaction.atomic
def reschedule_propose(
    *, actor: User, visit: Visit, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> VisitReschedule:
    """New dates the host puts to the customer; nothing moves until they agree."""
    if not can_hand_over_visit(actor, visit):
        raise ApplicationError(
            _("Only the host, their manager or an administrator may hand this visit over.")
        )
    _require_open_visit(visit)
    if visit.status == VisitStatus.IN_PROGRESS:
        raise ApplicationError(_("The visitors are already here; the visit can no longer move."))
    if visit.reschedules.filter(state=RescheduleState.PROPOSED).exists():
        raise ApplicationError(_("This visit already has new dates proposed."))
    _check_new_dates(visit, starts_at, ends_at)
    proposal = VisitReschedule.objects.create(
        visit=visit,
        by=actor,
        old_starts_at=visit.starts_at,
        old_ends_at=visit.ends_at,
        new_starts_at=starts_at,
        new_ends_at=ends_at,
        reason=reason.strip()[:300],
        state=RescheduleState.PROPOSED,
    )
    log_activity(
        actor=actor,
        action="reschedule.proposed",
        obj=proposal,
        customer=visit.customer,
        changes={"starts_at": [str(visit.starts_at), str(starts_at)]},
    )
    return proposal


@dataclass
class MoveOutcome:
    """What moved with the visit and what had to be let go (shown to the person)."""

    proposal: VisitReschedule
    moved: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)


def _lock_proposal(proposal: VisitReschedule) -> VisitReschedule:
    locked = VisitReschedule.objects.select_for_update().get(pk=proposal.pk)
    proposal.state = locked.state
    return proposal


def _require_proposed(proposal: VisitReschedule) -> None:
    if proposal.state != RescheduleState.PROPOSED:
        raise ApplicationError(
            _("These dates are “%(state)s”; there is nothing to answer.")
            % {"state": proposal.get_state_display()}
        )


@transaction.atomic
def reschedule_agree(*, actor: User, proposal: VisitReschedule) -> MoveOutcome:
    """The customer agreed: the visit moves, and with it its journeys (by the same amount),
    steps (their due times follow), pickups and see-offs, tour rooms; a booking that no
    longer fits is released, and a leader meeting is given back to be asked again."""
    from visitflow.logistics.models import BookingStatus, MeetingState, TransferState
    from visitflow.logistics.services.bookings import booking_cancel, booking_move
    from visitflow.logistics.services.leaders import meeting_cancel
    from visitflow.logistics.services.transfers import transfer_cancel, transfer_follow_leg
    from visitflow.visits.services import visit_update

    visit = proposal.visit
    if not can_hand_over_visit(actor, visit):
        raise ApplicationError(
            _("Only the host, their manager or an administrator may hand this visit over.")
        )
    _lock_proposal(proposal)
    _require_proposed(proposal)
    _require_open_visit(visit)
    _check_new_dates(visit, proposal.new_starts_at, proposal.new_ends_at)
    delta = proposal.new_starts_at - visit.starts_at
    outcome = MoveOutcome(proposal=proposal)
    legs = list(visit.legs.all())
    for leg in legs:
        # The journeys move with the visit; a changed flight number is edited afterwards.
        leg.arrives_at += delta
        if leg.departs_at is not None:
            leg.departs_at += delta
        leg.actual_arrival = None
        leg.save(update_fields=["arrives_at", "departs_at", "actual_arrival", "updated"])
    visit_update(
        actor=actor,
        visit=visit,
        data={"starts_at": proposal.new_starts_at, "ends_at": proposal.new_ends_at},
        reschedule_reason=proposal.reason,
        proposal=proposal,
    )
    visit.refresh_from_db()
    for leg in legs:
        leg.visit = visit
        try:
            with transaction.atomic():
                moved = transfer_follow_leg(leg, actor=actor)
        except ApplicationError:
            for transfer in visit.transfers.filter(leg=leg).exclude(
                state__in=[TransferState.CANCELLED, TransferState.DONE]
            ):
                transfer_cancel(actor=actor, transfer=transfer)
                outcome.released.append(str(transfer))
        else:
            outcome.moved += [str(t) for t in moved]
    tours = visit.bookings.filter(
        status=BookingStatus.ACTIVE, transfer__isnull=True, leader_meeting__isnull=True
    ).select_related("room", "vehicle", "person")
    for booking in tours:
        try:
            with transaction.atomic():
                booking_move(
                    actor=actor,
                    booking=booking,
                    starts_at=booking.starts_at + delta,
                    ends_at=booking.ends_at + delta,
                )
        except ApplicationError:
            booking.refresh_from_db()
            booking_cancel(actor=actor, booking=booking)
            outcome.released.append(str(booking.resource))
        else:
            outcome.moved.append(str(booking.resource))
    for meeting in visit.leader_meetings.exclude(
        state__in=[MeetingState.DECLINED, MeetingState.CANCELLED]
    ).select_related("leader"):
        # A leader's time is theirs to give: the meeting is released and asked again.
        meeting_cancel(actor=actor, meeting=meeting)
        outcome.released.append(_("Leader meeting with %(leader)s") % {"leader": meeting.leader})
    proposal.refresh_from_db()
    log_activity(
        actor=actor,
        action="reschedule.agreed",
        obj=proposal,
        customer=visit.customer,
        changes={"released": outcome.released} if outcome.released else {},
    )
    return outcome


@transaction.atomic
def reschedule_decline(
    *, actor: User, proposal: VisitReschedule, note: str = ""
) -> VisitReschedule:
    """The customer said no to these dates; the visit stays where it was."""
    return _close_proposal(actor, proposal, RescheduleState.DECLINED, "reschedule.declined", note)


@transaction.atomic
def reschedule_withdraw(*, actor: User, proposal: VisitReschedule) -> VisitReschedule:
    return _close_proposal(actor, proposal, RescheduleState.WITHDRAWN, "reschedule.withdrawn", "")


def _close_proposal(
    actor: User, proposal: VisitReschedule, state: str, action: str, note: str
) -> VisitReschedule:
    if not can_hand_over_visit(actor, proposal.visit):
        raise ApplicationError(
            _("Only the host, their manager or an administrator may hand this visit over.")
        )
    _lock_proposal(proposal)
    _require_proposed(proposal)
    proposal.state = state
    proposal.decided_at = timezone.now()
    proposal.decided_by = actor
    if note.strip():
        proposal.reason = f"{proposal.reason} · {note.strip()}".strip(" ·")[:300]
    proposal.save(update_fields=["state", "decided_at", "decided_by", "reason"])
    log_activity(actor=actor, action=action, obj=proposal, customer=proposal.visit.customer)
    return proposal


# --- The apology to the customer ------------------------------------------------------------

APOLOGY_STAND_IN = "cover_stand_in"
APOLOGY_NEW_DATES = "cover_new_dates"


class _Blank(dict[str, str]):
    """An admin-edited template may name a placeholder we do not fill: leave it empty."""

    def __missing__(self, key: str) -> str:
        return ""


_AWAY: dict[tuple[str, str], str] = {
    ("zh-hans", AbsenceKind.BUSINESS_TRIP): "出差在外",
    ("zh-hans", AbsenceKind.LEAVE): "休假",
    ("zh-hans", AbsenceKind.OTHER): "不在公司",
    ("en", AbsenceKind.BUSINESS_TRIP): "away on a business trip",
    ("en", AbsenceKind.LEAVE): "on leave",
    ("en", AbsenceKind.OTHER): "away",
}


def message_language(language: str) -> str:
    return "en" if (language or "").startswith("en") else "zh-hans"


def _span(starts_at: datetime, ends_at: datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return date_format(start, "Y-m-d")
    return f"{date_format(start, 'Y-m-d')} ~ {date_format(end, 'Y-m-d')}"


def apology_kind(visit: Visit) -> str:
    """Which apology fits now: the stand-in's details once one accepted, else new dates."""
    if visit.stand_in_id is not None:
        return APOLOGY_STAND_IN
    return APOLOGY_NEW_DATES


def last_applied_reschedule(visit: Visit) -> VisitReschedule | None:
    return visit.reschedules.filter(state=RescheduleState.APPLIED).order_by("-created").first()


EMPTY_PHONE = re.compile(r"（电话\s*）|\s*\(phone\s*\)")


def apology_text(visit: Visit, *, kind: str, language: str = "zh-hans") -> str:
    """The apology in the customer's language, from the admin-editable template."""
    from visitflow.logistics.models import MessageTemplate

    language = message_language(language)
    template = MessageTemplate.objects.filter(code=kind, language=language).first()
    if template is None:
        return ""
    customer = visit.customer
    absence = next(iter(host_absences(visit)), None)
    old_start, old_end = visit.starts_at, visit.ends_at
    pending = visit.reschedules.filter(state=RescheduleState.PROPOSED).order_by("-created").first()
    new_start, new_end = visit.starts_at, visit.ends_at
    if kind == APOLOGY_NEW_DATES:
        if pending is not None:
            new_start, new_end = pending.new_starts_at, pending.new_ends_at
        else:
            applied = last_applied_reschedule(visit)
            if applied is not None:
                old_start, old_end = applied.old_starts_at, applied.old_ends_at
                absence = next(iter(person_absences_during(visit.host, old_start, old_end)), None)
    stand_in = visit.stand_in
    values = _Blank(
        customer=customer.short_name or customer.name,
        host=str(visit.host),
        host_phone=visit.host.mobile_display,
        away=_AWAY[(language, absence.kind if absence else AbsenceKind.BUSINESS_TRIP)],
        date=_span(old_start, old_end),
        new_start=date_format(timezone.localtime(new_start), "Y-m-d H:i"),
        new_end=date_format(timezone.localtime(new_end), "Y-m-d H:i"),
        stand_in=str(stand_in) if stand_in else "",
        stand_in_phone=stand_in.mobile_display if stand_in else "",
        company=getattr(settings, "VISITFLOW_COMPANY_NAME", ""),
    )
    # A person without a mobile number: no empty "（电话 ）" / "(phone )" in the message.
    return EMPTY_PHONE.sub("", template.text.format_map(values)).strip()


@transaction.atomic
def apology_send(
    *, actor: User, visit: Visit, channel: str, text: str, language: str = "zh-hans"
) -> object:
    """Record that the customer was told (SOP 5.2 向客户说明情况, 征求客户原谅)."""
    from visitflow.logistics.models import CustomerMessage, MessageChannel

    if not can_send_apology(actor, visit):
        raise ApplicationError(_("You may not write to this customer about the visit."))
    text = (text or "").strip()
    if not text:
        raise _field_error("text", _("The message is empty."))
    if channel not in MessageChannel.values:
        raise _field_error("channel", _("Choose how the customer is told."))
    message = CustomerMessage.objects.create(
        visit=visit,
        channel=channel,
        language=message_language(language),
        text=text[:2000],
        sent_at=timezone.now(),
        sent_by=actor,
    )
    log_activity(actor=actor, action="cover.apology_sent", obj=message, customer=visit.customer)
    return message
