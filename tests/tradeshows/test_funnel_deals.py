"""The funnel's last stage (issue 7): booth visits whose company visit ended in a deal,
counted per host, with hand-counted fixtures."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from tests.conftest import login
from tests.factories.tradeshows import make_contact, make_invitations, make_show
from visitflow.accounts.models import User
from visitflow.tradeshows.models import TradeShow
from visitflow.tradeshows.selectors_leads import FunnelRow, funnel_total, show_funnel
from visitflow.tradeshows.services import booth
from visitflow.visits.models import Visit, VisitStatus
from visitflow.visits.services import visit_record_outcome

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
AT_THE_SHOW = datetime(2026, 12, 9, 10, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with freeze_time(AT_THE_SHOW) as clock:
        yield clock


@pytest.fixture
def show(org: dict[str, Any]) -> TradeShow:
    return make_show(actor=org["east_manager"], team=[org["east_sales2"]])


def company_visits(show: TradeShow, staff: User, owner: User, n: int) -> list[Visit]:
    """n invitees of `owner` come to the booth and accept to visit the company; the
    visits are then under way (their briefing is not what this test is about)."""
    contacts = [make_contact(owner) for _i in range(n)]
    visits = []
    for invitation in make_invitations(show, owner, contacts):
        at_booth = booth.booth_check_in(actor=staff, show=show, invitation=invitation)
        visits.append(
            booth.booth_visit_start_company_visit(
                actor=owner,
                visit=at_booth,
                starts_at=AT_THE_SHOW + timedelta(days=10),
                ends_at=AT_THE_SHOW + timedelta(days=11),
            )
        )
    Visit.objects.filter(pk__in=[v.pk for v in visits]).update(status=VisitStatus.IN_PROGRESS)
    for visit in visits:
        visit.refresh_from_db()
    return visits


def test_deals_are_counted_per_host(org: dict[str, Any], show: TradeShow) -> None:
    east, south = org["east_sales"], org["south_sales"]
    east_visits = company_visits(show, org["east_sales2"], east, 3)
    [south_visit] = company_visits(show, org["east_sales2"], south, 1)
    visit_record_outcome(actor=east, visit=east_visits[0], outcome="deal", amount=Decimal(500))
    visit_record_outcome(actor=east, visit=east_visits[1], outcome="no_deal")
    visit_record_outcome(actor=east, visit=east_visits[2], outcome="deal", amount=Decimal(80))
    visit_record_outcome(actor=south, visit=south_visit, outcome="negotiating")
    rows = {row.owner: row for row in show_funnel(org["admin"], show)}
    assert (rows[str(east)].visits, rows[str(east)].deals) == (3, 2)
    assert (rows[str(south)].visits, rows[str(south)].deals) == (1, 0)
    total = funnel_total(list(rows.values()))
    assert (total.invited, total.came, total.visits, total.deals) == (4, 4, 4, 2)
    # A salesperson's own funnel counts only their deals.
    mine = show_funnel(east, show)
    assert [(r.owner, r.deals) for r in mine if r.deals] == [(str(east), 2)]
    page = login(org["admin"]).get(f"/tradeshows/{show.pk}/funnel/").content.decode()
    assert 'data-testid="funnel-deals-total">2<' in page


def test_changing_a_deal_moves_the_count(org: dict[str, Any], show: TradeShow) -> None:
    east = org["east_sales"]
    [visit] = company_visits(show, org["east_sales2"], east, 1)
    visit_record_outcome(actor=east, visit=visit, outcome="deal", amount=Decimal(1))
    assert funnel_total(show_funnel(org["admin"], show)).deals == 1
    visit_record_outcome(actor=east, visit=visit, outcome="no_deal")
    assert funnel_total(show_funnel(org["admin"], show)).deals == 0


def test_funnel_total_adds_every_stage() -> None:
    rows = [
        FunnelRow(owner="a", invited=5, confirmed=4, came=3, leads=2, called=2, visits=2, deals=1),
        FunnelRow(owner="b", invited=1, confirmed=1, came=1, leads=0, called=0, visits=1, deals=1),
    ]
    total = funnel_total(rows)
    assert (total.invited, total.confirmed, total.came, total.visits, total.deals) == (
        6,
        5,
        4,
        3,
        2,
    )


def test_funnel_api_has_the_deals_stage(org: dict[str, Any], show: TradeShow) -> None:
    east = org["east_sales"]
    visits = company_visits(show, org["east_sales2"], east, 2)
    visit_record_outcome(actor=east, visit=visits[0], outcome="deal", amount=Decimal(7))
    response = login(org["east_manager"]).get(f"/api/tradeshows/{show.pk}/funnel")
    assert response.status_code == 200
    body = response.json()
    [row] = [r for r in body["rows"] if r["owner"] == str(east)]
    assert (row["visits"], row["deals"]) == (2, 1)
    assert body["total"]["deals"] == 1
    # A salesperson of another team sees the show but none of east's numbers.
    south = login(org["south_sales"]).get(f"/api/tradeshows/{show.pk}/funnel").json()
    assert all(r["owner"] != str(east) for r in south["rows"]) and south["total"]["deals"] == 0
    assert login(east).get(f"/api/tradeshows/{show.pk + 99}/funnel").status_code == 404
