"""The visits API: each endpoint's happy path, and the list's query count."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import patch, post
from tests.conftest import login
from tests.factories.customers import ContactFactory, CustomerFactory
from tests.factories.visits import local, make_ready_visit, make_visit
from visitflow.accounts.models import User
from visitflow.customers.models import Customer
from visitflow.visits import services
from visitflow.visits.models import (
    FollowUp,
    FollowUpState,
    RequestState,
    StepState,
    Visit,
    VisitReschedule,
    VisitStatus,
    VisitStep,
)


def step(visit: Visit, code: str) -> VisitStep:
    return visit.steps.get(playbook_step__code=code)


def departed(actor: User) -> Visit:
    visit = make_ready_visit(actor=actor)
    for move in (services.visit_confirm, services.visit_mark_arrived, services.visit_mark_departed):
        move(actor=actor, visit=visit)
    return visit


def test_create_defaults_the_host_to_the_customers_owner(
    org: dict[str, Any], east_customer: Customer
) -> None:
    response = post(
        login(org["east_manager"]),
        "/api/visits",
        {
            "customer": east_customer.pk,
            "purposes": ["negotiation", "factory_audit"],
            "starts_at": "2026-12-10T10:00:00+08:00",
            "ends_at": "2026-12-12T10:00:00+08:00",
            "wants_pickup": True,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["host"]["id"] == org["east_sales"].pk
    assert body["status"] == "draft"
    assert body["purposes"] == ["negotiation", "factory_audit"]
    assert len(body["steps"]) == 10
    assert body["allowed_transitions"] == ["cancelled", "confirmed"]
    assert len(body["missing"]) == 2  # no visitor, no inbound leg for the pickup


def test_naive_datetimes_are_shanghai_time(sales_client: Client, east_customer: Customer) -> None:
    response = post(
        sales_client,
        "/api/visits",
        {
            "customer": east_customer.pk,
            "starts_at": "2026-12-10T10:00:00",
            "ends_at": "2026-12-10T18:00:00Z",
        },
    )

    assert response.status_code == 201, response.content
    visit = Visit.objects.get()
    assert visit.starts_at == local(2026, 12, 10, 10)
    assert visit.ends_at == local(2026, 12, 11, 2)


def test_create_with_host_and_co_hosts(org: dict[str, Any], east_customer: Customer) -> None:
    response = post(
        login(org["east_manager"]),
        "/api/visits",
        {
            "customer": east_customer.pk,
            "host": org["east_sales2"].pk,
            "co_hosts": [org["east_sales"].pk],
            "starts_at": "2026-12-10T10:00:00+08:00",
            "ends_at": "2026-12-11T10:00:00+08:00",
        },
    )

    assert response.status_code == 201, response.content
    assert response.json()["host"]["id"] == org["east_sales2"].pk
    assert [p["id"] for p in response.json()["co_hosts"]] == [org["east_sales"].pk]


def test_list_and_filters(org: dict[str, Any], sales_client: Client) -> None:
    user = org["east_sales"]
    mine = make_visit(actor=user, customer=CustomerFactory(owner=user, name="甲公司"))
    other = make_visit(actor=user, customer=CustomerFactory(owner=user, name="乙公司"))
    services.visit_cancel(actor=user, visit=other, reason="客户改期")
    make_visit(actor=org["south_sales"])

    everything = sales_client.get("/api/visits").json()
    by_name = sales_client.get("/api/visits?q=甲").json()
    cancelled = sales_client.get("/api/visits?status=cancelled").json()
    upcoming = sales_client.get("/api/visits?period=upcoming").json()
    by_customer = sales_client.get(f"/api/visits?customer={mine.customer_id}").json()

    assert everything["count"] == 2
    assert [v["id"] for v in by_name["items"]] == [mine.pk]
    assert [v["id"] for v in cancelled["items"]] == [other.pk]
    assert [v["id"] for v in upcoming["items"]] == [mine.pk]
    assert by_customer["count"] == 1
    assert everything["items"][0]["customer"]["name"] in {"甲公司", "乙公司"}


def test_detail_has_party_legs_steps_and_nothing_missing(
    org: dict[str, Any], sales_client: Client
) -> None:
    visit = make_ready_visit(actor=org["east_sales"])

    body = sales_client.get(f"/api/visits/{visit.pk}").json()

    assert [v["name"] for v in body["party"]] == ["王建国", "李娜"]
    assert [leg["number"] for leg in body["legs"]] == ["CA1831", "G80"]
    assert body["legs"][0]["number_warning"] == ""
    assert body["missing"] == []
    assert body["party_size"] == 2
    briefing = body["steps"][0]
    assert briefing["code"] == "briefing"
    assert briefing["items"]
    assert body["return_call"] is None


def test_patch_reschedules_and_keeps_the_old_dates(
    org: dict[str, Any], sales_client: Client
) -> None:
    visit = make_visit(actor=org["east_sales"])

    response = patch(
        sales_client,
        f"/api/visits/{visit.pk}",
        {
            "starts_at": "2026-12-11T10:00:00+08:00",
            "ends_at": "2026-12-13T10:00:00+08:00",
            "importance": "critical",
            "reschedule_reason": "客户航班改期",
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["importance"] == "critical"
    reschedule = VisitReschedule.objects.get(visit=visit)
    assert reschedule.old_starts_at == local(2026, 12, 10, 10)
    assert reschedule.reason == "客户航班改期"


def test_life_cycle_through_the_transitions(org: dict[str, Any], sales_client: Client) -> None:
    visit = make_ready_visit(actor=org["east_sales"])
    url = f"/api/visits/{visit.pk}/transitions"

    for target in ("confirmed", "draft", "confirmed", "in_progress", "departed", "closed"):
        response = post(sales_client, url, {"to": target})
        assert response.status_code == 200, (target, response.content)
        assert response.json()["status"] == target

    assert FollowUp.objects.filter(customer=visit.customer, state=FollowUpState.OPEN).exists()


def test_confirm_with_something_missing_is_409_and_says_what(
    org: dict[str, Any], sales_client: Client
) -> None:
    visit = make_visit(actor=org["east_sales"], wants_pickup=True)

    response = post(sales_client, f"/api/visits/{visit.pk}/transitions", {"to": "confirmed"})

    assert response.status_code == 409
    assert "inbound" in response.json()["detail"] or "接" in response.json()["detail"]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT


def test_a_move_the_table_does_not_allow_is_409(org: dict[str, Any], sales_client: Client) -> None:
    visit = make_visit(actor=org["east_sales"])

    response = post(sales_client, f"/api/visits/{visit.pk}/transitions", {"to": "closed"})

    assert response.status_code == 409
    assert response.json()["detail"]


def test_cancel_keeps_the_reason(org: dict[str, Any], sales_client: Client) -> None:
    visit = make_visit(actor=org["east_sales"])

    response = post(
        sales_client, f"/api/visits/{visit.pk}/transitions", {"to": "cancelled", "reason": "改期"}
    )

    assert response.status_code == 200
    assert response.json()["cancel_reason"] == "改期"


def test_visitors_add_update_remove(org: dict[str, Any], sales_client: Client) -> None:
    visit = make_visit(actor=org["east_sales"])
    contact = ContactFactory(customer=visit.customer, name="张总", title="总经理")

    added = post(
        sales_client,
        f"/api/visits/{visit.pk}/visitors",
        {"name": "王建国", "mobile": "138 1234 5678", "features": "戴眼镜"},
    )
    from_contact = post(sales_client, f"/api/visits/{visit.pk}/visitors", {"contact": contact.pk})
    saved = post(
        sales_client,
        f"/api/visits/{visit.pk}/visitors",
        {"name": "李娜", "save_as_contact": True},
    )

    assert added.status_code == 201, added.content
    assert added.json()["mobile"] == "+8613812345678"
    assert from_contact.json()["name"] == "张总"
    assert from_contact.json()["title"] == "总经理"
    assert saved.json()["contact_id"] is not None
    visitor_id = added.json()["id"]
    updated = patch(sales_client, f"/api/visitors/{visitor_id}", {"features": "灰色西装"})
    assert updated.status_code == 200
    assert updated.json()["features"] == "灰色西装"
    assert sales_client.delete(f"/api/visitors/{visitor_id}").status_code == 204
    visit.refresh_from_db()
    assert visit.party_size == 2


def test_legs_add_update_remove_with_number_warning(
    org: dict[str, Any], sales_client: Client
) -> None:
    visit = make_visit(actor=org["east_sales"], wants_pickup=True)
    pickup_due = step(visit, "pickup").due_at

    added = post(
        sales_client,
        f"/api/visits/{visit.pk}/legs",
        {
            "direction": "inbound",
            "mode": "flight",
            "number": "ca 1831",
            "from_place": "北京首都T3",
            "to_place": "深圳宝安T3",
            "departs_at": "2026-12-10T06:00:00+08:00",
            "arrives_at": "2026-12-10T09:30:00+08:00",
        },
    )

    assert added.status_code == 201, added.content
    assert added.json()["number"] == "CA1831"
    assert added.json()["number_warning"] == ""
    assert step(visit, "pickup").due_at != pickup_due  # the steps follow the itinerary
    leg_id = added.json()["id"]
    odd = patch(sales_client, f"/api/legs/{leg_id}", {"number": "HELLO", "departs_at": None})
    assert odd.status_code == 200, odd.content
    assert odd.json()["number_warning"]
    assert odd.json()["departs_at"] is None
    assert sales_client.delete(f"/api/legs/{leg_id}").status_code == 204
    assert not visit.legs.exists()


def test_steps_list_complete_skip_reopen_and_items(
    org: dict[str, Any], sales_client: Client
) -> None:
    visit = make_visit(actor=org["east_sales"])
    briefing = step(visit, "briefing")
    item = briefing.items.first()
    assert item is not None

    listed = sales_client.get(f"/api/visits/{visit.pk}/steps")
    done = post(sales_client, f"/api/steps/{briefing.pk}/complete")
    reopened = post(sales_client, f"/api/steps/{briefing.pk}/reopen")
    skipped = post(sales_client, f"/api/steps/{briefing.pk}/skip", {"reason": "客户已熟悉"})
    ticked = post(sales_client, f"/api/step-items/{item.pk}", {"done": True})

    assert [s["code"] for s in listed.json()][:2] == ["briefing", "pickup_arrangement"]
    assert done.json()["state"] == StepState.DONE
    assert done.json()["done_by"]["id"] == org["east_sales"].pk
    assert reopened.json()["state"] == StepState.PENDING
    assert skipped.json()["state"] == StepState.SKIPPED
    assert skipped.json()["skip_reason"] == "客户已熟悉"
    assert ticked.status_code == 200
    assert ticked.json()["is_done"] is True
    unticked = post(sales_client, f"/api/step-items/{item.pk}", {"done": False})
    assert unticked.json()["is_done"] is False


def test_requests_create_list_and_close(org: dict[str, Any], sales_client: Client) -> None:
    visit = make_visit(actor=org["east_sales"])

    created = post(
        sales_client,
        f"/api/visits/{visit.pk}/requests",
        {"title": "寄送样品", "due_date": "2026-12-20", "owner": org["finance"].pk},
    )

    assert created.status_code == 201, created.content
    assert created.json()["owner"]["id"] == org["finance"].pk
    request_id = created.json()["id"]
    assert [r["id"] for r in sales_client.get("/api/requests").json()["items"]] == [request_id]
    # The owner sees it in their list too, though the customer is not theirs.
    assert login(org["finance"]).get("/api/requests").json()["count"] == 1
    closed = patch(
        sales_client, f"/api/requests/{request_id}", {"state": "done", "resolution": "已寄出"}
    )
    assert closed.status_code == 200
    assert closed.json()["state"] == RequestState.DONE
    assert closed.json()["closed_at"]
    assert sales_client.get("/api/requests").json()["count"] == 0


def test_return_call_and_feedback_list(org: dict[str, Any], sales_client: Client) -> None:
    visit = departed(org["east_sales"])

    response = post(
        sales_client,
        f"/api/visits/{visit.pk}/return-call",
        {"reached": True, "product_rating": 5, "image_rating": 4, "suggestions": "希望加快交期"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["product_rating"] == 5
    assert step(visit, "return_call").state == StepState.DONE
    manager_view = login(org["east_manager"]).get("/api/feedback").json()
    assert [f["id"] for f in manager_view["items"]] == [response.json()["id"]]
    assert manager_view["items"][0]["customer"]["id"] == visit.customer_id
    assert login(org["south_manager"]).get("/api/feedback").json()["count"] == 0


def test_follow_ups_list_and_log(org: dict[str, Any], sales_client: Client) -> None:
    visit = departed(org["east_sales"])
    services.visit_close(actor=org["east_sales"], visit=visit)
    follow_up = FollowUp.objects.get(state=FollowUpState.OPEN)

    listed = sales_client.get("/api/follow-ups").json()
    next_date = timezone.localdate() + timedelta(days=10)
    logged = post(
        sales_client,
        f"/api/follow-ups/{follow_up.pk}/log",
        {"channel": "wechat", "notes": "客户确认样品已收到", "next_date": next_date.isoformat()},
    )

    assert [f["id"] for f in listed["items"]] == [follow_up.pk]
    assert logged.status_code == 200, logged.content
    assert logged.json()["state"] == FollowUpState.DONE
    upcoming = FollowUp.objects.get(state=FollowUpState.OPEN)
    assert upcoming.due_date == next_date


def test_token_client_reaches_visits(org: dict[str, Any]) -> None:
    from tests.api.conftest import token_client

    make_visit(actor=org["east_sales"])

    assert token_client(org["east_sales"]).get("/api/visits").json()["count"] == 1


def test_openapi_documents_the_visits(sales_client: Client) -> None:
    response = sales_client.get("/api/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/visits",
        "/api/visits/{visit_id}",
        "/api/visits/{visit_id}/transitions",
        "/api/visitors/{visitor_id}",
        "/api/legs/{leg_id}",
        "/api/steps/{step_id}/skip",
        "/api/step-items/{item_id}",
        "/api/requests/{request_id}",
        "/api/visits/{visit_id}/return-call",
        "/api/feedback",
        "/api/follow-ups/{follow_up_id}/log",
    ):
        assert path in paths, path


# session, user, count, page (customer, level and host joined).
LIST_QUERIES = 4


@pytest.mark.parametrize("role", ["east_sales", "east_manager", "director", "admin"])
def test_visit_list_query_count_does_not_grow_with_rows(
    org: dict[str, Any], role: str, django_assert_num_queries: Any
) -> None:
    sales = org["east_sales"]
    customer = CustomerFactory(owner=sales)
    for day in range(3):
        make_visit(actor=sales, customer=customer, starts_at=local(2026, 12, 1 + day, 10))
    client = login(org[role])

    with django_assert_num_queries(LIST_QUERIES):
        first = client.get("/api/visits")
    assert first.json()["count"] == 3

    for day in range(12):
        make_visit(actor=sales, starts_at=local(2027, 1, 1 + day, 10))
    with django_assert_num_queries(LIST_QUERIES):
        second = client.get("/api/visits?page_size=200")
    assert len(second.json()["items"]) == 15


def test_empty_patch_changes_nothing(org: dict[str, Any], sales_client: Client) -> None:
    visit = make_visit(actor=org["east_sales"])

    response = patch(sales_client, f"/api/visits/{visit.pk}", {})

    assert response.status_code == 200
    assert not VisitReschedule.objects.exists()


def test_period_filters(org: dict[str, Any], sales_client: Client) -> None:
    user = org["east_sales"]
    now = timezone.localtime()
    today = make_visit(actor=user, starts_at=now - timedelta(hours=1), days=1)
    past = make_visit(actor=user, starts_at=now - timedelta(days=10), days=1)
    future = make_visit(actor=user, starts_at=now + timedelta(days=10), days=1)

    def ids(period: str) -> list[int]:
        return [v["id"] for v in sales_client.get(f"/api/visits?period={period}").json()["items"]]

    assert ids("today") == [today.pk]
    assert ids("past") == [past.pk]
    assert ids("upcoming") == [today.pk, future.pk]
