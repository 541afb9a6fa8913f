from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import login
from tests.factories.spend import make_line
from visitflow.spend import services
from visitflow.spend.models import ActualSpend, LineStatus, SpendLine, SpendStandard

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _locs(response: Any) -> list[list[str]]:
    return [item["loc"] for item in response.json()["detail"]]


# --- Standards -------------------------------------------------------------------------


def test_standards_are_read_by_all_and_written_by_finance(spend: dict[str, Any]) -> None:
    listing = login(spend["driver"]).get("/api/spend/standards")
    assert listing.status_code == 200
    assert listing.json()["count"] == 3
    assert listing.json()["items"][0]["amount"] in ("300.00", "80.00", "450.00")
    body = {
        "level": "VIP",
        "category": "meal_banquet",
        "amount": "500.00",
        "valid_from": "2026-01-01",
    }
    assert _post(login(spend["east_manager"]), "/api/spend/standards", body).status_code == 403
    created = _post(login(spend["finance"]), "/api/spend/standards", body)
    assert created.status_code == 201
    assert created.json()["amount"] == "500.00"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"amount": "-1"}, ["body", "payload", "amount"]),
        ({"amount": 12.5}, ["body", "payload", "amount"]),
        ({"amount": "1.234"}, ["body", "payload", "amount"]),
        ({"level": "ZZZ"}, ["body", "level"]),
        ({"category": "champagne"}, ["body", "payload", "category"]),
        ({"room_type": "suite"}, ["body", "room_type"]),
        ({"valid_from": "2026-01-01"}, ["body", "valid_from"]),  # already exists for A
        ({"manager_max_over_percent": "-5"}, ["body", "payload", "manager_max_over_percent"]),
    ],
)
def test_bad_standards_are_refused(
    spend: dict[str, Any], body: dict[str, Any], loc: list[str]
) -> None:
    base = {
        "level": "A",
        "category": "meal_banquet",
        "amount": "320.00",
        "valid_from": "2027-01-01",
    }
    response = _post(login(spend["finance"]), "/api/spend/standards", {**base, **body})
    assert response.status_code == 422, response.content
    assert loc in _locs(response)
    assert SpendStandard.objects.count() == 3


# --- Lines -----------------------------------------------------------------------------


def test_plan_over_needs_a_reason_then_approval(spend: dict[str, Any]) -> None:
    visit = spend["visit"]
    client = login(spend["east_sales"])
    body = {
        "category": "meal_banquet",
        "date": "2026-12-10",
        "planned_amount": "1700.00",
        "guests": 3,
        "hosts": 2,
    }
    refused = _post(client, f"/api/visits/{visit.pk}/spend/lines", body)
    assert refused.status_code == 422
    assert ["body", "over_reason"] in _locs(refused)
    created = _post(client, f"/api/visits/{visit.pk}/spend/lines", {**body, "over_reason": "签约"})
    assert created.status_code == 201
    line = created.json()
    assert line["status"] == "pending"
    assert line["standard_amount"] == "1500.00"
    assert line["required_approver"] == "manager"
    own = _post(client, f"/api/spend/lines/{line['id']}/approve", {})
    assert own.status_code == 403  # a salesperson approves nothing
    approved = _post(login(spend["east_manager"]), f"/api/spend/lines/{line['id']}/approve", {})
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    budget = client.get(f"/api/visits/{visit.pk}/spend").json()
    assert budget["planned"] == "1700.00"
    assert budget["standard"] == "1500.00"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"planned_amount": "-1"}, ["body", "payload", "planned_amount"]),
        ({"planned_amount": 99.99}, ["body", "payload", "planned_amount"]),
        ({"planned_amount": "5000000"}, ["body", "planned_amount"]),
        ({"guests": 0, "hosts": 0}, ["body", "guests"]),
        ({"date": "2026-13-40"}, ["body", "payload", "date"]),
        ({"room_type": "suite"}, ["body", "room_type"]),
        ({"guests": -1}, ["body", "payload", "guests"]),
    ],
)
def test_bad_lines_are_refused(spend: dict[str, Any], body: dict[str, Any], loc: list[str]) -> None:
    base = {
        "category": "meal_lunch",
        "date": "2026-12-10",
        "planned_amount": "100.00",
        "guests": 1,
        "hosts": 1,
    }
    response = _post(
        login(spend["east_sales"]), f"/api/visits/{spend['visit'].pk}/spend/lines", {**base, **body}
    )
    assert response.status_code == 422, response.content
    assert loc in _locs(response)
    assert not SpendLine.objects.exists()


def test_patch_void_and_resubmit(spend: dict[str, Any]) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    client = login(spend["east_sales"])
    bad = client.patch(
        f"/api/spend/lines/{line.pk}", {"planned_amount": None}, content_type="application/json"
    )
    assert bad.status_code == 422
    over = client.patch(
        f"/api/spend/lines/{line.pk}",
        {"planned_amount": "1400.00"},
        content_type="application/json",
    )
    assert over.status_code == 422
    assert ["body", "over_reason"] in _locs(over)
    ok = client.patch(
        f"/api/spend/lines/{line.pk}",
        {"planned_amount": "1400.00", "over_reason": "加菜"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "pending"
    refused = _post(login(spend["east_manager"]), f"/api/spend/lines/{line.pk}/refuse", {})
    assert refused.status_code == 422
    assert ["body", "note"] in _locs(refused)
    assert (
        _post(
            login(spend["east_manager"]), f"/api/spend/lines/{line.pk}/refuse", {"note": "no"}
        ).json()["status"]
        == "refused"
    )
    assert _post(client, f"/api/spend/lines/{line.pk}/resubmit", {"reason": ""}).status_code == 422
    again = _post(client, f"/api/spend/lines/{line.pk}/resubmit", {"reason": "客户是大客户"})
    assert again.json()["status"] == "pending"
    assert _post(client, f"/api/spend/lines/{line.pk}/void", {"reason": ""}).status_code == 422
    voided = _post(client, f"/api/spend/lines/{line.pk}/void", {"reason": "取消"})
    assert voided.json()["status"] == "void"
    assert SpendLine.objects.filter(pk=line.pk).exists()


def test_a_manager_beyond_their_level_gets_a_clear_message(spend: dict[str, Any]) -> None:
    line = make_line(
        actor=spend["east_sales"], visit=spend["visit"], amount="2000.00", over_reason="x"
    )
    response = _post(login(spend["east_manager"]), f"/api/spend/lines/{line.pk}/approve", {})
    assert response.status_code == 422
    assert "too far over" in response.json()["detail"][0]["msg"]
    line.refresh_from_db()
    assert line.status == LineStatus.PENDING
    approvals = login(spend["director"]).get("/api/spend/approvals").json()
    assert [item["id"] for item in approvals["items"]] == [line.pk]
    assert login(spend["east_manager"]).get("/api/spend/approvals").json()["count"] == 0


# --- Actuals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"amount": "0"}, ["body", "payload", "amount"]),
        ({"amount": "-3"}, ["body", "payload", "amount"]),
        ({"amount": 10.1}, ["body", "payload", "amount"]),
        ({"currency": "USD"}, ["body", "exchange_rate"]),
        ({"currency": "U$D", "exchange_rate": "7"}, ["body", "currency"]),
        ({"payer": 999999}, ["body", "payer"]),
        ({"amount": "99999999"}, ["body", "amount"]),
    ],
)
def test_bad_actuals_are_refused(
    spend: dict[str, Any], body: dict[str, Any], loc: list[str]
) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    base = {"amount": "980.00", "payer": spend["east_sales"].pk, "paid_on": "2026-12-10"}
    response = _post(
        login(spend["east_sales"]), f"/api/spend/lines/{line.pk}/actuals", {**base, **body}
    )
    assert response.status_code == 422, response.content
    assert loc in _locs(response)
    assert not ActualSpend.objects.exists()


def test_actual_receipt_confirm_and_void(spend: dict[str, Any]) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"])
    client = login(spend["east_sales"])
    created = _post(
        client,
        f"/api/spend/lines/{line.pk}/actuals",
        {
            "amount": "100.00",
            "currency": "USD",
            "exchange_rate": "7.1",
            "payer": spend["east_sales"].pk,
            "paid_on": "2026-12-10",
        },
    )
    assert created.status_code == 201
    actual_id = created.json()["id"]
    assert created.json()["amount_cny"] == "710.00"
    bad = client.post(
        f"/api/spend/actuals/{actual_id}/receipt",
        {"receipt": SimpleUploadedFile("x.png", b"GIF89a not allowed")},
    )
    assert bad.status_code == 422
    assert ["body", "receipt"] in _locs(bad)
    good = client.post(
        f"/api/spend/actuals/{actual_id}/receipt", {"receipt": SimpleUploadedFile("x.bin", PNG)}
    )
    assert good.status_code == 200
    assert good.json()["has_receipt"] is True
    download = client.get(f"/api/spend/actuals/{actual_id}/receipt")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert (
        login(spend["south_sales"]).get(f"/api/spend/actuals/{actual_id}/receipt").status_code
        == 404
    )
    assert _post(client, f"/api/spend/actuals/{actual_id}/confirm", {}).status_code == 403
    assert (
        _post(login(spend["finance"]), f"/api/spend/actuals/{actual_id}/confirm", {}).status_code
        == 200
    )
    void = _post(client, f"/api/spend/actuals/{actual_id}/void", {"reason": "错"})
    assert void.status_code == 422


def test_report_data_adds_up(spend: dict[str, Any]) -> None:
    line = make_line(actor=spend["east_sales"], visit=spend["visit"], amount="1000.10")
    make_line(actor=spend["east_sales"], visit=spend["visit"], amount="1300.20", over_reason="x")
    services.actual_record(
        actor=spend["east_sales"],
        line=line,
        amount="999.99",
        payer=spend["east_sales"],
        paid_on=date(2026, 12, 10),
    )
    for group in ("visit", "customer", "salesperson", "team", "month"):
        data = login(spend["east_manager"]).get(f"/api/spend/report?group={group}").json()
        assert data["planned"] == "2300.30"
        assert sum(Decimal(r["planned"]) for r in data["rows"]) == Decimal("2300.30"), group
        assert sum(Decimal(r["actual"]) for r in data["rows"]) == Decimal("999.99"), group
        assert data["within_rate"] == 50
    bad = login(spend["finance"]).get("/api/spend/report?group=planet")
    assert bad.status_code == 422
    assert login(spend["south_sales"]).get("/api/spend/report").json()["lines"] == 0
