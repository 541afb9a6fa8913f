"""The visiting party's self-service link, for hosts (issue 9): its state, a new link
(the only time the address is returned), revoking it, and answering what the party
proposed. A visit one cannot see is a 404; one that one sees but does not host is a 403."""

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from visitflow.accounts.models import User
from visitflow.api.common import ObjectId, actor
from visitflow.api.portal.schemas import ChangeOut, DeclineIn, LinkOut, NewLinkOut
from visitflow.portal import services
from visitflow.portal.models import PortalChange
from visitflow.portal.permissions import can_decide_change, can_manage_portal
from visitflow.portal.selectors import change_get_for_visit, link_for_visit, pending_changes
from visitflow.visits.models import Visit
from visitflow.visits.selectors import visit_get_for_user

router = Router(tags=["visitor links"])


def _managed(user: User, visit_id: int) -> Visit:
    visit = visit_get_for_user(user, visit_id)
    if not can_manage_portal(user, visit):
        raise HttpError(403, _("You may not manage this visit's self-service link."))
    return visit


def _link_out(visit: Visit) -> dict[str, Any]:
    link = link_for_visit(visit)
    return {
        "exists": link is not None,
        "state": str(services.link_state(link)) if link is not None else "",
        "token_prefix": link.token_prefix if link else "",
        "expires_at": link.expires_at if link else None,
        "open_count": link.open_count if link else 0,
        "last_opened_at": link.last_opened_at if link else None,
        "pending": pending_changes(visit),
    }


@router.get("/visits/{visit_id}/portal", response=LinkOut)
def link_detail(request: HttpRequest, visit_id: ObjectId) -> dict[str, Any]:
    return _link_out(_managed(actor(request), visit_id))


@router.post("/visits/{visit_id}/portal/link", response={201: NewLinkOut})
def link_issue(request: HttpRequest, visit_id: ObjectId) -> Status[dict[str, Any]]:
    """Create the link, or replace it (the old address stops working)."""
    user = actor(request)
    visit = _managed(user, visit_id)
    if visit.status not in services.LINK_STATES:
        raise HttpError(409, _("A self-service link is given for a confirmed visit."))
    link, token = services.link_issue(actor=user, visit=visit)
    url = request.build_absolute_uri(reverse("portal:page", args=[token]))
    return Status(
        201, {"url": url, "token_prefix": link.token_prefix, "expires_at": link.expires_at}
    )


@router.post("/visits/{visit_id}/portal/link/revoke", response=LinkOut)
def link_revoke(request: HttpRequest, visit_id: ObjectId) -> dict[str, Any]:
    user = actor(request)
    visit = _managed(user, visit_id)
    link = link_for_visit(visit)
    if link is None:
        raise Http404
    services.link_revoke(actor=user, link=link)
    return _link_out(visit)


def _change(user: User, change_id: int) -> PortalChange:
    visit_id = PortalChange.objects.filter(pk=change_id).values_list("visit_id", flat=True).first()
    if visit_id is None:
        raise Http404
    visit = visit_get_for_user(user, visit_id)
    if not can_decide_change(user, visit):
        raise HttpError(403, _("You may not answer changes to this visit."))
    change = change_get_for_visit(visit, change_id)
    if change is None:
        raise Http404
    return change


@router.post("/portal/changes/{change_id}/confirm", response=ChangeOut)
def change_confirm(request: HttpRequest, change_id: ObjectId) -> PortalChange:
    user = actor(request)
    return services.change_confirm(actor=user, change=_change(user, change_id))


@router.post("/portal/changes/{change_id}/decline", response=ChangeOut)
def change_decline(request: HttpRequest, change_id: ObjectId, payload: DeclineIn) -> PortalChange:
    user = actor(request)
    return services.change_reject(
        actor=user, change=_change(user, change_id), answer=payload.answer
    )
