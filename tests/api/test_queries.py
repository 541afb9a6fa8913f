from typing import Any

import pytest

from tests.conftest import login
from tests.factories.customers import ContactFactory, CustomerFactory

# session, user, count, page (level and owner joined), primary contacts of the page.
LIST_QUERIES = 5


def make_customers(owner: Any, n: int) -> None:
    for customer in CustomerFactory.create_batch(n, owner=owner):
        ContactFactory.create_batch(2, customer=customer)


@pytest.mark.parametrize("role", ["east_sales", "east_manager", "admin"])
def test_customer_list_query_count_does_not_grow_with_rows(
    org: dict[str, Any], role: str, django_assert_num_queries: Any
) -> None:
    make_customers(org["east_sales"], 5)
    client = login(org[role])

    with django_assert_num_queries(LIST_QUERIES):
        first = client.get("/api/customers")
    assert first.json()["count"] == 5

    make_customers(org["east_sales"], 30)
    with django_assert_num_queries(LIST_QUERIES):
        second = client.get("/api/customers?page_size=200")
    assert len(second.json()["items"]) == 35


def test_counts_stop_at_the_cap(org, monkeypatch) -> None:
    from tests.conftest import login
    from tests.factories.customers import CustomerFactory
    from visitflow.api import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    for _ in range(4):
        CustomerFactory(owner=org["east_sales"])
    body = login(org["east_sales"]).get("/api/customers?page_size=2").json()
    assert (body["count"], body["count_exact"], len(body["items"])) == (3, False, 2)
    monkeypatch.setattr(pagination, "COUNT_CAP", 10)
    body = login(org["east_sales"]).get("/api/customers").json()
    assert (body["count"], body["count_exact"]) == (4, True)
