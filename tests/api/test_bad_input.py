"""Nothing a client sends may produce a 500: every bad request is a 4xx with a JSON body."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import Client

from tests.api.conftest import locs, patch, post
from tests.conftest import login
from tests.factories.customers import CustomerFactory
from visitflow.customers.models import Contact, Customer

HUGE = 2**70
BAD_IDS = ["0", str(2**63), str(HUGE), "-1", "1.5", "abc", "%00"]
GARBAGE_BODIES = ["{not json", "[1, 2", "\xff\xfe", "null", "[]", '"text"', "12", "{}"]


def assert_client_error(response: Any, *allowed: int) -> None:
    assert response.status_code in (allowed or (400, 404, 405, 422)), response.content
    if response.status_code in (400, 422):
        assert response.json()["detail"]


@pytest.fixture
def client(org: dict[str, Any]) -> Client:
    return login(org["east_sales"])


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        f"page={HUGE}",
        "page_size=0",
        "page_size=100000",
        "limit=0",
        "limit=100000",
        "offset=-1",
        f"offset={HUGE}",
        "page=2&limit=10",
        "owner=abc",
        "owner=-5",
        f"owner={HUGE}",
        "sort=password",
        "archived=perhaps",
        "q=" + "x" * 201,
        "level=" + "x" * 21,
        "city=" + "x" * 51,
        "q=%00",
    ],
)
def test_customer_list_bad_query(client: Client, query: str) -> None:
    response = client.get(f"/api/customers?{query}")

    assert response.status_code == 422, (query, response.content)
    assert response.json()["detail"][0]["loc"][0] == "query"


@pytest.mark.parametrize(
    "query", ["unknown=1", "q=%E2%80%8B", "q='; drop table", "page=1000000", "q=" + "x" * 200]
)
def test_customer_list_odd_but_valid_query(client: Client, query: str) -> None:
    assert client.get(f"/api/customers?{query}").status_code == 200


ID_URLS = [
    ("get", "/api/customers/{id}"),
    ("patch", "/api/customers/{id}"),
    ("post", "/api/customers/{id}/archive"),
    ("post", "/api/customers/{id}/restore"),
    ("get", "/api/customers/{id}/contacts"),
    ("post", "/api/customers/{id}/contacts"),
    ("get", "/api/contacts/{id}"),
    ("patch", "/api/contacts/{id}"),
    ("delete", "/api/contacts/{id}"),
    ("post", "/api/tokens/{id}/revoke"),
]


@pytest.mark.parametrize(("method", "url"), ID_URLS)
@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_bad_ids(client: Client, method: str, url: str, bad_id: str) -> None:
    response = getattr(client, method)(
        url.replace("{id}", bad_id), {"name": "x"}, content_type="application/json"
    )

    assert_client_error(response)


@pytest.mark.parametrize(("method", "url"), ID_URLS)
def test_missing_ids_are_404(client: Client, method: str, url: str) -> None:
    response = getattr(client, method)(
        url.replace("{id}", "987654321"), {"name": "x"}, content_type="application/json"
    )

    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/customers"),
        ("patch", "/api/customers/{customer}"),
        ("post", "/api/customers/{customer}/contacts"),
        ("patch", "/api/contacts/{contact}"),
        ("post", "/api/tokens"),
    ],
)
@pytest.mark.parametrize("body", GARBAGE_BODIES)
def test_garbage_bodies(
    org: dict[str, Any], client: Client, method: str, url: str, body: str
) -> None:
    customer = CustomerFactory(owner=org["east_sales"])
    contact = Contact.objects.create(customer=customer, name="x")
    url = url.format(customer=customer.pk, contact=contact.pk)

    response = getattr(client, method)(url, body, content_type="application/json")

    if body == "{}" and method == "patch":
        assert response.status_code == 200
    else:
        assert_client_error(response, 400, 422)


def test_form_encoded_body_is_rejected(client: Client) -> None:
    response = client.post("/api/customers", {"name": "x", "level": "A"})

    assert_client_error(response, 400, 422)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"level": "A"}, "name"),
        ({"name": "", "level": "A"}, "name"),
        ({"name": "x" * 201, "level": "A"}, "name"),
        ({"name": 123, "level": "A"}, "name"),
        ({"name": ["x"], "level": "A"}, "name"),
        ({"name": None, "level": "A"}, "name"),
        ({"name": "a\x00b", "level": "A"}, "name"),
        ({"name": "x"}, "level"),
        ({"name": "x", "level": "x" * 21}, "level"),
        ({"name": "x", "level": "A", "short_name": "x" * 51}, "short_name"),
        ({"name": "x", "level": "A", "industry": "x" * 101}, "industry"),
        ({"name": "x", "level": "A", "region": "x" * 51}, "region"),
        ({"name": "x", "level": "A", "city": "x" * 51}, "city"),
        ({"name": "x", "level": "A", "address": "x" * 301}, "address"),
        ({"name": "x", "level": "A", "notes": "x" * 5001}, "notes"),
        ({"name": "x", "level": "A", "notes": "x" * 1_000_000}, "notes"),
        ({"name": "x", "level": "A", "source": "gossip"}, "source"),
        ({"name": "x", "level": "A", "owner": "me"}, "owner"),
        ({"name": "x", "level": "A", "owner": -1}, "owner"),
        ({"name": "x", "level": "A", "owner": HUGE}, "owner"),
        ({"name": "x", "level": "A", "owner": 1.5}, "owner"),
    ],
)
def test_customer_create_schema_errors(client: Client, data: dict[str, Any], field: str) -> None:
    response = post(client, "/api/customers", data)

    assert response.status_code == 422, response.content
    assert ["body", "payload", field] == locs(response)[0][:3]
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "某公司", "level": "Z"}, "level"),
        ({"name": "   ", "level": "A"}, "name"),
        ({"name": "某公司", "level": "A", "owner": 987654321}, "owner"),
    ],
)
def test_customer_create_domain_errors(client: Client, data: dict[str, Any], field: str) -> None:
    response = post(client, "/api/customers", data)

    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", field]
    assert detail[0]["msg"]
    assert detail[0]["type"] == "application_error"


def test_duplicate_name_is_422_on_name(org: dict[str, Any], client: Client) -> None:
    CustomerFactory(owner=org["south_sales"], name="Acme Trading Co., Ltd.")

    response = post(client, "/api/customers", {"name": "ACME trading co., ltd.", "level": "A"})

    assert response.status_code == 422
    assert locs(response) == [["body", "name"]]


def test_duplicate_name_on_patch(org: dict[str, Any], client: Client) -> None:
    CustomerFactory(owner=org["south_sales"], name="Acme")
    mine = CustomerFactory(owner=org["east_sales"], name="Mine")

    response = patch(client, f"/api/customers/{mine.pk}", {"name": "acme"})

    assert response.status_code == 422
    assert locs(response) == [["body", "name"]]


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"name": None}, ["body", "payload", "name"]),
        ({"name": ""}, ["body", "payload", "name"]),
        ({"city": None}, ["body", "payload", "city"]),
        ({"city": "x" * 51}, ["body", "payload", "city"]),
        ({"notes": 5}, ["body", "payload", "notes"]),
        ({"owner": None}, ["body", "payload", "owner"]),
        ({"level": None}, ["body", "payload", "level"]),
        ({"source": "gossip"}, ["body", "payload", "source"]),
        ({"level": "Z"}, ["body", "level"]),
        ({"name": "   "}, ["body", "name"]),
        ({"owner": 987654321}, ["body", "owner"]),
    ],
)
def test_customer_patch_errors(
    org: dict[str, Any], client: Client, data: dict[str, Any], loc: list[str]
) -> None:
    customer = CustomerFactory(owner=org["east_sales"], name="原名", city="上海")

    response = patch(client, f"/api/customers/{customer.pk}", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    customer.refresh_from_db()
    assert (customer.name, customer.city) == ("原名", "上海")


def test_patch_ignores_unknown_and_read_only_fields(org: dict[str, Any], client: Client) -> None:
    customer = CustomerFactory(owner=org["east_sales"])

    response = patch(
        client, f"/api/customers/{customer.pk}", {"id": 1, "is_active": False, "bogus": 1}
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.is_active


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({}, ["body", "payload", "name"]),
        ({"name": ""}, ["body", "payload", "name"]),
        ({"name": "x" * 101}, ["body", "payload", "name"]),
        ({"name": "x", "gender": "robot"}, ["body", "payload", "gender"]),
        ({"name": "x", "mobile": "1" * 33}, ["body", "payload", "mobile"]),
        ({"name": "x", "mobile": 13812345678}, ["body", "payload", "mobile"]),
        ({"name": "x", "features": "x" * 301}, ["body", "payload", "features"]),
        ({"name": "x", "other_preferences": "x" * 501}, ["body", "payload", "other_preferences"]),
        ({"name": "x", "wechat_id": "x" * 51}, ["body", "payload", "wechat_id"]),
        ({"name": "x", "email": "x" * 255}, ["body", "payload", "email"]),
        ({"name": "x", "is_primary": "maybe"}, ["body", "payload", "is_primary"]),
        ({"name": "x", "mobile": "not a phone"}, ["body", "mobile"]),
        ({"name": "x", "mobile": "123"}, ["body", "mobile"]),
        ({"name": "x", "mobile": "+86 138 1234 567890"}, ["body", "mobile"]),
        ({"name": "x", "email": "not-an-email"}, ["body", "email"]),
        ({"name": "   "}, ["body", "name"]),
    ],
)
def test_contact_create_errors(
    org: dict[str, Any], client: Client, data: dict[str, Any], loc: list[str]
) -> None:
    customer = CustomerFactory(owner=org["east_sales"])

    response = post(client, f"/api/customers/{customer.pk}/contacts", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    assert response.json()["detail"][0]["msg"]
    assert not customer.contacts.exists()


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"name": None}, ["body", "payload", "name"]),
        ({"is_primary": None}, ["body", "payload", "is_primary"]),
        ({"gender": "robot"}, ["body", "payload", "gender"]),
        ({"mobile": "abc"}, ["body", "mobile"]),
        ({"email": "@"}, ["body", "email"]),
    ],
)
def test_contact_patch_errors(
    org: dict[str, Any], client: Client, data: dict[str, Any], loc: list[str]
) -> None:
    customer = CustomerFactory(owner=org["east_sales"])
    contact = Contact.objects.create(customer=customer, name="原名", mobile="+8613812345678")

    response = patch(client, f"/api/contacts/{contact.pk}", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    contact.refresh_from_db()
    assert (contact.name, contact.mobile) == ("原名", "+8613812345678")


def test_messages_follow_the_users_language(org: dict[str, Any]) -> None:
    user = org["east_sales"]
    user.language = "en"
    user.save()

    response = post(login(user), "/api/customers", {"name": "x", "level": "Z"})

    assert response.json()["detail"][0]["msg"] == "There is no customer level “Z”."


@pytest.mark.parametrize("method", ["put", "delete"])
def test_wrong_method_is_405(client: Client, method: str) -> None:
    assert getattr(client, method)("/api/customers").status_code == 405


def test_django_validation_error_from_a_service_is_422(
    org: dict[str, Any], client: Client, monkeypatch: Any
) -> None:
    def failing_create(**kwargs: Any) -> Customer:
        raise DjangoValidationError({"city": ["no such city"]})

    monkeypatch.setattr("visitflow.customers.services.customer_create", failing_create)

    response = post(client, "/api/customers", {"name": "x", "level": "A"})

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "city"], "msg": "no such city", "type": "application_error"}
    ]
