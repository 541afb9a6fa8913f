"""Who sees and decides hospitality spend (issue 8, "Permissions").

A salesperson sees the spend of visits they host or co-host; a sales manager that of
their team's visits; finance, directors, the general manager and administrators all of
it. Drivers and reception see none. Going over a standard is approved by the host's
manager up to the standard's percentage and by a director or the general manager
beyond it; nobody approves a line they planned themselves."""

from django.contrib.auth.models import AnonymousUser

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import is_admin, role_of
from visitflow.spend.models import ActualSpend, ApproverLevel, LineStatus, SpendLine
from visitflow.visits.models import Visit
from visitflow.visits.permissions import is_acting_stand_in

SPEND_READ_ALL_ROLES = frozenset({Role.FINANCE, Role.DIRECTOR, Role.GENERAL_MANAGER, Role.ADMIN})
SPEND_SCOPED_ROLES = frozenset({Role.SALES, Role.SALES_MANAGER})
DIRECTOR_ROLES = frozenset({Role.DIRECTOR, Role.GENERAL_MANAGER})


def can_use_spend(user: User | AnonymousUser) -> bool:
    """Has any business with spend at all (the navbar link, the reports page)."""
    role = role_of(user)
    return role in SPEND_READ_ALL_ROLES or role in SPEND_SCOPED_ROLES


def can_view_all_spend(user: User | AnonymousUser) -> bool:
    return role_of(user) in SPEND_READ_ALL_ROLES


def _runs_visit(user: User, visit: Visit) -> bool:
    if visit.host_id == user.pk or is_acting_stand_in(user, visit):
        return True
    return any(u.pk == user.pk for u in visit.co_hosts.all())


def _manages_host(user: User, visit: Visit) -> bool:
    host = visit.host
    return bool(
        role_of(user) == Role.SALES_MANAGER
        and host.team_id
        and host.team
        and host.team.manager_id == user.pk
    )


def can_view_visit_spend(user: User | AnonymousUser, visit: Visit) -> bool:
    if not user.is_authenticated or not can_use_spend(user):
        return False
    if can_view_all_spend(user):
        return True
    if not isinstance(user, User):
        return False
    return _runs_visit(user, visit) or _manages_host(user, visit)


def can_plan_spend(user: User | AnonymousUser, visit: Visit) -> bool:
    """Plan and change meals and lodging: those who run the visit and their manager."""
    if not user.is_authenticated or role_of(user) not in SPEND_SCOPED_ROLES | {Role.ADMIN}:
        return False
    if is_admin(user):
        return True
    if not isinstance(user, User):
        return False
    return _runs_visit(user, visit) or _manages_host(user, visit)


def can_record_actual(user: User | AnonymousUser, line: SpendLine) -> bool:
    return line.status != LineStatus.VOID and can_plan_spend(user, line.visit)


def can_manage_standards(user: User | AnonymousUser) -> bool:
    """Finance keeps the standards (the instruction is theirs)."""
    return bool(user.is_authenticated and (role_of(user) == Role.FINANCE or is_admin(user)))


def can_confirm_actuals(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and role_of(user) == Role.FINANCE)


def is_approver(user: User | AnonymousUser) -> bool:
    return role_of(user) in DIRECTOR_ROLES | {Role.SALES_MANAGER}


def may_approve_level(user: User, line: SpendLine) -> bool:
    """Is this person senior enough for this line's amount (ignoring whose line it is)?"""
    role = role_of(user)
    if role in DIRECTOR_ROLES:
        return True
    return line.required_approver == ApproverLevel.MANAGER and _manages_host(user, line.visit)


def can_decide_line(user: User | AnonymousUser, line: SpendLine) -> bool:
    if not user.is_authenticated or line.status != LineStatus.PENDING:
        return False
    if not isinstance(user, User):
        return False
    return line.planned_by_id != user.pk and may_approve_level(user, line)


def can_download_receipt(user: User | AnonymousUser, actual: ActualSpend) -> bool:
    return bool(actual.receipt) and can_view_visit_spend(user, actual.line.visit)
