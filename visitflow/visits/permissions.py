"""May this user see or change this visit? Visits follow their customer's visibility,
plus the host and co-hosts (who may not own the customer)."""

from visitflow.accounts.models import User
from visitflow.accounts.roles import is_admin
from visitflow.customers.permissions import (
    can_create_customer,
    can_edit_customer,
    can_view_customer,
)
from visitflow.visits.models import Visit, VisitStep


def _is_host_or_co_host(user: User, visit: Visit) -> bool:
    if visit.host_id == user.pk:
        return True
    return any(u.pk == user.pk for u in visit.co_hosts.all())


def can_view_visit(user: User, visit: Visit) -> bool:
    if not user.is_authenticated:
        return False
    return _is_host_or_co_host(user, visit) or can_view_customer(user, visit.customer)


def can_create_visit(user: User) -> bool:
    return can_create_customer(user)


def can_edit_visit(user: User, visit: Visit) -> bool:
    """Change the visit's data, party, itinerary and life cycle."""
    if is_admin(user):
        return True
    return _is_host_or_co_host(user, visit) or can_edit_customer(user, visit.customer)


def can_work_step(user: User, step: VisitStep) -> bool:
    """Mark a step done or skipped, tick its checklist: its owner or whoever runs the visit."""
    return step.owner_id == user.pk or can_edit_visit(user, step.visit)
