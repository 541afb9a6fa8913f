"""Every write of the self-service link (issue 9): the link's life (create, regenerate,
revoke), what the party proposes, and the host's answer. The party never writes into
the visit: confirming goes through the visit services, so steps and pickups re-plan."""

import hashlib
import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.services import log_activity
from visitflow.notifications.models import NotificationKind
from visitflow.notifications.services import notify
from visitflow.portal.models import ChangeKind, ChangeStatus, PortalChange, PortalLink
from visitflow.portal.permissions import can_decide_change, can_manage_portal
from visitflow.visits import services as visit_services
from visitflow.visits.models import TravelLeg, Visit, Visitor, VisitStatus

# Issue 9: "for a confirmed visit" — the link is handed out once the visit is agreed.
LINK_STATES = frozenset({VisitStatus.CONFIRMED, VisitStatus.IN_PROGRESS})
# The party may still propose changes while the visit can be edited.
PROPOSAL_STATES = frozenset({VisitStatus.CONFIRMED, VisitStatus.IN_PROGRESS})
TOKEN_BYTES = 32
PREFIX_CHARS = 6
LEG_DATA_FIELDS = ("direction", "mode", "number", "from_place", "to_place")
LEG_TIME_FIELDS = ("departs_at", "arrives_at")
VISITOR_DATA_FIELDS = ("name", "title", "mobile", "features")


class LinkState(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    EXPIRED = "expired"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_manager(actor: User, visit: Visit) -> None:
    if not can_manage_portal(actor, visit):
        raise ApplicationError(_("You may not manage this visit's self-service link."))


@transaction.atomic
def link_issue(*, actor: User, visit: Visit) -> tuple[PortalLink, str]:
    """Create the visit's link, or replace it by a new one (the old one stops working).
    Returns the raw token: it is shown once and never stored."""
    _require_manager(actor, visit)
    if visit.status not in LINK_STATES:
        raise ApplicationError(_("A self-service link is given for a confirmed visit."))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    existing = PortalLink.objects.select_for_update().filter(visit=visit).first()
    link = existing or PortalLink(visit=visit)
    link.token_hash = hash_token(token)
    link.token_prefix = token[:PREFIX_CHARS]
    link.created_by = actor
    link.revoked_at = None
    link.revoked_by = None
    link.open_count = 0
    link.last_opened_at = None
    link.save()
    log_activity(
        actor=actor,
        action="portal.link_renewed" if existing else "portal.link_created",
        obj=link,
        customer=visit.customer,
    )
    return link, token


@transaction.atomic
def link_revoke(*, actor: User, link: PortalLink) -> PortalLink:
    _require_manager(actor, link.visit)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = actor
        link.save(update_fields=["revoked_at", "revoked_by", "updated"])
        log_activity(
            actor=actor, action="portal.link_revoked", obj=link, customer=link.visit.customer
        )
    return link


def link_state(link: PortalLink) -> LinkState:
    if link.is_revoked or link.visit.status == VisitStatus.CANCELLED:
        return LinkState.REVOKED
    if timezone.now() > link.expires_at:
        return LinkState.EXPIRED
    return LinkState.OK


def link_for_token(token: str) -> tuple[LinkState, PortalLink | None]:
    """The link a token opens, and whether it still works."""
    if not token or len(token) > 100:
        return LinkState.UNKNOWN, None
    link = (
        PortalLink.objects.filter(token_hash=hash_token(token))
        .select_related("visit", "visit__customer", "visit__host", "visit__stand_in")
        .first()
    )
    if link is None:
        return LinkState.UNKNOWN, None
    return link_state(link), link


def link_opened(link: PortalLink) -> None:
    """How often the party opened it: the host sees that the link arrived."""
    PortalLink.objects.filter(pk=link.pk).update(
        open_count=F("open_count") + 1, last_opened_at=timezone.now()
    )


# --- What the party proposes ------------------------------------------------------------


def _as_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _tell_host(change: PortalChange) -> None:
    visit = change.visit
    recipient = visit.acting_host
    notify(
        recipient=recipient,
        kind=NotificationKind.PORTAL_CHANGE,
        title=format_lazy(
            gettext_lazy("{customer} proposed a change to their visit"),
            customer=visit.customer.name,
        ),
        body=format_lazy(
            gettext_lazy("{kind}: confirm it or say why not on the visit page."),
            kind=ChangeKind(change.kind).label,
        ),
        link=f"{visit.get_absolute_url()}#portal",
        key=f"portal-change:{change.pk}",
    )


@transaction.atomic
def change_propose(
    *,
    link: PortalLink,
    kind: str,
    data: dict[str, Any],
    leg: TravelLeg | None = None,
    visitor: Visitor | None = None,
) -> PortalChange:
    """The party adds or corrects a travel leg or a person; the host is told."""
    visit = link.visit
    if visit.status not in PROPOSAL_STATES:
        raise ApplicationError(_("This visit can no longer be changed here; call your host."))
    if kind in (ChangeKind.LEG_UPDATE,) and (leg is None or leg.visit_id != visit.pk):
        raise ApplicationError(_("Choose the journey to correct."))
    if kind in (ChangeKind.VISITOR_UPDATE,) and (visitor is None or visitor.visit_id != visit.pk):
        raise ApplicationError(_("Choose the person to correct."))
    if kind not in ChangeKind.values:
        raise ApplicationError(_("Unknown change."))
    fields = (
        (*LEG_DATA_FIELDS, *LEG_TIME_FIELDS)
        if kind in (ChangeKind.LEG_ADD, ChangeKind.LEG_UPDATE)
        else VISITOR_DATA_FIELDS
    )
    current: TravelLeg | Visitor | None = None
    if kind == ChangeKind.LEG_UPDATE:
        current = leg
    elif kind == ChangeKind.VISITOR_UPDATE:
        current = visitor
    clean: dict[str, Any] = {}
    for name in fields:
        value = data.get(name)
        before = getattr(current, name, None) if current is not None else None
        if current is not None and (value or None) == (before or None):
            continue  # a correction keeps only what the party changed
        if value in (None, "") and current is None:
            continue
        clean[name] = _as_json(value) if value is not None else ""
    if not clean:
        raise ApplicationError(_("Nothing was changed."))
    change = PortalChange.objects.create(
        visit=visit,
        kind=kind,
        leg=leg if kind == ChangeKind.LEG_UPDATE else None,
        visitor=visitor if kind == ChangeKind.VISITOR_UPDATE else None,
        data=clean,
    )
    log_activity(actor=None, action="portal.change_proposed", obj=change, customer=visit.customer)
    _tell_host(change)
    return change


def _leg_values(change: PortalChange) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: change.data[name] for name in LEG_DATA_FIELDS if name in change.data
    }
    for name in LEG_TIME_FIELDS:
        if name in change.data:  # "" clears the departure time
            raw = change.data[name]
            values[name] = datetime.fromisoformat(raw) if raw else None
    return values


def _lock_pending(change: PortalChange) -> PortalChange:
    locked = PortalChange.objects.select_for_update().select_related("visit").get(pk=change.pk)
    if locked.status != ChangeStatus.PENDING:
        raise ApplicationError(_("This change has already been answered."))
    return locked


@transaction.atomic
def change_confirm(*, actor: User, change: PortalChange) -> PortalChange:
    """Apply the proposal through the visit services (legs move pickups and steps)."""
    if not can_decide_change(actor, change.visit):
        raise ApplicationError(_("You may not answer changes to this visit."))
    change = _lock_pending(change)
    visit = change.visit
    if change.kind == ChangeKind.LEG_ADD:
        change.leg = visit_services.leg_add(actor=actor, visit=visit, **_leg_values(change))
    elif change.kind == ChangeKind.LEG_UPDATE:
        if change.leg is None:
            raise ApplicationError(_("This journey was removed meanwhile."))
        visit_services.leg_update(actor=actor, leg=change.leg, data=_leg_values(change))
    elif change.kind == ChangeKind.VISITOR_ADD:
        change.visitor = visit_services.visitor_add(
            actor=actor,
            visit=visit,
            **{k: v for k, v in change.data.items() if k in VISITOR_DATA_FIELDS},
        )
    else:
        if change.visitor is None:
            raise ApplicationError(_("This person was removed from the party meanwhile."))
        visit_services.visitor_update(
            actor=actor,
            visitor=change.visitor,
            data={k: v for k, v in change.data.items() if k in VISITOR_DATA_FIELDS},
        )
    change.status = ChangeStatus.CONFIRMED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "leg", "visitor", "decided_by", "decided_at", "updated"])
    log_activity(actor=actor, action="portal.change_confirmed", obj=change, customer=visit.customer)
    return change


@transaction.atomic
def change_reject(*, actor: User, change: PortalChange, answer: str) -> PortalChange:
    if not can_decide_change(actor, change.visit):
        raise ApplicationError(_("You may not answer changes to this visit."))
    answer = answer.strip()
    if not answer:
        msg = _("Tell the visitor why (they see this answer on their link).")
        raise ApplicationError(msg, field_errors={"answer": [msg]})
    change = _lock_pending(change)
    change.status = ChangeStatus.REJECTED
    change.answer = answer[:300]
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "answer", "decided_by", "decided_at", "updated"])
    log_activity(
        actor=actor, action="portal.change_rejected", obj=change, customer=change.visit.customer
    )
    return change
