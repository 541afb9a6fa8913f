"""The hosts' API for the self-service link: scoped like the visit (404 / 403), the
address returned once, bad input a 422 on its field."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.conftest import locs, post
from tests.conftest import login
from tests.factories.visits import make_ready_visit, make_visit
from visitflow.portal import services
from visitflow.portal.models import ChangeStatus, PortalChange, PortalLink
from visitflow.visits import services as visit_services
from visitflow.visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(org: dict[str, Any]) -> Visit:
    visit = make_ready_visit(actor=org["east_sales"])
    return visit_services.visit_confirm(actor=org["east_sales"], visit=visit)


def test_issue_read_and_revoke(org: dict[str, Any], visit: Visit) -> None:
    client = login(org["east_sales"])
    created = post(client, f"/api/visits/{visit.pk}/portal/link")
    assert created.status_code == 201
    url = created.json()["url"]
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert PortalLink.objects.get().token_hash == services.hash_token(token)
    assert Client().get(url).status_code == 200
    state = client.get(f"/api/visits/{visit.pk}/portal").json()
    assert state["exists"] and state["state"] == "ok" and "url" not in state
    assert state["token_prefix"] == token[:6]
    revoked = post(client, f"/api/visits/{visit.pk}/portal/link/revoke")
    assert revoked.json()["state"] == "revoked"
    assert Client().get(url).status_code == 410


@pytest.mark.parametrize(
    ("role", "status"),
    [("east_manager", 201), ("south_sales", 404), ("east_sales2", 404), ("director", 403)],
)
def test_issue_permissions(org: dict[str, Any], visit: Visit, role: str, status: int) -> None:
    assert post(login(org[role]), f"/api/visits/{visit.pk}/portal/link").status_code == status


def test_draft_visit_is_409(org: dict[str, Any]) -> None:
    draft = make_visit(actor=org["east_sales"])
    assert post(login(org["east_sales"]), f"/api/visits/{draft.pk}/portal/link").status_code == 409


def test_answer_changes(org: dict[str, Any], visit: Visit) -> None:
    _link, token = services.link_issue(actor=org["east_sales"], visit=visit)
    Client().post(reverse("portal:visitor_add", args=[token]), {"newvisitor-name": "周六"})
    Client().post(reverse("portal:visitor_add", args=[token]), {"newvisitor-name": "吴七"})
    first, second = PortalChange.objects.order_by("id")
    client = login(org["east_sales"])
    pending = client.get(f"/api/visits/{visit.pk}/portal").json()["pending"]
    assert {c["data"]["name"] for c in pending} == {"周六", "吴七"}
    assert (
        post(login(org["south_sales"]), f"/api/portal/changes/{first.pk}/confirm").status_code
        == 404
    )
    confirmed = post(client, f"/api/portal/changes/{first.pk}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert visit.visitors.filter(name="周六").exists()
    empty = post(client, f"/api/portal/changes/{second.pk}/decline", {"answer": "  "})
    assert empty.status_code == 422 and locs(empty)[-1][-1] == "answer"
    long = post(client, f"/api/portal/changes/{second.pk}/decline", {"answer": "x" * 301})
    assert long.status_code == 422 and locs(long)[-1][-1] == "answer"
    declined = post(client, f"/api/portal/changes/{second.pk}/decline", {"answer": "人数已满"})
    assert declined.json()["status"] == "rejected"
    second.refresh_from_db()
    assert second.status == ChangeStatus.REJECTED and second.answer == "人数已满"
