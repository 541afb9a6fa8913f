"""Nothing a client sends to the visits API may produce a 500: every bad request is a 4xx
with a JSON body, a 422 says which field, and nothing is changed."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import locs, patch, post
from tests.conftest import login
from tests.factories.customers import ContactFactory, CustomerFactory
from tests.factories.visits import make_ready_visit, make_visit
from visitflow.customers.models import Customer
from visitflow.visits import services
from visitflow.visits.models import FollowUp, FollowUpState, ReturnCall, Visit, VisitStatus

HUGE = 2**70
BAD_IDS = ["0", str(2**63), "-1", "abc"]
GARBAGE_BODIES = ["{not json", "\xff\xfe", "null", "[]", "12"]
START = "2026-12-10T10:00:00+08:00"
END = "2026-12-12T10:00:00+08:00"


def assert_client_error(response: Any, *allowed: int) -> None:
    assert response.status_code in (allowed or (400, 404, 405, 422)), response.content
    if response.status_code in (400, 422):
        assert response.json()["detail"]


@pytest.fixture
def client(org: dict[str, Any]) -> Client:
    return login(org["east_sales"])


@pytest.fixture
def customer(org: dict[str, Any]) -> Customer:
    return CustomerFactory(owner=org["east_sales"])


@pytest.fixture
def visit(org: dict[str, Any], customer: Customer) -> Visit:
    """A ready draft: two visitors, CA1831 in the morning before, G80 out at the end."""
    return make_ready_visit(actor=org["east_sales"], customer=customer)


@pytest.mark.parametrize(
    "query",
    [
        "status=lost",
        "period=someday",
        "host=abc",
        f"host={HUGE}",
        "customer=-1",
        "q=" + "x" * 201,
        "q=%00",
        "page=0",
        "page_size=100000",
    ],
)
def test_visit_list_bad_query(client: Client, query: str) -> None:
    response = client.get(f"/api/visits?{query}")

    assert response.status_code == 422, (query, response.content)
    assert response.json()["detail"][0]["loc"][0] == "query"


ID_URLS = [
    ("get", "/api/visits/{id}"),
    ("patch", "/api/visits/{id}"),
    ("post", "/api/visits/{id}/transitions"),
    ("post", "/api/visits/{id}/visitors"),
    ("patch", "/api/visitors/{id}"),
    ("delete", "/api/visitors/{id}"),
    ("post", "/api/visits/{id}/legs"),
    ("patch", "/api/legs/{id}"),
    ("delete", "/api/legs/{id}"),
    ("get", "/api/visits/{id}/steps"),
    ("post", "/api/steps/{id}/complete"),
    ("post", "/api/steps/{id}/skip"),
    ("post", "/api/steps/{id}/reopen"),
    ("post", "/api/step-items/{id}"),
    ("post", "/api/visits/{id}/requests"),
    ("patch", "/api/requests/{id}"),
    ("post", "/api/visits/{id}/return-call"),
    ("post", "/api/follow-ups/{id}/log"),
]


@pytest.mark.parametrize(("method", "url"), ID_URLS)
def test_bad_and_missing_ids(client: Client, method: str, url: str) -> None:
    for bad_id in BAD_IDS:
        response = getattr(client, method)(
            url.replace("{id}", bad_id), {"name": "x"}, content_type="application/json"
        )
        assert_client_error(response)

    missing = getattr(client, method)(
        url.replace("{id}", "987654321"), {"name": "x"}, content_type="application/json"
    )
    # The body may be refused before the id is looked up; never a 500, never a 2xx.
    assert missing.status_code in (404, 422), missing.content


BODY_URLS = [
    ("post", "/api/visits"),
    ("patch", "/api/visits/{visit}"),
    ("post", "/api/visits/{visit}/transitions"),
    ("post", "/api/visits/{visit}/visitors"),
    ("patch", "/api/visitors/{visitor}"),
    ("post", "/api/visits/{visit}/legs"),
    ("patch", "/api/legs/{leg}"),
    ("post", "/api/steps/{step}/skip"),
    ("post", "/api/step-items/{item}"),
    ("post", "/api/visits/{visit}/requests"),
    ("patch", "/api/requests/{request}"),
    ("post", "/api/visits/{visit}/return-call"),
    ("post", "/api/follow-ups/{follow_up}/log"),
]


@pytest.mark.parametrize(("method", "url"), BODY_URLS)
def test_garbage_bodies(
    org: dict[str, Any], client: Client, visit: Visit, method: str, url: str
) -> None:
    step = visit.steps.get(playbook_step__code="briefing")
    request = services.request_create(
        actor=org["east_sales"], visit=visit, title="样品", due_date=visit.ends_at.date()
    )
    follow_up = services.follow_up_schedule_next(
        actor=None, customer=visit.customer, after=visit.ends_at.date()
    )
    assert follow_up is not None
    url = url.format(
        visit=visit.pk,
        visitor=visit.visitors.first().pk,  # type: ignore[union-attr]
        leg=visit.legs.first().pk,  # type: ignore[union-attr]
        step=step.pk,
        item=step.items.first().pk,  # type: ignore[union-attr]
        request=request.pk,
        follow_up=follow_up.pk,
    )

    for body in GARBAGE_BODIES:
        response = getattr(client, method)(url, body, content_type="application/json")
        assert_client_error(response, 400, 422)
    form = getattr(client, method)(url, {"name": "x"})
    assert_client_error(form, 400, 422)


def create(client: Client, of: Customer, **data: Any) -> Any:
    return post(
        client, "/api/visits", {"customer": of.pk, "starts_at": START, "ends_at": END, **data}
    )


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"ends_at": "2026-12-09T10:00:00+08:00"}, ["body", "ends_at"]),
        ({"ends_at": START}, ["body", "ends_at"]),
        ({"purposes": ["sightseeing"]}, ["body", "payload", "purposes", 0]),
        ({"purposes": "negotiation"}, ["body", "payload", "purposes"]),
        ({"purposes": ["other"] * 50}, ["body", "payload", "purposes"]),
        ({"customer": 987654321}, ["body", "customer"]),
        ({"customer": None}, ["body", "payload", "customer"]),
        ({"customer": "mine"}, ["body", "payload", "customer"]),
        ({"customer": HUGE}, ["body", "payload", "customer"]),
        ({"host": 987654321}, ["body", "host"]),
        ({"co_hosts": [987654321]}, ["body", "co_hosts"]),
        ({"co_hosts": list(range(1, 100))}, ["body", "payload", "co_hosts"]),
        ({"starts_at": "tomorrow"}, ["body", "payload", "starts_at"]),
        ({"starts_at": "9999-12-31T23:59:59"}, ["body", "payload", "starts_at"]),
        ({"starts_at": "0001-01-01T00:00:00"}, ["body", "payload", "starts_at"]),
        ({"starts_at": 12}, ["body", "payload", "starts_at"]),
        ({"starts_at": None}, ["body", "payload", "starts_at"]),
        ({"importance": "urgent!!"}, ["body", "payload", "importance"]),
        ({"wants_pickup": "perhaps"}, ["body", "payload", "wants_pickup"]),
        ({"purpose_notes": "x" * 501}, ["body", "payload", "purpose_notes"]),
        ({"notes": "x" * 1_000_000}, ["body", "payload", "notes"]),
        ({"notes": "a\x00b"}, ["body", "payload", "notes"]),
    ],
)
def test_visit_create_errors(
    client: Client, customer: Customer, data: dict[str, Any], loc: list[Any]
) -> None:
    response = create(client, customer, **data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    assert response.json()["detail"][0]["msg"]
    assert not Visit.objects.exists()


def test_visit_create_for_another_teams_host(
    org: dict[str, Any], client: Client, customer: Customer
) -> None:
    response = create(client, customer, host=org["south_sales"].pk)

    assert response.status_code == 422
    assert locs(response) == [["body", "host"]]


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"ends_at": "2026-12-10T09:00:00+08:00"}, ["body", "ends_at"]),
        # The inbound CA1831 lands at 09:00 on the 10th: the visit cannot end before it.
        (
            {"starts_at": "2026-12-08T10:00:00+08:00", "ends_at": "2026-12-09T10:00:00+08:00"},
            ["body", "arrives_at"],
        ),
        ({"ends_at": None}, ["body", "payload", "ends_at"]),
        ({"host": None}, ["body", "payload", "host"]),
        ({"purposes": ["tourism"]}, ["body", "payload", "purposes", 0]),
        ({"importance": 3}, ["body", "payload", "importance"]),
        ({"reschedule_reason": "x" * 301}, ["body", "payload", "reschedule_reason"]),
        ({"host": 987654321}, ["body", "host"]),
    ],
)
def test_visit_patch_errors(
    client: Client, visit: Visit, data: dict[str, Any], loc: list[Any]
) -> None:
    before = (visit.starts_at, visit.ends_at, visit.purposes, visit.importance)

    response = patch(client, f"/api/visits/{visit.pk}", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    visit.refresh_from_db()
    assert (visit.starts_at, visit.ends_at, visit.purposes, visit.importance) == before


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({}, ["body", "payload", "to"]),
        ({"to": "archived"}, ["body", "payload", "to"]),
        ({"to": None}, ["body", "payload", "to"]),
        ({"to": "cancelled"}, ["body", "reason"]),
        ({"to": "cancelled", "reason": "   "}, ["body", "reason"]),
        ({"to": "cancelled", "reason": "x" * 301}, ["body", "payload", "reason"]),
    ],
)
def test_transition_errors(
    client: Client, visit: Visit, data: dict[str, Any], loc: list[Any]
) -> None:
    response = post(client, f"/api/visits/{visit.pk}/transitions", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT


def test_closed_visit_cannot_be_changed(org: dict[str, Any], client: Client, visit: Visit) -> None:
    services.visit_cancel(actor=org["east_sales"], visit=visit, reason="改期")
    leg = visit.legs.first()
    assert leg is not None

    for response in (
        patch(client, f"/api/visits/{visit.pk}", {"notes": "x"}),
        post(client, f"/api/visits/{visit.pk}/visitors", {"name": "x"}),
        patch(client, f"/api/legs/{leg.pk}", {"number": "G1"}),
        post(client, f"/api/visits/{visit.pk}/transitions", {"to": "confirmed"}),
        post(client, f"/api/visits/{visit.pk}/return-call", {"reached": True}),
        post(client, f"/api/steps/{visit.steps.first().pk}/complete"),  # type: ignore[union-attr]
    ):
        assert response.status_code == 409, response.content
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({}, ["body", "name"]),
        ({"name": "   "}, ["body", "name"]),
        ({"contact": 987654321}, ["body", "contact"]),
        ({"name": "x", "mobile": "not a phone"}, ["body", "mobile"]),
        ({"name": "x", "mobile": 13812345678}, ["body", "payload", "mobile"]),
        ({"name": "x" * 101}, ["body", "payload", "name"]),
        ({"name": "x", "gender": "robot"}, ["body", "payload", "gender"]),
        ({"name": "x", "features": "x" * 301}, ["body", "payload", "features"]),
        ({"name": "x", "save_as_contact": "please"}, ["body", "payload", "save_as_contact"]),
    ],
)
def test_visitor_add_errors(
    client: Client, visit: Visit, data: dict[str, Any], loc: list[Any]
) -> None:
    response = post(client, f"/api/visits/{visit.pk}/visitors", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    assert visit.visitors.count() == 2


def test_visitor_from_another_customers_contact(
    org: dict[str, Any], client: Client, visit: Visit
) -> None:
    foreign = ContactFactory(customer=CustomerFactory(owner=org["east_sales"]))

    response = post(client, f"/api/visits/{visit.pk}/visitors", {"contact": foreign.pk})

    assert response.status_code == 422
    assert locs(response) == [["body", "contact"]]


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"name": ""}, ["body", "payload", "name"]),
        ({"name": None}, ["body", "payload", "name"]),
        ({"mobile": "123"}, ["body", "mobile"]),
    ],
)
def test_visitor_patch_errors(
    client: Client, visit: Visit, data: dict[str, Any], loc: list[Any]
) -> None:
    visitor = visit.visitors.first()
    assert visitor is not None

    response = patch(client, f"/api/visitors/{visitor.pk}", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    visitor.refresh_from_db()
    assert visitor.name == "王建国"


LEG = {"direction": "inbound", "mode": "flight", "arrives_at": "2026-12-10T09:00:00+08:00"}


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        # The visit ends at 10:00 on the 12th.
        ({"arrives_at": "2026-12-12T11:00:00+08:00"}, ["body", "arrives_at"]),
        # CA1831 arrives 09:00 on the 10th; leaving before that is impossible.
        (
            {
                "direction": "outbound",
                "departs_at": "2026-12-10T08:00:00+08:00",
                "arrives_at": "2026-12-10T12:00:00+08:00",
            },
            ["body", "departs_at"],
        ),
        (
            {"departs_at": "2026-12-10T09:30:00+08:00", "arrives_at": "2026-12-10T09:00:00+08:00"},
            ["body", "arrives_at"],
        ),
        ({"direction": "sideways"}, ["body", "payload", "direction"]),
        ({"mode": "rocket"}, ["body", "payload", "mode"]),
        ({"number": "X" * 21}, ["body", "payload", "number"]),
        ({"to_place": "x" * 101}, ["body", "payload", "to_place"]),
        ({"arrives_at": None}, ["body", "payload", "arrives_at"]),
        ({"arrives_at": "9:00"}, ["body", "payload", "arrives_at"]),
        ({"departs_at": [2026, 12, 10]}, ["body", "payload", "departs_at"]),
    ],
)
def test_leg_add_errors(client: Client, visit: Visit, data: dict[str, Any], loc: list[Any]) -> None:
    response = post(client, f"/api/visits/{visit.pk}/legs", {**LEG, **data})

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    assert visit.legs.count() == 2


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"arrives_at": None}, ["body", "payload", "arrives_at"]),
        ({"mode": None}, ["body", "payload", "mode"]),
        ({"departs_at": "2026-12-10T23:00:00+08:00"}, ["body", "arrives_at"]),
        ({"arrives_at": "2026-12-13T09:00:00+08:00"}, ["body", "arrives_at"]),
    ],
)
def test_leg_patch_errors(
    client: Client, visit: Visit, data: dict[str, Any], loc: list[Any]
) -> None:
    leg = visit.legs.get(direction="inbound")
    before = (leg.departs_at, leg.arrives_at, leg.mode)

    response = patch(client, f"/api/legs/{leg.pk}", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    leg.refresh_from_db()
    assert (leg.departs_at, leg.arrives_at, leg.mode) == before


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({}, ["body", "reason"]),
        ({"reason": "  "}, ["body", "reason"]),
        ({"reason": "x" * 301}, ["body", "payload", "reason"]),
        ({"reason": 5}, ["body", "payload", "reason"]),
    ],
)
def test_step_skip_errors(
    client: Client, visit: Visit, data: dict[str, Any], loc: list[Any]
) -> None:
    step = visit.steps.get(playbook_step__code="briefing")

    response = post(client, f"/api/steps/{step.pk}/skip", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    step.refresh_from_db()
    assert step.state == "pending"


@pytest.mark.parametrize("data", [{}, {"done": "maybe"}, {"done": [1]}, {"done": None}])
def test_step_item_errors(client: Client, visit: Visit, data: dict[str, Any]) -> None:
    item = visit.steps.get(playbook_step__code="briefing").items.first()
    assert item is not None

    response = post(client, f"/api/step-items/{item.pk}", data)

    assert response.status_code == 422
    assert locs(response)[0] == ["body", "payload", "done"]


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"due_date": "2026-12-20"}, ["body", "payload", "title"]),
        ({"title": "", "due_date": "2026-12-20"}, ["body", "payload", "title"]),
        ({"title": "x" * 201, "due_date": "2026-12-20"}, ["body", "payload", "title"]),
        ({"title": "x"}, ["body", "payload", "due_date"]),
        ({"title": "x", "due_date": "next week"}, ["body", "payload", "due_date"]),
        ({"title": "x", "due_date": "9999-12-31"}, ["body", "payload", "due_date"]),
        ({"title": "x", "due_date": "2026-12-20", "owner": 987654321}, ["body", "owner"]),
        ({"title": "x", "due_date": "2026-12-20", "details": "x" * 3001}, ["body", "payload"]),
        ({"title": "   ", "due_date": "2026-12-20"}, ["body", "title"]),
    ],
)
def test_request_create_errors(
    client: Client, visit: Visit, data: dict[str, Any], loc: list[Any]
) -> None:
    response = post(client, f"/api/visits/{visit.pk}/requests", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    assert not visit.requests.exists()


@pytest.mark.parametrize(
    "data", [{"state": "lost"}, {"state": None}, {"resolution": "x" * 501}, {"resolution": 1}]
)
def test_request_patch_errors(
    org: dict[str, Any], client: Client, visit: Visit, data: dict[str, Any]
) -> None:
    request = services.request_create(
        actor=org["east_sales"], visit=visit, title="样品", due_date=visit.ends_at.date()
    )

    response = patch(client, f"/api/requests/{request.pk}", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][:2] == ["body", "payload"]
    request.refresh_from_db()
    assert request.state == "open"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reached": True, "product_rating": 9}, "product_rating"),
        ({"reached": True, "image_rating": 0}, "image_rating"),
        ({"reached": True, "image_rating": "five"}, "image_rating"),
        ({"reached": True, "product_rating": HUGE}, "product_rating"),
        ({}, "reached"),
        ({"reached": "sort of"}, "reached"),
        ({"reached": True, "suggestions": "x" * 3001}, "suggestions"),
        ({"reached": True, "made_at": "yesterday"}, "made_at"),
    ],
)
def test_return_call_errors(
    org: dict[str, Any], client: Client, visit: Visit, data: dict[str, Any], field: str
) -> None:
    for move in (services.visit_confirm, services.visit_mark_arrived, services.visit_mark_departed):
        move(actor=org["east_sales"], visit=visit)

    response = post(client, f"/api/visits/{visit.pk}/return-call", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][:3] == ["body", "payload", field]
    assert not ReturnCall.objects.exists()
    assert not visit.steps.filter(playbook_step__code="return_call", state="done").exists()


def test_return_call_before_departure_is_409(client: Client, visit: Visit) -> None:
    response = post(client, f"/api/visits/{visit.pk}/return-call", {"reached": True})

    assert response.status_code == 409


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"notes": "x"}, ["body", "payload", "channel"]),
        ({"channel": "pigeon", "notes": "x"}, ["body", "payload", "channel"]),
        ({"channel": "phone"}, ["body", "payload", "notes"]),
        ({"channel": "phone", "notes": "x" * 3001}, ["body", "payload", "notes"]),
        ({"channel": "phone", "notes": "x", "next_date": "2020-01-01"}, ["body", "next_date"]),
        ({"channel": "phone", "notes": "x", "next_date": "soon"}, ["body", "payload", "next_date"]),
    ],
)
def test_follow_up_log_errors(
    client: Client, customer: Customer, data: dict[str, Any], loc: list[Any]
) -> None:
    follow_up = services.follow_up_schedule_next(
        actor=None, customer=customer, after=timezone.localdate()
    )
    assert follow_up is not None

    response = post(client, f"/api/follow-ups/{follow_up.pk}/log", data)

    assert response.status_code == 422, response.content
    assert locs(response)[0][: len(loc)] == loc
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.OPEN


def test_follow_up_logged_twice_is_409(client: Client, customer: Customer) -> None:
    follow_up = services.follow_up_schedule_next(
        actor=None, customer=customer, after=timezone.localdate()
    )
    assert follow_up is not None
    url = f"/api/follow-ups/{follow_up.pk}/log"
    next_date = (timezone.localdate() + timedelta(days=5)).isoformat()

    first = post(client, url, {"channel": "phone", "notes": "x", "next_date": next_date})
    second = post(client, url, {"channel": "phone", "notes": "y"})

    assert first.status_code == 200
    assert second.status_code == 409
    assert FollowUp.objects.filter(customer=customer).count() == 2


def test_messages_follow_the_users_language(org: dict[str, Any], customer: Customer) -> None:
    user = org["east_sales"]
    user.language = "en"
    user.save()
    visit = make_visit(actor=user, customer=customer, wants_pickup=True)

    response = post(login(user), f"/api/visits/{visit.pk}/transitions", {"to": "confirmed"})

    assert response.status_code == 409
    assert response.json()["detail"].startswith("The visit cannot be confirmed yet:")
