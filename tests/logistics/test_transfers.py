import pytest
from django.test import override_settings

from tests.conftest import login
from tests.factories.visits import local, make_ready_visit
from visitflow.core.exceptions import ApplicationError
from visitflow.logistics.models import (
    Booking,
    BookingStatus,
    CustomerMessage,
    Station,
    Transfer,
    TransferState,
    Vehicle,
)
from visitflow.logistics.services import transfers as svc
from visitflow.logistics.services.bookings import BookingConflict
from visitflow.visits import services as visit_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def airport(db):
    return Station.objects.create(
        name="深圳宝安",
        name_en="Shenzhen Bao'an Airport",
        kind="airport",
        travel_minutes=60,
        no_car_advice="乘地铁11号线到车公庙",
        no_car_advice_en="take Metro Line 11 to Chegongmiao",
    )


@pytest.fixture
def railway(db):
    return Station.objects.create(name="深圳北", kind="railway", travel_minutes=40)


def inbound(visit):
    return visit.legs.get(direction="inbound")


def outbound(visit):
    return visit.legs.get(direction="outbound")


def plan(visit, actor, **kw):
    leg = kw.pop("leg", None) or inbound(visit)
    return svc.transfer_plan(
        actor=actor, visit=visit, leg=leg, kind=svc.kind_for_leg(leg), **{"vehicle": None, **kw}
    )


def test_pickup_window_follows_the_arrival(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)  # flight arrives 09:00
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    transfer = plan(visit, host, vehicle=car)
    assert transfer.station == airport and transfer.escort == host
    # Leaves at arrival - 60 min travel - 30 min buffer; back after travel and 30 min meeting.
    assert transfer.leaves_at == local(2026, 12, 10, 7, 30)
    assert transfer.back_at == local(2026, 12, 10, 10, 30)
    bookings = Booking.objects.filter(transfer=transfer, status=BookingStatus.ACTIVE)
    assert {(b.vehicle_id, b.person_id, b.purpose) for b in bookings} == {
        (car.pk, None, "pickup"),
        (None, host.pk, "escort"),
    }

    # A two-hour delay entered as the actual arrival (leg_update calls transfer_follow_leg)
    # moves the window and the bookings.
    leg = inbound(visit)
    visit_services.leg_update(actor=host, leg=leg, data={"actual_arrival": local(2026, 12, 10, 11)})
    transfer.refresh_from_db()
    assert transfer.leaves_at == local(2026, 12, 10, 9, 30)
    assert transfer.back_at == local(2026, 12, 10, 12, 30)
    assert all(
        (b.starts_at, b.ends_at) == (transfer.leaves_at, transfer.back_at)
        for b in Booking.objects.filter(transfer=transfer)
    )


@override_settings(PICKUP_BUFFER_MINUTES=15)
def test_pickup_over_midnight_and_buffer_setting(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    leg = inbound(visit)
    leg.actual_arrival = local(2026, 12, 10, 0, 10)
    leg.save()
    transfer = plan(visit, host)
    assert transfer.leaves_at == local(2026, 12, 9, 22, 55)
    assert transfer.back_at == local(2026, 12, 10, 1, 40)


def test_see_off_window(org, railway):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    leg = outbound(visit)  # train departs at 09:00 on the 12th
    transfer = plan(visit, host, leg=leg)
    assert transfer.kind == "see_off" and transfer.station == railway
    assert transfer.leaves_at == local(2026, 12, 12, 7, 50)
    assert transfer.back_at == local(2026, 12, 12, 9, 10)


def test_seats_must_fit_party_escort_and_driver(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    visit_services.visitor_add(actor=host, visit=visit, name="张伟", features="")  # party of 3
    small = Vehicle.objects.create(plate="粤B·D12345", seats=4)
    with pytest.raises(ApplicationError) as info:
        plan(visit, host, vehicle=small, driver=org["driver"])
    assert "5" in info.value.message and not Transfer.objects.exists()
    assert plan(visit, host, vehicle=small).vehicle == small  # the host drives: 4 seats


def test_conflict_names_the_clash_and_saves_nothing(org, airport):
    host = org["east_sales"]
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    first = make_ready_visit(actor=host)
    plan(first, host, vehicle=car)
    other = make_ready_visit(actor=org["east_sales2"])
    with pytest.raises(BookingConflict) as info:
        plan(other, org["east_sales2"], vehicle=car)
    assert "粤B·12345" in info.value.message
    assert Transfer.objects.count() == 1 and Booking.objects.count() == 2
    window = svc.transfer_window(leg=inbound(other), kind="pickup", travel_minutes=60)
    assert car not in svc.free_vehicles(starts_at=window[0], ends_at=window[1], seats=2)


def test_no_car_gives_the_station_advice(org, airport, settings):
    settings.VISITFLOW_COMPANY_NAME = "深圳远航科技"
    host = org["east_sales"]
    host.mobile = "13800138000"
    host.save()
    visit = make_ready_visit(actor=host)
    transfer = plan(visit, host, meeting_point="到达大厅B出口")
    assert transfer.no_car and transfer.vehicle is None
    zh = svc.transfer_message_text(transfer, language="zh-hans")
    assert "乘地铁11号线到车公庙" in zh and "深圳远航科技" in zh and "138" in zh
    en = svc.transfer_message_text(transfer, language="en")
    assert "take Metro Line 11" in en and "Shenzhen Bao'an Airport" in en


def test_car_message_zh_and_en(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    transfer = plan(visit, host, vehicle=car, meeting_point="到达大厅B出口")
    zh = svc.transfer_message_text(transfer, language="zh-hans")
    assert "粤B·12345" in zh and "09:00" in zh and "到达大厅B出口" in zh and str(host) in zh
    en = svc.transfer_message_text(transfer, language="en")
    assert en.startswith("Dear") and "粤B·12345" in en and "09:00" in en


def test_another_escort_needs_a_reason(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    with pytest.raises(ApplicationError) as info:
        plan(visit, host, escort=org["east_sales2"])
    assert "escort_reason" in info.value.field_errors
    transfer = plan(visit, host, escort=org["east_sales2"], escort_reason="主办人在开会")
    assert transfer.escort == org["east_sales2"]


def test_state_moves(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    transfer = plan(visit, host, vehicle=car, driver=org["driver"])
    with pytest.raises(ApplicationError):
        svc.transfer_meet(actor=host, transfer=transfer)  # not on the way yet
    svc.transfer_message_send(actor=host, transfer=transfer, channel="wechat", text="你好")
    assert transfer.state == TransferState.CUSTOMER_TOLD
    assert CustomerMessage.objects.get().sent_by == host
    svc.transfer_set_out(actor=org["driver"], transfer=transfer)
    svc.transfer_meet(actor=host, transfer=transfer)
    with pytest.raises(ApplicationError):
        svc.transfer_cancel(actor=host, transfer=transfer)  # met: only done remains
    svc.transfer_finish(actor=host, transfer=transfer)
    assert transfer.state == TransferState.DONE


def test_cancel_releases_bookings(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    transfer = plan(visit, host, vehicle=car)
    with pytest.raises(ApplicationError):
        svc.transfer_cancel(actor=org["south_sales"], transfer=transfer)
    svc.transfer_cancel(actor=host, transfer=transfer)
    assert not Booking.objects.filter(status=BookingStatus.ACTIVE).exists()
    assert plan(visit, host, vehicle=car).vehicle == car


def test_permissions(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    with pytest.raises(ApplicationError):
        plan(visit, org["south_sales"])
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    transfer = plan(visit, org["reception"], vehicle=car, driver=org["driver"])
    url = f"/logistics/transfers/{transfer.pk}/"
    escort_url = f"{url}escort/"
    assert login(host).get(url).status_code == 200
    assert login(org["east_manager"]).get(url).status_code == 200
    assert login(org["south_sales"]).get(url).status_code == 404
    assert login(org["driver"]).get(escort_url).status_code == 200
    assert login(org["south_sales"]).get(escort_url).status_code == 404
    # Reading is not moving: the finance role sees the visit but may not move the transfer.
    refused = login(org["finance"]).post(f"{url}move/on_the_way/")
    assert refused.status_code in (403, 404)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.PLANNED


def test_plan_page_offers_only_free_cars_with_enough_seats(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    busy = Vehicle.objects.create(plate="粤B·11111", seats=7)
    Vehicle.objects.create(plate="粤B·22222", seats=2)
    Vehicle.objects.create(plate="粤B·33333", seats=7)
    plan(make_ready_visit(actor=host), host, vehicle=busy)
    page = login(host).get(f"/logistics/transfers/plan/{inbound(visit).pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "粤B·33333" in body and "粤B·11111" not in body and "粤B·22222" not in body
    assert str(org["driver"]) in body
    assert (
        login(org["south_sales"]).get(f"/logistics/transfers/plan/{inbound(visit).pk}/").status_code
        == 404
    )


def test_a_delay_that_clashes_is_refused_with_the_clash_named(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    plan(visit, host, vehicle=car)
    later = make_ready_visit(actor=host, starts_at=local(2026, 12, 10, 14))  # lands 13:00
    plan(later, host, vehicle=Vehicle.objects.create(plate="粤B·54321", seats=7))
    leg = inbound(visit)
    with pytest.raises(BookingConflict) as info:
        # Landing at 12:00 the pickup would run until 13:30: the host escorts the next one.
        visit_services.leg_update(
            actor=host, leg=leg, data={"actual_arrival": local(2026, 12, 10, 12)}
        )
    assert str(host) in info.value.message
    leg.refresh_from_db()
    assert leg.actual_arrival is None


def test_plan_view_shows_the_clash_and_keeps_what_was_typed(org, airport):
    host = org["east_sales"]
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    plan(make_ready_visit(actor=host), host, vehicle=car)
    visit = make_ready_visit(actor=host)
    answer = login(host).post(
        f"/logistics/transfers/plan/{inbound(visit).pk}/",
        {
            "station": airport.pk,
            "vehicle": car.pk,
            "escort": host.pk,
            "meeting_point": "到达大厅B出口",
        },
    )
    body = answer.content.decode()
    assert answer.status_code == 422
    assert "粤B·12345" in body and "到达大厅B出口" in body
    assert not Transfer.objects.filter(visit=visit).exists()


def test_message_page_records_the_message_and_moves_the_state(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    transfer = plan(visit, host, vehicle=Vehicle.objects.create(plate="粤B·12345", seats=7))
    client = login(host)
    page = client.get(f"/logistics/transfers/{transfer.pk}/message/?lang=en")
    assert page.status_code == 200 and "Dear" in page.content.decode()
    client.post(
        f"/logistics/transfers/{transfer.pk}/message/",
        {"channel": "sms", "language": "en", "text": "Dear customer, see you at 09:00."},
    )
    transfer.refresh_from_db()
    message = CustomerMessage.objects.get(transfer=transfer)
    assert transfer.state == TransferState.CUSTOMER_TOLD
    assert (message.channel, message.language, message.sent_by) == ("sms", "en", host)


def test_escort_moves_own_transfer_from_the_phone_page(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    transfer = plan(visit, host, escort=org["east_sales2"], escort_reason="主办人出差")
    svc.transfer_message_send(actor=host, transfer=transfer, channel="phone", text="已告知")
    escort = login(org["east_sales2"])
    answer = escort.post(f"/logistics/transfers/{transfer.pk}/move/on_the_way/", {"next": "escort"})
    assert answer.status_code == 302 and answer["Location"].endswith("/escort/")
    transfer.refresh_from_db()
    assert transfer.state == TransferState.ON_THE_WAY
    # A move the table does not allow is refused with a message, not a 500.
    escort.post(f"/logistics/transfers/{transfer.pk}/move/done/")
    transfer.refresh_from_db()
    assert transfer.state == TransferState.ON_THE_WAY
    assert escort.post(f"/logistics/transfers/{transfer.pk}/move/nonsense/").status_code == 404


def test_no_transfer_for_a_cancelled_visit(org, airport):
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    visit_services.visit_cancel(actor=host, visit=visit, reason="客户改期")
    with pytest.raises(ApplicationError):
        plan(visit, host)


def test_cancelling_the_visit_frees_its_car_escort_and_rooms(org):
    from datetime import timedelta

    from tests.factories.visits import make_ready_visit
    from visitflow.logistics.models import Booking, BookingStatus, Room, Vehicle
    from visitflow.logistics.services.bookings import booking_create
    from visitflow.visits import services as visit_services

    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    room = Room.objects.create(name="一号会客室", kind="reception")
    car = Vehicle.objects.create(plate="粤B·99999", seats=7)
    booking_create(
        actor=host,
        room=room,
        starts_at=visit.starts_at,
        ends_at=visit.starts_at + timedelta(hours=1),
        visit=visit,
        purpose="tour",
    )
    booking_create(
        actor=host,
        vehicle=car,
        starts_at=visit.starts_at,
        ends_at=visit.starts_at + timedelta(hours=1),
        visit=visit,
    )
    visit_services.visit_cancel(actor=host, visit=visit, reason="客户改期")
    assert not Booking.objects.filter(visit=visit, status=BookingStatus.ACTIVE).exists()
