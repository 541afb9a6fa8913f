"""Trade shows (SOP 5.3): shows, invitations with their answers and calls, the booth
checklist, check-in by code, leads and their assignment. Reads go through the scoped
selectors (a foreign id is a 404); a visible object the caller may not change is a 403."""

from dataclasses import asdict

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from visitflow.accounts.models import Role, User
from visitflow.api.common import ObjectId, actor
from visitflow.api.pagination import PageOrOffsetPagination
from visitflow.api.tradeshows.schemas import (
    AdvanceIn,
    AssignedOut,
    AssignIn,
    BoothVisitOut,
    CallIn,
    CardFieldsOut,
    CheckInIn,
    ChecklistItemOut,
    FunnelOut,
    InvitationDetailOut,
    InvitationFilterParams,
    InvitationOut,
    InvitationsIn,
    LeadIn,
    LeadOut,
    ShowIn,
    ShowOut,
)
from visitflow.core.exceptions import ApplicationError
from visitflow.tradeshows import ratelimit
from visitflow.tradeshows.models import BoothChecklistItem, Invitation, Lead, TradeShow
from visitflow.tradeshows.ocr import CardImageError, max_bytes, read_card
from visitflow.tradeshows.permissions import (
    can_create_show,
    can_invite,
    can_list_shows,
    can_manage_show,
    can_view_booth,
    can_work_invitation,
    is_booth_staff,
)
from visitflow.tradeshows.selectors import tradeshow_get_for_user, tradeshow_list_for_user
from visitflow.tradeshows.selectors_invitations import (
    InvitationFilters,
    contacts_for_user,
    invitation_get_for_user,
    invitation_list_for_user,
)
from visitflow.tradeshows.selectors_leads import (
    funnel_total,
    lead_get_for_user,
    lead_list_for_user,
    show_funnel,
)
from visitflow.tradeshows.services import booth, checklist, invitations, leads, shows

router = Router(tags=["trade shows"])


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


@router.get("/tradeshows", response=list[ShowOut])
@paginate(PageOrOffsetPagination)
def show_list(request: HttpRequest) -> QuerySet[TradeShow]:
    user = actor(request)
    if not can_list_shows(user):
        raise HttpError(403, _("You may not see trade shows."))
    return tradeshow_list_for_user(user)


@router.post("/tradeshows", response={201: ShowOut})
def show_create(request: HttpRequest, payload: ShowIn) -> Status[TradeShow]:
    user = actor(request)
    if not can_create_show(user):
        raise HttpError(403, _("You may not organise trade shows."))
    team = list(User.objects.filter(pk__in=payload.team, is_active=True).exclude(role=Role.DRIVER))
    if len(team) != len(set(payload.team)):
        raise _field_error("team", _("Some of these people cannot work at a booth."))
    data = payload.model_dump(exclude={"team"})
    return Status(201, shows.tradeshow_create(actor=user, team=team, **data))


@router.get("/tradeshows/{show_id}", response=ShowOut)
def show_detail(request: HttpRequest, show_id: ObjectId) -> TradeShow:
    return tradeshow_get_for_user(actor(request), show_id)


# --- invitations (SOP 5.3.1) ---------------------------------------------------------


@router.get("/tradeshows/{show_id}/invitations", response=list[InvitationOut])
@paginate(PageOrOffsetPagination)
def invitation_list(
    request: HttpRequest, show_id: ObjectId, filters: Query[InvitationFilterParams]
) -> QuerySet[Invitation]:
    user = actor(request)
    show = tradeshow_get_for_user(user, show_id)
    return invitation_list_for_user(
        user,
        show,
        InvitationFilters(status=filters.status or "", not_confirmed=filters.not_confirmed),
    )


@router.post("/tradeshows/{show_id}/invitations", response={201: list[InvitationOut]})
def invitation_create(
    request: HttpRequest, show_id: ObjectId, payload: InvitationsIn
) -> Status[list[Invitation]]:
    user = actor(request)
    show = tradeshow_get_for_user(user, show_id)
    if not can_invite(user):
        raise HttpError(403, _("You may not invite customers."))
    contacts = contacts_for_user(user, payload.contacts)
    if len(contacts) != len(set(payload.contacts)):
        raise _field_error("contacts", _("Some of these contacts are not yours to invite."))
    created = invitations.invitation_create_many(actor=user, show=show, contacts=contacts)
    return Status(201, created)


def _invitation_workable(user: User, invitation: Invitation) -> None:
    owner = invitation.owner
    manager_id = owner.team.manager_id if owner.team_id and owner.team else None
    if not can_work_invitation(user, owner.pk, manager_id):
        raise HttpError(403, _("You may not work this invitation."))


@router.get("/tradeshows/invitations/{invitation_id}", response=InvitationDetailOut)
def invitation_detail(request: HttpRequest, invitation_id: ObjectId) -> Invitation:
    return invitation_get_for_user(actor(request), invitation_id)


@router.post("/tradeshows/invitations/{invitation_id}/calls", response={201: InvitationDetailOut})
def invitation_call(
    request: HttpRequest, invitation_id: ObjectId, payload: CallIn
) -> Status[Invitation]:
    user = actor(request)
    invitation = invitation_get_for_user(user, invitation_id)
    _invitation_workable(user, invitation)
    invitations.invitation_call_record(actor=user, invitation=invitation, **payload.model_dump())
    return Status(201, invitation_get_for_user(user, invitation_id))


# --- booth checklist (SOP 5.3.2) ------------------------------------------------------


def _booth_show(user: User, show_id: int) -> TradeShow:
    show = tradeshow_get_for_user(user, show_id)
    if not can_view_booth(user, show):
        raise HttpError(403, _("Only the booth team works the booth."))
    return show


@router.get("/tradeshows/{show_id}/checklist", response=list[ChecklistItemOut])
def checklist_list(request: HttpRequest, show_id: ObjectId) -> list[BoothChecklistItem]:
    show = _booth_show(actor(request), show_id)
    return list(show.checklist.select_related("packer"))


@router.post("/tradeshows/{show_id}/checklist/{item_id}/advance", response=ChecklistItemOut)
def checklist_advance(
    request: HttpRequest, show_id: ObjectId, item_id: ObjectId, payload: AdvanceIn
) -> BoothChecklistItem:
    user = actor(request)
    show = _booth_show(user, show_id)
    if not is_booth_staff(user, show):
        raise HttpError(403, _("Only the booth team works the booth."))
    item = show.checklist.filter(pk=item_id).first()
    if item is None:
        raise HttpError(404, _("Not found."))
    return checklist.checklist_item_advance(
        actor=user, item=item, returned_quantity=payload.returned_quantity
    )


# --- on site (SOP 5.3.3-5.3.4) ------------------------------------------------------------


def _staff_show(user: User, show_id: int) -> TradeShow:
    show = tradeshow_get_for_user(user, show_id)
    if not is_booth_staff(user, show):
        raise HttpError(403, _("Only the booth team works the booth."))
    return show


@router.post("/tradeshows/{show_id}/check-in", response={201: BoothVisitOut})
def check_in(request: HttpRequest, show_id: ObjectId, payload: CheckInIn) -> Status[object]:
    user = actor(request)
    show = _staff_show(user, show_id)
    limit, window = settings.TRADESHOW_CHECKIN_RATE_LIMIT
    key = f"checkin:{user.pk}"
    if ratelimit.over(key, limit=limit):
        raise HttpError(429, _("Too many wrong codes: wait a few minutes and try again."))
    invitation = booth.invitation_for_code(show, payload.code)
    if invitation is None:
        ratelimit.hit(key, limit=limit, window_seconds=window)
        raise _field_error("code", _("No invitation to this show has this code."))
    return Status(201, booth.booth_check_in(actor=user, show=show, invitation=invitation))


@router.get("/tradeshows/{show_id}/leads", response=list[LeadOut])
@paginate(PageOrOffsetPagination)
def lead_list(request: HttpRequest, show_id: ObjectId) -> QuerySet[Lead]:
    user = actor(request)
    return lead_list_for_user(user, tradeshow_get_for_user(user, show_id))


@router.get("/tradeshows/{show_id}/funnel", response=FunnelOut)
def funnel(request: HttpRequest, show_id: ObjectId) -> dict[str, object]:
    """invited → confirmed → came → leads → called → visits → deals, per salesperson."""
    user = actor(request)
    rows = show_funnel(user, tradeshow_get_for_user(user, show_id))
    return {"rows": [asdict(r) for r in rows], "total": asdict(funnel_total(rows))}


@router.post("/tradeshows/{show_id}/leads", response={201: LeadOut})
def lead_create(request: HttpRequest, show_id: ObjectId, payload: LeadIn) -> Status[Lead]:
    user = actor(request)
    show = _staff_show(user, show_id)
    data = payload.model_dump()
    data["grade"] = data["grade"] or ""
    return Status(201, booth.lead_capture(actor=user, show=show, data=data))


@router.post("/tradeshows/{show_id}/leads/from-card", response=CardFieldsOut)
def lead_from_card(
    request: HttpRequest, show_id: ObjectId, card: File[UploadedFile]
) -> dict[str, str]:
    """Read a business-card photo into fields for the staff member to check; nothing is
    saved (POST the checked fields to /leads)."""
    _staff_show(actor(request), show_id)
    try:
        fields = read_card(card.read(max_bytes() + 1))
    except CardImageError as exc:
        raise _field_error("card", str(exc.message)) from exc
    return asdict(fields)


@router.post("/tradeshows/leads/{lead_id}/assign", response=LeadOut)
def lead_assign(request: HttpRequest, lead_id: ObjectId, payload: AssignIn) -> Lead:
    user = actor(request)
    lead = lead_get_for_user(user, lead_id)
    if not can_manage_show(user, lead.show):
        raise HttpError(403, _("You may not assign leads of this show."))
    owner = User.objects.filter(pk=payload.owner).first()
    if owner is None:
        raise _field_error("owner", _("Leads go to a salesperson."))
    return leads.lead_assign(actor=user, lead=lead, owner=owner)


@router.post("/tradeshows/{show_id}/leads/assign", response=AssignedOut)
def leads_assign(request: HttpRequest, show_id: ObjectId) -> dict[str, int]:
    user = actor(request)
    show = tradeshow_get_for_user(user, show_id)
    if not can_manage_show(user, show):
        raise HttpError(403, _("You may not assign leads of this show."))
    return {"assigned": leads.leads_auto_assign(actor=user, show=show)}
