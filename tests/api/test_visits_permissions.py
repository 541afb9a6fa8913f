"""The visits' role-by-scope matrix as the API enforces it: visits follow their customer's
visibility plus the host and co-hosts; a foreign visit is a 404, a visible visit the role
may not change is a 403."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import patch, post
from tests.conftest import login
from tests.factories.customers import CustomerFactory
from tests.factories.visits import make_visit
from visitflow.accounts.models import User
from visitflow.visits import services
from visitflow.visits.models import FollowUp, Visit, VisitStatus

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

# (role, scope) -> may view / may change. "own" is a visit the actor hosts.
SEES = {
    **{("sales", scope): scope == "own" for scope in SCOPES},
    **{("sales_manager", scope): scope != "other_team" for scope in SCOPES},
    **{(role, scope): True for role in [*READERS, "admin"] for scope in SCOPES},
    **{("driver", scope): False for scope in SCOPES},
}
# Readers change only the visits they host; the driver sees none at all.
EDITS = {
    (role, scope): seen and (role in {"sales", "sales_manager", "admin"} or scope == "own")
    for (role, scope), seen in SEES.items()
}
OWNER_ROLES = {"sales", "sales_manager"}


def actor_for(org: dict[str, Any], role: str) -> User:
    return {"sales": org["east_sales"], "sales_manager": org["east_manager"]}.get(role) or org[role]


def owner_for(org: dict[str, Any], actor: User, role: str, scope: str) -> User:
    if scope == "own":
        return actor if role in OWNER_ROLES else org["east_sales"]
    if scope == "same_team":
        return org["east_sales2"] if actor == org["east_sales"] else org["east_sales"]
    return org["south_sales"]


def visit_for(org: dict[str, Any], role: str, scope: str) -> Visit:
    """own: hosted by the actor (on their own customer when they own customers);
    same_team: a colleague's customer and visit; other_team: the south team's."""
    actor = actor_for(org, role)
    customer = CustomerFactory(owner=owner_for(org, actor, role, scope), name=f"{scope}客户")
    host = actor if scope == "own" else None
    return make_visit(actor=org["admin"], customer=customer, host=host)


def expected(allowed: bool, visible: bool, ok: int = 200) -> int:
    if allowed:
        return ok
    return 403 if visible else 404


@pytest.mark.parametrize("role", ROLES)
def test_list(org: dict[str, Any], role: str) -> None:
    visits = {scope: visit_for(org, role, scope) for scope in SCOPES}

    response = login(actor_for(org, role)).get("/api/visits?page_size=200")

    if role == "driver":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = {item["id"] for item in response.json()["items"]}
    assert listed == {v.pk for scope, v in visits.items() if SEES[(role, scope)]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", SCOPES)
def test_view(org: dict[str, Any], role: str, scope: str) -> None:
    visit = visit_for(org, role, scope)
    client = login(actor_for(org, role))
    status = 200 if SEES[(role, scope)] else 404

    assert client.get(f"/api/visits/{visit.pk}").status_code == status
    assert client.get(f"/api/visits/{visit.pk}/steps").status_code == status


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", SCOPES)
def test_create(org: dict[str, Any], role: str, scope: str) -> None:
    actor = actor_for(org, role)
    customer = CustomerFactory(owner=owner_for(org, actor, role, scope))

    response = post(
        login(actor),
        "/api/visits",
        {
            "customer": customer.pk,
            "starts_at": "2026-12-10T10:00:00+08:00",
            "ends_at": "2026-12-11T10:00:00+08:00",
        },
    )

    if role not in {*OWNER_ROLES, "admin"}:
        assert response.status_code == 403
    elif EDITS[(role, scope)]:
        assert response.status_code == 201
    else:
        # A customer the caller cannot see is a bad reference, not a hint that it exists.
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "customer"]
    assert Visit.objects.filter(customer=customer).exists() == (response.status_code == 201)


def _patch(client: Client, visit: Visit) -> Any:
    return patch(client, f"/api/visits/{visit.pk}", {"notes": "改过"})


def _transition(client: Client, visit: Visit) -> Any:
    return post(client, f"/api/visits/{visit.pk}/transitions", {"to": "cancelled", "reason": "x"})


def _add_visitor(client: Client, visit: Visit) -> Any:
    return post(client, f"/api/visits/{visit.pk}/visitors", {"name": "王建国"})


def _add_leg(client: Client, visit: Visit) -> Any:
    return post(
        client,
        f"/api/visits/{visit.pk}/legs",
        {"direction": "inbound", "mode": "train", "arrives_at": "2026-12-10T09:00:00+08:00"},
    )


def _complete_step(client: Client, visit: Visit) -> Any:
    step = visit.steps.get(playbook_step__code="briefing")
    return post(client, f"/api/steps/{step.pk}/complete")


def _tick_item(client: Client, visit: Visit) -> Any:
    item = visit.steps.get(playbook_step__code="briefing").items.first()
    assert item is not None
    return post(client, f"/api/step-items/{item.pk}", {"done": True})


def _add_request(client: Client, visit: Visit) -> Any:
    return post(
        client, f"/api/visits/{visit.pk}/requests", {"title": "样品", "due_date": "2026-12-20"}
    )


ACTIONS: dict[str, tuple[Callable[[Client, Visit], Any], int]] = {
    "edit": (_patch, 200),
    "transition": (_transition, 200),
    "add_visitor": (_add_visitor, 201),
    "add_leg": (_add_leg, 201),
    "complete_step": (_complete_step, 200),
    "tick_item": (_tick_item, 200),
    "add_request": (_add_request, 201),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("scope", SCOPES)
def test_changes(org: dict[str, Any], role: str, scope: str, action: str) -> None:
    visit = visit_for(org, role, scope)
    call, ok = ACTIONS[action]

    response = call(login(actor_for(org, role)), visit)

    assert response.status_code == expected(EDITS[(role, scope)], SEES[(role, scope)], ok), (
        response.content
    )
    visit.refresh_from_db()
    if action == "edit":
        assert (visit.notes == "改过") == EDITS[(role, scope)]
    if action == "transition":
        assert (visit.status == VisitStatus.CANCELLED) == EDITS[(role, scope)]


def test_co_host_from_another_team_sees_and_changes_the_visit(org: dict[str, Any]) -> None:
    visit = make_visit(actor=org["east_sales"], co_hosts=[org["south_sales"]])
    client = login(org["south_sales"])

    assert client.get("/api/visits").json()["count"] == 1
    assert client.get(f"/api/visits/{visit.pk}").status_code == 200
    assert _patch(client, visit).status_code == 200
    # Their manager does not gain the visit through them.
    assert login(org["south_manager"]).get(f"/api/visits/{visit.pk}").status_code == 404


def test_host_of_a_colleagues_customer_sees_the_visit(org: dict[str, Any]) -> None:
    customer = CustomerFactory(owner=org["east_sales2"])
    visit = make_visit(actor=org["east_manager"], customer=customer, host=org["east_sales"])

    assert login(org["east_sales"]).get(f"/api/visits/{visit.pk}").status_code == 200
    assert _transition(login(org["east_sales"]), visit).status_code == 200


def test_scoped_sub_objects_are_404_to_strangers(org: dict[str, Any]) -> None:
    visit = make_visit(actor=org["east_sales"])
    visitor = services.visitor_add(actor=org["east_sales"], visit=visit, name="王建国")
    leg = services.leg_add(
        actor=org["east_sales"],
        visit=visit,
        direction="inbound",
        mode="train",
        arrives_at=visit.starts_at,
    )
    request = services.request_create(
        actor=org["east_sales"], visit=visit, title="样品", due_date=visit.ends_at.date()
    )
    step = visit.steps.get(playbook_step__code="briefing")
    item = step.items.first()
    assert item is not None
    stranger = login(org["south_sales"])

    for response in (
        patch(stranger, f"/api/visitors/{visitor.pk}", {"name": "x"}),
        stranger.delete(f"/api/visitors/{visitor.pk}"),
        patch(stranger, f"/api/legs/{leg.pk}", {"number": "G1"}),
        stranger.delete(f"/api/legs/{leg.pk}"),
        patch(stranger, f"/api/requests/{request.pk}", {"state": "done"}),
        post(stranger, f"/api/steps/{step.pk}/skip", {"reason": "x"}),
        post(stranger, f"/api/step-items/{item.pk}", {"done": True}),
        post(stranger, f"/api/visits/{visit.pk}/return-call", {"reached": True}),
    ):
        assert response.status_code == 404, response.content
    assert stranger.get("/api/requests").json()["count"] == 0


def test_readers_see_but_may_not_change_sub_objects(org: dict[str, Any]) -> None:
    visit = make_visit(actor=org["east_sales"])
    visitor = services.visitor_add(actor=org["east_sales"], visit=visit, name="王建国")
    request = services.request_create(
        actor=org["east_sales"], visit=visit, title="样品", due_date=visit.ends_at.date()
    )
    director = login(org["director"])

    assert patch(director, f"/api/visitors/{visitor.pk}", {"name": "x"}).status_code == 403
    assert director.delete(f"/api/visitors/{visitor.pk}").status_code == 403
    assert patch(director, f"/api/requests/{request.pk}", {"state": "done"}).status_code == 403
    assert director.get("/api/requests").json()["count"] == 1


def test_request_owner_may_close_it_without_seeing_the_customer(org: dict[str, Any]) -> None:
    visit = make_visit(actor=org["east_sales"])
    request = services.request_create(
        actor=org["east_sales"],
        visit=visit,
        title="报价",
        due_date=visit.ends_at.date(),
        owner=org["south_sales"],
    )

    response = patch(login(org["south_sales"]), f"/api/requests/{request.pk}", {"state": "done"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [("east_sales", 200), ("east_manager", 200), ("director", 403), ("south_sales", 404)],
)
def test_follow_up_log(org: dict[str, Any], who: str, status: int) -> None:
    customer = CustomerFactory(owner=org["east_sales"])
    follow_up = services.follow_up_schedule_next(
        actor=None, customer=customer, after=customer.created.date()
    )
    assert isinstance(follow_up, FollowUp)

    response = post(
        login(org[who]), f"/api/follow-ups/{follow_up.pk}/log", {"channel": "phone", "notes": "x"}
    )

    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    "path", ["/api/visits", "/api/requests", "/api/feedback", "/api/follow-ups"]
)
def test_driver_lists_nothing(org: dict[str, Any], path: str) -> None:
    assert login(org["driver"]).get(path).status_code == 403


@pytest.mark.parametrize(
    "path", ["/api/visits", "/api/requests", "/api/feedback", "/api/follow-ups"]
)
def test_anonymous_is_401(db: object, path: str) -> None:
    assert Client().get(path).status_code == 401
