"""Hospitality spend (issue 8): standards (read by everyone logged in, written by
finance), planned and actual lines per visit, approvals and report data. Who sees what
follows the pages: a salesperson their own visits, a manager the team's, finance and
leaders everything, drivers and reception nothing (403)."""

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from visitflow.accounts.models import User
from visitflow.api.common import ObjectId, actor
from visitflow.api.pagination import PageOrOffsetPagination
from visitflow.api.spend.schemas import (
    ActualIn,
    ActualOut,
    BudgetOut,
    DecisionIn,
    LineIn,
    LineOut,
    LinePatch,
    ReasonIn,
    ReportOut,
    ReportParams,
    StandardIn,
    StandardOut,
)
from visitflow.core.exceptions import ApplicationError
from visitflow.customers.models import CustomerLevel
from visitflow.spend import permissions, selectors, services
from visitflow.spend.models import ActualSpend, SpendLine, SpendStandard
from visitflow.spend.receipts import receipt_response
from visitflow.visits.models import Visit

router = Router(tags=["spend"])


def _field(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def _spend_user(request: HttpRequest) -> User:
    user = actor(request)
    if not permissions.can_use_spend(user):
        raise HttpError(403, _("You may not see hospitality spend."))
    return user


def _visit(user: User, visit_id: int) -> Visit:
    qs = Visit.objects.select_related("customer__level", "host__team")
    scope = selectors.spend_visit_q(user)
    if scope is not None:
        qs = qs.filter(scope)
    visit = qs.prefetch_related("co_hosts").filter(pk=visit_id).first()
    if visit is None:
        raise HttpError(404, _("Not found."))
    return visit


def _line_for_change(user: User, line_id: int) -> SpendLine:
    line = selectors.line_get_for_user(user, line_id)
    if not permissions.can_plan_spend(user, line.visit):
        raise HttpError(403, _("You may not change the spend of this visit."))
    return line


def _line_out(line: SpendLine) -> SpendLine:
    return SpendLine.objects.prefetch_related("actuals").get(pk=line.pk)


# --- Standards -------------------------------------------------------------------------


@router.get("/spend/standards", response=list[StandardOut])
@paginate(PageOrOffsetPagination)
def standard_list(request: HttpRequest) -> QuerySet[SpendStandard]:
    actor(request)
    return SpendStandard.objects.select_related("level").order_by(
        "level__rank", "category", "room_type", "-valid_from", "id"
    )


@router.post("/spend/standards", response={201: StandardOut})
def standard_create(request: HttpRequest, payload: StandardIn) -> Status[SpendStandard]:
    user = actor(request)
    if not permissions.can_manage_standards(user):
        raise HttpError(403, _("Only finance sets the spend standards."))
    level = CustomerLevel.objects.filter(code=payload.level).first()
    if level is None:
        raise _field("level", _("There is no customer level %(code)s.") % {"code": payload.level})
    standard = services.standard_create(
        actor=user,
        level=level,
        category=payload.category,
        room_type=payload.room_type,
        amount=payload.amount,
        valid_from=payload.valid_from,
        manager_max_over_percent=payload.manager_max_over_percent,
        note=payload.note,
    )
    return Status(201, standard)


# --- A visit's lines -------------------------------------------------------------------


@router.get("/visits/{visit_id}/spend", response=BudgetOut)
def visit_spend(request: HttpRequest, visit_id: ObjectId) -> dict[str, Any]:
    visit = _visit(_spend_user(request), visit_id)
    budget = selectors.visit_budget(visit)
    return {
        "visit_id": visit.pk,
        "planned": budget.planned,
        "standard": budget.standard,
        "approved": budget.approved,
        "actual": budget.actual,
        "over": budget.over,
        "pending": budget.pending,
        "refused": budget.refused,
        "lines": budget.rows,
    }


@router.post("/visits/{visit_id}/spend/lines", response={201: LineOut})
def line_plan(request: HttpRequest, visit_id: ObjectId, payload: LineIn) -> Status[SpendLine]:
    user = _spend_user(request)
    visit = _visit(user, visit_id)
    if not permissions.can_plan_spend(user, visit):
        raise HttpError(403, _("You may not change the spend of this visit."))
    line = services.line_plan(actor=user, visit=visit, **payload.model_dump())
    return Status(201, _line_out(line))


@router.get("/spend/lines/{line_id}", response=LineOut)
def line_detail(request: HttpRequest, line_id: ObjectId) -> SpendLine:
    return _line_out(selectors.line_get_for_user(_spend_user(request), line_id))


@router.patch("/spend/lines/{line_id}", response=LineOut)
def line_update(request: HttpRequest, line_id: ObjectId, payload: LinePatch) -> SpendLine:
    user = _spend_user(request)
    line = _line_for_change(user, line_id)
    data = payload.model_dump(exclude_unset=True)
    return _line_out(services.line_update(actor=user, line=line, data=data))


@router.post("/spend/lines/{line_id}/void", response=LineOut)
def line_void(request: HttpRequest, line_id: ObjectId, payload: ReasonIn) -> SpendLine:
    user = _spend_user(request)
    line = _line_for_change(user, line_id)
    return _line_out(services.line_void(actor=user, line=line, reason=payload.reason))


@router.post("/spend/lines/{line_id}/resubmit", response=LineOut)
def line_resubmit(request: HttpRequest, line_id: ObjectId, payload: ReasonIn) -> SpendLine:
    user = _spend_user(request)
    line = _line_for_change(user, line_id)
    return _line_out(services.line_submit_over(actor=user, line=line, reason=payload.reason))


# --- Approvals -------------------------------------------------------------------------


@router.get("/spend/approvals", response=list[LineOut])
@paginate(PageOrOffsetPagination)
def approval_list(request: HttpRequest) -> QuerySet[SpendLine]:
    user = _spend_user(request)
    return selectors.approvals_for_user(user).prefetch_related("actuals")


def _decider(request: HttpRequest, line_id: int) -> tuple[User, SpendLine]:
    user = _spend_user(request)
    line = selectors.line_get_for_user(user, line_id)
    if not permissions.is_approver(user):
        raise HttpError(403, _("You do not approve spend."))
    return user, line


@router.post("/spend/lines/{line_id}/approve", response=LineOut)
def line_approve(request: HttpRequest, line_id: ObjectId, payload: DecisionIn) -> SpendLine:
    user, line = _decider(request, line_id)
    return _line_out(services.line_approve(actor=user, line=line, note=payload.note))


@router.post("/spend/lines/{line_id}/refuse", response=LineOut)
def line_refuse(request: HttpRequest, line_id: ObjectId, payload: DecisionIn) -> SpendLine:
    user, line = _decider(request, line_id)
    return _line_out(services.line_refuse(actor=user, line=line, note=payload.note))


# --- Actual spend ----------------------------------------------------------------------


@router.post("/spend/lines/{line_id}/actuals", response={201: ActualOut})
def actual_record(
    request: HttpRequest, line_id: ObjectId, payload: ActualIn
) -> Status[ActualSpend]:
    user = _spend_user(request)
    line = selectors.line_get_for_user(user, line_id)
    if not permissions.can_record_actual(user, line):
        raise HttpError(403, _("You may not record spend on this line."))
    payer = User.objects.filter(pk=payload.payer, is_active=True).first()
    if payer is None:
        raise _field("payer", _("Choose an active person who paid."))
    actual = services.actual_record(
        actor=user,
        line=line,
        amount=payload.amount,
        currency=payload.currency,
        exchange_rate=payload.exchange_rate,
        payer=payer,
        paid_on=payload.paid_on,
        deviation_note=payload.deviation_note,
    )
    return Status(201, actual)


@router.post("/spend/actuals/{actual_id}/receipt", response=ActualOut)
def actual_receipt(
    request: HttpRequest, actual_id: ObjectId, receipt: File[UploadedFile]
) -> ActualSpend:
    """Attach the invoice or receipt (multipart, field `receipt`) to spend recorded
    without one."""
    user = _spend_user(request)
    actual = selectors.actual_get_for_user(user, actual_id)
    if not permissions.can_plan_spend(user, actual.line.visit):
        raise HttpError(403, _("You may not change the spend of this visit."))
    return services.actual_attach_receipt(actor=user, actual=actual, receipt=receipt)


@router.get("/spend/actuals/{actual_id}/receipt")
def actual_receipt_download(request: HttpRequest, actual_id: ObjectId) -> FileResponse:
    user = _spend_user(request)
    actual = selectors.actual_get_for_user(user, actual_id)
    if not permissions.can_download_receipt(user, actual):
        raise HttpError(404, _("Not found."))
    return receipt_response(actual)


@router.post("/spend/actuals/{actual_id}/void", response=ActualOut)
def actual_void(request: HttpRequest, actual_id: ObjectId, payload: ReasonIn) -> ActualSpend:
    user = _spend_user(request)
    actual = selectors.actual_get_for_user(user, actual_id)
    if not permissions.can_plan_spend(user, actual.line.visit):
        raise HttpError(403, _("You may not change the spend of this visit."))
    return services.actual_void(actor=user, actual=actual, reason=payload.reason)


@router.post("/spend/actuals/{actual_id}/confirm", response=ActualOut)
def actual_confirm(request: HttpRequest, actual_id: ObjectId) -> ActualSpend:
    user = _spend_user(request)
    actual = selectors.actual_get_for_user(user, actual_id)
    if not permissions.can_confirm_actuals(user):
        raise HttpError(403, _("Only finance confirms spend for reimbursement."))
    return services.actual_confirm(actor=user, actual=actual)


# --- Reports ---------------------------------------------------------------------------


@router.get("/spend/report", response=ReportOut)
def report(request: HttpRequest, params: Query[ReportParams]) -> dict[str, Any]:
    user = _spend_user(request)
    qs = selectors.report_lines(user, selectors.ReportFilters(start=params.start, end=params.end))
    totals = selectors.report_totals(qs)
    rows = selectors.report_by(qs, params.group)
    return {
        "group": params.group,
        "planned": totals.planned,
        "standard": totals.standard,
        "actual": totals.actual,
        "lines": totals.lines,
        "within_rate": totals.within_rate,
        "rows": [{**row.__dict__, "within_rate": row.within_rate} for row in rows],
    }
