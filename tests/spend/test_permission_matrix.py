"""Issue 8, "Permissions", as one matrix over pages and API alike.

A salesperson sees the spend of their own visits, a manager their team's, finance,
directors, the general manager and administrators everything; drivers and reception none
of it (403). Another team's spend is a 404. Each row is one person; each column one page
or endpoint."""

from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests.conftest import login
from tests.factories.spend import make_line
from visitflow.spend import services

pytestmark = pytest.mark.django_db

PEOPLE = [
    "east_sales",
    "east_sales2",
    "east_manager",
    "south_sales",
    "south_manager",
    "reception",
    "driver",
    "director",
    "general_manager",
    "finance",
    "admin",
]

MATRIX: dict[str, list[int]] = {
    #                   esal es2  emgr ssal smgr rcpt drv  dir  gm   fin  adm
    "page:visit_spend": [200, 404, 200, 404, 404, 403, 403, 200, 200, 200, 200],
    "page:plan_meal": [200, 404, 200, 404, 404, 403, 403, 403, 403, 403, 200],
    "page:actual": [200, 404, 200, 404, 404, 403, 403, 403, 403, 403, 200],
    "page:receipt": [200, 404, 200, 404, 404, 403, 403, 200, 200, 200, 200],
    "page:reports": [200, 200, 200, 200, 200, 403, 403, 200, 200, 200, 200],
    "page:approvals": [403, 403, 200, 403, 200, 403, 403, 200, 200, 403, 403],
    "page:standards": [200, 200, 200, 200, 200, 403, 403, 200, 200, 200, 200],
    "page:confirm": [403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403],
    "api:visit_spend": [200, 404, 200, 404, 404, 403, 403, 200, 200, 200, 200],
    "api:line": [200, 404, 200, 404, 404, 403, 403, 200, 200, 200, 200],
    "api:receipt": [200, 404, 200, 404, 404, 403, 403, 200, 200, 200, 200],
    "api:approvals": [200, 200, 200, 200, 200, 403, 403, 200, 200, 200, 200],
    "api:report": [200, 200, 200, 200, 200, 403, 403, 200, 200, 200, 200],
    "api:standards": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
}

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(spend: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    actual = services.actual_record(
        actor=spend["east_sales"],
        line=line,
        amount="900.00",
        payer=spend["east_sales"],
        paid_on=date(2026, 12, 10),
        receipt=SimpleUploadedFile("r.pdf", PDF),
    )
    return {"people": spend, "visit": spend["visit"], "line": line, "actual": actual}


def _url(column: str, world: dict[str, Any]) -> str:
    visit, line, actual = world["visit"], world["line"], world["actual"]
    return {
        "page:visit_spend": f"/spend/visit/{visit.pk}/",
        "page:plan_meal": f"/spend/visit/{visit.pk}/plan/meal/",
        "page:actual": f"/spend/lines/{line.pk}/actual/",
        "page:receipt": f"/spend/actuals/{actual.pk}/receipt/",
        "page:reports": "/spend/",
        "page:approvals": "/spend/approvals/",
        "page:standards": "/spend/standards/",
        "page:confirm": "/spend/confirm/",
        "api:visit_spend": f"/api/visits/{visit.pk}/spend",
        "api:line": f"/api/spend/lines/{line.pk}",
        "api:receipt": f"/api/spend/actuals/{actual.pk}/receipt",
        "api:approvals": "/api/spend/approvals",
        "api:report": "/api/spend/report",
        "api:standards": "/api/spend/standards",
    }[column]


@pytest.mark.parametrize("column", list(MATRIX))
def test_matrix(world: dict[str, Any], column: str) -> None:
    url = _url(column, world)
    got = []
    for name in PEOPLE:
        client: Client = login(world["people"][name])
        got.append(client.get(url).status_code)
    assert dict(zip(PEOPLE, got, strict=True)) == dict(zip(PEOPLE, MATRIX[column], strict=True)), (
        url
    )


def test_the_visit_page_panel_follows_the_matrix(world: dict[str, Any]) -> None:
    url = f"/visits/{world['visit'].pk}/"
    for name, shown in [
        ("east_sales", True),
        ("east_manager", True),
        ("finance", True),
        ("director", True),
        ("reception", False),
    ]:
        response = login(world["people"][name]).get(url)
        assert response.status_code == 200, name
        assert ('data-testid="visit-budget"' in response.content.decode()) is shown, name


# Who may approve, by how far the line is over: 1300 of 1200 (manager's range) and 2000
# of 1200 (a director's). The person who planned it never approves it.
APPROVE: dict[str, dict[str, int]] = {
    #          esal es2  emgr ssal smgr rcpt drv  dir  gm   fin  adm
    "1300.00": dict(
        zip(PEOPLE, [403, 404, 200, 404, 404, 403, 403, 200, 200, 403, 403], strict=True)
    ),
    "2000.00": dict(
        zip(PEOPLE, [403, 404, 422, 404, 404, 403, 403, 200, 200, 403, 403], strict=True)
    ),
}


@pytest.mark.parametrize("amount", list(APPROVE))
def test_approval_matrix(spend: dict[str, Any], amount: str) -> None:
    got = {}
    for name in PEOPLE:
        line = make_line(
            actor=spend["east_sales"], visit=spend["visit"], amount=amount, over_reason="签约"
        )
        response = login(spend[name]).post(
            f"/api/spend/lines/{line.pk}/approve", {}, content_type="application/json"
        )
        got[name] = response.status_code
    assert got == APPROVE[amount]
