"""The reception-quality report (issue 9) against a hand-counted month: steps on time,
late, overdue and skipped, return calls on time, feedback averages, open requests; per
salesperson and team, within what each role may see."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from tests.conftest import login
from tests.factories.visits import local, make_visit
from tests.visits.test_documents import pdf_text
from visitflow.reports.selectors import QualityFilters, quality_report
from visitflow.visits.models import (
    RequestState,
    ReturnCall,
    StepState,
    Visit,
    VisitRequest,
    VisitStatus,
)

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DECEMBER = QualityFilters(start=local(2026, 12, 1).date(), end=local(2026, 12, 1).date())
AFTER = "2027-01-15 12:00:00+08:00"


def shape(visit: Visit, *, call_late: bool, product: int, image: int) -> dict[str, int]:
    """Give every step of the visit a known state; returns what the report must count."""
    steps = list(visit.steps.order_by("pk"))
    call = next(s for s in steps if s.playbook_step.code == "return_call")
    others = [s for s in steps if s is not call]
    due = visit.starts_at
    for index, step in enumerate(others):
        step.due_at = due + timedelta(hours=index)
        if index < 3:
            step.state, step.done_at = StepState.DONE, step.due_at - timedelta(minutes=5)
        elif index == 3:
            step.state, step.done_at = StepState.DONE, step.due_at + timedelta(days=1)
        elif index == 4:
            step.state, step.done_at, step.skip_reason = StepState.SKIPPED, None, "客户自驾"
        elif index == 5:
            step.state, step.done_at = StepState.NOT_NEEDED, None
        else:
            step.state, step.done_at = StepState.PENDING, None
        step.save(update_fields=["due_at", "state", "done_at", "skip_reason"])
    call.due_at = visit.ends_at + timedelta(days=1)
    call.state = StepState.DONE
    call.done_at = call.due_at + (timedelta(days=2) if call_late else -timedelta(hours=2))
    call.save(update_fields=["due_at", "state", "done_at"])
    ReturnCall.objects.create(
        visit=visit,
        made_by=visit.host,
        made_at=call.done_at,
        reached=True,
        product_rating=product,
        image_rating=image,
    )
    pending = len(others) - 6
    return {
        "due": len(steps) - 1,  # all but the one not needed
        "on_time": 3 + (not call_late),
        "late": 1 + call_late,
        "overdue": pending,
        "skipped": 1,
    }


@pytest.fixture
def december(org: dict[str, Any]) -> dict[str, Any]:
    east, south = org["east_sales"], org["south_sales"]
    first = make_visit(actor=east, starts_at=local(2026, 12, 10, 10))
    second = make_visit(actor=east, starts_at=local(2026, 12, 20, 10))
    theirs = make_visit(actor=south, starts_at=local(2026, 12, 12, 10))
    cancelled = make_visit(actor=east, starts_at=local(2026, 12, 22, 10))
    Visit.objects.filter(pk=cancelled.pk).update(status=VisitStatus.CANCELLED)
    make_visit(actor=east, starts_at=local(2027, 1, 5, 10))  # another month
    counts = [
        shape(first, call_late=False, product=4, image=5),
        shape(second, call_late=True, product=2, image=3),
    ]
    shape(theirs, call_late=False, product=5, image=5)
    for title, state in (("样品", RequestState.OPEN), ("报价", RequestState.DONE)):
        VisitRequest.objects.create(
            visit=first,
            customer=first.customer,
            title=title,
            owner=east,
            due_date=local(2026, 12, 11).date(),
            state=state,
        )
    return {**org, "east_counts": {k: sum(c[k] for c in counts) for k in counts[0]}}


def test_a_hand_counted_month(december: dict[str, Any]) -> None:
    with freeze_time(AFTER):
        report = quality_report(december["director"], DECEMBER)

    rows = {r.host: r for r in report.rows}
    east = rows[str(december["east_sales"])]
    expected = december["east_counts"]
    assert east.visits == 2  # the cancelled one and January's do not count
    assert (east.steps_due, east.steps_on_time, east.steps_late) == (
        expected["due"],
        expected["on_time"],
        expected["late"],
    )
    assert (east.steps_overdue, east.steps_skipped) == (expected["overdue"], expected["skipped"])
    assert (east.return_calls_due, east.return_calls_on_time) == (2, 1)
    assert east.return_call_rate == 50
    assert (str(east.product_average), str(east.image_average)) == ("3.00", "4.00")
    assert east.open_requests == 1
    assert east.team == "华东销售部"
    south = rows[str(december["south_sales"])]
    assert south.visits == 1 and south.return_calls_on_time == 1
    # Teams and the company add up the people, averages weighing every call alike.
    assert report.total.visits == 3
    assert report.total.feedback_count == 3
    assert str(report.total.product_average) == "3.67"
    assert {t.team for t in report.teams} == {"华东销售部", "华南销售部"}


def test_each_role_sees_its_own_part(december: dict[str, Any]) -> None:
    with freeze_time(AFTER):
        hosts = {
            who: {r.host for r in quality_report(december[who], DECEMBER).rows}
            for who in ("east_sales", "east_sales2", "east_manager", "director", "admin")
        }
    east, south = str(december["east_sales"]), str(december["south_sales"])
    assert hosts["east_sales"] == {east}
    assert hosts["east_sales2"] == set()  # a colleague's figures are not theirs to see
    assert hosts["east_manager"] == {east}
    assert hosts["director"] == hosts["admin"] == {east, south}
    for who in ("reception", "driver", "finance"):
        assert login(december[who]).get("/reports/quality/").status_code == 403


def test_the_page_and_its_files(
    december: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    with freeze_time(AFTER):
        client = login(december["director"])
        with django_assert_max_num_queries(12):
            page = client.get("/reports/quality/", {"start": "2026-12", "end": "2026-12"})
    assert page.status_code == 200
    html = page.content.decode()
    assert str(december["east_sales"]) in html and str(december["south_sales"]) in html
    with freeze_time(AFTER):
        sheet = client.get(
            "/reports/quality/", {"start": "2026-12", "end": "2026-12", "export": "csv"}
        )
    lines = sheet.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3  # the header and one row per salesperson
    assert all(line.startswith("2026-12,") for line in lines[1:])


def test_bad_months_are_explained_and_kept(org: dict[str, Any]) -> None:
    client = login(org["director"])
    page = client.get("/reports/quality/", {"start": "2026-13", "end": "abc"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "is-invalid" in html and 'value="2026-13"' in html
    backwards = client.get("/reports/quality/", {"start": "2026-12", "end": "2026-10"})
    assert "is-invalid" in backwards.content.decode()
    too_long = client.get("/reports/quality/", {"start": "2020-01", "end": "2026-10"})
    assert "is-invalid" in too_long.content.decode()


def test_the_report_as_a_pdf(december: dict[str, Any]) -> None:
    """Printable as a PDF (issue 9): a real file, with the Chinese names in it."""
    with freeze_time(AFTER):
        client = login(december["director"])
        response = client.get(
            "/reports/quality/", {"start": "2026-12", "end": "2026-12", "export": "pdf"}
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "reception-quality.pdf").write_bytes(response.content)  # to look at
    text = pdf_text(response.content)
    assert "华东销售部" in text and "华南销售部" in text
    assert str(december["east_sales"]) in text
    assert "2026-12" in text
    # What a salesperson downloads holds only their own row.
    with freeze_time(AFTER):
        own = login(december["east_sales"]).get(
            "/reports/quality/", {"start": "2026-12", "end": "2026-12", "export": "pdf"}
        )
    assert str(december["south_sales"]) not in pdf_text(own.content)
