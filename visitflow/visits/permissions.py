"""May this user see or change this visit? Visits follow their customer's visibility,
plus the host and co-hosts (who may not own the customer)."""

from visitflow.accounts.models import User
from visitflow.accounts.roles import is_admin
from visitflow.customers.permissions import (
    can_create_customer,
    can_edit_customer,
    can_view_customer,
)
from visitflow.visits.models import CoverState, Visit, VisitStep


def is_acting_stand_in(user: User, visit: Visit) -> bool:
    """SOP 5.2: the accepted stand-in acts as host until the visit closes."""
    return visit.stand_in_id is not None and visit.stand_in_id == user.pk and visit.is_open


def _is_host_or_co_host(user: User, visit: Visit) -> bool:
    if visit.host_id == user.pk or is_acting_stand_in(user, visit):
        return True
    return any(u.pk == user.pk for u in visit.co_hosts.all())


def can_view_visit(user: User, visit: Visit) -> bool:
    if not user.is_authenticated:
        return False
    if _is_host_or_co_host(user, visit) or can_view_customer(user, visit.customer):
        return True
    # Asked to stand in: they read the visit before they answer (SOP 5.2).
    return visit.cover_requests.filter(stand_in=user, state=CoverState.ASSIGNED).exists()


def can_create_visit(user: User) -> bool:
    return can_create_customer(user)


def can_edit_visit(user: User, visit: Visit) -> bool:
    """Change the visit's data, party, itinerary and life cycle."""
    if is_admin(user):
        return True
    return _is_host_or_co_host(user, visit) or can_edit_customer(user, visit.customer)


def can_hand_over_visit(user: User, visit: Visit) -> bool:
    """SOP 5.2: only the host, their manager (部门主管) and administrators hand a visit
    over to a stand-in or put new dates to the customer."""
    if not user.is_authenticated:
        return False
    if is_admin(user) or visit.host_id == user.pk:
        return True
    host = visit.host
    return bool(host.team_id and host.team and host.team.manager_id == user.pk)


def can_send_apology(user: User, visit: Visit) -> bool:
    return can_hand_over_visit(user, visit) or is_acting_stand_in(user, visit)


def can_work_step(user: User, step: VisitStep) -> bool:
    """Mark a step done or skipped, tick its checklist: its owner or whoever runs the visit."""
    return step.owner_id == user.pk or can_edit_visit(user, step.visit)


def can_record_outcome(user: User, visit: Visit) -> bool:
    """Issues 7 and 9: the deal is recorded by whoever hosts the visit (the host or the
    acting stand-in) or by the host's manager, who answers for the team's numbers."""
    if not user.is_authenticated:
        return False
    if is_admin(user) or visit.host_id == user.pk or is_acting_stand_in(user, visit):
        return True
    host = visit.host
    return bool(host.team_id and host.team and host.team.manager_id == user.pk)
