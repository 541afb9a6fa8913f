"""SOP 5.2 in the API: absences (own; a manager's team's; administrators all), cover
requests and their answers, the manager's cover-needed list, and reschedule proposals.
Reads go through the scoped selectors (a foreign id is a 404); a visible object the caller
may not change is a 403; an answer the state does not allow is a 409."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from visitflow.accounts.models import Absence, User
from visitflow.accounts.permissions import can_change_absence
from visitflow.accounts.selectors_absences import (
    AbsenceFilters,
    absence_get_for_user,
    absence_list_for_user,
    absence_people_for_user,
)
from visitflow.accounts.services_absences import (
    MAX_IMPORT_BYTES,
    absence_create,
    absence_delete,
    absence_import_file,
    absence_update,
)
from visitflow.api.absences.schemas import (
    AbsenceFilterParams,
    AbsenceIn,
    AbsenceOut,
    AbsencePatch,
    AbsenceWriteOut,
    CoverAssignIn,
    CoverDeclineIn,
    CoverIn,
    CoverListParams,
    CoverNeededOut,
    CoverOut,
    ImportOut,
    ProposalAgreedOut,
    ProposalDeclineIn,
    ProposalIn,
    ProposalOut,
)
from visitflow.api.common import ObjectId, actor
from visitflow.api.pagination import PageOrOffsetPagination
from visitflow.core.exceptions import ApplicationError
from visitflow.visits import services_cover as cover_services
from visitflow.visits.models import (
    CoverRequest,
    CoverState,
    RescheduleState,
    Visit,
    VisitReschedule,
)
from visitflow.visits.permissions import can_hand_over_visit
from visitflow.visits.selectors import visit_get_for_user
from visitflow.visits.selectors_cover import (
    can_view_cover_needed,
    cover_get_for_user,
    cover_list_for_user,
    cover_needed_for_user,
    proposal_get_for_user,
)

router = Router(tags=["absences and cover"])


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def _person(user: User, person_id: int | None) -> User:
    if person_id is None:
        return user
    person = absence_people_for_user(user).filter(pk=person_id).first()
    if person is None:
        raise _field_error("person", _("You may not record absences for this person."))
    return person


def _with_clashes(absence: Absence) -> Absence:
    visits = cover_services.absence_clashing_visits(absence)
    absence.clashes = visits  # type: ignore[attr-defined]
    absence.warnings = [  # type: ignore[attr-defined]
        _("%(person)s hosts %(customer)s from %(start)s during this absence.")
        % {"person": absence.person, "customer": v.customer, "start": v.starts_at.isoformat()}
        for v in visits
    ]
    return absence


# --- Absences ----------------------------------------------------------------------------


@router.get("/absences", response=list[AbsenceOut])
@paginate(PageOrOffsetPagination)
def absence_list(request: HttpRequest, filters: Query[AbsenceFilterParams]) -> QuerySet[Absence]:
    return absence_list_for_user(
        actor(request), AbsenceFilters(person=filters.person, period=filters.period)
    )


@router.post("/absences", response={201: AbsenceWriteOut})
def absence_create_endpoint(request: HttpRequest, payload: AbsenceIn) -> Status[Absence]:
    user = actor(request)
    if payload.ends_on < payload.starts_on:
        raise _field_error("ends_on", _("The last day away cannot be before the first."))
    data = payload.model_dump(exclude={"person"})
    absence = absence_create(actor=user, person=_person(user, payload.person), **data)
    return Status(201, _with_clashes(absence_get_for_user(user, absence.pk)))


@router.post("/absences/import", response={201: ImportOut, 422: ImportOut})
def absence_import(request: HttpRequest, file: File[UploadedFile]) -> Status[dict[str, object]]:
    """An Excel workbook (.xlsx, first sheet) or a CSV file (UTF-8 or GBK) with the
    columns username, kind, destination, starts_on, ends_on, note. All or nothing: any
    wrong row is reported with its line, and nothing is saved."""
    result = absence_import_file(actor=actor(request), content=file.read(MAX_IMPORT_BYTES + 1))
    body: dict[str, object] = {
        "created": len(result.created),
        "errors": [{"line": e.line, "message": e.message} for e in result.errors],
    }
    return Status(422 if result.errors else 201, body)


@router.get("/absences/{absence_id}", response=AbsenceOut)
def absence_detail(request: HttpRequest, absence_id: ObjectId) -> Absence:
    return absence_get_for_user(actor(request), absence_id)


@router.patch("/absences/{absence_id}", response=AbsenceWriteOut)
def absence_update_endpoint(
    request: HttpRequest, absence_id: ObjectId, payload: AbsencePatch
) -> Absence:
    user = actor(request)
    absence = absence_get_for_user(user, absence_id)
    if not can_change_absence(user, absence):
        raise HttpError(403, _("You may not change this absence."))
    absence = absence_update(
        actor=user, absence=absence, data=payload.model_dump(exclude_unset=True)
    )
    return _with_clashes(absence_get_for_user(user, absence.pk))


@router.delete("/absences/{absence_id}", response={204: None})
def absence_delete_endpoint(request: HttpRequest, absence_id: ObjectId) -> Status[None]:
    user = actor(request)
    absence = absence_get_for_user(user, absence_id)
    if not can_change_absence(user, absence):
        raise HttpError(403, _("You may not change this absence."))
    absence_delete(actor=user, absence=absence)
    return Status(204, None)


# --- Cover: stand-in hosts ---------------------------------------------------------------


def _cover_out(user: User, cover: CoverRequest) -> CoverRequest:
    return cover_get_for_user(user, cover.pk)


def _require_hand_over(user: User, cover: CoverRequest) -> None:
    if not can_hand_over_visit(user, cover.visit):
        raise HttpError(
            403, _("Only the host, their manager or an administrator may hand this visit over.")
        )


@router.get("/cover-requests", response=list[CoverOut])
@paginate(PageOrOffsetPagination)
def cover_list(request: HttpRequest, params: Query[CoverListParams]) -> QuerySet[CoverRequest]:
    return cover_list_for_user(actor(request), open_only=params.open_only)


@router.post("/visits/{visit_id}/cover-requests", response={201: CoverOut})
def cover_request_create(
    request: HttpRequest, visit_id: ObjectId, payload: CoverIn
) -> Status[CoverRequest]:
    user = actor(request)
    visit = visit_get_for_user(user, visit_id)
    if not can_hand_over_visit(user, visit):
        raise HttpError(
            403, _("Only the host, their manager or an administrator may hand this visit over.")
        )
    stand_in = None
    if payload.stand_in is not None:
        stand_in = User.objects.filter(pk=payload.stand_in, is_active=True).first()
        if stand_in is None:
            raise _field_error("stand_in", _("There is no such colleague."))
    if visit.cover_requests.filter(
        state__in=[CoverState.REQUESTED, CoverState.ASSIGNED, CoverState.ACCEPTED]
    ).exists():
        raise HttpError(409, _("This visit already has a cover request."))
    cover = cover_services.cover_request(
        actor=user, visit=visit, note=payload.note, stand_in=stand_in
    )
    return Status(201, _cover_out(user, cover))


@router.get("/cover-requests/{cover_id}", response=CoverOut)
def cover_detail(request: HttpRequest, cover_id: ObjectId) -> CoverRequest:
    return cover_get_for_user(actor(request), cover_id)


@router.post("/cover-requests/{cover_id}/assign", response=CoverOut)
def cover_assign(request: HttpRequest, cover_id: ObjectId, payload: CoverAssignIn) -> CoverRequest:
    user = actor(request)
    cover = cover_get_for_user(user, cover_id)
    _require_hand_over(user, cover)
    if cover.state == CoverState.CANCELLED:
        raise HttpError(409, _("This cover request is withdrawn."))
    stand_in = User.objects.filter(pk=payload.stand_in, is_active=True).first()
    if stand_in is None:
        raise _field_error("stand_in", _("There is no such colleague."))
    cover_services.cover_assign(actor=user, cover=cover, stand_in=stand_in)
    return _cover_out(user, cover)


def _require_asked(user: User, cover: CoverRequest) -> None:
    if cover.stand_in_id != user.pk:
        raise HttpError(403, _("Only the chosen stand-in may answer."))
    if cover.state != CoverState.ASSIGNED:
        raise HttpError(409, _("This cover request is not waiting for your answer."))


@router.post("/cover-requests/{cover_id}/accept", response=CoverOut)
def cover_accept(request: HttpRequest, cover_id: ObjectId) -> CoverRequest:
    user = actor(request)
    cover = cover_get_for_user(user, cover_id)
    _require_asked(user, cover)
    cover_services.cover_accept(actor=user, cover=cover)
    return _cover_out(user, cover)


@router.post("/cover-requests/{cover_id}/decline", response=CoverOut)
def cover_decline(
    request: HttpRequest, cover_id: ObjectId, payload: CoverDeclineIn
) -> CoverRequest:
    user = actor(request)
    cover = cover_get_for_user(user, cover_id)
    _require_asked(user, cover)
    # Declined, they are no longer part of it: the answer is the request as it now stands.
    return cover_services.cover_decline(actor=user, cover=cover, note=payload.note)


@router.post("/cover-requests/{cover_id}/cancel", response=CoverOut)
def cover_cancel(request: HttpRequest, cover_id: ObjectId) -> CoverRequest:
    user = actor(request)
    cover = cover_get_for_user(user, cover_id)
    _require_hand_over(user, cover)
    if cover.state == CoverState.CANCELLED:
        raise HttpError(409, _("This cover request is withdrawn."))
    cover_services.cover_cancel(actor=user, cover=cover)
    return _cover_out(user, cover)


@router.get("/cover-needed", response=list[CoverNeededOut])
@paginate(PageOrOffsetPagination)
def cover_needed(request: HttpRequest) -> QuerySet[Visit]:
    user = actor(request)
    if not can_view_cover_needed(user):
        raise HttpError(403, _("Only managers and administrators see what needs cover."))
    return cover_needed_for_user(user)


# --- Reschedule proposals ------------------------------------------------------------------


@router.get("/visits/{visit_id}/reschedule-proposals", response=list[ProposalOut])
def proposal_list(request: HttpRequest, visit_id: ObjectId) -> list[VisitReschedule]:
    visit = visit_get_for_user(actor(request), visit_id)
    return list(visit.reschedules.select_related("by").order_by("-created", "-id")[:100])


@router.post("/visits/{visit_id}/reschedule-proposals", response={201: ProposalOut})
def proposal_create(
    request: HttpRequest, visit_id: ObjectId, payload: ProposalIn
) -> Status[VisitReschedule]:
    user = actor(request)
    visit = visit_get_for_user(user, visit_id)
    if not can_hand_over_visit(user, visit):
        raise HttpError(
            403, _("Only the host, their manager or an administrator may hand this visit over.")
        )
    if visit.reschedules.filter(state=RescheduleState.PROPOSED).exists():
        raise HttpError(409, _("This visit already has new dates proposed."))
    proposal = cover_services.reschedule_propose(actor=user, visit=visit, **payload.model_dump())
    return Status(201, proposal)


def _proposal_for_answer(user: User, proposal_id: int) -> VisitReschedule:
    proposal = proposal_get_for_user(user, proposal_id)
    if not can_hand_over_visit(user, proposal.visit):
        raise HttpError(
            403, _("Only the host, their manager or an administrator may hand this visit over.")
        )
    if proposal.state != RescheduleState.PROPOSED:
        raise HttpError(
            409,
            _("These dates are “%(state)s”; there is nothing to answer.")
            % {"state": proposal.get_state_display()},
        )
    return proposal


@router.post("/reschedule-proposals/{proposal_id}/agree", response=ProposalAgreedOut)
def proposal_agree(request: HttpRequest, proposal_id: ObjectId) -> VisitReschedule:
    user = actor(request)
    proposal = _proposal_for_answer(user, proposal_id)
    outcome = cover_services.reschedule_agree(actor=user, proposal=proposal)
    result = proposal_get_for_user(user, proposal.pk)
    result.moved = outcome.moved  # type: ignore[attr-defined]
    result.released = outcome.released  # type: ignore[attr-defined]
    return result


@router.post("/reschedule-proposals/{proposal_id}/decline", response=ProposalOut)
def proposal_decline(
    request: HttpRequest, proposal_id: ObjectId, payload: ProposalDeclineIn
) -> VisitReschedule:
    user = actor(request)
    proposal = _proposal_for_answer(user, proposal_id)
    cover_services.reschedule_decline(actor=user, proposal=proposal, note=payload.note)
    return proposal_get_for_user(user, proposal.pk)


@router.post("/reschedule-proposals/{proposal_id}/withdraw", response=ProposalOut)
def proposal_withdraw(request: HttpRequest, proposal_id: ObjectId) -> VisitReschedule:
    user = actor(request)
    proposal = _proposal_for_answer(user, proposal_id)
    cover_services.reschedule_withdraw(actor=user, proposal=proposal)
    return proposal_get_for_user(user, proposal.pk)
