"""Lists as files (issue 9): what the list shows, filtered, within the reader's
permissions, as .xlsx and .csv; headers in the reader's language; values typed."""

import csv
import io
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import login
from tests.factories.customers import ContactFactory, CustomerFactory
from tests.factories.visits import local, make_ready_visit, make_visit
from visitflow.logistics.models import Station, Vehicle
from visitflow.logistics.services import transfers
from visitflow.reports.exports import (
    DATETIME_FORMAT,
    MONEY_FORMAT,
    Column,
    csv_bytes,
    workbook_bytes,
)
from visitflow.visits import services as visit_services

pytestmark = pytest.mark.django_db


def _sheet(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def _csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())  # Excel on Chinese Windows needs the BOM
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# --- the writer ----------------------------------------------------------------------


def test_formulas_are_written_as_text_but_phones_and_amounts_stay() -> None:
    columns = [Column("v", lambda row: row)]
    rows = [
        '=HYPERLINK("http://x")',
        "@SUM(A1)",
        "+cmd|' /C calc'!A0",
        "+86 138 0013 8000",
        "-12.50",
    ]

    assert [r[0] for r in _sheet(workbook_bytes(rows, columns, title="t"))[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "'+cmd|' /C calc'!A0",
        "+86 138 0013 8000",
        "-12.50",
    ]
    assert [r[0] for r in _csv(csv_bytes(rows, columns))[1:]][:3] == [
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "'+cmd|' /C calc'!A0",
    ]


def test_amounts_dates_and_times_are_typed_in_the_local_time_zone() -> None:
    columns = [Column("amount", lambda r: r[0]), Column("when", lambda r: r[1])]
    rows = [(Decimal("1234.50"), local(2026, 12, 10, 9, 30))]

    sheet = load_workbook(io.BytesIO(workbook_bytes(rows, columns, title="t"))).active
    assert sheet is not None
    amount, when = sheet["A2"], sheet["B2"]
    assert amount.value == 1234.5 and amount.number_format == MONEY_FORMAT
    assert when.value == datetime(2026, 12, 10, 9, 30)  # noqa: DTZ001  (Shanghai, naive in Excel)
    assert when.number_format == DATETIME_FORMAT
    assert _csv(csv_bytes(rows, columns))[1] == ["1234.50", "2026-12-10 09:30"]


# --- the lists -----------------------------------------------------------------------


def test_customers_export_what_the_list_shows_within_the_team(
    org: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    mine = [CustomerFactory(owner=org["east_sales"], name=f"深圳客户{n}") for n in range(3)]
    ContactFactory(customer=mine[0], name="王经理", mobile="+8613800138000", is_primary=True)
    CustomerFactory(owner=org["east_sales"], name="广州客户")
    CustomerFactory(owner=org["south_sales"], name="深圳别队客户")

    client = login(org["east_sales"])
    with django_assert_max_num_queries(8):
        response = client.get("/customers/", {"q": "深圳", "export": "xlsx"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _sheet(response.content)
    assert rows[0][:3] == ("公司名称", "简称", "级别")  # the reader's language: Chinese
    names = {row[0] for row in rows[1:]}
    assert names == {"深圳客户0", "深圳客户1", "深圳客户2"}  # filtered, and not the south's
    first = next(row for row in rows if row[0] == "深圳客户0")
    assert "王经理" in first and "138 0013 8000" in first

    csv_rows = _csv(client.get("/customers/", {"q": "深圳", "export": "csv"}).content)
    assert {row[0] for row in csv_rows[1:]} == names


def test_a_role_without_the_list_cannot_export_it(org: dict[str, Any]) -> None:
    CustomerFactory(owner=org["east_sales"])
    assert login(org["driver"]).get("/customers/", {"export": "csv"}).status_code == 403
    assert login(org["driver"]).get("/visits/", {"export": "xlsx"}).status_code == 403


def test_an_unknown_format_shows_the_page(org: dict[str, Any]) -> None:
    response = login(org["east_sales"]).get("/customers/", {"export": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_visit_lists_export(org: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    host = org["east_sales"]
    host.language = "en"
    host.save(update_fields=["language"])
    visit = make_visit(actor=host, starts_at=local(2030, 3, 1, 10))
    make_visit(actor=org["south_sales"], starts_at=local(2030, 3, 2, 10))
    visit_services.request_create(
        actor=host, visit=visit, title="样品两套", due_date=local(2030, 3, 5).date()
    )
    client = login(host)

    with django_assert_max_num_queries(8):
        response = client.get("/visits/", {"period": "upcoming", "export": "csv"})
    rows = _csv(response.content)
    assert rows[0][:3] == ["customer", "level", "host"]
    assert [row[0] for row in rows[1:]] == [visit.customer.name]

    for path in ("/visits/requests/", "/visits/feedback/", "/visits/follow-ups/"):
        with django_assert_max_num_queries(8):
            response = client.get(path, {"export": "xlsx"})
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("application/vnd.openxml"), path
        assert _sheet(response.content)[0][0] == "customer", path
    requests = _sheet(client.get("/visits/requests/", {"export": "xlsx"}).content)
    assert [row[1] for row in requests[1:]] == ["样品两套"]


def test_the_board_exports_the_days_pickups(
    org: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    host = org["east_sales"]
    Station.objects.create(name="深圳宝安", kind="airport", travel_minutes=60)
    visit = make_ready_visit(actor=host)  # the flight lands on 2026-12-10 at 09:00
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    leg = visit.legs.get(direction="inbound")
    transfers.transfer_plan(
        actor=host,
        visit=visit,
        leg=leg,
        kind=transfers.kind_for_leg(leg),
        vehicle=car,
        driver=org["driver"],
    )
    client = login(org["reception"])

    with django_assert_max_num_queries(8):
        response = client.get("/logistics/", {"day": "2026-12-10", "export": "csv"})

    rows = _csv(response.content)
    assert rows[0][:2] == ["类型", "客户"]
    assert len(rows) == 2
    pickup = rows[1]
    assert pickup[0] == "接车" and pickup[1] == visit.customer.name
    assert "CA1831" in pickup and "粤B·12345" in pickup and "2026-12-10 09:00" in pickup
    other_day = client.get("/logistics/", {"day": "2026-12-12", "export": "csv"})
    assert len(_csv(other_day.content)) == 1  # the header only
    assert login(org["driver"]).get("/logistics/", {"export": "csv"}).status_code == 403
