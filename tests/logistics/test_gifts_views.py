from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories.visits import make_visit
from visitflow.logistics.models import GiftIssue, GiftItem
from visitflow.logistics.services.gifts import gift_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def tea(db):
    return GiftItem.objects.create(name="茶叶礼盒", unit_value=Decimal("200.00"), stock=3)


def test_issue_from_the_visit(org, tea):
    visit = make_visit(actor=org["east_sales"])
    client = login(org["east_sales"])
    url = reverse("logistics:gift_issue", args=[visit.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"item": tea.pk, "quantity": 2}).status_code == 302
    tea.refresh_from_db()
    assert tea.stock == 1


@pytest.mark.parametrize("quantity", ["0", "5"])
def test_bad_quantity_is_a_chinese_message(org, tea, quantity):
    visit = make_visit(actor=org["east_sales"])
    response = login(org["east_sales"]).post(
        reverse("logistics:gift_issue", args=[visit.pk]),
        {"item": tea.pk, "quantity": quantity},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    tea.refresh_from_db()
    assert tea.stock == 3 and not GiftIssue.objects.exists()


def test_hand_over_and_return_buttons(org, tea):
    visit = make_visit(actor=org["east_sales"])
    first = gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=1)
    second = gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=1)
    client = login(org["east_sales"])
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert reverse("logistics:gift_hand_over", args=[first.pk]) in page
    assert client.post(reverse("logistics:gift_hand_over", args=[first.pk])).status_code == 302
    assert (
        login(org["reception"]).post(reverse("logistics:gift_return", args=[second.pk])).status_code
        == 302
    )
    first.refresh_from_db()
    tea.refresh_from_db()
    assert first.handed_over_at is not None and tea.stock == 2
    # Returning what was handed over is refused with a message, not an error page.
    response = client.post(reverse("logistics:gift_return", args=[first.pk]), follow=True)
    assert response.status_code == 200 and tea.stock == 2


def test_foreign_gift_actions_are_404(org, tea):
    visit = make_visit(actor=org["east_sales"])
    issue = gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=1)
    stranger = login(org["south_sales"])
    assert stranger.get(reverse("logistics:gift_issue", args=[visit.pk])).status_code == 404
    assert stranger.post(reverse("logistics:gift_hand_over", args=[issue.pk])).status_code == 404
    assert stranger.post(reverse("logistics:gift_return", args=[issue.pk])).status_code == 404


@pytest.mark.parametrize(
    ("key", "status"), [("reception", 200), ("admin", 200), ("east_sales", 403), ("driver", 403)]
)
def test_stock_page_is_for_reception(org, tea, key, status):
    assert login(org[key]).get(reverse("logistics:gift_stock")).status_code == status


def test_receive_stock(org, tea):
    client = login(org["reception"])
    assert (
        client.post(reverse("logistics:gift_stock"), {"item": tea.pk, "quantity": "0"}).status_code
        == 422
    )
    response = client.post(
        reverse("logistics:gift_stock"), {"item": tea.pk, "quantity": "10", "note": "采购"}
    )
    assert response.status_code == 302
    tea.refresh_from_db()
    assert tea.stock == 13
    assert "采购" in client.get(reverse("logistics:gift_stock")).content.decode()
