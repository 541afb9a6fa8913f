from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories.customers import level
from tests.factories.spend import make_line, make_standard
from visitflow.core.exceptions import ApplicationError
from visitflow.core.models import ActivityLog
from visitflow.notifications.models import Notification
from visitflow.spend import services
from visitflow.spend.models import (
    ApproverLevel,
    LineStatus,
    RoomType,
    SpendCategory,
    SpendStandard,
)
from visitflow.spend.selectors import budget_from_lines, visit_budget

pytestmark = pytest.mark.django_db


# --- The standard in force on a date ---------------------------------------------------


def test_the_standard_in_force_is_the_newest_version_not_after_the_day(org: dict[str, Any]) -> None:
    finance = org["finance"]
    old = make_standard(actor=finance, amount="300.00", valid_from=date(2026, 1, 1))
    new = services.standard_update(
        actor=finance,
        standard=old,
        amount="350.00",
        valid_from=date(2026, 7, 1),
        manager_max_over_percent="20",
    )
    find = services.standard_in_force
    cat = SpendCategory.MEAL_BANQUET
    assert find(level=level("A"), category=cat, on=date(2025, 12, 31)) is None
    assert find(level=level("A"), category=cat, on=date(2026, 6, 30)) == old
    assert find(level=level("A"), category=cat, on=date(2026, 7, 1)) == new
    assert find(level=level("B"), category=cat, on=date(2026, 7, 1)) is None
    # The old version is untouched: a change is a new row.
    old.refresh_from_db()
    assert old.amount == Decimal("300.00")
    assert ActivityLog.objects.filter(action="spend.standard_changed", object_id=str(new.pk)).get()


def test_a_room_type_standard_wins_over_the_general_hotel_standard(org: dict[str, Any]) -> None:
    finance = org["finance"]
    general = make_standard(actor=finance, category=SpendCategory.HOTEL_NIGHT, amount="450")
    suite = make_standard(
        actor=finance, category=SpendCategory.HOTEL_NIGHT, amount="900", room_type=RoomType.SUITE
    )
    on = date(2026, 5, 1)
    hotel = SpendCategory.HOTEL_NIGHT
    assert services.standard_in_force(level=level("A"), category=hotel, on=on) == general
    assert (
        services.standard_in_force(level=level("A"), category=hotel, on=on, room_type="suite")
        == suite
    )
    assert (
        services.standard_in_force(level=level("A"), category=hotel, on=on, room_type="business")
        == general
    )


def test_a_change_must_apply_from_a_later_day(org: dict[str, Any]) -> None:
    old = make_standard(actor=org["finance"])
    with pytest.raises(ApplicationError) as exc:
        services.standard_update(
            actor=org["finance"],
            standard=old,
            amount="1",
            valid_from=old.valid_from,
            manager_max_over_percent="20",
        )
    assert "valid_from" in exc.value.field_errors


@pytest.mark.parametrize(
    ("amount", "field"),
    [("-1", "amount"), ("abc", "amount"), ("12.345", "amount"), ("99999999", "amount")],
)
def test_bad_standard_amounts_are_refused(org: dict[str, Any], amount: str, field: str) -> None:
    with pytest.raises(ApplicationError) as exc:
        make_standard(actor=org["finance"], amount=amount)
    assert field in exc.value.field_errors
    assert not SpendStandard.objects.exists()


def test_a_past_line_keeps_the_standard_it_was_planned_against(spend: dict[str, Any]) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"], amount="1200.00")
    assert line.status == LineStatus.WITHIN
    assert line.standard_amount == Decimal("1200.00")  # 4 people x 300
    services.standard_update(
        actor=spend["finance"],
        standard=spend["banquet"],
        amount="200.00",
        valid_from=date(2026, 11, 1),
        manager_max_over_percent="20",
    )
    line.refresh_from_db()
    assert line.standard_amount == Decimal("1200.00")
    assert line.standard == spend["banquet"]
    assert line.status == LineStatus.WITHIN


# --- Within / over and routing ---------------------------------------------------------


@pytest.mark.parametrize(
    ("planned", "standard", "percent", "expected"),
    [
        ("100.00", "100.00", "20", ""),
        ("100.01", "100.00", "20", "manager"),
        ("120.00", "100.00", "20", "manager"),
        ("120.01", "100.00", "20", "director"),
        ("0.00", "0.00", "20", ""),
        ("1.00", "0.00", "20", "director"),
        ("1.00", None, "20", "director"),
        ("0.00", None, "20", "director"),
    ],
)
def test_approval_routing_by_amount(
    planned: str, standard: str | None, percent: str, expected: str
) -> None:
    got = services.required_approver(
        planned=Decimal(planned),
        standard_amount=Decimal(standard) if standard is not None else None,
        max_over_percent=Decimal(percent),
    )
    assert got == expected


def test_a_banquet_over_the_standard_needs_a_reason(spend: dict[str, Any]) -> None:
    with pytest.raises(ApplicationError) as exc:
        make_line(actor=spend["east_sales"], visit=spend["visit"], amount="1300.00")
    assert "over_reason" in exc.value.field_errors
    assert not spend["visit"].spend_lines.exists()


def test_slightly_over_goes_to_the_hosts_manager_who_is_notified(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"],
        visit=spend["visit"],
        amount="1300.00",
        over_reason="客户总经理来访",
    )
    assert line.status == LineStatus.PENDING
    assert line.required_approver == ApproverLevel.MANAGER
    manager = spend["east_manager"]
    assert Notification.objects.filter(recipient=manager, kind="spend_approval").count() == 1
    assert not Notification.objects.filter(recipient=spend["director"]).exists()


def test_far_over_goes_to_directors(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="2000.00", over_reason="签约宴"
    )
    assert line.required_approver == ApproverLevel.DIRECTOR
    assert Notification.objects.filter(recipient=spend["director"], kind="spend_approval").exists()
    assert Notification.objects.filter(
        recipient=spend["general_manager"], kind="spend_approval"
    ).exists()


def test_no_standard_for_the_category_is_a_directors_decision(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"],
        visit=spend["visit"],
        category=SpendCategory.LOCAL_TRANSPORT,
        amount="200.00",
        guests=0,
        hosts=0,
        over_reason="包车",
    )
    assert line.standard is None
    assert line.required_approver == ApproverLevel.DIRECTOR


def test_a_managers_own_line_goes_to_a_director(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_manager"], visit=spend["visit"], amount="1300.00", over_reason="x"
    )
    assert line.required_approver == ApproverLevel.DIRECTOR


def test_manager_approves_and_requester_is_told(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="1300.00", over_reason="x"
    )
    assert visit_budget(spend["visit"]).approved == Decimal("1200.00")
    services.line_approve(actor=spend["east_manager"], line=line, note="ok")
    assert visit_budget(spend["visit"]).approved == Decimal("1300.00")
    line.refresh_from_db()
    assert line.status == LineStatus.APPROVED
    assert line.decided_by == spend["east_manager"]
    assert line.decided_at is not None
    assert Notification.objects.filter(recipient=spend["east_sales"], kind="spend_decided").exists()
    log = ActivityLog.objects.get(action="spend.line_approved")
    assert log.actor == spend["east_manager"]
    assert log.changes["status"] == ["pending", "approved"]


@pytest.mark.parametrize("who", ["east_sales", "south_manager", "east_sales2", "finance"])
def test_approval_refused_for_the_wrong_person(spend: dict[str, Any], who: str) -> None:
    line = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="1300.00", over_reason="x"
    )
    with pytest.raises(ApplicationError):
        services.line_approve(actor=spend[who], line=line)
    line.refresh_from_db()
    assert line.status == LineStatus.PENDING


def test_a_manager_may_not_approve_beyond_their_percentage(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="2000.00", over_reason="x"
    )
    with pytest.raises(ApplicationError) as exc:
        services.line_approve(actor=spend["east_manager"], line=line)
    assert "too far over" in exc.value.message
    services.line_approve(actor=spend["director"], line=line)
    line.refresh_from_db()
    assert line.status == LineStatus.APPROVED


def test_nobody_approves_their_own_line(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["director"], visit=spend["visit"], amount="2000.00", over_reason="x"
    )
    with pytest.raises(ApplicationError) as exc:
        services.line_approve(actor=spend["director"], line=line)
    assert "someone else" in exc.value.message
    services.line_approve(actor=spend["general_manager"], line=line)


def test_refusing_needs_a_note_and_the_line_stays_visible(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="1300.00", over_reason="x"
    )
    with pytest.raises(ApplicationError):
        services.line_refuse(actor=spend["east_manager"], line=line, note=" ")
    services.line_refuse(actor=spend["east_manager"], line=line, note="按标准")
    budget = visit_budget(spend["visit"])
    assert [r.status for r in budget.rows] == [LineStatus.REFUSED]
    assert budget.planned == Decimal("0")
    assert budget.refused == 1
    # Asked again with a reason, it waits for approval again.
    services.line_submit_over(actor=spend["east_sales"], line=line, reason="客户是VIP候选")
    line.refresh_from_db()
    assert line.status == LineStatus.PENDING


def test_changing_an_approved_amount_asks_again(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="1300.00", over_reason="x"
    )
    services.line_approve(actor=spend["east_manager"], line=line)
    services.line_update(actor=spend["east_sales"], line=line, data={"venue": "香格里拉"})
    line.refresh_from_db()
    assert line.status == LineStatus.APPROVED
    services.line_update(actor=spend["east_sales"], line=line, data={"planned_amount": "1400.00"})
    line.refresh_from_db()
    assert line.status == LineStatus.PENDING
    log = ActivityLog.objects.filter(action="spend.line_changed").first()
    assert log is not None
    assert log.changes["planned_amount"] == ["1300.00", "1400.00"]
    services.line_update(actor=spend["east_sales"], line=line, data={"planned_amount": "1000.00"})
    line.refresh_from_db()
    assert line.status == LineStatus.WITHIN


def test_lodging_is_judged_per_room_night(spend: dict[str, Any]) -> None:
    line = services.line_plan(
        actor=spend["east_sales"],
        visit=spend["visit"],
        category=SpendCategory.HOTEL_NIGHT,
        date=date(2026, 12, 10),
        planned_amount="1800.00",
        nights=2,
        rooms=2,
    )
    assert line.standard_amount == Decimal("1800.00")
    assert line.status == LineStatus.WITHIN


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"planned_amount": "-5"}, "planned_amount"),
        ({"planned_amount": "5000000"}, "planned_amount"),
        ({"planned_amount": "NaN"}, "planned_amount"),
        ({"guests": 0, "hosts": 0}, "guests"),
        ({"category": "champagne"}, "category"),
        ({"room_type": "suite"}, "room_type"),
    ],
)
def test_bad_plans_are_refused(spend: dict[str, Any], kwargs: dict[str, Any], field: str) -> None:
    data: dict[str, Any] = {
        "category": SpendCategory.MEAL_BANQUET,
        "date": date(2026, 12, 10),
        "planned_amount": "100",
        "guests": 2,
        "hosts": 1,
        **kwargs,
    }
    with pytest.raises(ApplicationError) as exc:
        services.line_plan(actor=spend["east_sales"], visit=spend["visit"], **data)
    assert field in exc.value.field_errors


def test_voiding_needs_a_reason_and_keeps_the_line(spend: dict[str, Any]) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    with pytest.raises(ApplicationError):
        services.line_void(actor=spend["east_sales"], line=line, reason="")
    services.line_void(actor=spend["east_sales"], line=line, reason="客户改期")
    line.refresh_from_db()
    assert line.status == LineStatus.VOID
    assert visit_budget(spend["visit"]).planned == 0
    assert ActivityLog.objects.filter(action="spend.line_voided").exists()


# --- Actual spend ----------------------------------------------------------------------


def test_actual_in_foreign_currency_needs_a_rate(spend: dict[str, Any]) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    with pytest.raises(ApplicationError) as exc:
        services.actual_record(
            actor=spend["east_sales"],
            line=line,
            amount="100",
            currency="USD",
            payer=spend["east_sales"],
            paid_on=date(2026, 12, 10),
        )
    assert "exchange_rate" in exc.value.field_errors
    actual = services.actual_record(
        actor=spend["east_sales"],
        line=line,
        amount="100.00",
        currency="usd",
        exchange_rate="7.1234",
        payer=spend["east_sales"],
        paid_on=date(2026, 12, 10),
    )
    assert actual.currency == "USD"
    assert actual.amount_cny == Decimal("712.34")


def test_confirmed_spend_is_not_voided_and_void_needs_a_reason(spend: dict[str, Any]) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    actual = services.actual_record(
        actor=spend["east_sales"],
        line=line,
        amount="980.00",
        payer=spend["east_sales"],
        paid_on=date(2026, 12, 10),
    )
    assert visit_budget(spend["visit"]).actual == Decimal("980.00")
    with pytest.raises(ApplicationError):
        services.actual_confirm(actor=spend["director"], actual=actual)
    services.actual_confirm(actor=spend["finance"], actual=actual)
    with pytest.raises(ApplicationError):
        services.actual_confirm(actor=spend["finance"], actual=actual)
    with pytest.raises(ApplicationError):
        services.actual_void(actor=spend["east_sales"], actual=actual, reason="错了")
    with pytest.raises(ApplicationError):
        services.line_update(actor=spend["east_sales"], line=line, data={"planned_amount": "1"})


def test_void_actual_drops_it_from_the_totals(spend: dict[str, Any]) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    actual = services.actual_record(
        actor=spend["east_sales"],
        line=line,
        amount="980.00",
        payer=spend["east_sales"],
        paid_on=date(2026, 12, 10),
    )
    with pytest.raises(ApplicationError):
        services.actual_void(actor=spend["east_sales"], actual=actual, reason="")
    with pytest.raises(ApplicationError):
        services.line_void(actor=spend["east_sales"], line=line, reason="x")
    services.actual_void(actor=spend["east_sales"], actual=actual, reason="重复录入")
    assert visit_budget(spend["visit"]).actual == 0
    log = ActivityLog.objects.get(action="spend.actual_voided")
    assert log.changes["amount_cny"] == ["980.00", "0.00"]


def test_refused_lines_take_no_actual(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="1300.00", over_reason="x"
    )
    services.line_refuse(actor=spend["east_manager"], line=line, note="no")
    with pytest.raises(ApplicationError):
        services.actual_record(
            actor=spend["east_sales"],
            line=line,
            amount="1",
            payer=spend["east_sales"],
            paid_on=date(2026, 12, 10),
        )


# --- Arithmetic: exact, no drift -------------------------------------------------------

cents = st.integers(min_value=0, max_value=10_000_000).map(lambda n: Decimal(n).scaleb(-2))


@settings(deadline=None)  # a loaded machine is no reason to fail arithmetic
@given(st.lists(cents, min_size=0, max_size=40))
def test_budget_totals_are_the_exact_sum_of_the_lines(amounts: list[Decimal]) -> None:
    class Line:
        def __init__(self, amount: Decimal) -> None:
            self.planned_amount = amount
            self.standard_amount = amount
            self.status = LineStatus.WITHIN
            self.is_over = False

        class actuals:  # mimics the related manager
            @staticmethod
            def all() -> list[Any]:
                return []

    budget = budget_from_lines([Line(a) for a in amounts])  # type: ignore[misc]
    exact = sum(amounts, Decimal(0))
    assert budget.planned == exact
    assert budget.standard == exact
    assert budget.planned.as_tuple().exponent in (-2, 0)
    # Compared with cents as integers: nothing is lost or gained.
    assert int(budget.planned * 100) == sum(int(a * 100) for a in amounts)


@settings(deadline=None)
@given(
    unit=cents,
    units=st.integers(min_value=1, max_value=200),
    over_cents=st.integers(min_value=-1000, max_value=100_000),
    percent=st.integers(min_value=0, max_value=200),
)
def test_routing_matches_integer_arithmetic(
    unit: Decimal, units: int, over_cents: int, percent: int
) -> None:
    standard = unit * units
    planned = max(standard + Decimal(over_cents).scaleb(-2), Decimal(0))
    got = services.required_approver(
        planned=planned, standard_amount=standard, max_over_percent=Decimal(percent)
    )
    s = int(standard * 100)
    p = int(planned * 100)
    if s == 0:
        expected = "director" if p > 0 else ""
    elif p <= s:
        expected = ""
    elif p * 100 <= s * (100 + percent):
        expected = "manager"
    else:
        expected = "director"
    assert got == expected


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(amounts=st.lists(cents.filter(lambda d: d <= 50_000), min_size=1, max_size=6))
def test_stored_lines_add_up_exactly(spend: dict[str, Any], amounts: list[Decimal]) -> None:
    visit = spend["visit"]
    for line in visit.spend_lines.exclude(status=LineStatus.VOID):
        services.line_void(actor=spend["east_sales"], line=line, reason="reset")
    for amount in amounts:
        make_line(
            actor=spend["east_sales"],
            visit=visit,
            category=SpendCategory.MEAL_LUNCH,
            amount=amount,
            over_reason="x",
        )
    budget = visit_budget(visit)
    assert budget.planned == sum(amounts, Decimal(0))
    assert budget.standard == Decimal("320.00") * len(amounts)


def test_receipts_have_no_public_address(spend: dict[str, Any]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    actual = services.actual_record(
        actor=spend["east_sales"],
        line=line,
        amount="10.00",
        payer=spend["east_sales"],
        paid_on=date(2026, 12, 10),
        receipt=SimpleUploadedFile("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
    )
    assert actual.receipt_content_type == "image/jpeg"
    with pytest.raises(ValueError, match="no public address"):
        _ = actual.receipt.url
    log = ActivityLog.objects.get(action="spend.actual_recorded")
    assert log.actor == spend["east_sales"]
    assert log.changes["amount_cny"] == ["", "10.00"]
    assert log.customer == spend["visit"].customer


def test_a_voided_line_moves_nowhere(spend: dict[str, Any]) -> None:
    from visitflow.spend.models import LINE_TRANSITIONS

    assert LINE_TRANSITIONS[LineStatus.VOID] == frozenset()
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    services.line_void(actor=spend["east_sales"], line=line, reason="取消")
    for call in (
        lambda: services.line_update(actor=spend["east_sales"], line=line, data={"venue": "x"}),
        lambda: services.line_submit_over(actor=spend["east_sales"], line=line, reason="x"),
        lambda: services.line_approve(actor=spend["director"], line=line),
    ):
        with pytest.raises(ApplicationError):
            call()
    line.refresh_from_db()
    assert line.status == LineStatus.VOID
