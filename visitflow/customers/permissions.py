"""Pure predicates: may this user do this to this customer? (Checked in views and the API.)"""

from django.contrib.auth.models import AnonymousUser

from visitflow.accounts.models import Role, User
from visitflow.accounts.roles import (
    CUSTOMER_NO_ACCESS_ROLES,
    CUSTOMER_OWNER_ROLES,
    CUSTOMER_READ_ALL_ROLES,
    is_admin,
    role_of,
)
from visitflow.customers.models import Customer


def manages(user: User, person_id: int | None, person_team_manager_id: int | None) -> bool:
    return person_id == user.pk or person_team_manager_id == user.pk


def can_list_customers(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and role_of(user) not in CUSTOMER_NO_ACCESS_ROLES


def can_create_customer(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (is_admin(user) or role_of(user) in CUSTOMER_OWNER_ROLES)


def _owns_or_manages(user: User, customer: Customer) -> bool:
    if customer.owner_id == user.pk:
        return True
    if role_of(user) == Role.SALES_MANAGER:
        owner = customer.owner
        return bool(owner.team_id and owner.team and owner.team.manager_id == user.pk)
    return False


def can_view_customer(user: User, customer: Customer) -> bool:
    if not can_list_customers(user):
        return False
    if not customer.is_active and not is_admin(user):
        return False
    if role_of(user) in CUSTOMER_READ_ALL_ROLES:
        return True
    return _owns_or_manages(user, customer)


def can_edit_customer(user: User, customer: Customer) -> bool:
    if not customer.is_active:
        return False
    if is_admin(user):
        return True
    return role_of(user) in CUSTOMER_OWNER_ROLES and _owns_or_manages(user, customer)


def can_archive_customer(user: User, customer: Customer) -> bool:
    return can_edit_customer(user, customer)


def can_restore_customer(user: User, customer: Customer) -> bool:
    return not customer.is_active and is_admin(user)


def can_choose_owner(user: User) -> bool:
    return is_admin(user) or role_of(user) == Role.SALES_MANAGER
