import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from tests.factories.visits import make_visit
from visitflow.core.exceptions import ApplicationError
from visitflow.logistics.models import GiftItem, StockMovement
from visitflow.logistics.services.gifts import (
    gift_hand_over,
    gift_issue,
    gift_return,
    stock_receive,
)


@pytest.fixture
def tea(db):
    return GiftItem.objects.create(name="茶叶礼盒", unit_value=Decimal("200.00"), stock=5)


@pytest.mark.django_db
def test_issue_takes_from_stock_and_records_a_movement(org, tea):
    visit = make_visit(actor=org["east_sales"])
    issue = gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=2)
    tea.refresh_from_db()
    assert tea.stock == 3
    movement = StockMovement.objects.get(issue=issue)
    assert (movement.change, movement.stock_after) == (-2, 3)


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", [0, -1])
def test_quantity_must_be_positive(org, tea, quantity):
    visit = make_visit(actor=org["east_sales"])
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as info:
        gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=quantity)
    assert "quantity" in info.value.field_errors


@pytest.mark.django_db
def test_too_little_stock_is_refused_with_a_clear_message(org, tea):
    visit = make_visit(actor=org["east_sales"])
    gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=4)
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as info:
        gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=2)
    assert "茶叶礼盒" in info.value.message and "1" in info.value.message
    tea.refresh_from_db()
    assert tea.stock == 1


@pytest.mark.django_db
def test_hand_over_then_no_return(org, tea):
    visit = make_visit(actor=org["east_sales"])
    issue = gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=1)
    gift_hand_over(actor=org["east_sales"], issue=issue)
    assert issue.handed_over_at is not None and issue.handed_over_by == org["east_sales"]
    with pytest.raises(ApplicationError):
        gift_return(actor=org["east_sales"], issue=issue)
    with pytest.raises(ApplicationError):
        gift_hand_over(actor=org["east_sales"], issue=issue)


@pytest.mark.django_db
def test_unused_gifts_go_back_to_stock_once(org, tea):
    visit = make_visit(actor=org["east_sales"])
    issue = gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=3)
    gift_return(actor=org["reception"], issue=issue)
    tea.refresh_from_db()
    assert tea.stock == 5 and issue.returned
    with pytest.raises(ApplicationError):
        gift_return(actor=org["reception"], issue=issue)
    tea.refresh_from_db()
    assert tea.stock == 5


@pytest.mark.django_db
def test_receive_stock(org, tea):
    movement = stock_receive(actor=org["reception"], item=tea, quantity=10, note="采购")
    tea.refresh_from_db()
    assert tea.stock == 15 and movement.stock_after == 15 and movement.change == 10
    with pytest.raises(ApplicationError):
        stock_receive(actor=org["reception"], item=tea, quantity=0)


@pytest.mark.django_db
def test_sequential_over_issue_never_goes_negative(org, tea):
    visit = make_visit(actor=org["east_sales"])
    results = []
    for _ in range(8):
        try:
            gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=1)
            results.append(True)
        except ApplicationError:
            results.append(False)
    tea.refresh_from_db()
    assert results.count(True) == 5 and tea.stock == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issues_never_go_negative(org, tea):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite is covered sequentially above")
    visit = make_visit(actor=org["east_sales"])
    threads_count = 20
    barrier = threading.Barrier(threads_count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=1)
            result = "ok"
        except ApplicationError:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    tea.refresh_from_db()
    assert outcomes.count("ok") == 5 and outcomes.count("refused") == threads_count - 5
    assert tea.stock == 0
    assert StockMovement.objects.filter(item=tea).count() == 5


@pytest.mark.django_db
def test_nothing_is_issued_to_a_cancelled_visit(org, tea):
    from visitflow.visits.services import visit_cancel

    visit = make_visit(actor=org["east_sales"])
    visit_cancel(actor=org["east_sales"], visit=visit, reason="客户改期")
    with pytest.raises(ApplicationError):
        gift_issue(actor=org["east_sales"], visit=visit, item=tea, quantity=1)
    tea.refresh_from_db()
    assert tea.stock == 5
