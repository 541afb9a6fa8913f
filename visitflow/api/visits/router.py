"""Visits (SOP 5.1): the visit, its party, itinerary, steps, requests, return call and
follow-ups. Reads go through the scoped selectors (a foreign id is a 404); a visible object
the caller may not change is a 403; a move the life cycle does not allow is a 409."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from visitflow.accounts.models import User
from visitflow.api.common import ObjectId, actor
from visitflow.api.pagination import PageOrOffsetPagination
from visitflow.api.visits.schemas import (
    FollowUpLogIn,
    FollowUpOut,
    LegIn,
    LegOut,
    LegPatch,
    OutcomeIn,
    RequestIn,
    RequestOut,
    RequestPatch,
    ReturnCallIn,
    ReturnCallOut,
    StepItemIn,
    StepItemOut,
    StepOut,
    StepSkipIn,
    TransitionIn,
    VisitFilterParams,
    VisitIn,
    VisitListItemOut,
    VisitorIn,
    VisitorOut,
    VisitorPatch,
    VisitOut,
    VisitPatch,
)
from visitflow.core.exceptions import ApplicationError
from visitflow.customers.models import Contact
from visitflow.customers.permissions import can_edit_customer, can_list_customers
from visitflow.customers.selectors import customer_base_qs_for_user
from visitflow.visits import services
from visitflow.visits.models import (
    FollowUp,
    FollowUpState,
    ReturnCall,
    TravelLeg,
    Visit,
    Visitor,
    VisitRequest,
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
from visitflow.visits.selectors import (
    VisitFilters,
    feedback_list_for_user,
    follow_up_get_for_user,
    follow_up_list_for_user,
    host_choices_for_user,
    leg_get_for_user,
    request_get_for_user,
    request_list_for_user,
    step_get_for_user,
    visit_base_qs_for_user,
    visit_detail_parts,
    visit_get_for_user,
    visit_list_for_user,
)
from visitflow.visits.services_cover import visit_clash_notify

router = Router(tags=["visits"])


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def _require_reader(user: User) -> None:
    if not can_list_customers(user):
        raise HttpError(403, _("You may not see visits."))


def _require_editor(user: User, visit: Visit) -> None:
    if not can_edit_visit(user, visit):
        raise HttpError(403, _("You may not change this visit."))


def _require_editable(user: User, visit: Visit) -> None:
    _require_editor(user, visit)
    if visit.status not in services.EDITABLE_STATES:
        raise HttpError(409, _("This visit is closed; it can no longer be changed."))


def _with_parts(visit: Visit) -> Visit:
    """The visit as VisitOut reads it: its party, legs, steps… fetched in one go."""
    visit.detail_parts = visit_detail_parts(visit)  # type: ignore[attr-defined]
    return visit


def _host(user: User, host_id: int) -> User:
    host = host_choices_for_user(user).filter(pk=host_id).first()
    if host is None:
        raise _field_error("host", _("This person cannot host the visit."))
    return host


def _co_hosts(user: User, ids: list[int]) -> list[User]:
    people = list(host_choices_for_user(user).filter(pk__in=ids))
    if len(people) != len(set(ids)):
        raise _field_error("co_hosts", _("One of the co-hosts cannot be chosen."))
    return people


def _visitor_get_for_user(user: User, pk: int) -> Visitor:
    # No visitor selector yet: scoped here through the visits the user may see.
    visitor = (
        Visitor.objects.filter(pk=pk, visit__in=visit_base_qs_for_user(user))
        .select_related("visit", "visit__customer", "visit__host")
        .first()
    )
    if visitor is None:
        raise Http404
    return visitor


def _step_item_get_for_user(user: User, pk: int) -> VisitStepItem:
    item = (
        VisitStepItem.objects.filter(pk=pk, step__visit__in=visit_base_qs_for_user(user))
        .select_related("step", "step__visit", "step__visit__customer", "step__visit__host")
        .first()
    )
    if item is None:
        raise Http404
    return item


def _check_leg_times(data: dict[str, Any]) -> None:
    departs, arrives = data.get("departs_at"), data.get("arrives_at")
    if departs is not None and arrives is not None and arrives <= departs:
        raise _field_error("arrives_at", _("The arrival must be after the departure."))


# --- Visits ------------------------------------------------------------------------------


@router.get("/visits", response=list[VisitListItemOut])
@paginate(PageOrOffsetPagination)
def visit_list(request: HttpRequest, filters: Query[VisitFilterParams]) -> QuerySet[Visit]:
    user = actor(request)
    _require_reader(user)
    return visit_list_for_user(
        user,
        VisitFilters(
            q=filters.q,
            status=filters.status,
            host=filters.host,
            period=filters.period,
            customer=filters.customer,
            outcome=filters.outcome,
        ),
    )


@router.post("/visits", response={201: VisitOut})
def visit_create(request: HttpRequest, payload: VisitIn) -> Status[Visit]:
    user = actor(request)
    if not can_create_visit(user):
        raise HttpError(403, _("You may not register visits."))
    customer = customer_base_qs_for_user(user).filter(pk=payload.customer).first()
    if customer is None:
        raise _field_error("customer", _("There is no such customer among yours."))
    if not can_edit_customer(user, customer):
        raise HttpError(403, _("You may not register visits for this customer."))
    data = payload.model_dump(exclude={"customer"})
    data["host"] = _host(user, payload.host) if payload.host is not None else None
    data["co_hosts"] = _co_hosts(user, payload.co_hosts)
    visit = services.visit_create(actor=user, customer=customer, **data)
    visit_clash_notify(actor=user, visit=visit)
    return Status(201, _with_parts(visit_get_for_user(user, visit.pk)))


@router.get("/visits/{visit_id}", response=VisitOut)
def visit_detail(request: HttpRequest, visit_id: ObjectId) -> Visit:
    return _with_parts(visit_get_for_user(actor(request), visit_id))


@router.patch("/visits/{visit_id}", response=VisitOut)
def visit_update(request: HttpRequest, visit_id: ObjectId, payload: VisitPatch) -> Visit:
    user = actor(request)
    visit = visit_get_for_user(user, visit_id)
    _require_editable(user, visit)
    data = payload.model_dump(exclude_unset=True)
    reason = data.pop("reschedule_reason", "")
    if "host" in data:
        data["host"] = _host(user, data["host"])
    if "co_hosts" in data:
        data["co_hosts"] = _co_hosts(user, data["co_hosts"])
    updated = services.visit_update(actor=user, visit=visit, data=data, reschedule_reason=reason)
    visit_clash_notify(actor=user, visit=updated)
    return _with_parts(visit_get_for_user(user, visit_id))


TRANSITION_SERVICES: dict[str, Callable[..., Visit]] = {
    VisitStatus.DRAFT: services.visit_reopen,
    VisitStatus.CONFIRMED: services.visit_confirm,
    VisitStatus.IN_PROGRESS: services.visit_mark_arrived,
    VisitStatus.DEPARTED: services.visit_mark_departed,
    VisitStatus.CLOSED: services.visit_close,
    VisitStatus.CANCELLED: services.visit_cancel,
}


@router.post("/visits/{visit_id}/transitions", response=VisitOut)
def visit_transition(request: HttpRequest, visit_id: ObjectId, payload: TransitionIn) -> Visit:
    user = actor(request)
    visit = visit_get_for_user(user, visit_id)
    _require_editor(user, visit)
    target = VisitStatus(payload.to)
    if not services.can_transition(visit, target):
        raise HttpError(
            409,
            _("A visit that is “%(current)s” cannot become “%(target)s”.")
            % {"current": visit.get_status_display(), "target": target.label},
        )
    if target == VisitStatus.CONFIRMED:
        missing = services.visit_missing_for_confirmation(visit)
        if missing:
            raise HttpError(
                409,
                _("The visit cannot be confirmed yet: %(missing)s")
                % {"missing": " ".join(missing)},
            )
    extra = {"reason": payload.reason} if target == VisitStatus.CANCELLED else {}
    TRANSITION_SERVICES[target](actor=user, visit=visit, **extra)
    if target == VisitStatus.CONFIRMED:
        visit_clash_notify(actor=user, visit=visit)
    return _with_parts(visit_get_for_user(user, visit_id))


# --- The party ---------------------------------------------------------------------------


@router.post("/visits/{visit_id}/visitors", response={201: VisitorOut})
def visitor_add(request: HttpRequest, visit_id: ObjectId, payload: VisitorIn) -> Status[Visitor]:
    user = actor(request)
    visit = visit_get_for_user(user, visit_id)
    _require_editable(user, visit)
    data = payload.model_dump(exclude={"contact", "save_as_contact"})
    contact: Contact | None = None
    if payload.contact is not None:
        contact = visit.customer.contacts.filter(pk=payload.contact).first()
        if contact is None:
            raise _field_error("contact", _("This contact belongs to another customer."))
    elif not payload.name.strip():
        raise _field_error("name", _("Name the visitor or choose a contact."))
    visitor = services.visitor_add(
        actor=user,
        visit=visit,
        contact=contact,
        save_as_contact=payload.save_as_contact,
        **data,
    )
    return Status(201, visitor)


@router.patch("/visitors/{visitor_id}", response=VisitorOut)
def visitor_update(request: HttpRequest, visitor_id: ObjectId, payload: VisitorPatch) -> Visitor:
    user = actor(request)
    visitor = _visitor_get_for_user(user, visitor_id)
    _require_editable(user, visitor.visit)
    return services.visitor_update(
        actor=user, visitor=visitor, data=payload.model_dump(exclude_unset=True)
    )


@router.delete("/visitors/{visitor_id}", response={204: None})
def visitor_remove(request: HttpRequest, visitor_id: ObjectId) -> Status[None]:
    user = actor(request)
    visitor = _visitor_get_for_user(user, visitor_id)
    _require_editable(user, visitor.visit)
    services.visitor_remove(actor=user, visitor=visitor)
    return Status(204, None)


# --- The itinerary -----------------------------------------------------------------------


@router.post("/visits/{visit_id}/legs", response={201: LegOut})
def leg_add(request: HttpRequest, visit_id: ObjectId, payload: LegIn) -> Status[TravelLeg]:
    user = actor(request)
    visit = visit_get_for_user(user, visit_id)
    _require_editable(user, visit)
    data = payload.model_dump()
    _check_leg_times(data)
    return Status(201, services.leg_add(actor=user, visit=visit, **data))


@router.patch("/legs/{leg_id}", response=LegOut)
def leg_update(request: HttpRequest, leg_id: ObjectId, payload: LegPatch) -> TravelLeg:
    user = actor(request)
    leg = leg_get_for_user(user, leg_id)
    _require_editable(user, leg.visit)
    data = payload.model_dump(exclude_unset=True)
    _check_leg_times(
        {
            "departs_at": data.get("departs_at", leg.departs_at),
            "arrives_at": data.get("arrives_at", leg.arrives_at),
        }
    )
    return services.leg_update(actor=user, leg=leg, data=data)


@router.delete("/legs/{leg_id}", response={204: None})
def leg_remove(request: HttpRequest, leg_id: ObjectId) -> Status[None]:
    user = actor(request)
    leg = leg_get_for_user(user, leg_id)
    _require_editable(user, leg.visit)
    services.leg_remove(actor=user, leg=leg)
    return Status(204, None)


# --- Steps -------------------------------------------------------------------------------


@router.get("/visits/{visit_id}/steps", response=list[StepOut])
def step_list(request: HttpRequest, visit_id: ObjectId) -> list[VisitStep]:
    visit = visit_get_for_user(actor(request), visit_id)
    return visit_detail_parts(visit)["steps"]  # type: ignore[return-value]


def _work_step(user: User, step: VisitStep) -> None:
    if not can_work_step(user, step):
        raise HttpError(403, _("Only the step's owner or the visit's host may do this."))
    if step.visit.status == VisitStatus.CANCELLED:
        raise HttpError(409, _("This visit is cancelled."))


def _step_out(step: VisitStep) -> VisitStep:
    """The step as StepOut reads it (owner, done by and items in two queries)."""
    return (
        VisitStep.objects.filter(pk=step.pk)
        .select_related("playbook_step", "owner", "done_by")
        .prefetch_related("items")
        .get()
    )


@router.post("/steps/{step_id}/complete", response=StepOut)
def step_complete(request: HttpRequest, step_id: ObjectId) -> VisitStep:
    user = actor(request)
    step = step_get_for_user(user, step_id)
    _work_step(user, step)
    return _step_out(services.step_complete(actor=user, step=step))


@router.post("/steps/{step_id}/skip", response=StepOut)
def step_skip(request: HttpRequest, step_id: ObjectId, payload: StepSkipIn) -> VisitStep:
    user = actor(request)
    step = step_get_for_user(user, step_id)
    _work_step(user, step)
    return _step_out(services.step_skip(actor=user, step=step, reason=payload.reason))


@router.post("/steps/{step_id}/reopen", response=StepOut)
def step_reopen(request: HttpRequest, step_id: ObjectId) -> VisitStep:
    user = actor(request)
    step = step_get_for_user(user, step_id)
    _work_step(user, step)
    return _step_out(services.step_reopen(actor=user, step=step))


@router.post("/step-items/{item_id}", response=StepItemOut)
def step_item_toggle(request: HttpRequest, item_id: ObjectId, payload: StepItemIn) -> VisitStepItem:
    user = actor(request)
    item = _step_item_get_for_user(user, item_id)
    _work_step(user, item.step)
    return services.step_item_toggle(actor=user, item=item, done=payload.done)


# --- Requests ----------------------------------------------------------------------------


@router.get("/requests", response=list[RequestOut])
@paginate(PageOrOffsetPagination)
def request_list(request: HttpRequest) -> QuerySet[VisitRequest]:
    user = actor(request)
    _require_reader(user)
    return request_list_for_user(user)


@router.post("/visits/{visit_id}/requests", response={201: RequestOut})
def request_create(
    request: HttpRequest, visit_id: ObjectId, payload: RequestIn
) -> Status[VisitRequest]:
    user = actor(request)
    visit = visit_get_for_user(user, visit_id)
    _require_editor(user, visit)
    owner = None
    if payload.owner is not None:
        # Whoever takes it on (engineering, finance…), as long as they still work here.
        owner = User.objects.filter(pk=payload.owner, is_active=True).first()
        if owner is None:
            raise _field_error("owner", _("This person cannot take on the request."))
    created = services.request_create(
        actor=user,
        visit=visit,
        title=payload.title,
        details=payload.details,
        owner=owner,
        due_date=payload.due_date,
    )
    return Status(201, created)


@router.patch("/requests/{request_id}", response=RequestOut)
def request_update(
    request: HttpRequest, request_id: ObjectId, payload: RequestPatch
) -> VisitRequest:
    user = actor(request)
    visit_request = request_get_for_user(user, request_id)
    if not (visit_request.owner_id == user.pk or can_edit_visit(user, visit_request.visit)):
        raise HttpError(403, _("You may not change this request."))
    return services.request_set_state(
        actor=user,
        request=visit_request,
        state=payload.state or visit_request.state,
        resolution=payload.resolution or "",
    )


# --- Return call and feedback ------------------------------------------------------------


@router.post("/visits/{visit_id}/return-call", response=ReturnCallOut)
def return_call_record(
    request: HttpRequest, visit_id: ObjectId, payload: ReturnCallIn
) -> ReturnCall:
    user = actor(request)
    visit = visit_get_for_user(user, visit_id)
    _require_editor(user, visit)
    if visit.status not in (VisitStatus.DEPARTED, VisitStatus.CLOSED):
        raise HttpError(409, _("The return call is made after the visitors have left."))
    return services.return_call_record(actor=user, visit=visit, **payload.model_dump())


@router.post("/visits/{visit_id}/outcome", response=VisitOut)
def visit_record_outcome(request: HttpRequest, visit_id: ObjectId, payload: OutcomeIn) -> Visit:
    """Issues 7 and 9: deal (with its amount), still negotiating or no deal."""
    user = actor(request)
    visit = visit_get_for_user(user, visit_id)
    if not can_record_outcome(user, visit):
        raise HttpError(403, _("You may not record the outcome of this visit."))
    if visit.status not in services.OUTCOME_STATES:
        raise HttpError(409, _("The outcome is recorded once the visitors have arrived."))
    services.visit_record_outcome(
        actor=user,
        visit=visit,
        outcome=payload.outcome,
        amount=payload.amount,
        note=payload.note,
    )
    return _with_parts(visit_get_for_user(user, visit_id))


@router.get("/feedback", response=list[ReturnCallOut])
@paginate(PageOrOffsetPagination)
def feedback_list(request: HttpRequest) -> QuerySet[ReturnCall]:
    user = actor(request)
    _require_reader(user)
    return feedback_list_for_user(user)


# --- Follow-ups --------------------------------------------------------------------------


@router.get("/follow-ups", response=list[FollowUpOut])
@paginate(PageOrOffsetPagination)
def follow_up_list(request: HttpRequest) -> QuerySet[FollowUp]:
    user = actor(request)
    _require_reader(user)
    return follow_up_list_for_user(user)


@router.post("/follow-ups/{follow_up_id}/log", response=FollowUpOut)
def follow_up_log(request: HttpRequest, follow_up_id: ObjectId, payload: FollowUpLogIn) -> FollowUp:
    user = actor(request)
    follow_up = follow_up_get_for_user(user, follow_up_id)
    if not (follow_up.owner_id == user.pk or can_edit_customer(user, follow_up.customer)):
        raise HttpError(403, _("You may not log this follow-up."))
    if follow_up.state != FollowUpState.OPEN:
        raise HttpError(409, _("This follow-up is already closed."))
    return services.follow_up_log(
        actor=user,
        follow_up=follow_up,
        channel=payload.channel,
        notes=payload.notes,
        next_date=payload.next_date,
    )
