"""Pure predicates on people's absences (SOP 5.2): a person records their own; a team's
manager records and reads their team's; administrators everyone's."""

from django.contrib.auth.models import AnonymousUser

from visitflow.accounts.models import Absence, Role, User
from visitflow.accounts.roles import is_admin, role_of


def manages_person(user: User, person: User) -> bool:
    """Is `user` the manager of `person`'s team (their 部门主管)?"""
    if role_of(user) != Role.SALES_MANAGER or person.team_id is None:
        return False
    return bool(person.team and person.team.manager_id == user.pk)


def can_record_absence_for(user: User | AnonymousUser, person: User) -> bool:
    if not user.is_authenticated:
        return False
    if is_admin(user) or person.pk == user.pk:
        return True
    return manages_person(user, person)


def can_change_absence(user: User | AnonymousUser, absence: Absence) -> bool:
    return can_record_absence_for(user, absence.person)


def can_view_team_absences(user: User | AnonymousUser) -> bool:
    """The team calendar: managers (their team) and administrators (every team)."""
    return user.is_authenticated and (is_admin(user) or role_of(user) == Role.SALES_MANAGER)
