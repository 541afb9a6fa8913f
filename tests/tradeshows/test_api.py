from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from freezegun import freeze_time

from tests.conftest import login
from tests.factories.tradeshows import make_contact, make_invitations, make_show
from visitflow.tradeshows.models import (
    BoothVisit,
    Invitation,
    InvitationStatus,
    Lead,
    LeadStatus,
    TradeShow,
)
from visitflow.tradeshows.services import booth
from visitflow.tradeshows.services.checklist import checklist_create_from_template

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with freeze_time(datetime(2026, 12, 1, 10, tzinfo=SHANGHAI)):
        yield


def post(client: Client, url: str, data: Any = None) -> Any:
    return client.post(url, data if data is not None else {}, content_type="application/json")


def locs(response: Any) -> list[list[str]]:
    return [item["loc"] for item in response.json()["detail"]]


@pytest.fixture
def show(org: dict[str, Any]) -> TradeShow:
    return make_show(actor=org["east_manager"], team=[org["east_sales2"]])


@pytest.fixture
def invited(org: dict[str, Any], show: TradeShow) -> Invitation:
    return make_invitations(show, org["east_sales"], [make_contact(org["east_sales"])])[0]


def test_shows_list_create_and_bad_input(org: dict[str, Any], show: TradeShow) -> None:
    manager = login(org["east_manager"])
    body = manager.get("/api/tradeshows").json()
    assert body["count"] == 1 and body["items"][0]["booth_number"] == "E3-A21"
    created = post(
        manager,
        "/api/tradeshows",
        {
            "name": "广交会",
            "venue": "琶洲",
            "city": "广州",
            "starts_on": "2026-10-15",
            "ends_on": "2026-10-19",
            "booth_number": "11.2F05",
            "team": [org["east_sales"].pk],
        },
    )
    assert created.status_code == 201
    assert set(TradeShow.objects.get(name="广交会").team.all()) == {org["east_sales"]}
    backwards = post(
        manager,
        "/api/tradeshows",
        {
            "name": "X",
            "venue": "Y",
            "city": "Z",
            "starts_on": "2026-10-15",
            "ends_on": "2026-10-14",
            "booth_number": "1",
        },
    )
    assert backwards.status_code == 422
    assert ["body", "ends_on"] in locs(backwards)
    assert post(manager, "/api/tradeshows", {"name": ""}).status_code == 422
    assert post(manager, "/api/tradeshows", []).status_code == 422
    driver_team = post(
        manager,
        "/api/tradeshows",
        {
            "name": "X",
            "venue": "Y",
            "city": "Z",
            "starts_on": "2026-10-15",
            "ends_on": "2026-10-15",
            "booth_number": "1",
            "team": [org["driver"].pk],
        },
    )
    assert driver_team.status_code == 422
    valid = {
        "name": "X",
        "venue": "Y",
        "city": "Z",
        "starts_on": "2026-10-15",
        "ends_on": "2026-10-15",
        "booth_number": "1",
    }
    assert post(login(org["east_sales"]), "/api/tradeshows", valid).status_code == 403
    assert login(org["driver"]).get("/api/tradeshows").status_code == 403
    assert manager.get("/api/tradeshows/999999").status_code == 404
    assert manager.get("/api/tradeshows/0").status_code == 422


def test_invitations_rsvp_state_and_calls(org: dict[str, Any], show: TradeShow) -> None:
    mine = make_contact(org["east_sales"])
    theirs = make_contact(org["south_sales"])
    client = login(org["east_sales"])
    url = f"/api/tradeshows/{show.pk}/invitations"
    foreign = post(client, url, {"contacts": [mine.pk, theirs.pk]})
    assert foreign.status_code == 422
    assert ["body", "contacts"] in locs(foreign)
    assert post(client, url, {"contacts": []}).status_code == 422
    assert post(client, url, {"contacts": [0]}).status_code == 422
    created = post(client, url, {"contacts": [mine.pk]})
    assert created.status_code == 201
    [item] = created.json()
    assert item["status"] == "invited" and item["rsvp_day"] is None
    assert "token" not in item
    call_url = f"/api/tradeshows/invitations/{item['id']}/calls"
    assert post(client, call_url, {"outcome": "maybe"}).status_code == 422
    again = post(client, call_url, {"outcome": "call_again"})
    assert again.status_code == 422 and ["body", "call_again_at"] in locs(again)
    done = post(client, call_url, {"outcome": "will_come", "note": "确认收到"})
    assert done.status_code == 201
    assert done.json()["status"] == "confirmed"
    assert done.json()["calls"][0]["outcome"] == "will_come"
    listed = client.get(f"{url}?not_confirmed=true").json()
    assert listed["count"] == 0
    assert client.get(f"{url}?status=nonsense").status_code == 422
    other = login(org["south_sales"])
    assert other.get(f"/api/tradeshows/invitations/{item['id']}").status_code == 404
    assert post(other, call_url, {"outcome": "reached"}).status_code == 404
    assert client.get("/api/tradeshows/invitations/0").status_code == 422
    assert client.get("/api/tradeshows/invitations/999999").status_code == 404
    assert client.get(f"/api/tradeshows/{show.pk}/invitations?page_size=100000").status_code == 422
    reader = login(org["reception"])
    assert reader.get(f"/api/tradeshows/invitations/{item['id']}").status_code == 200
    assert post(reader, call_url, {"outcome": "reached"}).status_code == 403
    assert post(reader, url, {"contacts": [mine.pk]}).status_code == 403


def test_checklist_through_the_api(org: dict[str, Any], show: TradeShow) -> None:
    checklist_create_from_template(actor=org["east_manager"], show=show)
    staff = login(org["east_sales2"])
    items = staff.get(f"/api/tradeshows/{show.pk}/checklist").json()
    chairs = next(i for i in items if i["name"] == "椅子")
    moved = post(staff, f"/api/tradeshows/{show.pk}/checklist/{chairs['id']}/advance")
    assert moved.status_code == 200 and moved.json()["state"] == "packed"
    bad = post(
        staff,
        f"/api/tradeshows/{show.pk}/checklist/{chairs['id']}/advance",
        {"returned_quantity": -1},
    )
    assert bad.status_code == 422
    assert post(staff, f"/api/tradeshows/{show.pk}/checklist/999999/advance").status_code == 404
    outsider = login(org["east_sales"])
    assert outsider.get(f"/api/tradeshows/{show.pk}/checklist").status_code == 403


def test_check_in_by_code_and_rate_limit(
    org: dict[str, Any], show: TradeShow, invited: Invitation, settings: Any
) -> None:
    settings.TRADESHOW_CHECKIN_RATE_LIMIT = (2, 600)
    staff = login(org["east_sales2"])
    url = f"/api/tradeshows/{show.pk}/check-in"
    assert post(staff, url, {"code": ""}).status_code == 422
    assert post(staff, url, {}).status_code == 422
    assert post(login(org["east_sales"]), url, {"code": invited.code}).status_code == 403
    ok = post(staff, url, {"code": invited.code})
    assert ok.status_code == 201
    assert ok.json()["greet_first"] is True
    invited.refresh_from_db()
    assert invited.status == InvitationStatus.CAME
    twice = post(staff, url, {"code": invited.code})
    assert twice.status_code == 422
    for _n in range(2):
        wrong = post(staff, url, {"code": "NOPE2345"})
        assert wrong.status_code == 422 and ["body", "code"] in locs(wrong)
    assert post(staff, url, {"code": "NOPE2346"}).status_code == 429
    assert BoothVisit.objects.count() == 1


def test_leads_from_fields_card_and_assignment(org: dict[str, Any], show: TradeShow) -> None:
    staff = login(org["east_sales2"])
    url = f"/api/tradeshows/{show.pk}/leads"
    assert post(staff, url, {"title": "经理"}).status_code == 422
    bad_mobile = post(staff, url, {"name": "A", "mobile": "123"})
    assert bad_mobile.status_code == 422 and ["body", "mobile"] in locs(bad_mobile)
    assert post(staff, url, {"name": "A", "grade": "Z"}).status_code == 422
    assert post(staff, url, {"name": "x" * 101}).status_code == 422
    created = post(staff, url, {"name": "杨帆", "company": "帆船贸易", "grade": "A"})
    assert created.status_code == 201
    lead_id = created.json()["id"]
    not_image = staff.post(
        f"{url}/from-card",
        {"card": SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")},
    )
    assert not_image.status_code == 422
    assert ["body", "card"] in locs(not_image)
    assert staff.post(f"{url}/from-card", {}).status_code == 422
    assert staff.get(url).json()["count"] == 1
    assert staff.get(f"{url}?page=0").status_code == 422
    assert staff.get("/api/tradeshows/0/leads").status_code == 422
    manager = login(org["east_manager"])
    assign_url = f"/api/tradeshows/leads/{lead_id}/assign"
    assert post(manager, assign_url, {"owner": org["driver"].pk}).status_code == 422
    assert post(manager, assign_url, {"owner": 0}).status_code == 422
    assert post(staff, assign_url, {"owner": org["east_sales"].pk}).status_code == 403
    done = post(manager, assign_url, {"owner": org["east_sales"].pk})
    assert done.status_code == 200
    assert done.json()["status"] == LeadStatus.ASSIGNED
    booth.lead_capture(actor=org["east_sales2"], show=show, data={"name": "无主"})
    auto = post(manager, f"/api/tradeshows/{show.pk}/leads/assign")
    assert auto.status_code == 200 and auto.json() == {"assigned": 1}
    assert Lead.objects.filter(owner__isnull=True).count() == 0
    assert post(staff, f"/api/tradeshows/{show.pk}/leads/assign").status_code == 403
