"""The role-by-action-by-scope matrix of PRODUCT.md ("Who uses it") as the API enforces it:
a foreign object is a 404, a visible object the role may not change is a 403."""

from typing import Any

import pytest

from tests.api.conftest import patch, post
from tests.conftest import login
from tests.factories.customers import CustomerFactory
from visitflow.accounts.models import User
from visitflow.customers.models import Customer

ROLES = [
    "sales",
    "sales_manager",
    "director",
    "general_manager",
    "reception",
    "driver",
    "finance",
    "admin",
]
SCOPES = ["own", "same_team", "other_team"]
READERS = {"director", "general_manager", "reception", "finance"}

# (role, scope) -> may view / may edit
SEES = {
    **{("sales", scope): scope == "own" for scope in SCOPES},
    **{("sales_manager", scope): scope != "other_team" for scope in SCOPES},
    **{(role, scope): True for role in [*READERS, "admin"] for scope in SCOPES},
    **{("driver", scope): False for scope in SCOPES},
}
EDITS = {
    (role, scope): seen and role in {"sales", "sales_manager", "admin"}
    for (role, scope), seen in SEES.items()
}


def actor_for(org: dict[str, Any], role: str) -> User:
    return {"sales": org["east_sales"], "sales_manager": org["east_manager"]}.get(role) or org[role]


def customer_for(org: dict[str, Any], actor: User, scope: str) -> Customer:
    """own: owned by the actor; same_team: by a colleague of the east team (the actor's team
    for sales and the manager); other_team: by a salesperson of the south team."""
    if scope == "own":
        owner = actor
    elif scope == "same_team":
        owner = org["east_sales2"] if actor == org["east_sales"] else org["east_sales"]
    else:
        owner = org["south_sales"]
    return CustomerFactory(owner=owner, name=f"{scope}客户")


def expected(allowed: bool, visible: bool, ok: int = 200) -> int:
    if allowed:
        return ok
    return 403 if visible else 404


@pytest.mark.parametrize("role", ROLES)
def test_list(org: dict[str, Any], role: str) -> None:
    actor = actor_for(org, role)
    customers = {scope: customer_for(org, actor, scope) for scope in SCOPES}

    response = login(actor).get("/api/customers?page_size=200")

    if role == "driver":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = {item["id"] for item in response.json()["items"]}
    assert listed == {c.pk for scope, c in customers.items() if SEES[(role, scope)]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", SCOPES)
def test_view(org: dict[str, Any], role: str, scope: str) -> None:
    actor = actor_for(org, role)
    customer = customer_for(org, actor, scope)
    client = login(actor)

    assert client.get(f"/api/customers/{customer.pk}").status_code == (
        200 if SEES[(role, scope)] else 404
    )
    assert client.get(f"/api/customers/{customer.pk}/contacts").status_code == (
        200 if SEES[(role, scope)] else 404
    )


@pytest.mark.parametrize("role", ROLES)
def test_create(org: dict[str, Any], role: str) -> None:
    response = post(login(actor_for(org, role)), "/api/customers", {"name": "新客户", "level": "A"})

    assert response.status_code == (201 if role in {"sales", "sales_manager", "admin"} else 403)
    assert Customer.objects.filter(name="新客户").exists() == (response.status_code == 201)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", SCOPES)
def test_edit(org: dict[str, Any], role: str, scope: str) -> None:
    actor = actor_for(org, role)
    customer = customer_for(org, actor, scope)

    response = patch(login(actor), f"/api/customers/{customer.pk}", {"city": "成都"})

    assert response.status_code == expected(EDITS[(role, scope)], SEES[(role, scope)])
    customer.refresh_from_db()
    assert (customer.city == "成都") == EDITS[(role, scope)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", SCOPES)
def test_archive(org: dict[str, Any], role: str, scope: str) -> None:
    actor = actor_for(org, role)
    customer = customer_for(org, actor, scope)

    response = post(login(actor), f"/api/customers/{customer.pk}/archive")

    assert response.status_code == expected(EDITS[(role, scope)], SEES[(role, scope)])
    customer.refresh_from_db()
    assert customer.is_active != EDITS[(role, scope)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", SCOPES)
def test_add_contact(org: dict[str, Any], role: str, scope: str) -> None:
    actor = actor_for(org, role)
    customer = customer_for(org, actor, scope)

    response = post(login(actor), f"/api/customers/{customer.pk}/contacts", {"name": "联系人"})

    assert response.status_code == expected(EDITS[(role, scope)], SEES[(role, scope)], ok=201)


def test_owner_filter_cannot_widen_the_scope(org: dict[str, Any]) -> None:
    CustomerFactory(owner=org["south_sales"])

    response = login(org["east_sales"]).get(f"/api/customers?owner={org['south_sales'].pk}")

    assert response.json() == {"count": 0, "count_exact": True, "items": []}


def test_manager_cannot_give_customer_to_other_team(org: dict[str, Any]) -> None:
    response = post(
        login(org["east_manager"]),
        "/api/customers",
        {"name": "某公司", "level": "A", "owner": org["south_sales"].pk},
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "owner"]


def test_sales_cannot_name_another_owner(org: dict[str, Any], east_customer: Customer) -> None:
    client = login(org["east_sales"])

    created = post(
        client, "/api/customers", {"name": "某公司", "level": "A", "owner": org["east_sales2"].pk}
    )
    patched = patch(client, f"/api/customers/{east_customer.pk}", {"owner": org["east_sales2"].pk})

    assert created.status_code == 422
    assert patched.status_code == 422
    assert patched.json()["detail"][0]["loc"] == ["body", "owner"]
    east_customer.refresh_from_db()
    assert east_customer.owner == org["east_sales"]


def test_admin_reassigns_owner(org: dict[str, Any], east_customer: Customer) -> None:
    response = patch(
        login(org["admin"]), f"/api/customers/{east_customer.pk}", {"owner": org["south_sales"].pk}
    )

    assert response.status_code == 200
    assert response.json()["owner"]["id"] == org["south_sales"].pk
