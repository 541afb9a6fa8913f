"""API: pickups and see-offs, leader meetings and gift issues (issue 4, "API")."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from tests.api.conftest import locs, post
from tests.conftest import login
from tests.factories.visits import local, make_ready_visit
from visitflow.logistics.models import (
    Booking,
    BookingStatus,
    CustomerMessage,
    GiftItem,
    LeaderMeeting,
    Room,
    Station,
    Transfer,
    TransferState,
    Vehicle,
)
from visitflow.visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def airport(db: object) -> Station:
    return Station.objects.create(
        name="深圳宝安",
        name_en="Shenzhen Bao'an Airport",
        kind="airport",
        travel_minutes=60,
        no_car_advice="乘地铁11号线到车公庙",
        no_car_advice_en="Take Metro Line 11 to Chegongmiao",
    )


@pytest.fixture
def van(db: object) -> Vehicle:
    return Vehicle.objects.create(plate="粤B·12345", model_name="别克GL8", seats=7)


@pytest.fixture
def visit(org: dict[str, Any], airport: Station) -> Visit:
    # Flight CA1831 lands at 深圳宝安 at 09:00 on 2026-12-10.
    return make_ready_visit(actor=org["east_sales"])


def inbound_id(visit: Visit) -> int:
    return visit.legs.get(direction="inbound").pk


def plan(client: Client, visit: Visit, **body: Any) -> Any:
    return post(client, "/api/transfers", {"leg": inbound_id(visit), **body})


# --- Transfers -----------------------------------------------------------------------------


def test_transfer_options_list_free_cars_with_enough_seats(
    org: dict[str, Any], visit: Visit, van: Vehicle
) -> None:
    Vehicle.objects.create(plate="粤B·D12345", seats=2)  # too small for two visitors + escort
    response = login(org["east_sales"]).get(f"/api/legs/{inbound_id(visit)}/transfer-options")
    assert response.status_code == 200
    data = response.json()
    assert data["kind"] == "pickup"
    assert data["station"]["name"] == "深圳宝安"
    assert data["seats_needed"] == 3
    assert [car["plate"] for car in data["free_vehicles"]] == ["粤B·12345"]
    assert data["leaves_at"].startswith("2026-12-09T23:30")  # 07:30 in Shanghai
    assert data["no_car_advice"] == "乘地铁11号线到车公庙"


def test_plan_a_pickup_with_a_car_then_the_same_car_clashes(
    org: dict[str, Any], visit: Visit, van: Vehicle
) -> None:
    client = login(org["east_sales"])
    response = plan(client, visit, vehicle=van.pk, meeting_point="到达大厅B出口")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == "planned"
    assert data["vehicle"]["plate"] == "粤B·12345"
    assert data["escort"]["id"] == org["east_sales"].pk
    assert data["flight_or_train"] == "CA1831"
    assert data["next_states"] == ["cancelled", "customer_told"]

    # Another visit landing at the same time wants the same car: 409 naming the booking.
    other = make_ready_visit(actor=org["east_sales2"])
    response = plan(login(org["east_sales2"]), other, vehicle=van.pk)
    assert response.status_code == 409
    body = response.json()
    booking = Booking.objects.get(vehicle=van, status=BookingStatus.ACTIVE)
    assert body["conflict_with"] == booking.pk
    assert "粤B·12345" in body["detail"]
    assert not Transfer.objects.filter(visit=other).exists()


def test_plan_without_a_car_records_no_company_car(org: dict[str, Any], visit: Visit) -> None:
    response = plan(login(org["east_sales"]), visit)
    assert response.status_code == 201
    assert response.json()["no_car"] is True
    assert response.json()["vehicle"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"vehicle": 999999}, "vehicle"),
        ({"driver": 999999}, "driver"),
        ({"station": 999999}, "station"),
        ({"escort": 999999}, "escort"),
        ({"meeting_point": "x" * 201}, "meeting_point"),
        ({"leg": 0}, "leg"),
        ({"leg": "abc"}, "leg"),
    ],
)
def test_plan_bad_input_is_422_naming_the_field(
    org: dict[str, Any], visit: Visit, body: dict[str, Any], field: str
) -> None:
    response = plan(login(org["east_sales"]), visit, **body)
    assert response.status_code == 422, response.content
    assert field in {loc[-1] for loc in locs(response)}


def test_plan_rules_come_back_in_the_callers_language(
    org: dict[str, Any], visit: Visit, van: Vehicle
) -> None:
    client = login(org["east_sales"])
    # Another escort needs a reason (SOP 5.1).
    response = plan(client, visit, escort=org["east_sales2"].pk)
    assert response.status_code == 422
    assert ["body", "escort_reason"] in locs(response)
    assert "本人" in response.json()["detail"][0]["msg"]  # Chinese by default

    small = Vehicle.objects.create(plate="粤B·D54321", seats=2)
    response = client.post(
        "/api/transfers",
        {"leg": inbound_id(visit), "vehicle": small.pk},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert ["body", "vehicle"] in locs(response)

    # A driver without a car.
    response = plan(client, visit, driver=org["driver"].pk)
    assert response.status_code == 422
    assert ["body", "driver"] in locs(response)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("east_sales", 201),
        ("east_manager", 201),
        ("reception", 201),
        ("admin", 201),
        ("east_sales2", 404),  # a colleague does not see another's customer
        ("south_sales", 404),
        ("driver", 404),
        ("finance", 403),  # sees the visit, does not run it
    ],
)
def test_who_may_plan(org: dict[str, Any], visit: Visit, role: str, status: int) -> None:
    assert plan(login(org[role]), visit).status_code == status


@pytest.fixture
def pickup(org: dict[str, Any], visit: Visit, van: Vehicle) -> Transfer:
    response = plan(login(org["east_sales"]), visit, vehicle=van.pk, driver=org["driver"].pk)
    assert response.status_code == 201
    return Transfer.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("east_sales", 200),
        ("east_manager", 200),
        ("reception", 200),
        ("driver", 200),
        ("south_sales", 404),
        ("south_manager", 404),
    ],
)
def test_who_sees_a_transfer(org: dict[str, Any], pickup: Transfer, role: str, status: int) -> None:
    client = login(org[role])
    assert client.get(f"/api/transfers/{pickup.pk}").status_code == status
    listed = [t["id"] for t in client.get("/api/transfers").json()["items"]]
    assert (pickup.pk in listed) == (status == 200)


def test_another_driver_sees_nothing(org: dict[str, Any], pickup: Transfer) -> None:
    from tests.factories.people import make_user
    from visitflow.accounts.models import Role

    other = login(make_user(role=Role.DRIVER))
    assert other.get(f"/api/transfers/{pickup.pk}").status_code == 404
    assert other.get("/api/transfers").json()["items"] == []
    assert other.get("/api/transfers?mine=true").json()["items"] == []


def test_the_driver_lists_their_trips_of_the_day(org: dict[str, Any], pickup: Transfer) -> None:
    client = login(org["driver"])
    trips = client.get("/api/transfers?mine=true&day=2026-12-10").json()["items"]
    assert [t["id"] for t in trips] == [pickup.pk]
    assert trips[0]["escort"]["mobile"] == org["east_sales"].mobile_display
    assert client.get("/api/transfers?mine=true&day=2026-12-11").json()["items"] == []


def test_escort_tells_the_customer_and_moves_the_transfer_to_met(
    org: dict[str, Any], pickup: Transfer
) -> None:
    client = login(org["east_sales"])
    text = client.get(f"/api/transfers/{pickup.pk}/message-text").json()["text"]
    assert "粤B·12345" in text
    response = post(client, f"/api/transfers/{pickup.pk}/messages", {"channel": "wechat"})
    assert response.status_code == 201, response.content
    assert response.json()["text"] == text
    assert CustomerMessage.objects.get(transfer=pickup).sent_by == org["east_sales"]
    for state in ("on_the_way", "met"):
        response = post(client, f"/api/transfers/{pickup.pk}/state", {"state": state})
        assert response.status_code == 200, response.content
        assert response.json()["state"] == state
    pickup.refresh_from_db()
    assert pickup.state == TransferState.MET


def test_driver_may_move_but_not_skip_states(org: dict[str, Any], pickup: Transfer) -> None:
    client = login(org["driver"])
    response = post(client, f"/api/transfers/{pickup.pk}/state", {"state": "met"})
    assert response.status_code == 422  # planned → met skips "on the way"
    response = post(client, f"/api/transfers/{pickup.pk}/state", {"state": "flying"})
    assert response.status_code == 422
    assert "state" in {loc[-1] for loc in locs(response)}


def test_a_viewer_may_not_move_it(org: dict[str, Any], pickup: Transfer) -> None:
    client = login(org["finance"])  # sees every visit, runs none
    assert client.get(f"/api/transfers/{pickup.pk}").status_code == 200
    response = post(client, f"/api/transfers/{pickup.pk}/state", {"state": "cancelled"})
    assert response.status_code == 403
    response = post(client, f"/api/transfers/{pickup.pk}/messages", {"channel": "sms"})
    assert response.status_code == 403


def test_cancel_releases_the_bookings(org: dict[str, Any], pickup: Transfer) -> None:
    response = post(
        login(org["reception"]), f"/api/transfers/{pickup.pk}/state", {"state": "cancelled"}
    )
    assert response.status_code == 200
    assert not Booking.objects.filter(transfer=pickup, status=BookingStatus.ACTIVE).exists()


def test_message_bad_input(org: dict[str, Any], pickup: Transfer) -> None:
    client = login(org["east_sales"])
    url = f"/api/transfers/{pickup.pk}/messages"
    assert post(client, url, {"channel": "pigeon"}).status_code == 422
    assert post(client, url, {"channel": "sms", "text": "x" * 2001}).status_code == 422
    assert post(client, url, {"channel": "sms", "language": "fr"}).status_code == 422


def test_transfer_list_query_count(
    org: dict[str, Any], pickup: Transfer, django_assert_max_num_queries: Any
) -> None:
    client = login(org["reception"])
    for _ in range(3):
        make_ready_visit(actor=org["east_sales"])
    with django_assert_max_num_queries(8):
        assert client.get("/api/transfers").status_code == 200


# --- Leader meetings -----------------------------------------------------------------------


@pytest.fixture
def meeting_room(db: object) -> Room:
    return Room.objects.create(name="第一会议室", kind="meeting", capacity=10)


def request_meeting(client: Client, visit: Visit, leader: Any, **body: Any) -> Any:
    return post(
        client,
        "/api/leader-meetings",
        {
            "visit": visit.pk,
            "leader": leader.pk,
            "starts_at": "2026-12-10T15:00:00+08:00",
            "ends_at": "2026-12-10T15:30:00+08:00",
            **body,
        },
    )


def test_recommendation_is_shown(org: dict[str, Any], visit: Visit) -> None:
    data = login(org["east_sales"]).get(f"/api/visits/{visit.pk}/leader-recommendation").json()
    assert data["visit_id"] == visit.pk
    assert data["leader_level"] in {"none", "director", "general_manager"}
    assert (
        login(org["south_sales"]).get(f"/api/visits/{visit.pk}/leader-recommendation").status_code
        == 404
    )


def test_meeting_request_accept_books_the_leader_once(
    org: dict[str, Any], visit: Visit, meeting_room: Room
) -> None:
    host = login(org["east_sales"])
    response = request_meeting(host, visit, org["director"], room=meeting_room.pk)
    assert response.status_code == 201, response.content
    meeting_id = response.json()["id"]
    assert response.json()["state"] == "requested"

    # Only the leader answers.
    assert post(host, f"/api/leader-meetings/{meeting_id}/accept").status_code == 403
    leader = login(org["director"])
    assert [m["id"] for m in leader.get("/api/leader-meetings?as_leader=true").json()["items"]] == [
        meeting_id
    ]
    brief = leader.get(f"/api/leader-meetings/{meeting_id}/brief").json()
    assert [p["name"] for p in brief["party"]] == ["王建国", "李娜"]
    response = post(leader, f"/api/leader-meetings/{meeting_id}/accept")
    assert response.status_code == 200
    assert response.json()["state"] == "accepted"
    assert Booking.objects.filter(
        person=org["director"], leader_meeting_id=meeting_id, status=BookingStatus.ACTIVE
    ).exists()

    # A second visit asks the same leader at the same time: accepting it is a 409.
    other = make_ready_visit(actor=org["east_sales2"])
    second = request_meeting(login(org["east_sales2"]), other, org["director"]).json()["id"]
    response = post(leader, f"/api/leader-meetings/{second}/accept")
    assert response.status_code == 409
    assert response.json()["conflict_with"] is not None
    assert LeaderMeeting.objects.get(pk=second).state == "requested"


def test_leader_declines_or_proposes_another_time(org: dict[str, Any], visit: Visit) -> None:
    host = login(org["east_sales"])
    leader = login(org["general_manager"])
    first = request_meeting(host, visit, org["general_manager"]).json()["id"]
    response = post(leader, f"/api/leader-meetings/{first}/decline", {"note": ""})
    assert response.status_code == 422
    assert ["body", "note"] in locs(response)
    response = post(leader, f"/api/leader-meetings/{first}/decline", {"note": "出差"})
    assert response.json()["state"] == "declined"

    second = request_meeting(host, visit, org["general_manager"]).json()["id"]
    response = post(
        leader,
        f"/api/leader-meetings/{second}/propose",
        {"starts_at": "2026-12-10T17:00:00+08:00", "note": "下午五点可以"},
    )
    assert response.status_code == 200
    assert response.json()["state"] == "other_time"
    response = post(host, f"/api/leader-meetings/{second}/take-proposal")
    assert response.status_code == 200
    meeting = LeaderMeeting.objects.get(pk=second)
    assert meeting.state == "accepted"
    assert meeting.starts_at == local(2026, 12, 10, 17)
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=30)
    response = post(host, f"/api/leader-meetings/{second}/cancel")
    assert response.json()["state"] == "cancelled"
    assert not Booking.objects.filter(leader_meeting=meeting, status="active").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"leader": "east_sales2"}, "leader"),  # not a leader
        ({"room": 999999}, "room"),
        ({"ends_at": "2026-12-10T14:00:00+08:00"}, "ends_at"),  # ends before it starts
        ({"starts_at": "yesterday"}, "starts_at"),
    ],
)
def test_meeting_request_bad_input(
    org: dict[str, Any], visit: Visit, body: dict[str, Any], field: str
) -> None:
    leader = org[body.pop("leader")] if "leader" in body else org["director"]
    response = request_meeting(login(org["east_sales"]), visit, leader, **body)
    assert response.status_code == 422, response.content
    assert field in {loc[-1] for loc in locs(response)}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("east_sales", 201),
        ("east_manager", 201),
        ("finance", 403),
        ("east_sales2", 404),
        ("south_sales", 404),
        ("driver", 404),
    ],
)
def test_who_may_ask_a_leader(org: dict[str, Any], visit: Visit, role: str, status: int) -> None:
    assert request_meeting(login(org[role]), visit, org["director"]).status_code == status


def test_meetings_are_hidden_from_other_teams(org: dict[str, Any], visit: Visit) -> None:
    meeting_id = request_meeting(login(org["east_sales"]), visit, org["director"]).json()["id"]
    south = login(org["south_sales"])
    assert south.get(f"/api/leader-meetings/{meeting_id}").status_code == 404
    assert south.get(f"/api/leader-meetings/{meeting_id}/brief").status_code == 404
    assert south.get("/api/leader-meetings").json()["items"] == []
    assert post(south, f"/api/leader-meetings/{meeting_id}/cancel").status_code == 404


# --- Gifts ---------------------------------------------------------------------------------


@pytest.fixture
def tea(db: object) -> GiftItem:
    return GiftItem.objects.create(name="茶叶礼盒", unit_value="288.00", stock=5)


def test_issue_hand_over_and_return(org: dict[str, Any], visit: Visit, tea: GiftItem) -> None:
    client = login(org["east_sales"])
    response = post(client, "/api/gift-issues", {"visit": visit.pk, "item": tea.pk, "quantity": 2})
    assert response.status_code == 201, response.content
    issue_id = response.json()["id"]
    tea.refresh_from_db()
    assert tea.stock == 3
    response = post(client, f"/api/gift-issues/{issue_id}/hand-over")
    assert response.status_code == 200
    assert response.json()["handed_over_by"]["id"] == org["east_sales"].pk
    # What was handed over cannot go back to stock.
    assert post(client, f"/api/gift-issues/{issue_id}/return").status_code == 422

    second = post(client, "/api/gift-issues", {"visit": visit.pk, "item": tea.pk, "quantity": 1})
    assert post(client, f"/api/gift-issues/{second.json()['id']}/return").status_code == 200
    tea.refresh_from_db()
    assert tea.stock == 3
    listed = client.get(f"/api/gift-issues?visit={visit.pk}").json()["items"]
    assert len(listed) == 2


def test_too_little_stock_is_a_clear_422(org: dict[str, Any], visit: Visit, tea: GiftItem) -> None:
    response = post(
        login(org["east_sales"]),
        "/api/gift-issues",
        {"visit": visit.pk, "item": tea.pk, "quantity": 6},
    )
    assert response.status_code == 422
    assert ["body", "quantity"] in locs(response)
    assert "5" in response.json()["detail"][0]["msg"]
    tea.refresh_from_db()
    assert tea.stock == 5


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -3}, "quantity"),
        ({"item": 999999}, "item"),
        ({"visit": "x"}, "visit"),
    ],
)
def test_gift_issue_bad_input(
    org: dict[str, Any], visit: Visit, tea: GiftItem, body: dict[str, Any], field: str
) -> None:
    data = {"visit": visit.pk, "item": tea.pk, "quantity": 1, **body}
    response = post(login(org["east_sales"]), "/api/gift-issues", data)
    assert response.status_code == 422, response.content
    assert field in {loc[-1] for loc in locs(response)}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("east_sales", 201),
        ("reception", 201),
        ("finance", 403),
        ("east_sales2", 404),
        ("south_sales", 404),
        ("driver", 404),
    ],
)
def test_who_issues_gifts(
    org: dict[str, Any], visit: Visit, tea: GiftItem, role: str, status: int
) -> None:
    body = {"visit": visit.pk, "item": tea.pk, "quantity": 1}
    assert post(login(org[role]), "/api/gift-issues", body).status_code == status


def test_stock_received_and_movements_for_reception_only(
    org: dict[str, Any], visit: Visit, tea: GiftItem
) -> None:
    reception = login(org["reception"])
    response = post(reception, f"/api/gifts/{tea.pk}/receive", {"quantity": 10, "note": "采购"})
    assert response.status_code == 200
    assert response.json()["stock"] == 15
    post(
        login(org["east_sales"]),
        "/api/gift-issues",
        {"visit": visit.pk, "item": tea.pk, "quantity": 2},
    )
    movements = reception.get(f"/api/gifts/{tea.pk}/movements").json()["items"]
    assert [(m["change"], m["stock_after"]) for m in movements] == [(-2, 13), (10, 15)]
    assert movements[0]["visit_id"] == visit.pk
    sales = login(org["east_sales"])
    assert post(sales, f"/api/gifts/{tea.pk}/receive", {"quantity": 1}).status_code == 403
    assert sales.get(f"/api/gifts/{tea.pk}/movements").status_code == 403
    assert post(reception, f"/api/gifts/{tea.pk}/receive", {"quantity": 0}).status_code == 422


def test_gift_issues_hidden_from_other_teams(
    org: dict[str, Any], visit: Visit, tea: GiftItem
) -> None:
    issue_id = post(
        login(org["east_sales"]),
        "/api/gift-issues",
        {"visit": visit.pk, "item": tea.pk, "quantity": 1},
    ).json()["id"]
    south = login(org["south_sales"])
    assert south.get(f"/api/gift-issues/{issue_id}").status_code == 404
    assert post(south, f"/api/gift-issues/{issue_id}/hand-over").status_code == 404
    assert south.get("/api/gift-issues").json()["items"] == []


def test_an_escort_who_is_away_cannot_be_booked(org: dict[str, Any], visit: Visit) -> None:
    from visitflow.accounts.models import Absence

    Absence.objects.create(
        person=org["east_sales2"],
        kind="business_trip",
        destination="上海",
        starts_on=local(2026, 12, 9).date(),
        ends_on=local(2026, 12, 11).date(),
        created_by=org["east_sales2"],
    )
    response = plan(
        login(org["east_sales"]), visit, escort=org["east_sales2"].pk, escort_reason="主办人开会"
    )
    assert response.status_code == 409
    assert "上海" in response.json()["detail"]
    assert not Transfer.objects.filter(visit=visit).exists()
