"""Who may do what with trade shows (SOP 5.3). Pure predicates; scoping of lists lives in
the selectors."""

from django.contrib.auth.models import AnonymousUser

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import is_admin, role_of
from visitflow.tradeshows.models import TradeShow

# Roles that organise shows: the sales managers and administrators.
SHOW_MANAGER_ROLES = frozenset({Role.SALES_MANAGER, Role.ADMIN})
# Roles that see every show (their job needs it); salespeople see them too, to invite.
SHOW_READ_ROLES = frozenset(
    {
        Role.SALES,
        Role.SALES_MANAGER,
        Role.DIRECTOR,
        Role.GENERAL_MANAGER,
        Role.RECEPTION,
        Role.ADMIN,
    }
)


def can_list_shows(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and role_of(user) in SHOW_READ_ROLES


def can_create_show(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and role_of(user) in SHOW_MANAGER_ROLES


def can_manage_show(user: User, show: TradeShow) -> bool:
    """Edit the show and staff its posts: its organizer, a sales manager, an admin."""
    return is_admin(user) or role_of(user) == Role.SALES_MANAGER or show.organizer_id == user.pk


def is_booth_staff(user: User, show: TradeShow) -> bool:
    """Booth staff (SOP 5.3.3): the show's team, plus whoever manages the show."""
    if can_manage_show(user, show):
        return True
    return show.team.filter(pk=user.pk).exists()


# Roles that invite their customers and make the confirmation calls (SOP 5.3.1).
INVITER_ROLES = frozenset({Role.SALES, Role.SALES_MANAGER, Role.ADMIN})


def can_invite(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and role_of(user) in INVITER_ROLES


def can_work_invitation(user: User, owner_id: int, owner_team_manager_id: int | None) -> bool:
    """Call, e-mail, revoke: the invitee's salesperson, their manager, an admin. (Who may
    only read it — reception, leaders — comes from the selectors' scope.)"""
    if is_admin(user):
        return True
    if role_of(user) == Role.SALES_MANAGER and owner_team_manager_id == user.pk:
        return True
    return owner_id == user.pk and can_invite(user)


def can_view_booth(user: User, show: TradeShow) -> bool:
    """The booth pages (checklist, check-in, board, leads): booth staff; reception, who
    keep the gift stock, read them too."""
    return role_of(user) == Role.RECEPTION or is_booth_staff(user, show)
