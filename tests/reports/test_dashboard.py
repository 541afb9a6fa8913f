"""The dashboard (issue 9) against hand-counted fixtures: visits per week by state, the
procedure step by step, return calls and feedback, follow-ups, visit to deal, trade-show
funnels and spend; each role's part of it; and every figure's link opening a list that
holds exactly what the figure counted."""

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from freezegun import freeze_time

from tests.conftest import login
from tests.factories.tradeshows import make_contact, make_invitations, make_show
from tests.factories.visits import local, make_visit
from tests.reports import test_quality
from visitflow.reports.dashboard import dashboard
from visitflow.tradeshows.models import CallOutcome, TradeShow
from visitflow.tradeshows.services import booth
from visitflow.tradeshows.services.invitations import invitation_call_record
from visitflow.visits.models import (
    FollowUp,
    FollowUpState,
    StepState,
    Visit,
    VisitOutcome,
    VisitStatus,
)
from visitflow.visits.selectors import ScopeFilters

pytestmark = pytest.mark.django_db
AFTER = test_quality.AFTER
december = test_quality.december  # the hand-counted month, as a fixture here too
DECEMBER = ScopeFilters(start=date(2026, 12, 1), end=date(2026, 12, 31))
PERIOD = {"start": "2026-12-01", "end": "2026-12-31"}


@pytest.fixture
def shaped(december: dict[str, Any]) -> dict[str, Any]:
    """December of test_quality, plus outcomes, follow-ups and a trade show."""
    east = december["east_sales"]
    first, second, _cancelled = Visit.objects.filter(host=east, starts_at__month=12).order_by(
        "starts_at"
    )
    theirs = Visit.objects.get(host=december["south_sales"])
    Visit.objects.filter(pk=first.pk).update(
        status=VisitStatus.CLOSED, outcome=VisitOutcome.DEAL, deal_amount=Decimal("120000.00")
    )
    Visit.objects.filter(pk=second.pk).update(
        status=VisitStatus.DEPARTED, outcome=VisitOutcome.NEGOTIATING
    )
    Visit.objects.filter(pk=theirs.pk).update(status=VisitStatus.IN_PROGRESS)
    FollowUp.objects.filter(customer__in=[first.customer, second.customer]).delete()
    today = date(2027, 1, 15)
    for due, state, done_at in (
        (today - timedelta(days=5), FollowUpState.OPEN, None),  # overdue
        (today - timedelta(days=1), FollowUpState.OPEN, None),  # overdue
        (today + timedelta(days=3), FollowUpState.OPEN, None),  # within a week
        (today + timedelta(days=30), FollowUpState.OPEN, None),  # later
        (date(2026, 12, 28), FollowUpState.DONE, local(2026, 12, 29, 10)),  # done in Dec
        (date(2026, 11, 28), FollowUpState.DONE, local(2026, 11, 29, 10)),  # done before
    ):
        FollowUp.objects.create(
            customer=first.customer, owner=east, due_date=due, state=state, done_at=done_at
        )
    return {**december, "first": first, "second": second, "theirs": theirs}


@pytest.fixture
def show(shaped: dict[str, Any]) -> TradeShow:
    org = shaped
    show = make_show(actor=org["east_manager"], team=[org["east_sales"], org["east_sales2"]])
    invitations = make_invitations(
        show, org["east_sales"], [make_contact(org["east_sales"]) for _n in range(3)]
    )
    with freeze_time(local(2026, 12, 1, 10)):
        for invitation in invitations[:2]:
            invitation_call_record(
                actor=org["east_sales"], invitation=invitation, outcome=CallOutcome.WILL_COME
            )
    with freeze_time(local(2026, 12, 9, 10)):
        booth.booth_check_in(actor=org["east_sales2"], show=show, invitation=invitations[0])
    south = make_invitations(show, org["south_sales"], [make_contact(org["south_sales"])])
    assert south
    return show


def counted(user: Any, scope: ScopeFilters = DECEMBER) -> Any:
    with freeze_time(AFTER):
        return dashboard(user, scope)


def test_a_hand_counted_december(shaped: dict[str, Any], show: TradeShow) -> None:
    data = counted(shaped["director"])
    # Weeks from Monday 30 November; the cancelled visit counts among the states.
    assert [row.week for row in data.weeks.rows] == [
        date(2026, 11, 30),
        date(2026, 12, 7),
        date(2026, 12, 14),
        date(2026, 12, 21),
        date(2026, 12, 28),
    ]
    states = [code for code, _label in data.weeks.states]
    by_week = {
        (row.week.day, states[i]): cell.value
        for row in data.weeks.rows
        for i, cell in enumerate(row.cells)
        if cell.value
    }
    assert by_week == {
        (7, "closed"): 1,
        (7, "in_progress"): 1,
        (14, "departed"): 1,
        (21, "cancelled"): 1,
    }
    assert data.visits_total == 4

    # The procedure: the steps of the three visits not cancelled, as test_quality shaped them.
    east = shaped["east_counts"]
    n = shaped["theirs"].steps.count()  # south's visit, shaped alike: one step not needed
    assert data.steps_due == east["due"] + n - 1
    rows = {row.code: row for row in data.steps}
    call = rows["return_call"]
    assert (call.due, call.cells["on_time"].value, call.cells["late"].value) == (3, 2, 1)
    total = {
        name: sum(row.cells[name].value for row in data.steps)
        for name in ("on_time", "late", "skipped", "overdue")
    }
    assert total["on_time"] == east["on_time"] + 4
    assert total["late"] == east["late"] + 1
    assert total["skipped"] == east["skipped"] + 1
    assert total["overdue"] == east["overdue"] + (n - 1 - 6)

    # Return calls and what the customers said, in December.
    [month] = data.months
    assert (month.calls_due, month.on_time.value, month.late.value) == (3, 2, 1)
    assert month.rate == Decimal("66.7")
    assert month.rated.value == 3
    assert (str(month.product), str(month.image)) == ("3.67", "4.33")

    # Follow-ups: today's open ones, December's done one.
    assert {k: c.value for k, c in data.follow_ups.items()} == {
        "overdue": 2,
        "week": 1,
        "later": 1,
        "done": 1,
    }

    # Visit to deal: three came (the cancelled one did not).
    conversion = data.conversion
    assert conversion.came.value == 3
    assert {k: c.value for k, c in conversion.outcomes.items()} == {
        "deal": 1,
        "negotiating": 1,
        "no_deal": 0,
        "none": 1,
    }
    assert conversion.amount == Decimal("120000.00")
    assert conversion.rate == Decimal("33.3")

    # The trade show of the period: four invited, two will come, one came.
    [funnel] = data.shows
    assert funnel.show == show
    assert (funnel.invited.value, funnel.confirmed, funnel.came.value) == (4, 2, 1)


def test_each_role_sees_its_own_part(shaped: dict[str, Any], show: TradeShow) -> None:
    totals = {
        who: counted(shaped[who]).visits_total
        for who in ("east_sales", "east_sales2", "east_manager", "south_sales", "director", "admin")
    }
    assert totals == {
        "east_sales": 3,  # their two visits and the cancelled one
        "east_sales2": 0,  # a colleague's visits are not theirs
        "east_manager": 3,
        "south_sales": 1,
        "director": 4,
        "admin": 4,
    }
    east = counted(shaped["east_sales"])
    assert east.level == "own"
    assert east.conversion.came.value == 2
    assert {k: c.value for k, c in east.follow_ups.items()}["overdue"] == 2
    assert counted(shaped["south_sales"]).follow_ups["overdue"].value == 0
    [funnel] = counted(shaped["south_sales"]).shows
    assert funnel.invited.value == 1  # only their own invitation
    for who in ("reception", "driver", "finance"):
        assert login(shaped[who]).get("/reports/").status_code == 403
    assert login(shaped["reception"]).get("/reports/").status_code == 403


def test_filters_team_salesperson_level(shaped: dict[str, Any]) -> None:
    director = shaped["director"]
    south_team = ScopeFilters(DECEMBER.start, DECEMBER.end, team=shaped["south"].pk)
    assert counted(director, south_team).visits_total == 1
    east_host = ScopeFilters(DECEMBER.start, DECEMBER.end, host=shaped["east_sales"].pk)
    assert counted(director, east_host).visits_total == 3
    level = shaped["first"].customer.level
    by_level = ScopeFilters(DECEMBER.start, DECEMBER.end, level=level.pk)
    expected = Visit.objects.filter(starts_at__month=12, customer__level=level).count()
    assert counted(director, by_level).visits_total == expected


def _rows(html: str) -> int:
    """Rows of a list page's table (0 for its empty state)."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    return body.group(1).count("<tr") if body else 0


def test_every_figure_opens_the_list_it_counted(shaped: dict[str, Any], show: TradeShow) -> None:
    """Follow each figure's link as the director: the list holds as many rows."""
    data = counted(shaped["director"])
    cells = [cell for row in data.weeks.rows for cell in row.cells]
    cells += [cell for row in data.steps for cell in row.cells.values()]
    for month in data.months:
        cells += [month.on_time, month.late, month.overdue, month.rated]
    cells += list(data.follow_ups.values())
    cells += [data.conversion.came, *data.conversion.outcomes.values()]
    checked = 0
    with freeze_time(AFTER):
        client = login(shaped["director"])
        for cell in cells:
            assert cell.url, cell
            page = client.get(cell.url)
            assert page.status_code == 200, cell.url
            assert _rows(page.content.decode()) == cell.value, cell.url
            checked += 1
    assert checked > 60
    assert any(cell.value for cell in cells)


def test_the_page_in_chinese_with_its_charts(
    shaped: dict[str, Any], show: TradeShow, django_assert_max_num_queries: Any
) -> None:
    with freeze_time(AFTER):
        client = login(shaped["director"])
        with django_assert_max_num_queries(20):
            page = client.get("/reports/", PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert "仪表盘" in html
    for chart in (
        "chart-weeks",
        "chart-steps",
        "chart-calls",
        "chart-follow-ups",
        "chart-conversion",
        "chart-shows",
    ):
        assert f'id="{chart}"' in html  # the data
        assert f'data-dashboard-chart="{chart}"' in html  # where it is drawn
    for table in (
        "table-weeks",
        "table-steps",
        "table-calls",
        "table-follow-ups",
        "table-conversion",
        "table-shows",
    ):
        assert f'data-testid="{table}"' in html
    assert 'data-testid="kpi-conversion">33.3%' in html


def test_query_count_does_not_grow_with_visits(
    org: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for day in range(1, 25):
        make_visit(actor=org["east_sales"], starts_at=local(2026, 12, day, 10))
    with freeze_time(AFTER):
        client = login(org["east_manager"])
        with django_assert_max_num_queries(20):
            assert client.get("/reports/", PERIOD).status_code == 200


def test_bad_filters_are_explained_and_kept(org: dict[str, Any]) -> None:
    client = login(org["director"])
    page = client.get("/reports/", {"start": "2026-13-01", "end": "abc", "team": "999999"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="2026-13-01"' in html and 'value="abc"' in html
    assert html.count("is-invalid") >= 2
    assert 'data-testid="dashboard-errors"' in html
    backwards = client.get("/reports/", {"start": "2026-12-31", "end": "2026-12-01"})
    assert "is-invalid" in backwards.content.decode()
    too_long = client.get("/reports/", {"start": "2020-01-01", "end": "2026-12-31"})
    assert "is-invalid" in too_long.content.decode()


def test_a_manager_cannot_pick_another_teams_salesperson(org: dict[str, Any]) -> None:
    client = login(org["east_manager"])
    page = client.get("/reports/", {"host": org["south_sales"].pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="dashboard-errors"' in html
    assert str(org["south_sales"]) not in html  # not even offered


def test_a_salesperson_has_no_team_or_people_filter(org: dict[str, Any]) -> None:
    html = login(org["east_sales"]).get("/reports/").content.decode()
    assert 'name="host"' not in html and 'name="team"' not in html
    assert 'name="level"' in html


def test_the_default_period_is_twelve_weeks(org: dict[str, Any]) -> None:
    with freeze_time(AFTER):
        data = dashboard(org["director"], ScopeFilters(date(2026, 10, 26), date(2027, 1, 17)))
        page = login(org["director"]).get("/reports/")
    assert len(data.weeks.rows) == 12
    html = page.content.decode()
    assert 'value="2026-10-26"' in html and 'value="2027-01-17"' in html


# role -> (status of /reports/, what the dashboard covers)
DASHBOARD_MATRIX = {
    "east_sales": (200, "own"),
    "east_manager": (200, "team"),
    "director": (200, "company"),
    "general_manager": (200, "company"),
    "admin": (200, "company"),
    "reception": (403, None),
    "driver": (403, None),
    "finance": (403, None),
}


@pytest.mark.parametrize("role", DASHBOARD_MATRIX)
def test_permission_matrix(org: dict[str, Any], role: str) -> None:
    status, level = DASHBOARD_MATRIX[role]
    page = login(org[role]).get("/reports/")
    assert page.status_code == status
    if level:
        assert page.context["data"].level == level
    nav = login(org[role]).get("/visits/my-day/" if role != "driver" else "/logistics/my-trips/")
    assert ('href="/reports/"' in nav.content.decode()) is (status == 200)


def test_the_dashboards_parameters_never_widen_a_list(shaped: dict[str, Any]) -> None:
    """A salesperson who types another team's filters into a list's address sees nothing
    more than their own list."""
    south = shaped["south"].pk
    theirs = shaped["theirs"]
    with freeze_time(AFTER):
        client = login(shaped["east_sales"])
        for url in (
            f"/visits/?team={south}&start=2026-12-01&end=2026-12-31",
            f"/visits/?host={shaped['south_sales'].pk}",
            f"/visits/feedback/?team={south}",
            f"/visits/follow-ups/?team={south}&group=overdue",
        ):
            html = client.get(url).content.decode()
            assert theirs.customer.name not in html, url
        spend = client.get(f"/spend/?team={south}")
        assert spend.status_code == 200
        assert theirs.customer.name not in spend.content.decode()


def test_a_return_call_counts_within_its_due_day(org: dict[str, Any]) -> None:
    """Issue 9: return-call compliance is the share made within the due day. A call due
    at 10:00 and made at 18:00 the same day is on time there, though its step was done
    after its hour; one made the next morning is late."""
    same_day = make_visit(actor=org["east_sales"], starts_at=local(2026, 12, 3, 10))
    next_day = make_visit(actor=org["east_sales"], starts_at=local(2026, 12, 4, 10))
    for visit, hours in ((same_day, 8), (next_day, 22)):
        call = visit.steps.get(playbook_step__code="return_call")
        call.due_at = local(2026, 12, 8, 10) if visit == same_day else local(2026, 12, 9, 10)
        call.state, call.done_at = StepState.DONE, call.due_at + timedelta(hours=hours)
        call.save(update_fields=["due_at", "state", "done_at"])
    data = counted(org["director"])
    [month] = data.months
    assert (month.calls_due, month.on_time.value, month.late.value) == (2, 1, 1)
    [row] = [r for r in data.steps if r.code == "return_call"]
    assert (row.cells["on_time"].value, row.cells["late"].value) == (0, 2)  # by the hour
    with freeze_time(AFTER):
        listed = login(org["director"]).get(month.on_time.url).content.decode()
    assert same_day.customer.name in listed and next_day.customer.name not in listed
