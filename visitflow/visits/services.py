"""Every write to visits: registration, party, itinerary, life cycle, steps (SOP 5.1)."""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import diff_snapshots, log_activity, snapshot, validate_model
from visitflow.core.validators import normalize_phone
from visitflow.core.workdays import next_working_day, on_working_day
from visitflow.customers.models import Contact, Customer
from visitflow.customers.permissions import can_edit_customer
from visitflow.customers.services import contact_create
from visitflow.visits.models import (
    OPEN_COVER_STATES,
    CoverState,
    FollowUp,
    FollowUpCadence,
    FollowUpState,
    LegDirection,
    PlaybookStep,
    Purpose,
    RequestState,
    RescheduleState,
    ReturnCall,
    StepAnchor,
    StepCondition,
    StepOwnerRule,
    StepState,
    TravelLeg,
    TravelMode,
    Visit,
    Visitor,
    VisitOutcome,
    VisitRequest,
    VisitReschedule,
    VisitStatus,
    VisitStep,
    VisitStepItem,
)
from visitflow.visits.permissions import (
    can_create_visit,
    can_edit_visit,
    can_record_outcome,
    can_work_step,
)
from visitflow.visits.selectors import VISIT_MAX_DAYS

VISIT_FIELDS = [
    "customer",
    "host",
    "purposes",
    "purpose_notes",
    "importance",
    "starts_at",
    "ends_at",
    "wants_pickup",
    "wants_dropoff",
    "wants_lodging",
    "notes",
]
VISITOR_FIELDS = ["name", "gender", "title", "mobile", "features"]
LEG_FIELDS = [
    "direction",
    "mode",
    "number",
    "from_place",
    "to_place",
    "departs_at",
    "arrives_at",
    "actual_arrival",
]

# --- Life cycle: the allowed moves, declared once ------------------------------------

TRANSITIONS: dict[str, frozenset[str]] = {
    VisitStatus.DRAFT: frozenset({VisitStatus.CONFIRMED, VisitStatus.CANCELLED}),
    VisitStatus.CONFIRMED: frozenset(
        {VisitStatus.IN_PROGRESS, VisitStatus.DRAFT, VisitStatus.CANCELLED}
    ),
    VisitStatus.IN_PROGRESS: frozenset({VisitStatus.DEPARTED}),
    VisitStatus.DEPARTED: frozenset({VisitStatus.CLOSED}),
    VisitStatus.CLOSED: frozenset(),
    VisitStatus.CANCELLED: frozenset(),
}
# States in which the visit's data may still be edited.
EDITABLE_STATES = frozenset({VisitStatus.DRAFT, VisitStatus.CONFIRMED, VisitStatus.IN_PROGRESS})


def can_transition(visit: Visit, target: str) -> bool:
    return target in TRANSITIONS[visit.status]


def _move(visit: Visit, target: str, *, actor: User) -> None:
    if not can_edit_visit(actor, visit):
        raise ApplicationError(_("You may not change this visit."))
    if not can_transition(visit, target):
        raise ApplicationError(
            _("A visit that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": visit.get_status_display(),
                "target": VisitStatus(target).label,
            }
        )
    old = visit.get_status_display()
    visit.status = target
    visit.save(update_fields=["status", "updated"])
    log_activity(
        actor=actor,
        action=f"visit.{target}",
        obj=visit,
        customer=visit.customer,
        changes={"status": [old, visit.get_status_display()]},
    )


def _require_editable(actor: User, visit: Visit) -> None:
    if not can_edit_visit(actor, visit):
        raise ApplicationError(_("You may not change this visit."))
    if visit.status not in EDITABLE_STATES:
        raise ApplicationError(_("This visit is closed; it can no longer be changed."))


# --- What confirmation needs (SOP 5.1 接待前沟通) -----------------------------------------


def visit_missing_for_confirmation(visit: Visit) -> list[str]:
    """Everything the later steps need and the briefing has not yet recorded."""
    missing: list[str] = []
    visitors = list(visit.visitors.all())
    legs = list(visit.legs.all())
    if not visitors:
        missing.append(_("No visitor is named yet."))
    elif any(not v.features for v in visitors) and visit.wants_pickup:
        names = "、".join(v.name for v in visitors if not v.features)
        missing.append(
            _("How to recognise %(names)s is missing (the escort needs it).") % {"names": names}
        )
    if not visit.purposes and not visit.purpose_notes:
        missing.append(_("The purpose of the visit is not recorded."))
    inbound = [leg for leg in legs if leg.direction == LegDirection.INBOUND]
    outbound = [leg for leg in legs if leg.direction == LegDirection.OUTBOUND]
    if visit.wants_pickup and not inbound:
        missing.append(_("A pickup is wanted but there is no inbound flight or train."))
    if visit.wants_dropoff and not outbound:
        missing.append(_("A drop-off is wanted but there is no outbound flight or train."))
    for leg in inbound:
        if visit.wants_pickup and leg.mode != TravelMode.CAR and not leg.to_place:
            missing.append(
                _("The inbound %(leg)s has no airport or station to meet them at.")
                % {"leg": leg.number or leg.get_mode_display()}
            )
    return missing


# --- Due times ---------------------------------------------------------------------------

HOME_FALLBACK_HOUR = 10  # the day after departure, mid-morning, when no leg says more


def _first(legs: list[TravelLeg], direction: str) -> TravelLeg | None:
    chosen = [leg for leg in legs if leg.direction == direction]
    return min(chosen, key=lambda leg: leg.arrives_at) if chosen else None


def anchor_time(visit: Visit, anchor: str, legs: list[TravelLeg]) -> datetime:
    inbound = _first(legs, LegDirection.INBOUND)
    outbound = _first(legs, LegDirection.OUTBOUND)
    if anchor == StepAnchor.ARRIVAL:
        return inbound.expected_arrival if inbound else visit.starts_at
    if anchor == StepAnchor.DEPARTURE:
        if outbound and outbound.departs_at:
            return outbound.departs_at
        return visit.ends_at
    if anchor == StepAnchor.HOME:
        # SOP 5.1 电话回访: after the visitor has arrived home, by their flight or train.
        if outbound:
            return outbound.expected_arrival
        local_end = timezone.localtime(visit.ends_at)
        next_day = local_end.date() + timedelta(days=1)
        return timezone.make_aware(
            datetime.combine(next_day, time(HOME_FALLBACK_HOUR)), timezone.get_current_timezone()
        )
    # Unsaved visits have no `created` yet; django-stubs types it as never None.
    return visit.created or timezone.now()  # type: ignore[truthy-bool]


# Steps done by phone with the customer once the visit is over: due on working days only.
WORKING_DAY_STEPS = frozenset({"return_call", "follow_up"})


def step_due(visit: Visit, template: PlaybookStep, legs: list[TravelLeg]) -> datetime:
    due = anchor_time(visit, template.anchor, legs) + timedelta(minutes=template.offset_minutes)
    if template.code in WORKING_DAY_STEPS:
        # SOP 5.1 电话回访/后期跟进: nobody calls a customer on 国庆节; the next working
        # day instead (调休 Saturdays count as working days).
        return on_working_day(due)
    return due


def step_applies(visit: Visit, condition: str) -> bool:
    applies: dict[str, bool] = {
        StepCondition.ALWAYS: True,
        StepCondition.PICKUP: visit.wants_pickup,
        StepCondition.DROPOFF: visit.wants_dropoff,
        StepCondition.LODGING: visit.wants_lodging,
    }
    return applies.get(condition, True)


def _step_owner(visit: Visit, rule: str) -> User:
    if rule == StepOwnerRule.HOST_MANAGER and visit.host.supervisor is not None:
        return visit.host.supervisor
    return visit.host


def _build_steps(visit: Visit) -> None:
    legs = list(visit.legs.all())
    templates = PlaybookStep.objects.filter(is_active=True).prefetch_related("items")
    for template in templates:
        applies = step_applies(visit, template.condition)
        step = VisitStep.objects.create(
            visit=visit,
            playbook_step=template,
            position=template.position,
            owner=_step_owner(visit, template.owner_rule),
            state=StepState.PENDING if applies else StepState.NOT_NEEDED,
            due_at=step_due(visit, template, legs),
        )
        VisitStepItem.objects.bulk_create(
            VisitStepItem(step=step, text=item.text, text_en=item.text_en, position=item.position)
            for item in template.items.all()
            if step_applies(visit, item.condition)
        )


def steps_follow_itinerary(visit: Visit) -> None:
    """Pending steps move with the itinerary; steps whose condition changed appear or go."""
    legs = list(visit.legs.all())
    for step in visit.steps.select_related("playbook_step"):
        template = step.playbook_step
        changed = []
        if step.state in (StepState.PENDING, StepState.NOT_NEEDED):
            state = (
                StepState.PENDING
                if step_applies(visit, template.condition)
                else StepState.NOT_NEEDED
            )
            if state != step.state:
                step.state = state
                changed.append("state")
        if step.state == StepState.PENDING:
            due = step_due(visit, template, legs)
            if due != step.due_at:
                step.due_at = due
                changed.append("due_at")
        if changed:
            step.save(update_fields=[*changed, "updated"])


# --- Registering and editing -------------------------------------------------------------


def _clean_purposes(purposes: list[str]) -> list[str]:
    valid = set(Purpose.values)
    unknown = [p for p in purposes if p not in valid]
    if unknown:
        msg = _("Unknown purpose: %(value)s.") % {"value": ", ".join(unknown)}
        raise ApplicationError(msg, field_errors={"purposes": [msg]})
    return list(dict.fromkeys(purposes))


def _check_host(actor: User, customer: Customer, host: User | None) -> User:
    host = host or customer.owner
    if not host.is_active:
        msg = _("%(person)s is no longer active.") % {"person": host}
        raise ApplicationError(msg, field_errors={"host": [msg]})
    return host


@transaction.atomic
def visit_create(
    *,
    actor: User,
    customer: Customer,
    starts_at: datetime,
    ends_at: datetime,
    host: User | None = None,
    co_hosts: list[User] | None = None,
    purposes: list[str] | None = None,
    purpose_notes: str = "",
    importance: str = "normal",
    wants_pickup: bool = False,
    wants_dropoff: bool = False,
    wants_lodging: bool = False,
    notes: str = "",
) -> Visit:
    """Register a visit as a draft, with its ten steps copied from the playbook."""
    if not (can_create_visit(actor) and can_edit_customer(actor, customer)):
        raise ApplicationError(_("You may not register visits for this customer."))
    visit = Visit(
        customer=customer,
        host=_check_host(actor, customer, host),
        purposes=_clean_purposes(purposes or []),
        purpose_notes=purpose_notes.strip(),
        importance=importance,
        starts_at=starts_at,
        ends_at=ends_at,
        wants_pickup=wants_pickup,
        wants_dropoff=wants_dropoff,
        wants_lodging=wants_lodging,
        notes=notes.strip(),
    )
    _validate_dates(visit)
    validate_model(visit)
    visit.save()
    if co_hosts:
        visit.co_hosts.set([u for u in co_hosts if u.pk != visit.host_id])
    _build_steps(visit)
    log_activity(
        actor=actor,
        action="visit.created",
        obj=visit,
        customer=customer,
        changes=diff_snapshots({}, snapshot(visit, [f for f in VISIT_FIELDS if f != "purposes"])),
    )
    return visit


def _validate_dates(visit: Visit) -> None:
    # Runs before validate_model, so a date may still be None; django-stubs says never.
    if visit.starts_at and visit.ends_at and visit.ends_at <= visit.starts_at:  # type: ignore[truthy-bool]
        msg = _("The departure must be after the arrival.")
        raise ApplicationError(msg, field_errors={"ends_at": [msg]})
    # A visit lasts days, not months; the bound also lets lists of current visits
    # use the start-date index (selectors.VISIT_MAX_DAYS).
    if visit.starts_at and visit.ends_at - visit.starts_at > timedelta(days=VISIT_MAX_DAYS):  # type: ignore[truthy-bool]
        msg = _("A visit lasts at most %(days)s days.") % {"days": VISIT_MAX_DAYS}
        raise ApplicationError(msg, field_errors={"ends_at": [msg]})


@transaction.atomic
def visit_update(
    *,
    actor: User,
    visit: Visit,
    data: dict[str, Any],
    reschedule_reason: str = "",
    proposal: VisitReschedule | None = None,
) -> Visit:
    """Change the visit; a move of its dates is kept as a reschedule (the `proposal` the
    customer agreed to, SOP 5.2, when the move comes from one)."""
    _require_editable(actor, visit)
    visit = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("customer", "host")
        .get(pk=visit.pk)
    )
    fields = [f for f in VISIT_FIELDS if f not in ("customer", "purposes")]
    before = snapshot(visit, fields)
    old_start, old_end = visit.starts_at, visit.ends_at
    old_host_id = visit.host_id
    for field, value in data.items():
        if field == "purposes":
            visit.purposes = _clean_purposes(value or [])
        elif field == "host":
            visit.host = _check_host(actor, visit.customer, value)
        elif field == "co_hosts":
            continue
        elif field in fields:
            setattr(visit, field, value.strip() if isinstance(value, str) else value)
    _validate_dates(visit)
    validate_model(visit)
    _validate_legs_against_visit(visit, list(visit.legs.all()))
    visit.save()
    if visit.host_id != old_host_id:
        # The new host takes over the open steps the old one owned.
        visit.steps.filter(owner_id=old_host_id, state=StepState.PENDING).update(
            owner=visit.host, updated=timezone.now()
        )
        _end_covers_of_old_host(actor, visit)
    if "co_hosts" in data:
        visit.co_hosts.set([u for u in data["co_hosts"] or [] if u.pk != visit.host_id])
    if proposal is not None:
        proposal.old_starts_at, proposal.old_ends_at = old_start, old_end
        proposal.state = RescheduleState.APPLIED
        proposal.decided_at = timezone.now()
        proposal.decided_by = actor
        proposal.save(
            update_fields=["old_starts_at", "old_ends_at", "state", "decided_at", "decided_by"]
        )
    elif (visit.starts_at, visit.ends_at) != (old_start, old_end):
        VisitReschedule.objects.create(
            visit=visit,
            by=actor,
            old_starts_at=old_start,
            old_ends_at=old_end,
            new_starts_at=visit.starts_at,
            new_ends_at=visit.ends_at,
            reason=reschedule_reason.strip()[:300],
        )
    steps_follow_itinerary(visit)
    changes = diff_snapshots(before, snapshot(visit, fields))
    if changes:
        action = (
            "visit.rescheduled"
            if (visit.starts_at, visit.ends_at) != (old_start, old_end)
            else "visit.updated"
        )
        log_activity(
            actor=actor, action=action, obj=visit, customer=visit.customer, changes=changes
        )
    return visit


def _end_covers_of_old_host(actor: User, visit: Visit) -> None:
    """SOP 5.2: a stand-in covered for the old host; the new host receives the visit
    themselves (or asks for cover anew), so open cover requests end and so does the
    stand-in's access."""
    now = timezone.now()
    for cover in visit.cover_requests.filter(state__in=OPEN_COVER_STATES):
        cover.state = CoverState.CANCELLED
        cover.ended_at = now
        cover.save(update_fields=["state", "ended_at", "updated"])
        log_activity(actor=actor, action="cover.cancelled", obj=cover, customer=visit.customer)
    if visit.stand_in_id is not None:
        Visit.objects.filter(pk=visit.pk).update(stand_in=None, updated=now)
        visit.stand_in = None


# --- The party ---------------------------------------------------------------------------


def _refresh_party_size(visit: Visit) -> None:
    visit.party_size = visit.visitors.count()
    visit.save(update_fields=["party_size", "updated"])


def _clean_visitor(visitor: Visitor) -> None:
    if visitor.mobile:
        try:
            visitor.mobile = normalize_phone(visitor.mobile)
        except Exception as exc:  # ValidationError: the message is already translated
            messages = getattr(exc, "messages", [str(exc)])
            raise ApplicationError(messages[0], field_errors={"mobile": messages}) from exc
    validate_model(visitor)


@transaction.atomic
def visitor_add(
    *,
    actor: User,
    visit: Visit,
    contact: Contact | None = None,
    save_as_contact: bool = False,
    **fields: Any,
) -> Visitor:
    """Add a person to the party; from a known contact, or saved as a new contact."""
    _require_editable(actor, visit)
    if contact is not None and contact.customer_id != visit.customer_id:
        raise ApplicationError(_("This contact belongs to another customer."))
    visitor = Visitor(visit=visit, contact=contact)
    if contact is not None:
        for field in VISITOR_FIELDS:
            setattr(visitor, field, getattr(contact, field, "") or "")
    for field in VISITOR_FIELDS:
        if fields.get(field):
            value = fields[field]
            setattr(visitor, field, value.strip() if isinstance(value, str) else value)
    visitor.position = (visit.visitors.aggregate(m=Max("position"))["m"] or 0) + 1
    _clean_visitor(visitor)
    if save_as_contact and contact is None:
        visitor.contact = contact_create(
            actor=actor,
            customer=visit.customer,
            name=visitor.name,
            gender=visitor.gender,
            title=visitor.title,
            mobile=visitor.mobile,
            features=visitor.features,
        )
    visitor.save()
    _refresh_party_size(visit)
    log_activity(
        actor=actor,
        action="visitor.added",
        obj=visitor,
        customer=visit.customer,
        changes=diff_snapshots({}, snapshot(visitor, VISITOR_FIELDS)),
    )
    return visitor


@transaction.atomic
def visitor_update(*, actor: User, visitor: Visitor, data: dict[str, Any]) -> Visitor:
    _require_editable(actor, visitor.visit)
    before = snapshot(visitor, VISITOR_FIELDS)
    for field in VISITOR_FIELDS:
        if field in data:
            value = data[field]
            setattr(visitor, field, value.strip() if isinstance(value, str) else value)
    _clean_visitor(visitor)
    visitor.save()
    changes = diff_snapshots(before, snapshot(visitor, VISITOR_FIELDS))
    if changes:
        log_activity(
            actor=actor,
            action="visitor.updated",
            obj=visitor,
            customer=visitor.visit.customer,
            changes=changes,
        )
    return visitor


@transaction.atomic
def visitor_remove(*, actor: User, visitor: Visitor) -> None:
    visit = visitor.visit
    _require_editable(actor, visit)
    log_activity(actor=actor, action="visitor.removed", obj=visitor, customer=visit.customer)
    visitor.delete()
    _refresh_party_size(visit)


# --- The itinerary -----------------------------------------------------------------------

FLIGHT_NUMBER = re.compile(r"^[A-Z0-9]{2}\d{2,4}[A-Z]?$")
TRAIN_NUMBER = re.compile(r"^[GDCZTKYLS]?\d{1,4}$")


def leg_number_warning(mode: str, number: str) -> str:
    """A plausibility hint for flight and train numbers (CA1831, G79): a warning, never a block."""
    number = (number or "").strip().upper()
    if not number:
        return ""
    if mode == TravelMode.FLIGHT and not FLIGHT_NUMBER.match(number):
        return _("“%(number)s” does not look like a flight number (e.g. CA1831).") % {
            "number": number
        }
    if mode == TravelMode.TRAIN and not TRAIN_NUMBER.match(number):
        return _("“%(number)s” does not look like a train number (e.g. G79).") % {"number": number}
    return ""


def _validate_legs_against_visit(visit: Visit, legs: list[TravelLeg]) -> None:
    inbound = [leg for leg in legs if leg.direction == LegDirection.INBOUND]
    outbound = [leg for leg in legs if leg.direction == LegDirection.OUTBOUND]
    for leg in inbound:
        if leg.arrives_at >= visit.ends_at:
            msg = _("The inbound %(leg)s arrives after the visit ends.") % {"leg": str(leg)}
            raise ApplicationError(msg, field_errors={"arrives_at": [msg]})
    for leg in outbound:
        departs = leg.departs_at or leg.arrives_at
        if departs <= visit.starts_at:
            msg = _("The outbound %(leg)s leaves before the visit starts.") % {"leg": str(leg)}
            raise ApplicationError(msg, field_errors={"departs_at": [msg]})
        for arriving in inbound:
            if departs <= arriving.arrives_at:
                msg = _("The outbound journey must leave after the inbound one arrives.")
                raise ApplicationError(msg, field_errors={"departs_at": [msg]})


def _save_leg(actor: User, leg: TravelLeg, action: str, before: dict[str, str]) -> TravelLeg:
    visit = leg.visit
    leg.number = (leg.number or "").strip().upper().replace(" ", "")
    validate_model(leg)
    others = [other for other in visit.legs.all() if other.pk != leg.pk]
    _validate_legs_against_visit(visit, [*others, leg])
    leg.save()
    steps_follow_itinerary(visit)
    # A delay entered as the actual arrival moves the pickup and its bookings (issue 4);
    # imported here because logistics builds on visits, not the other way round.
    from visitflow.logistics.services.transfers import transfer_follow_leg

    transfer_follow_leg(leg, actor=actor)
    log_activity(
        actor=actor,
        action=action,
        obj=leg,
        customer=visit.customer,
        changes=diff_snapshots(before, snapshot(leg, LEG_FIELDS)),
    )
    return leg


@transaction.atomic
def leg_add(*, actor: User, visit: Visit, **fields: Any) -> TravelLeg:
    _require_editable(actor, visit)
    leg = TravelLeg(visit=visit, **{k: v for k, v in fields.items() if k in LEG_FIELDS})
    return _save_leg(actor, leg, "leg.added", {})


@transaction.atomic
def leg_update(*, actor: User, leg: TravelLeg, data: dict[str, Any]) -> TravelLeg:
    _require_editable(actor, leg.visit)
    before = snapshot(leg, LEG_FIELDS)
    for field in LEG_FIELDS:
        if field in data:
            setattr(leg, field, data[field])
    return _save_leg(actor, leg, "leg.updated", before)


@transaction.atomic
def leg_remove(*, actor: User, leg: TravelLeg) -> None:
    visit = leg.visit
    _require_editable(actor, visit)
    log_activity(actor=actor, action="leg.removed", obj=leg, customer=visit.customer)
    leg.delete()
    steps_follow_itinerary(visit)


# --- Life cycle --------------------------------------------------------------------------


@transaction.atomic
def visit_confirm(*, actor: User, visit: Visit) -> Visit:
    missing = visit_missing_for_confirmation(visit)
    if missing:
        raise ApplicationError(
            _("The visit cannot be confirmed yet: %(missing)s") % {"missing": " ".join(missing)}
        )
    _move(visit, VisitStatus.CONFIRMED, actor=actor)
    return visit


@transaction.atomic
def visit_reopen(*, actor: User, visit: Visit) -> Visit:
    _move(visit, VisitStatus.DRAFT, actor=actor)
    return visit


@transaction.atomic
def visit_mark_arrived(*, actor: User, visit: Visit, at: datetime | None = None) -> Visit:
    """The visitors are here (SOP 5.1 接车): the inbound leg's actual arrival is recorded."""
    _move(visit, VisitStatus.IN_PROGRESS, actor=actor)
    inbound = _first(list(visit.legs.all()), LegDirection.INBOUND)
    if inbound is not None and inbound.actual_arrival is None:
        inbound.actual_arrival = at or timezone.now()
        inbound.save(update_fields=["actual_arrival", "updated"])
    return visit


@transaction.atomic
def visit_mark_departed(*, actor: User, visit: Visit) -> Visit:
    _move(visit, VisitStatus.DEPARTED, actor=actor)
    return visit


@transaction.atomic
def visit_close(*, actor: User, visit: Visit) -> Visit:
    """Close the visit; the customer's next follow-up is planned by the level's cadence."""
    _move(visit, VisitStatus.CLOSED, actor=actor)
    follow_up_schedule_next(
        actor=actor,
        customer=visit.customer,
        after=timezone.localdate(visit.ends_at),
        visit=visit,
    )
    return visit


@transaction.atomic
def visit_cancel(*, actor: User, visit: Visit, reason: str) -> Visit:
    reason = (reason or "").strip()
    if not reason:
        msg = _("Say why the visit is cancelled.")
        raise ApplicationError(msg, field_errors={"reason": [msg]})
    visit.cancel_reason = reason[:300]
    visit.save(update_fields=["cancel_reason", "updated"])
    _move(visit, VisitStatus.CANCELLED, actor=actor)
    _release_logistics(actor, visit)
    return visit


def _release_logistics(actor: User, visit: Visit) -> None:
    """A cancelled visit frees its cars, drivers, escorts, rooms and leaders' time."""
    # Imported here: logistics builds on visits, not the other way round.
    from visitflow.logistics.models import Booking, BookingStatus, MeetingState, TransferState
    from visitflow.logistics.services.bookings import booking_cancel
    from visitflow.logistics.services.transfers import transfer_cancel

    open_transfers = [TransferState.PLANNED, TransferState.CUSTOMER_TOLD, TransferState.ON_THE_WAY]
    for transfer in visit.transfers.filter(state__in=open_transfers):
        transfer_cancel(actor=actor, transfer=transfer)
    visit.leader_meetings.exclude(state__in=[MeetingState.DECLINED, MeetingState.CANCELLED]).update(
        state=MeetingState.CANCELLED, updated=timezone.now()
    )
    still_held = Booking.objects.filter(status=BookingStatus.ACTIVE).filter(
        Q(visit=visit) | Q(leader_meeting__visit=visit) | Q(transfer__visit=visit)
    )
    for booking in still_held:
        booking_cancel(actor=actor, booking=booking)


# --- Steps -------------------------------------------------------------------------------


def _require_step_worker(actor: User, step: VisitStep) -> None:
    if not can_work_step(actor, step):
        raise ApplicationError(_("Only the step's owner or the visit's host may do this."))
    if step.visit.status == VisitStatus.CANCELLED:
        raise ApplicationError(_("This visit is cancelled."))


@transaction.atomic
def step_complete(*, actor: User, step: VisitStep) -> VisitStep:
    _require_step_worker(actor, step)
    if step.state == StepState.DONE:
        return step
    step.state = StepState.DONE
    step.done_at = timezone.now()
    step.done_by = actor
    step.skip_reason = ""
    step.save(update_fields=["state", "done_at", "done_by", "skip_reason", "updated"])
    log_activity(actor=actor, action="step.done", obj=step, customer=step.visit.customer)
    return step


@transaction.atomic
def step_skip(*, actor: User, step: VisitStep, reason: str) -> VisitStep:
    _require_step_worker(actor, step)
    reason = (reason or "").strip()
    if not reason:
        msg = _("Say why the step is skipped.")
        raise ApplicationError(msg, field_errors={"reason": [msg]})
    step.state = StepState.SKIPPED
    step.skip_reason = reason[:300]
    step.done_at = timezone.now()
    step.done_by = actor
    step.save(update_fields=["state", "skip_reason", "done_at", "done_by", "updated"])
    log_activity(
        actor=actor,
        action="step.skipped",
        obj=step,
        customer=step.visit.customer,
        changes={"skip_reason": ["", step.skip_reason]},
    )
    return step


@transaction.atomic
def step_reopen(*, actor: User, step: VisitStep) -> VisitStep:
    _require_step_worker(actor, step)
    step.state = StepState.PENDING
    step.done_at = None
    step.done_by = None
    step.skip_reason = ""
    step.save(update_fields=["state", "done_at", "done_by", "skip_reason", "updated"])
    steps_follow_itinerary(step.visit)
    log_activity(actor=actor, action="step.reopened", obj=step, customer=step.visit.customer)
    return step


@transaction.atomic
def step_item_toggle(*, actor: User, item: VisitStepItem, done: bool) -> VisitStepItem:
    _require_step_worker(actor, item.step)
    item.is_done = done
    item.done_at = timezone.now() if done else None
    item.done_by = actor if done else None
    item.save(update_fields=["is_done", "done_at", "done_by", "updated"])
    return item


# --- Requests, return call, follow-up -----------------------------------------------------


@transaction.atomic
def request_create(
    *,
    actor: User,
    visit: Visit,
    title: str,
    due_date: date,
    owner: User | None = None,
    details: str = "",
) -> VisitRequest:
    if not can_edit_visit(actor, visit):
        raise ApplicationError(_("You may not change this visit."))
    request = VisitRequest(
        visit=visit,
        customer=visit.customer,
        title=title.strip(),
        details=details.strip(),
        owner=owner or visit.host,
        due_date=due_date,
    )
    validate_model(request)
    request.save()
    log_activity(actor=actor, action="request.created", obj=request, customer=visit.customer)
    return request


@transaction.atomic
def request_set_state(
    *, actor: User, request: VisitRequest, state: str, resolution: str = ""
) -> VisitRequest:
    if not (request.owner_id == actor.pk or can_edit_visit(actor, request.visit)):
        raise ApplicationError(_("You may not change this request."))
    if state not in RequestState.values:
        raise ApplicationError(_("Unknown state."))
    old = request.get_state_display()
    request.state = state
    request.resolution = resolution.strip()[:500] or request.resolution
    request.closed_at = (
        timezone.now() if state in (RequestState.DONE, RequestState.CANCELLED) else None
    )
    request.save(update_fields=["state", "resolution", "closed_at", "updated"])
    log_activity(
        actor=actor,
        action="request.state",
        obj=request,
        customer=request.customer,
        changes={"state": [old, request.get_state_display()]},
    )
    return request


def _rating(value: int | None, field: str) -> int | None:
    if value is None:
        return None
    if not 1 <= int(value) <= 5:
        msg = _("Give a rating from 1 to 5.")
        raise ApplicationError(msg, field_errors={field: [msg]})
    return int(value)


@transaction.atomic
def return_call_record(
    *,
    actor: User,
    visit: Visit,
    reached: bool,
    product_rating: int | None = None,
    product_feedback: str = "",
    image_rating: int | None = None,
    image_feedback: str = "",
    suggestions: str = "",
    made_at: datetime | None = None,
) -> ReturnCall:
    """SOP 5.1 电话回访: record the call; when they were reached, the step is done."""
    if not can_edit_visit(actor, visit):
        raise ApplicationError(_("You may not change this visit."))
    if visit.status not in (VisitStatus.DEPARTED, VisitStatus.CLOSED):
        raise ApplicationError(_("The return call is made after the visitors have left."))
    call, _created = ReturnCall.objects.update_or_create(
        visit=visit,
        defaults={
            "made_by": actor,
            "made_at": made_at or timezone.now(),
            "reached": reached,
            "product_rating": _rating(product_rating, "product_rating"),
            "product_feedback": product_feedback.strip(),
            "image_rating": _rating(image_rating, "image_rating"),
            "image_feedback": image_feedback.strip(),
            "suggestions": suggestions.strip(),
        },
    )
    log_activity(actor=actor, action="return_call.recorded", obj=call, customer=visit.customer)
    if reached:
        step = visit.steps.filter(playbook_step__code="return_call").first()
        if step is not None and step.state != StepState.DONE:
            step_complete(actor=actor, step=step)
    return call


# --- What came of it (issues 7 and 9: visit-to-deal conversion) ---------------------------

# The outcome is known once the visitors have come; a cancelled visit has none.
OUTCOME_STATES = frozenset({VisitStatus.IN_PROGRESS, VisitStatus.DEPARTED, VisitStatus.CLOSED})
DEAL_AMOUNT_MAX = Decimal("999999999999.99")


@transaction.atomic
def visit_record_outcome(
    *,
    actor: User,
    visit: Visit,
    outcome: str,
    amount: Decimal | None = None,
    note: str = "",
) -> Visit:
    """Record whether the visit ended in a deal, and for how much (CNY)."""
    if not can_record_outcome(actor, visit):
        raise ApplicationError(_("You may not record the outcome of this visit."))
    if visit.status not in OUTCOME_STATES:
        raise ApplicationError(
            _("The outcome is recorded once the visitors have arrived.")
            if visit.status != VisitStatus.CANCELLED
            else _("A cancelled visit has no outcome.")
        )
    if outcome not in VisitOutcome.values or outcome == VisitOutcome.NOT_RECORDED:
        msg = _("Choose the outcome.")
        raise ApplicationError(msg, field_errors={"outcome": [msg]})
    if outcome == VisitOutcome.DEAL:
        if amount is None:
            msg = _("Enter the amount of the deal.")
            raise ApplicationError(msg, field_errors={"amount": [msg]})
        if amount <= 0:
            msg = _("The amount of a deal must be above zero.")
            raise ApplicationError(msg, field_errors={"amount": [msg]})
        if amount > DEAL_AMOUNT_MAX or amount.as_tuple().exponent < -2:  # type: ignore[operator]
            msg = _("Enter an amount in yuan with at most two decimals.")
            raise ApplicationError(msg, field_errors={"amount": [msg]})
    elif amount is not None:
        msg = _("Only a deal has an amount; leave it empty.")
        raise ApplicationError(msg, field_errors={"amount": [msg]})
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    before = {
        "outcome": visit.get_outcome_display(),
        "deal_amount": "" if visit.deal_amount is None else str(visit.deal_amount),
    }
    visit.outcome = outcome
    visit.deal_amount = amount if outcome == VisitOutcome.DEAL else None
    visit.outcome_note = note.strip()[:500]
    visit.outcome_at = timezone.now()
    visit.outcome_by = actor
    visit.save(
        update_fields=[
            "outcome",
            "deal_amount",
            "outcome_note",
            "outcome_at",
            "outcome_by",
            "updated",
        ]
    )
    after = {
        "outcome": visit.get_outcome_display(),
        "deal_amount": "" if visit.deal_amount is None else str(visit.deal_amount),
    }
    log_activity(
        actor=actor,
        action="visit.outcome_recorded",
        obj=visit,
        customer=visit.customer,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return visit


def follow_up_days(customer: Customer) -> int:
    cadence = FollowUpCadence.objects.filter(level_id=customer.level_id).first()
    return cadence.days if cadence else 30


@transaction.atomic
def follow_up_schedule_next(
    *,
    actor: User | None,
    customer: Customer,
    after: date,
    visit: Visit | None = None,
    due_date: date | None = None,
) -> FollowUp | None:
    """The next follow-up of a customer; one open at a time (an open one is kept)."""
    if FollowUp.objects.filter(customer=customer, state=FollowUpState.OPEN).exists():
        return None
    follow_up = FollowUp.objects.create(
        customer=customer,
        visit=visit,
        owner=customer.owner,
        due_date=due_date or next_working_day(after + timedelta(days=follow_up_days(customer))),
    )
    log_activity(actor=actor, action="follow_up.planned", obj=follow_up, customer=customer)
    return follow_up


@transaction.atomic
def follow_up_log(
    *,
    actor: User,
    follow_up: FollowUp,
    channel: str,
    notes: str,
    next_date: date | None = None,
) -> FollowUp:
    """Record a follow-up on the customer and plan the next one (given date or cadence)."""
    customer = follow_up.customer
    if not (follow_up.owner_id == actor.pk or can_edit_customer(actor, customer)):
        raise ApplicationError(_("You may not log this follow-up."))
    if follow_up.state != FollowUpState.OPEN:
        raise ApplicationError(_("This follow-up is already closed."))
    today = timezone.localdate()
    if next_date is not None and next_date <= today:
        msg = _("The next follow-up must be after today.")
        raise ApplicationError(msg, field_errors={"next_date": [msg]})
    follow_up.state = FollowUpState.DONE
    follow_up.done_at = timezone.now()
    follow_up.channel = channel
    follow_up.notes = notes.strip()
    validate_model(follow_up)
    follow_up.save()
    log_activity(
        actor=actor,
        action="follow_up.done",
        obj=follow_up,
        customer=customer,
        changes={"channel": ["", follow_up.get_channel_display()]},
    )
    follow_up_schedule_next(actor=actor, customer=customer, after=today, due_date=next_date)
    return follow_up
