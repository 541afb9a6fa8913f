from typing import Any

from django.test import Client

from tests.api.conftest import patch, post, token_client
from tests.conftest import login
from tests.factories.customers import ContactFactory, CustomerFactory, level
from visitflow.api.customers.schemas import CustomerSort
from visitflow.core.models import ActivityLog
from visitflow.customers.models import Customer
from visitflow.customers.selectors import SORTS


def test_list_shows_own_customers_with_primary_contact(
    sales_client: Client, east_customer: Customer, south_customer: Customer, east_contact: Any
) -> None:
    response = sales_client.get("/api/customers")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["id"] == east_customer.pk
    assert item["name"] == "上海东方机械有限公司"
    assert item["level"] == {"code": "A", "name": "A"}
    assert item["owner"]["id"] == east_customer.owner_id
    assert item["owner"]["display_name"] == str(east_customer.owner)
    assert item["primary_contact"] == {"name": "王经理", "mobile": east_contact.mobile}
    assert item["is_active"] is True
    assert {"created", "updated", "short_name", "industry", "region", "address", "source"} <= set(
        item
    )


def test_list_without_contacts_has_null_primary_contact(
    sales_client: Client, east_customer: Customer
) -> None:
    [item] = sales_client.get("/api/customers").json()["items"]

    assert item["primary_contact"] is None


def test_list_filters_and_sort(org: dict[str, Any]) -> None:
    owner = org["east_sales"]
    CustomerFactory(owner=owner, name="甲公司", city="上海", level=level("VIP"))
    CustomerFactory(owner=owner, name="乙公司", city="北京", level=level("B"))
    ContactFactory(customer=CustomerFactory(owner=owner, name="丙公司"), mobile="+8613911112222")
    client = login(owner)

    def names(query: str) -> list[str]:
        response = client.get(f"/api/customers?{query}")
        assert response.status_code == 200, response.content
        return [item["name"] for item in response.json()["items"]]

    assert names("q=甲") == ["甲公司"]
    assert names("q=1111 2222") == ["丙公司"]
    assert names("level=VIP") == ["甲公司"]
    assert names("city=北京") == ["乙公司"]
    assert set(names(f"owner={owner.pk}")) == {"甲公司", "乙公司", "丙公司"}
    assert names("sort=level")[0] == "甲公司"
    assert names("level=NOPE") == []
    assert names("unknown=1&also=2") != []


def test_list_pagination_page_and_offset(org: dict[str, Any]) -> None:
    for n in range(7):
        CustomerFactory(owner=org["east_sales"], name=f"公司{n}")
    client = login(org["east_sales"])

    page2 = client.get("/api/customers?page=2&page_size=3&sort=name").json()
    assert page2["count"] == 7
    assert [c["name"] for c in page2["items"]] == ["公司3", "公司4", "公司5"]
    sliced = client.get("/api/customers?limit=3&offset=3&sort=name").json()
    assert sliced == page2
    assert client.get("/api/customers?page=99").json() == {
        "count": 7,
        "count_exact": True,
        "items": [],
    }


def test_sort_choices_match_the_selector() -> None:
    assert set(CustomerSort.__args__) == set(SORTS)  # type: ignore[attr-defined]


def test_detail(sales_client: Client, east_customer: Customer) -> None:
    response = sales_client.get(f"/api/customers/{east_customer.pk}")

    assert response.status_code == 200
    assert response.json()["name"] == east_customer.name
    assert response.json()["level"]["code"] == "A"


def test_create(org: dict[str, Any]) -> None:
    user = org["east_sales"]
    client = token_client(user)

    response = post(
        client,
        "/api/customers",
        {
            "name": "  苏州精密仪器有限公司 ",
            "short_name": "苏州精密",
            "level": "VIP",
            "city": "苏州",
            "region": "江苏",
            "source": "trade_show",
            "notes": "展会认识",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "苏州精密仪器有限公司"
    assert body["level"]["code"] == "VIP"
    assert body["owner"]["id"] == user.pk
    assert body["source"] == "trade_show"
    customer = Customer.objects.get(pk=body["id"])
    assert customer.owner == user
    assert ActivityLog.objects.filter(
        action="customer.created", object_id=str(customer.pk)
    ).exists()


def test_manager_creates_for_team_member(org: dict[str, Any]) -> None:
    client = login(org["east_manager"])

    response = post(
        client, "/api/customers", {"name": "某公司", "level": "A", "owner": org["east_sales"].pk}
    )

    assert response.status_code == 201
    assert response.json()["owner"]["id"] == org["east_sales"].pk


def test_patch_changes_only_sent_fields(sales_client: Client, east_customer: Customer) -> None:
    url = f"/api/customers/{east_customer.pk}"

    response = patch(sales_client, url, {"city": "杭州", "level": "B"})

    assert response.status_code == 200, response.content
    east_customer.refresh_from_db()
    assert east_customer.city == "杭州"
    assert east_customer.level.code == "B"
    assert east_customer.name == "上海东方机械有限公司"
    assert east_customer.region == "广东"
    assert patch(sales_client, url, {}).status_code == 200


def test_archive_and_restore(org: dict[str, Any], east_customer: Customer) -> None:
    sales = login(org["east_sales"])
    admin = login(org["admin"])

    archived = post(sales, f"/api/customers/{east_customer.pk}/archive")
    assert archived.status_code == 200
    assert archived.json()["is_active"] is False
    assert archived.json()["archived_at"]
    assert sales.get(f"/api/customers/{east_customer.pk}").status_code == 404
    assert sales.get("/api/customers").json()["count"] == 0
    assert post(admin, f"/api/customers/{east_customer.pk}/archive").status_code == 409
    assert [c["id"] for c in admin.get("/api/customers?archived=true").json()["items"]] == [
        east_customer.pk
    ]

    restored = post(admin, f"/api/customers/{east_customer.pk}/restore")
    assert restored.status_code == 200
    assert restored.json()["is_active"] is True
    assert sales.get(f"/api/customers/{east_customer.pk}").status_code == 200
    assert post(admin, f"/api/customers/{east_customer.pk}/restore").status_code == 409


def test_archived_customer_cannot_be_edited_until_restored(
    org: dict[str, Any], east_customer: Customer
) -> None:
    admin = login(org["admin"])
    post(admin, f"/api/customers/{east_customer.pk}/archive")

    response = patch(admin, f"/api/customers/{east_customer.pk}", {"city": "x"})

    assert response.status_code == 409


def test_only_admin_restores(org: dict[str, Any], east_customer: Customer) -> None:
    assert (
        post(login(org["east_sales"]), f"/api/customers/{east_customer.pk}/restore").status_code
        == 403
    )


def test_openapi_schema_and_docs_load(db: None) -> None:
    client = Client()

    schema = client.get("/api/openapi.json")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {
        "/api/tokens",
        "/api/tokens/{token_id}/revoke",
        "/api/customers",
        "/api/customers/{customer_id}",
        "/api/customers/{customer_id}/archive",
        "/api/customers/{customer_id}/restore",
        "/api/customers/{customer_id}/contacts",
        "/api/contacts/{contact_id}",
    } <= set(paths)
    assert client.get("/api/docs").status_code == 200
