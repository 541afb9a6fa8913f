"""Who sees the reception-quality report (issue 9): the hosts themselves, their managers
and the company's leaders; the rest of the company has no use for it."""

from django.contrib.auth.models import AnonymousUser

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import role_of

QUALITY_ROLES = frozenset(
    {Role.SALES, Role.SALES_MANAGER, Role.DIRECTOR, Role.GENERAL_MANAGER, Role.ADMIN}
)


def can_view_quality_report(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and role_of(user) in QUALITY_ROLES


# The dashboard (issue 9) has the same audience: each sees their own, team's or company's.
can_view_dashboard = can_view_quality_report
