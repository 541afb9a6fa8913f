"""Who manages a visit's self-service link and answers what the party proposes there."""

from visitflow.accounts.models import User
from visitflow.visits.models import Visit
from visitflow.visits.permissions import can_edit_visit, can_send_apology


def can_manage_portal(user: User, visit: Visit) -> bool:
    """The host, the acting stand-in, the host's manager and administrators: the people
    who speak to the customer for the company (SOP 5.2)."""
    return can_send_apology(user, visit)


def can_decide_change(user: User, visit: Visit) -> bool:
    """Confirming writes the party's legs and names into the visit."""
    return can_manage_portal(user, visit) and can_edit_visit(user, visit)
