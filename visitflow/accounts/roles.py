"""Who may do what, by role (PRODUCT.md, "Who uses it"). Object scoping lives in each
app's selectors and permissions; this module only names the role groups."""

from django.contrib.auth.models import AnonymousUser

from visitflow.accounts.models import Role, User

# Roles that read every customer (their job needs it) but own none.
CUSTOMER_READ_ALL_ROLES = frozenset(
    {Role.DIRECTOR, Role.GENERAL_MANAGER, Role.RECEPTION, Role.FINANCE, Role.ADMIN}
)
# Roles that own and register customers.
CUSTOMER_OWNER_ROLES = frozenset({Role.SALES, Role.SALES_MANAGER})
# Roles that see no customer data at all.
CUSTOMER_NO_ACCESS_ROLES = frozenset({Role.DRIVER})


def is_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def role_of(user: User | AnonymousUser) -> str:
    if not user.is_authenticated:
        return ""
    if user.is_superuser:
        return Role.ADMIN
    return user.role


# Model permissions carried by each role's group (Django admin and has_perm() use these;
# object scoping is still decided by the selectors). Later apps add their codenames here.
_CUSTOMER_READ = ["customers.view_customer", "customers.view_contact"]
_CUSTOMER_WRITE = [
    *_CUSTOMER_READ,
    "customers.add_customer",
    "customers.change_customer",
    "customers.add_contact",
    "customers.change_contact",
    "customers.delete_contact",
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SALES: _CUSTOMER_WRITE,
    Role.SALES_MANAGER: _CUSTOMER_WRITE,
    Role.DIRECTOR: _CUSTOMER_READ,
    Role.GENERAL_MANAGER: _CUSTOMER_READ,
    Role.RECEPTION: _CUSTOMER_READ,
    Role.DRIVER: [],
    Role.FINANCE: _CUSTOMER_READ,
    Role.ADMIN: [
        *_CUSTOMER_WRITE,
        "customers.delete_customer",
        "customers.add_customerlevel",
        "customers.change_customerlevel",
        "customers.view_customerlevel",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "accounts.add_team",
        "accounts.change_team",
        "accounts.view_team",
        "visits.view_visit",
        "visits.change_visit",
        "visits.view_playbookstep",
        "visits.add_playbookstep",
        "visits.change_playbookstep",
        "visits.delete_playbookstep",
        "visits.add_playbookitem",
        "visits.change_playbookitem",
        "visits.delete_playbookitem",
        "visits.view_followupcadence",
        "visits.change_followupcadence",
    ],
}
