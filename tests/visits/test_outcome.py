"""A visit's outcome (issues 7 and 9): deal with its amount, still negotiating, no deal."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tests.api.conftest import locs, post
from tests.conftest import login
from tests.english import org_in_english, speak_english
from tests.factories.visits import make_ready_visit, make_visit
from visitflow.accounts.models import User
from visitflow.core.exceptions import ApplicationError
from visitflow.core.models import ActivityLog
from visitflow.visits import services
from visitflow.visits.models import Visit, VisitOutcome, VisitStatus
from visitflow.visits.permissions import can_record_outcome

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """Messages are asserted in their English source."""
    yield from speak_english(settings)


@pytest.fixture
def org(org: dict[str, Any]) -> dict[str, Any]:
    return org_in_english(org)


def arrived_visit(host: User) -> Visit:
    visit = make_ready_visit(actor=host)
    services.visit_confirm(actor=host, visit=visit)
    return services.visit_mark_arrived(actor=host, visit=visit)


# --- Service -----------------------------------------------------------------------------


def test_record_a_deal_and_change_it(org: dict[str, Any]) -> None:
    visit = arrived_visit(org["east_sales"])
    services.visit_record_outcome(
        actor=org["east_sales"],
        visit=visit,
        outcome=VisitOutcome.DEAL,
        amount=Decimal("120000.50"),
        note=" 首批订单 ",
    )
    visit.refresh_from_db()
    assert visit.outcome == "deal"
    assert visit.deal_amount == Decimal("120000.50")
    assert visit.outcome_note == "首批订单"
    assert visit.outcome_by == org["east_sales"] and visit.outcome_at is not None
    log = ActivityLog.objects.get(action="visit.outcome_recorded")
    assert log.changes["outcome"] == ["Not recorded", "Deal"]
    # Changing the deal into "still negotiating" drops the amount.
    services.visit_record_outcome(
        actor=org["east_manager"], visit=visit, outcome=VisitOutcome.NEGOTIATING
    )
    visit.refresh_from_db()
    assert (visit.outcome, visit.deal_amount, visit.outcome_by) == (
        "negotiating",
        None,
        org["east_manager"],
    )


@pytest.mark.parametrize(
    ("outcome", "amount", "field"),
    [
        ("deal", None, "amount"),
        ("deal", Decimal(0), "amount"),
        ("deal", Decimal(-5), "amount"),
        ("deal", Decimal("1.001"), "amount"),
        ("no_deal", Decimal(100), "amount"),
        ("", None, "outcome"),
        ("won", None, "outcome"),
    ],
)
def test_bad_outcome_is_refused_on_its_field(
    org: dict[str, Any], outcome: str, amount: Decimal | None, field: str
) -> None:
    visit = arrived_visit(org["east_sales"])
    with pytest.raises(ApplicationError) as caught:
        services.visit_record_outcome(
            actor=org["east_sales"], visit=visit, outcome=outcome, amount=amount
        )
    assert field in caught.value.field_errors
    visit.refresh_from_db()
    assert visit.outcome == "" and visit.deal_amount is None


def test_outcome_only_once_the_visitors_came(org: dict[str, Any]) -> None:
    host = org["east_sales"]
    draft = make_visit(actor=host)
    with pytest.raises(ApplicationError, match="once the visitors have arrived"):
        services.visit_record_outcome(actor=host, visit=draft, outcome="no_deal")
    cancelled = services.visit_cancel(actor=host, visit=make_visit(actor=host), reason="改期")
    with pytest.raises(ApplicationError, match="cancelled visit has no outcome"):
        services.visit_record_outcome(actor=host, visit=cancelled, outcome="no_deal")
    closed = arrived_visit(host)
    services.visit_mark_departed(actor=host, visit=closed)
    services.visit_close(actor=host, visit=closed)
    services.visit_record_outcome(actor=host, visit=closed, outcome="deal", amount=Decimal(9))
    closed.refresh_from_db()
    assert closed.status == VisitStatus.CLOSED and closed.outcome == "deal"


# --- Who may record it -------------------------------------------------------------------

# role -> may record the outcome of an east_sales visit
MAY_RECORD = {
    "east_sales": True,
    "east_manager": True,
    "admin": True,
    "east_sales2": False,
    "south_sales": False,
    "south_manager": False,
    "director": False,
    "reception": False,
    "finance": False,
    "driver": False,
}


@pytest.mark.parametrize("role", list(MAY_RECORD))
def test_permission_predicate_per_role(org: dict[str, Any], role: str) -> None:
    visit = arrived_visit(org["east_sales"])
    assert can_record_outcome(org[role], visit) is MAY_RECORD[role]


def test_acting_stand_in_may_record(org: dict[str, Any]) -> None:
    visit = arrived_visit(org["east_sales"])
    assert not can_record_outcome(org["east_sales2"], visit)
    # SOP 5.2: the accepted stand-in acts as host (kept on the visit by the cover services).
    Visit.objects.filter(pk=visit.pk).update(stand_in=org["east_sales2"])
    visit.refresh_from_db()
    assert can_record_outcome(org["east_sales2"], visit)


# role -> status of a POST on an east_sales visit (404: not visible; 403: visible only)
VIEW_STATUS = {
    "east_sales": 302,
    "east_manager": 302,
    "east_sales2": 404,
    "south_sales": 404,
    "director": 403,
    "finance": 403,
}


@pytest.mark.parametrize("role", list(VIEW_STATUS))
def test_view_permissions_per_role(org: dict[str, Any], role: str) -> None:
    visit = arrived_visit(org["east_sales"])
    url = reverse("visits:outcome", args=[visit.pk])
    response = login(org[role]).post(url, {"outcome": "deal", "amount": "5000"})
    assert response.status_code == VIEW_STATUS[role]
    visit.refresh_from_db()
    assert (visit.outcome == "deal") is (VIEW_STATUS[role] == 302)


def test_view_htmx_renders_the_card(org: dict[str, Any]) -> None:
    visit = arrived_visit(org["east_sales"])
    client = login(org["east_sales"])
    url = reverse("visits:outcome", args=[visit.pk])
    response = client.post(url, {"outcome": "deal", "amount": "88000"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "visits/_outcome.html"
    assert 'data-testid="outcome-badge"' in response.content.decode()
    assert response["HX-Trigger"] == "vf-outcome-recorded"
    page = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert 'id="outcome"' in page and "88,000.00" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "deal", "amount": "", "note": "口头答应"}, "Enter the amount of the deal."),
        (
            {"outcome": "deal", "amount": "-20", "note": "口头答应"},
            "The amount of a deal must be above zero.",
        ),
        ({"outcome": "", "amount": "30", "note": "口头答应"}, "This field is required."),
    ],
)
def test_view_bad_input_keeps_what_was_typed(
    org: dict[str, Any], data: dict[str, str], message: str
) -> None:
    visit = arrived_visit(org["east_sales"])
    client = login(org["east_sales"])
    url = reverse("visits:outcome", args=[visit.pk])
    full = client.post(url, data)
    assert full.status_code == 422
    body = full.content.decode()
    assert message in body and "口头答应" in body
    partial = client.post(url, data, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    html = partial.content.decode()
    assert message in html and "口头答应" in html and '<details class="mt-2" open' in html
    if data["amount"]:
        assert f'value="{data["amount"]}"' in html
    visit.refresh_from_db()
    assert visit.outcome == ""


def test_view_cancelled_visit_is_refused(org: dict[str, Any]) -> None:
    host = org["east_sales"]
    visit = services.visit_cancel(actor=host, visit=make_visit(actor=host), reason="改期")
    response = login(host).post(
        reverse("visits:outcome", args=[visit.pk]),
        {"outcome": "deal", "amount": "10"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == visit.get_absolute_url()
    assert "A cancelled visit has no outcome." in response.content.decode()
    assert 'id="outcome"' not in response.content.decode()
    visit.refresh_from_db()
    assert visit.outcome == ""


def test_visit_list_shows_a_deal_badge(org: dict[str, Any]) -> None:
    host = org["east_sales"]
    deal = arrived_visit(host)
    services.visit_record_outcome(actor=host, visit=deal, outcome="deal", amount=Decimal(1))
    other = arrived_visit(host)
    services.visit_record_outcome(actor=host, visit=other, outcome="no_deal")
    page = login(host).get(reverse("visits:list"), {"period": ""}).content.decode()
    assert page.count('data-testid="deal-badge"') == 1


# --- API ---------------------------------------------------------------------------------


def test_api_records_the_outcome_and_shows_it(org: dict[str, Any]) -> None:
    visit = arrived_visit(org["east_sales"])
    client = login(org["east_sales"])
    response = post(
        client,
        f"/api/visits/{visit.pk}/outcome",
        {"outcome": "deal", "amount": "256000.00", "note": "年度框架"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "deal" and body["deal_amount"] == "256000.00"
    assert body["outcome_note"] == "年度框架"
    assert body["outcome_by"]["id"] == org["east_sales"].pk
    detail = client.get(f"/api/visits/{visit.pk}").json()
    assert detail["outcome"] == "deal"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"outcome": "deal"}, "amount"),
        ({"outcome": "deal", "amount": "-1"}, "amount"),
        ({"outcome": "deal", "amount": "abc"}, "amount"),
        ({"outcome": "no_deal", "amount": "10"}, "amount"),
        ({"outcome": "won"}, "outcome"),
        ({"outcome": "no_deal", "note": "x" * 501}, "note"),
    ],
)
def test_api_bad_input_is_422_with_field(
    org: dict[str, Any], payload: dict[str, str], field: str
) -> None:
    visit = arrived_visit(org["east_sales"])
    response = post(login(org["east_sales"]), f"/api/visits/{visit.pk}/outcome", payload)
    assert response.status_code == 422, response.content
    assert any(loc[-1] == field for loc in locs(response)), locs(response)
    visit.refresh_from_db()
    assert visit.outcome == ""


@pytest.mark.parametrize(
    ("role", "status"),
    [("east_manager", 200), ("south_sales", 404), ("east_sales2", 404), ("director", 403)],
)
def test_api_permissions(org: dict[str, Any], role: str, status: int) -> None:
    visit = arrived_visit(org["east_sales"])
    response = post(login(org[role]), f"/api/visits/{visit.pk}/outcome", {"outcome": "no_deal"})
    assert response.status_code == status


def test_api_cancelled_visit_is_409(org: dict[str, Any]) -> None:
    host = org["east_sales"]
    visit = services.visit_cancel(actor=host, visit=make_visit(actor=host), reason="改期")
    response = post(login(host), f"/api/visits/{visit.pk}/outcome", {"outcome": "no_deal"})
    assert response.status_code == 409


def test_list_filters_by_outcome_in_constant_queries(
    org: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    host = org["east_sales"]
    deals = [arrived_visit(host) for _n in range(2)]
    for visit in deals:
        services.visit_record_outcome(actor=host, visit=visit, outcome="deal", amount=Decimal(5))
    lost = arrived_visit(host)
    services.visit_record_outcome(actor=host, visit=lost, outcome="no_deal")
    open_one = arrived_visit(host)
    client = login(host)
    url = reverse("visits:list")
    with django_assert_max_num_queries(12):
        page = client.get(url, {"period": "", "outcome": "deal"})
    assert {v.pk for v in page.context["page"].object_list} == {v.pk for v in deals}
    none = client.get(url, {"period": "", "outcome": "none"})
    assert {v.pk for v in none.context["page"].object_list} == {open_one.pk}
    api = client.get("/api/visits", {"outcome": "no_deal"}).json()
    assert [item["id"] for item in api["items"]] == [lost.pk]
    assert api["items"][0]["outcome"] == "no_deal"
    assert client.get("/api/visits", {"outcome": "won"}).status_code == 422
