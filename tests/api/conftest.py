from typing import Any

import pytest
from django.test import Client

from tests.conftest import login
from tests.factories.customers import ContactFactory, CustomerFactory
from visitflow.accounts.models import User
from visitflow.api.services import token_create
from visitflow.customers.models import Contact, Customer


def token_client(user: User) -> Client:
    """A client that authenticates with a fresh personal token, with no session."""
    _token, raw = token_create(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, data if data is not None else {}, content_type="application/json")


def patch(client: Client, url: str, data: Any) -> Any:
    return client.patch(url, data, content_type="application/json")


def locs(response: Any) -> list[list[str]]:
    return [item["loc"] for item in response.json()["detail"]]


@pytest.fixture
def east_customer(org: dict[str, Any]) -> Customer:
    return CustomerFactory(owner=org["east_sales"], name="上海东方机械有限公司", city="上海")


@pytest.fixture
def south_customer(org: dict[str, Any]) -> Customer:
    return CustomerFactory(owner=org["south_sales"], name="广州南方贸易有限公司", city="广州")


@pytest.fixture
def east_contact(east_customer: Customer) -> Contact:
    return ContactFactory(customer=east_customer, name="王经理", is_primary=True)


@pytest.fixture
def sales_client(org: dict[str, Any]) -> Client:
    return login(org["east_sales"])
