"""Role by action by whose customer: every cell of the matrix, through the real views."""

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories.customers import CustomerFactory, level
from visitflow.customers.models import Customer
from visitflow.customers.permissions import (
    can_archive_customer,
    can_edit_customer,
    can_view_customer,
)

pytestmark = pytest.mark.django_db

# actor key in the `org` fixture -> (owner of "own", owner of "same team")
WHOSE = {
    "east_sales": ("east_sales", "east_sales2"),
    "east_manager": ("east_manager", "east_sales"),
    "director": (None, "east_sales"),
    "general_manager": (None, "east_sales"),
    "reception": (None, "east_sales"),
    "finance": (None, "east_sales"),
    "driver": (None, "east_sales"),
    "admin": (None, "east_sales"),
}
OTHER_TEAM_OWNER = "south_sales"

Y, N403, N404 = 200, 403, 404
# role -> {scope: (view, edit, archive)}; list visibility follows `view`.
MATRIX = {
    "east_sales": {"own": (Y, Y, Y), "team": (N404, N404, N404), "other": (N404, N404, N404)},
    "east_manager": {"own": (Y, Y, Y), "team": (Y, Y, Y), "other": (N404, N404, N404)},
    "director": {"team": (Y, N403, N403), "other": (Y, N403, N403)},
    "general_manager": {"team": (Y, N403, N403), "other": (Y, N403, N403)},
    "reception": {"team": (Y, N403, N403), "other": (Y, N403, N403)},
    "finance": {"team": (Y, N403, N403), "other": (Y, N403, N403)},
    "driver": {"team": (N404, N404, N404), "other": (N404, N404, N404)},
    "admin": {"team": (Y, Y, Y), "other": (Y, Y, Y)},
}
CAN_LIST = {role: role != "driver" for role in MATRIX}
CAN_CREATE = {role: role in {"east_sales", "east_manager", "admin"} for role in MATRIX}


def _cases() -> list[tuple[str, str]]:
    return [(role, scope) for role, cells in MATRIX.items() for scope in cells]


def _customer_for(org: dict, role: str, scope: str) -> Customer:
    own_owner, team_owner = WHOSE[role]
    owner_key = {"own": own_owner, "team": team_owner, "other": OTHER_TEAM_OWNER}[scope]
    return CustomerFactory(owner=org[owner_key], name=f"{role}-{scope}-客户")


@pytest.mark.parametrize(("role", "scope"), _cases())
def test_view_edit_archive_matrix(org, role, scope):
    actor = org[role]
    customer = _customer_for(org, role, scope)
    view, edit, archive = MATRIX[role][scope]
    client = login(actor)

    assert client.get(reverse("customers:detail", args=[customer.pk])).status_code == view
    assert client.get(reverse("customers:edit", args=[customer.pk])).status_code == edit
    response = client.post(
        reverse("customers:edit", args=[customer.pk]),
        {"name": customer.name, "level": level("B").pk, "city": "改过的城市"},
    )
    assert response.status_code == (302 if edit == Y else edit)
    customer.refresh_from_db()
    assert (customer.city == "改过的城市") == (edit == Y)

    response = client.post(reverse("customers:archive", args=[customer.pk]))
    assert response.status_code == (302 if archive == Y else archive)
    customer.refresh_from_db()
    assert customer.is_active == (archive != Y)

    # The predicates agree with what the views did.
    customer.is_active = True
    assert can_view_customer(actor, customer) == (view == Y)
    assert can_edit_customer(actor, customer) == (edit == Y)
    assert can_archive_customer(actor, customer) == (archive == Y)


@pytest.mark.parametrize("role", list(MATRIX))
def test_list_contains_exactly_the_visible_rows(org, role):
    actor = org[role]
    expected = set()
    for scope in ("own", "team", "other"):
        if scope not in MATRIX[role] and scope == "own":
            continue
        customer = _customer_for(org, role, scope) if scope in MATRIX[role] else None
        if customer and MATRIX[role][scope][0] == Y:
            expected.add(customer.name)
    # A customer of the other team's manager, to be sure no side door shows it.
    CustomerFactory(owner=org["south_manager"], name="南方经理的客户")
    if MATRIX[role]["other"][0] == Y:
        expected.add("南方经理的客户")
    response = login(actor).get(reverse("customers:list"))
    if not CAN_LIST[role]:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    shown = {c.name for c in response.context["page"].object_list}
    assert shown == expected


@pytest.mark.parametrize("role", list(MATRIX))
def test_create_matrix(org, role):
    client = login(org[role])
    name = f"{role}新建客户有限公司"
    get_status = client.get(reverse("customers:create")).status_code
    response = client.post(reverse("customers:create"), {"name": name, "level": level("A").pk})
    if CAN_CREATE[role]:
        assert get_status == 200
        assert response.status_code == 302
        assert Customer.objects.get(name=name).owner == org[role]
    else:
        assert get_status == 403
        assert response.status_code == 403
        assert not Customer.objects.filter(name=name).exists()


def test_contacts_of_a_foreign_customer_are_404(org):
    from tests.factories.customers import ContactFactory

    contact = ContactFactory(customer=CustomerFactory(owner=org["south_sales"]))
    client = login(org["east_sales"])
    assert client.get(reverse("customers:contact_edit", args=[contact.pk])).status_code == 404
    assert client.post(reverse("customers:contact_delete", args=[contact.pk])).status_code == 404
    url = reverse("customers:contact_create", args=[contact.customer_id])
    assert client.post(url, {"name": "入侵者"}).status_code == 404
    contact.refresh_from_db()


def test_restore_is_admin_only(org):
    customer = CustomerFactory(owner=org["east_sales"])
    login(org["east_sales"]).post(reverse("customers:archive", args=[customer.pk]))
    for role in ("east_sales", "east_manager", "director"):
        response = login(org[role]).post(reverse("customers:restore", args=[customer.pk]))
        assert response.status_code == 404
    assert (
        login(org["admin"]).post(reverse("customers:restore", args=[customer.pk])).status_code
        == 302
    )


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("customers:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
