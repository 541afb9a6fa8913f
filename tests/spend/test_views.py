from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.conftest import login
from tests.factories.spend import make_line
from visitflow.spend import services
from visitflow.spend.models import ActualSpend, LineStatus, SpendLine, SpendStandard

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


def _banquet(**extra: Any) -> dict[str, Any]:
    return {
        "category": "meal_banquet",
        "date": "2026-12-10",
        "venue": "海上皇宫",
        "guests": "3",
        "hosts": "2",
        "planned_amount": "1700.00",
        **extra,
    }


def test_over_without_reason_keeps_what_was_typed(spend: dict[str, Any]) -> None:
    client = login(spend["east_sales"])
    url = f"/spend/visit/{spend['visit'].pk}/plan/meal/"
    assert client.get(url).status_code == 200
    response = client.post(url, _banquet())
    assert response.status_code == 422
    html = response.content.decode()
    assert "give a reason for the approver" in html
    assert "海上皇宫" in html and "1700.00" in html
    assert 'data-testid="standard-preview"' in html
    assert not SpendLine.objects.exists()


def test_over_with_reason_goes_for_approval(spend: dict[str, Any]) -> None:
    client = login(spend["east_sales"])
    visit = spend["visit"]
    response = client.post(f"/spend/visit/{visit.pk}/plan/meal/", _banquet(over_reason="签约宴请"))
    assert response.status_code == 302
    line = SpendLine.objects.get()
    assert line.status == LineStatus.PENDING
    assert line.standard_amount == Decimal("1500.00")
    page = client.get(f"/spend/visit/{visit.pk}/").content.decode()
    assert "签约宴请" in page and "¥1,700.00" in page


def test_the_preview_shows_the_standard_as_one_types(spend: dict[str, Any]) -> None:
    client = login(spend["east_sales"])
    response = client.post(
        f"/spend/visit/{spend['visit'].pk}/plan/meal/",
        {**_banquet(planned_amount="1000"), "preview": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "¥1,500.00" in html and "Within the standard." in html
    assert not SpendLine.objects.exists()


def test_lodging_is_planned_by_rate(spend: dict[str, Any]) -> None:
    client = login(spend["east_sales"])
    response = client.post(
        f"/spend/visit/{spend['visit'].pk}/plan/lodging/",
        {
            "date": "2026-12-10",
            "venue": "希尔顿",
            "room_type": "",
            "nights": "2",
            "rooms": "3",
            "planned_rate": "450.00",
        },
    )
    assert response.status_code == 302
    line = SpendLine.objects.get()
    assert line.planned_amount == Decimal("2700.00")
    assert line.status == LineStatus.WITHIN


def test_manager_approves_from_the_approvals_page(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="1300.00", over_reason="x"
    )
    manager = login(spend["east_manager"])
    page = manager.get("/spend/approvals/").content.decode()
    assert f"#line-{line.pk}" in page
    response = manager.post(f"/spend/lines/{line.pk}/approve/", {"next": "approvals"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == LineStatus.APPROVED
    # Nothing else waits; the salesperson cannot approve at all.
    assert login(spend["east_sales"]).get("/spend/approvals/").status_code == 403


def test_the_wrong_approver_is_refused(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="2000.00", over_reason="x"
    )
    response = login(spend["east_manager"]).post(f"/spend/lines/{line.pk}/approve/")
    assert response.status_code == 403
    response = login(spend["south_manager"]).post(f"/spend/lines/{line.pk}/approve/")
    assert response.status_code == 404
    line.refresh_from_db()
    assert line.status == LineStatus.PENDING


def test_approvals_list_query_count(
    spend: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for n in range(8):
        make_line(
            actor=spend["east_sales"],
            visit=spend["visit"],
            amount=f"{2000 + n}.00",
            over_reason=f"原因{n}",
        )
    client = login(spend["director"])
    client.get("/spend/approvals/")
    with django_assert_max_num_queries(12):
        response = client.get("/spend/approvals/")
    assert response.content.decode().count('data-testid="approval-row"') == 8


# --- Receipts --------------------------------------------------------------------------


def _record(client: Any, line: SpendLine, payer: Any, receipt: Any, **extra: Any) -> Any:
    data = {
        "amount": "980.00",
        "currency": "CNY",
        "payer": str(payer.pk),
        "paid_on": "2026-12-10",
        "deviation_note": "少一位客人",
        **extra,
    }
    if receipt is not None:
        data["receipt"] = receipt
    return client.post(f"/spend/lines/{line.pk}/actual/", data)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", b"MZ\x90\x00 this is an exe", "photo (JPEG, PNG, WebP) or a PDF"),
        ("photo.jpg", b"<html><script>alert(1)</script></html>", "photo (JPEG, PNG, WebP)"),
        ("empty.png", b"", "empty"),
    ],
)
def test_bad_receipts_are_refused(
    spend: dict[str, Any], name: str, content: bytes, message: str
) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    client = login(spend["east_sales"])
    response = _record(client, line, spend["east_sales"], SimpleUploadedFile(name, content))
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert "少一位客人" in html  # nothing typed is lost
    assert not ActualSpend.objects.exists()


def test_a_receipt_too_large_is_refused(spend: dict[str, Any], settings: Any) -> None:
    settings.SPEND_RECEIPT_MAX_BYTES = 100
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    response = _record(
        login(spend["east_sales"]),
        line,
        spend["east_sales"],
        SimpleUploadedFile("big.png", PNG + b"\x00" * 200),
    )
    assert response.status_code == 422
    assert "at most 100" in response.content.decode()


def test_foreign_currency_without_rate_is_refused(spend: dict[str, Any]) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    response = _record(login(spend["east_sales"]), line, spend["east_sales"], None, currency="USD")
    assert response.status_code == 422
    assert "needs its rate to CNY" in response.content.decode()


def test_receipt_is_stored_privately_and_downloaded_only_by_those_who_may(
    spend: dict[str, Any], _receipts: Path
) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    client = login(spend["east_sales"])
    response = _record(
        client, line, spend["east_sales"], SimpleUploadedFile("../../etc/发票.pdf", PDF)
    )
    assert response.status_code == 302
    actual = ActualSpend.objects.get()
    assert actual.receipt_content_type == "application/pdf"
    assert "发票" not in actual.receipt.name and ".." not in actual.receipt.name
    assert actual.receipt.name.endswith(".pdf")
    assert (Path(_receipts) / actual.receipt.name).read_bytes() == PDF
    url = f"/spend/actuals/{actual.pk}/receipt/"
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf"
    for name, status in [
        ("east_manager", 200),
        ("finance", 200),
        ("south_sales", 404),
        ("east_sales2", 404),
        ("reception", 403),
        ("driver", 403),
    ]:
        assert login(spend[name]).get(url).status_code == status, name


# --- Finance ---------------------------------------------------------------------------


def test_finance_sets_a_standard_and_others_may_not(spend: dict[str, Any]) -> None:
    data = {
        "level": str(spend["banquet"].level_id),
        "category": "meal_banquet",
        "room_type": "",
        "amount": "350.00",
        "valid_from": "2027-01-01",
        "manager_max_over_percent": "15",
    }
    assert login(spend["east_manager"]).post("/spend/standards/", data).status_code == 403
    response = login(spend["finance"]).post("/spend/standards/", data)
    assert response.status_code == 302
    assert SpendStandard.objects.filter(amount=Decimal("350.00")).exists()
    again = login(spend["finance"]).post("/spend/standards/", {**data, "amount": "-1"})
    assert again.status_code == 422
    assert login(spend["east_sales"]).get("/spend/standards/").status_code == 200


def test_finance_confirms_and_exports(spend: dict[str, Any]) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    actual = services.actual_record(
        actor=spend["east_sales"],
        line=line,
        amount="980.50",
        payer=spend["east_sales"],
        paid_on=date(2026, 12, 10),
    )
    finance = login(spend["finance"])
    assert "980.50" in finance.get("/spend/confirm/").content.decode()
    export = finance.get("/spend/confirm/export/")
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet is not None
    row = list(sheet[2])
    assert row[0].number_format == "yyyy-mm-dd"
    assert row[10].value == pytest.approx(980.5)
    assert row[10].number_format == "#,##0.00"
    assert row[8].value == "CNY" and row[9].value is None  # no rate needed for CNY
    text = finance.get("/spend/confirm/export/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "980.50" in text.splitlines()[1]
    assert finance.post(f"/spend/actuals/{actual.pk}/confirm/").status_code == 302
    actual.refresh_from_db()
    assert actual.confirmed_by == spend["finance"]
    assert login(spend["director"]).get("/spend/confirm/").status_code == 403


def test_reports_add_up_to_the_lines(spend: dict[str, Any]) -> None:
    make_line(actor=spend["east_sales"], visit=spend["visit"], amount="1000.10")
    over = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="1300.20", over_reason="大客户"
    )
    services.actual_record(
        actor=spend["east_sales"],
        line=over,
        amount="1299.99",
        payer=spend["east_sales"],
        paid_on=date(2026, 12, 10),
    )
    client = login(spend["finance"])
    html = client.get("/spend/").content.decode()
    assert "¥2,300.30" in html and "¥1,299.99" in html and "大客户" in html
    assert "50%" in html  # one of two lines within the standard
    export = client.get("/spend/report.xlsx")
    book = load_workbook(BytesIO(export.content))
    total = book.worksheets[0]
    assert Decimal(str(total["A2"].value)) == Decimal("2300.30")
    for sheet in book.worksheets[1:]:
        planned = sum(Decimal(str(r[1].value)) for r in sheet.iter_rows(min_row=2))
        assert planned == Decimal("2300.30"), sheet.title
    # The salesperson of another team sees none of it.
    other = login(spend["south_sales"]).get("/spend/").content.decode()
    assert "¥2,300.30" not in other


def test_the_visit_page_shows_the_budget_only_to_those_who_may(spend: dict[str, Any]) -> None:
    make_line(actor=spend["east_sales"], visit=spend["visit"], amount="1000.00")
    url = f"/visits/{spend['visit'].pk}/"
    assert 'data-testid="visit-budget"' in login(spend["east_sales"]).get(url).content.decode()
    reception = login(spend["reception"]).get(url)
    assert reception.status_code == 200
    assert 'data-testid="visit-budget"' not in reception.content.decode()
    nav = login(spend["reception"]).get("/").content.decode()
    assert 'data-testid="nav-spend"' not in nav
    assert 'data-testid="nav-spend"' in login(spend["east_sales"]).get(url).content.decode()


def test_changing_a_line_judges_it_again(spend: dict[str, Any]) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"], amount="1000.00")
    client = login(spend["east_sales"])
    url = f"/spend/lines/{line.pk}/edit/"
    page = client.get(url).content.decode()
    assert "1000.00" in page
    refused = client.post(url, _banquet(planned_amount="1300.00", guests="2", hosts="2"))
    assert refused.status_code == 422
    assert "1300.00" in refused.content.decode()
    ok = client.post(
        url, _banquet(planned_amount="1300.00", guests="2", hosts="2", over_reason="加菜")
    )
    assert ok.status_code == 302
    line.refresh_from_db()
    assert line.status == LineStatus.PENDING
    assert line.planned_amount == Decimal("1300.00")
    hotel = client.post(url, {**_banquet(), "category": "hotel_night"})
    assert hotel.status_code == 422
    assert login(spend["south_sales"]).get(url).status_code == 404
    assert login(spend["finance"]).get(url).status_code == 403


def test_the_visit_spend_page_query_count_is_constant(
    spend: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    visit = spend["visit"]
    client = login(spend["east_sales"])

    def add(n: int) -> None:
        for _ in range(n):
            line = make_line(actor=spend["east_sales"], visit=visit, amount="900.00")
            services.actual_record(
                actor=spend["east_sales"],
                line=line,
                amount="880.00",
                payer=spend["east_sales"],
                paid_on=date(2026, 12, 10),
            )

    add(2)
    client.get(f"/spend/visit/{visit.pk}/")
    with django_assert_max_num_queries(20) as small:
        client.get(f"/spend/visit/{visit.pk}/")
    add(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/spend/visit/{visit.pk}/")
    assert response.content.decode().count('data-testid="spend-line"') == 8


def test_confirm_and_report_pages_query_counts(
    spend: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        line = make_line(actor=spend["east_sales"], visit=spend["visit"], amount=f"{900 + n}.00")
        services.actual_record(
            actor=spend["east_sales"],
            line=line,
            amount="880.00",
            payer=spend["east_sales"],
            paid_on=date(2026, 12, 10),
        )
    client = login(spend["finance"])
    client.get("/spend/confirm/")
    with django_assert_max_num_queries(10):
        response = client.get("/spend/confirm/")
    assert response.content.decode().count('data-testid="confirm-row"') == 6
    with django_assert_max_num_queries(20):
        assert client.get("/spend/").status_code == 200


def test_change_a_standard_from_its_row(spend: dict[str, Any]) -> None:
    client = login(spend["finance"])
    banquet = spend["banquet"]
    page = client.get(f"/spend/standards/?from={banquet.pk}").content.decode()
    assert 'value="300.00"' in page
    data = {
        "level": str(banquet.level_id),
        "category": "meal_banquet",
        "room_type": "",
        "amount": "360.00",
        "valid_from": "2026-06-01",
        "manager_max_over_percent": "20",
    }
    assert client.post("/spend/standards/", data).status_code == 302
    old_line_standard = services.standard_in_force(
        level=banquet.level_id, category="meal_banquet", on=date(2026, 5, 31)
    )
    assert old_line_standard == banquet
    from visitflow.core.models import ActivityLog

    log = ActivityLog.objects.get(action="spend.standard_changed")
    assert log.changes["amount"] == ["300.00", "360.00"]
    # Someone else's ?from= shows the list without the form.
    assert (
        'data-testid="standard-form"'
        not in login(spend["east_sales"])
        .get(f"/spend/standards/?from={banquet.pk}")
        .content.decode()
    )
