"""SOP 5.2 in the API: absences (own, team's, all), cover requests and answers, the
cover-needed list, reschedule proposals; the clash warning on visit responses; every
refusal by role and state; bad input as 422."""

from datetime import date
from typing import Any

import pytest
from freezegun import freeze_time

from tests.api.conftest import patch, post, token_client
from tests.conftest import login
from tests.factories.visits import local, make_visit
from visitflow.accounts.models import Absence, AbsenceKind
from visitflow.accounts.services_absences import absence_create
from visitflow.visits.models import CoverRequest, CoverState, RescheduleState, VisitReschedule
from visitflow.visits.services_cover import cover_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    # The URLconf (and the API's pydantic schemas) are built before the clock is frozen:
    # pydantic cannot build a schema for freezegun's datetime class.
    import config.urls  # noqa: F401

    with freeze_time("2026-12-01 02:00:00"):
        yield


def away(person: Any, start: date = date(2026, 12, 9), end: date = date(2026, 12, 12)) -> Absence:
    return absence_create(
        actor=person,
        person=person,
        kind=AbsenceKind.BUSINESS_TRIP,
        destination="上海",
        starts_on=start,
        ends_on=end,
    )


TRIP = {
    "kind": "business_trip",
    "destination": "上海",
    "starts_on": "2026-12-09",
    "ends_on": "2026-12-12",
}


# --- Absences ---------------------------------------------------------------------------


def test_create_own_absence_reports_clashing_visits(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)
    response = post(token_client(host), "/api/absences", TRIP)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["id"] == host.pk and body["created_by"]["id"] == host.pk
    assert [c["id"] for c in body["clashes"]] == [visit.pk]
    assert len(body["warnings"]) == 1


def test_absence_ending_before_it_starts_is_422(org):
    response = post(login(org["east_sales"]), "/api/absences", {**TRIP, "ends_on": "2026-12-01"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "ends_on"]
    assert not Absence.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"starts_on": "2026-12-09"},
        {**TRIP, "kind": "holiday"},
        {**TRIP, "starts_on": "1900-01-01"},
        {**TRIP, "destination": "x" * 101},
        {**TRIP, "person": 0},
        [],
    ],
)
def test_absence_bad_input_is_422(org, payload):
    assert post(login(org["east_sales"]), "/api/absences", payload).status_code == 422


@pytest.mark.parametrize(
    ("who", "person", "status"),
    [
        ("east_manager", "east_sales", 201),
        ("admin", "south_sales", 201),
        ("east_sales", "east_sales2", 422),
        ("south_manager", "east_sales", 422),
    ],
)
def test_absence_for_someone_else(org, who, person, status):
    response = post(login(org[who]), "/api/absences", {**TRIP, "person": org[person].pk})
    assert response.status_code == status


def test_absence_read_update_delete_scoped(org):
    absence = away(org["east_sales"])
    url = f"/api/absences/{absence.pk}"
    assert login(org["east_sales2"]).get(url).status_code == 404
    assert login(org["south_manager"]).get(url).status_code == 404
    assert login(org["east_manager"]).get(url).status_code == 200
    listed = login(org["east_manager"]).get("/api/absences").json()
    assert listed["count"] == 1
    assert login(org["east_sales2"]).get("/api/absences").json()["count"] == 0
    response = patch(login(org["east_manager"]), url, {"destination": "北京"})
    assert response.status_code == 200 and response.json()["destination"] == "北京"
    assert patch(login(org["east_sales"]), url, {"ends_on": "2026-12-01"}).status_code == 422
    assert patch(login(org["east_sales"]), url, {"note": None}).status_code == 422
    assert login(org["east_sales2"]).delete(url).status_code == 404
    assert login(org["east_sales"]).delete(url).status_code == 204
    assert not Absence.objects.exists()


def test_absence_list_needs_a_login(org):
    from django.test import Client

    assert Client().get("/api/absences").status_code == 401


# --- Visit responses carry the clash ----------------------------------------------------------


def test_visit_create_update_confirm_responses_carry_the_warning(org):
    host = org["east_sales"]
    away(host)
    client = login(host)
    customer = make_visit(actor=host, starts_at=local(2026, 12, 20, 10)).customer
    created = post(
        client,
        "/api/visits",
        {
            "customer": customer.pk,
            "starts_at": "2026-12-10T10:00",
            "ends_at": "2026-12-11T10:00",
        },
    )
    assert created.status_code == 201
    assert len(created.json()["warnings"]) == 1 and "上海" in created.json()["warnings"][0]
    moved = patch(
        client,
        f"/api/visits/{created.json()['id']}",
        {"starts_at": "2026-12-14T10:00", "ends_at": "2026-12-15T10:00"},
    )
    assert moved.json()["warnings"] == []
    back = patch(
        client,
        f"/api/visits/{created.json()['id']}",
        {"starts_at": "2026-12-12T10:00", "ends_at": "2026-12-13T10:00"},
    )
    assert back.json()["warnings"]
    from visitflow.notifications.models import Notification

    assert Notification.objects.filter(recipient=org["east_manager"], kind="absence_clash").exists()


# --- Cover requests -------------------------------------------------------------------------


def test_cover_request_answer_flow(org):
    host, manager, colleague = org["east_sales"], org["east_manager"], org["east_sales2"]
    visit = make_visit(actor=host)
    away(host)
    assert post(login(colleague), f"/api/visits/{visit.pk}/cover-requests", {}).status_code == 404
    response = post(login(host), f"/api/visits/{visit.pk}/cover-requests", {"note": "喝茶"})
    assert response.status_code == 201
    cover_id = response.json()["id"]
    assert response.json()["supervisor"]["id"] == manager.pk
    assert post(login(host), f"/api/visits/{visit.pk}/cover-requests", {}).status_code == 409
    assert login(manager).get("/api/cover-requests").json()["count"] == 1
    needed = login(manager).get("/api/cover-needed").json()
    assert [v["id"] for v in needed["items"]] == [visit.pk]
    assert needed["items"][0]["cover_state"] == "requested"
    assert needed["items"][0]["away"][0]["destination"] == "上海"

    refused = post(
        login(host), f"/api/cover-requests/{cover_id}/assign", {"stand_in": org["south_sales"].pk}
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "stand_in"]
    assigned = post(
        login(manager), f"/api/cover-requests/{cover_id}/assign", {"stand_in": colleague.pk}
    )
    assert assigned.json()["state"] == "assigned"
    assert post(login(host), f"/api/cover-requests/{cover_id}/accept").status_code == 403
    assert (
        login(colleague).get(f"/api/visits/{visit.pk}").status_code == 200
    )  # reads before answering
    accepted = post(token_client(colleague), f"/api/cover-requests/{cover_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert post(login(colleague), f"/api/cover-requests/{cover_id}/accept").status_code == 409
    detail = login(colleague).get(f"/api/visits/{visit.pk}").json()
    assert detail["stand_in"]["id"] == colleague.pk and detail["warnings"] == []
    assert login(manager).get("/api/cover-needed").json()["count"] == 0
    assert post(login(colleague), f"/api/cover-requests/{cover_id}/cancel").status_code == 403
    assert (
        post(login(manager), f"/api/cover-requests/{cover_id}/cancel").json()["state"]
        == "cancelled"
    )
    assert login(colleague).get(f"/api/visits/{visit.pk}").status_code == 404


def test_decline_needs_a_reason_and_goes_back(org):
    host, colleague = org["east_sales"], org["east_sales2"]
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit, stand_in=colleague)
    url = f"/api/cover-requests/{cover.pk}/decline"
    assert post(login(colleague), url, {"note": ""}).status_code == 422
    response = post(login(colleague), url, {"note": "在外地"})
    assert response.status_code == 200 and response.json()["state"] == "requested"
    assert CoverRequest.objects.get().state == CoverState.REQUESTED


@pytest.mark.parametrize(
    ("role", "status"),
    [("east_sales", 403), ("reception", 403), ("east_manager", 200), ("admin", 200)],
)
def test_cover_needed_by_role(org, role, status):
    assert login(org[role]).get("/api/cover-needed").status_code == status


def test_cover_needed_query_count_is_constant(org, django_assert_max_num_queries):
    host = org["east_sales"]
    away(host)
    make_visit(actor=host)
    client = login(org["east_manager"])
    with django_assert_max_num_queries(12) as small:
        assert client.get("/api/cover-needed").json()["count"] == 1
    for day in (9, 11, 12):
        make_visit(actor=host, starts_at=local(2026, 12, day, 15), days=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/api/cover-needed").json()["count"] == 4


# --- Reschedule proposals -------------------------------------------------------------------


def test_reschedule_proposal_flow(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)
    away(host)
    client = login(host)
    url = f"/api/visits/{visit.pk}/reschedule-proposals"
    into = post(client, url, {"starts_at": "2026-12-11T10:00", "ends_at": "2026-12-12T10:00"})
    assert into.status_code == 422 and "上海" in into.json()["detail"][0]["msg"]
    backwards = post(client, url, {"starts_at": "2026-12-18T10:00", "ends_at": "2026-12-17T10:00"})
    assert backwards.status_code == 422
    assert (
        post(
            login(org["east_sales2"]),
            url,
            {"starts_at": "2026-12-17T10:00", "ends_at": "2026-12-18T10:00"},
        ).status_code
        == 404
    )
    made = post(
        client,
        url,
        {"starts_at": "2026-12-17T10:00", "ends_at": "2026-12-18T10:00", "reason": "出差"},
    )
    assert made.status_code == 201 and made.json()["state"] == "proposed"
    assert (
        post(
            client, url, {"starts_at": "2026-12-19T10:00", "ends_at": "2026-12-20T10:00"}
        ).status_code
        == 409
    )
    assert [p["id"] for p in client.get(url).json()] == [made.json()["id"]]
    agreed = post(client, f"/api/reschedule-proposals/{made.json()['id']}/agree")
    assert agreed.status_code == 200, agreed.content
    assert agreed.json()["state"] == "applied" and agreed.json()["released"] == []
    assert post(client, f"/api/reschedule-proposals/{made.json()['id']}/agree").status_code == 409
    assert client.get(f"/api/visits/{visit.pk}").json()["starts_at"].startswith("2026-12-17")


def test_reschedule_decline_and_withdraw(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)
    client = login(host)
    url = f"/api/visits/{visit.pk}/reschedule-proposals"
    first = post(
        client, url, {"starts_at": "2026-12-17T10:00", "ends_at": "2026-12-18T10:00"}
    ).json()
    assert (
        post(
            login(org["south_manager"]), f"/api/reschedule-proposals/{first['id']}/decline", {}
        ).status_code
        == 404
    )
    declined = post(client, f"/api/reschedule-proposals/{first['id']}/decline", {"note": "没空"})
    assert declined.json()["state"] == "declined"
    second = post(
        client, url, {"starts_at": "2026-12-19T10:00", "ends_at": "2026-12-20T10:00"}
    ).json()
    assert (
        post(
            login(org["east_manager"]), f"/api/reschedule-proposals/{second['id']}/withdraw"
        ).json()["state"]
        == "withdrawn"
    )
    assert VisitReschedule.objects.filter(state=RescheduleState.APPLIED).count() == 0


def test_import_through_the_api_all_or_nothing(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(org["east_manager"])
    good = f"username,starts_on,ends_on,destination\n{org['east_sales'].username},2026-12-09,2026-12-12,上海\n"
    bad = good + f"{org['south_sales'].username},2026-12-09,2026-12-12,广州\n"
    refused = client.post(
        "/api/absences/import", {"file": SimpleUploadedFile("a.csv", bad.encode(), "text/csv")}
    )
    assert refused.status_code == 422
    assert refused.json() == {
        "created": 0,
        "errors": [{"line": 3, "message": refused.json()["errors"][0]["message"]}],
    }
    assert not Absence.objects.exists()
    done = client.post(
        "/api/absences/import", {"file": SimpleUploadedFile("a.csv", good.encode(), "text/csv")}
    )
    assert done.status_code == 201 and done.json() == {"created": 1, "errors": []}
    no_columns = client.post(
        "/api/absences/import", {"file": SimpleUploadedFile("a.csv", b"x,y\n1,2\n", "text/csv")}
    )
    assert no_columns.status_code == 422 and "detail" in no_columns.json()
