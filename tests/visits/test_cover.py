"""SOP 5.2 出差客户接待: clashes found in every direction, the stand-in path and the
reschedule path end to end (access, My day, steps and bookings following), the apology,
and every refusal the clause implies."""

from datetime import date, timedelta

import pytest
from django.utils import translation
from freezegun import freeze_time

from tests.factories.customers import ContactFactory
from tests.factories.visits import local, make_ready_visit, make_visit
from visitflow.accounts.models import AbsenceKind
from visitflow.accounts.services_absences import absence_create
from visitflow.core.exceptions import ApplicationError
from visitflow.customers.selectors import customer_get_for_user
from visitflow.logistics.models import (
    Booking,
    BookingStatus,
    CustomerMessage,
    Station,
    TransferState,
    Vehicle,
)
from visitflow.logistics.services import transfers as transfer_services
from visitflow.logistics.services.bookings import BookingConflict, booking_create, booking_move
from visitflow.visits import services
from visitflow.visits.models import CoverState, RescheduleState, StepState, VisitStatus
from visitflow.visits.selectors import my_day_for_user, visit_get_for_user
from visitflow.visits.services_cover import (
    APOLOGY_NEW_DATES,
    APOLOGY_STAND_IN,
    absence_clashing_visits,
    apology_send,
    apology_text,
    cover_accept,
    cover_assign,
    cover_cancel,
    cover_decline,
    cover_request,
    reschedule_agree,
    reschedule_decline,
    reschedule_propose,
    visit_clash_warnings,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    # The URLconf (and the API's pydantic schemas) are built before the clock is frozen:
    # pydantic cannot build a schema for freezegun's datetime class.
    import config.urls  # noqa: F401

    with freeze_time("2026-12-01 02:00:00"):  # 10:00 in Shanghai, nine days before the visit
        yield


def away(person, start=date(2026, 12, 9), end=date(2026, 12, 12), **extra):
    return absence_create(
        actor=person,
        person=person,
        kind=extra.pop("kind", AbsenceKind.BUSINESS_TRIP),
        destination=extra.pop("destination", "上海"),
        starts_on=start,
        ends_on=end,
    )


# --- Clash detection in every direction -----------------------------------------------------


def test_a_new_visit_during_the_hosts_trip_warns(org):
    host = org["east_sales"]
    away(host)
    visit = make_visit(actor=host)  # 12-10 10:00 for two days
    warnings = visit_clash_warnings(visit)
    assert len(warnings) == 1
    assert "上海" in warnings[0] and "2026-12-09" in warnings[0]
    later = make_visit(actor=host, starts_at=local(2026, 12, 14, 10))
    assert visit_clash_warnings(later) == []


def test_a_visit_moved_into_the_trip_warns(org):
    host = org["east_sales"]
    away(host)
    visit = make_visit(actor=host, starts_at=local(2026, 12, 14, 10))
    assert visit_clash_warnings(visit) == []
    visit = services.visit_update(
        actor=host,
        visit=visit,
        data={"starts_at": local(2026, 12, 12, 15), "ends_at": local(2026, 12, 14, 10)},
    )
    assert visit_clash_warnings(visit)  # the last day of the trip is the first of the visit


def test_a_new_absence_over_a_visit_is_a_clash(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)
    other = make_visit(actor=host, starts_at=local(2026, 12, 20, 10))
    absence = away(host)
    assert absence_clashing_visits(absence) == [visit]
    assert other not in absence_clashing_visits(absence)


def test_a_cancelled_or_past_visit_does_not_warn(org):
    host = org["east_sales"]
    away(host, start=date(2026, 11, 20), end=date(2026, 12, 12))
    visit = make_visit(actor=host)
    services.visit_cancel(actor=host, visit=visit, reason="客户取消")
    assert visit_clash_warnings(visit) == []
    with freeze_time("2026-12-13 02:00:00"):
        assert (
            visit_clash_warnings(make_visit(actor=host, starts_at=local(2026, 12, 11, 9), days=1))
            == []
        )


def test_leave_and_other_absences_clash_too(org):
    host = org["east_sales"]
    away(host, kind=AbsenceKind.LEAVE, destination="")
    visit = make_visit(actor=host)
    with translation.override("en"):
        assert "leave" in visit_clash_warnings(visit)[0]


# --- The booking engine -----------------------------------------------------------------------


def test_an_absent_person_cannot_be_booked_the_absence_is_named(org):
    driver = org["driver"]
    absence_create(
        actor=org["admin"],
        person=driver,
        kind=AbsenceKind.LEAVE,
        starts_on=date(2026, 12, 10),
        ends_on=date(2026, 12, 10),
    )
    with pytest.raises(BookingConflict) as exc:
        booking_create(
            actor=org["reception"],
            person=driver,
            starts_at=local(2026, 12, 10, 8),
            ends_at=local(2026, 12, 10, 10),
        )
    assert "2026-12-10" in str(exc.value.message)
    booking = booking_create(
        actor=org["reception"],
        person=driver,
        starts_at=local(2026, 12, 11, 8),
        ends_at=local(2026, 12, 11, 10),
    )
    with pytest.raises(BookingConflict):
        booking_move(
            actor=org["reception"],
            booking=booking,
            starts_at=local(2026, 12, 10, 23),
            ends_at=local(2026, 12, 11, 1),
        )
    # A vehicle is nobody's absence.
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    assert booking_create(
        actor=org["reception"],
        vehicle=car,
        starts_at=local(2026, 12, 10, 8),
        ends_at=local(2026, 12, 10, 10),
    )


def test_an_absent_host_cannot_escort_the_pickup(org):
    Station.objects.create(name="深圳宝安", kind="airport", travel_minutes=60)
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    away(host)
    leg = visit.legs.get(direction="inbound")
    with pytest.raises(BookingConflict) as exc:
        transfer_services.transfer_plan(
            actor=host, visit=visit, leg=leg, kind="pickup", vehicle=None
        )
    assert "上海" in str(exc.value.message)


# --- Path 1: a stand-in host ---------------------------------------------------------------


def test_stand_in_path_end_to_end_with_access_beginning_and_ending(org):
    host, manager, colleague = org["east_sales"], org["east_manager"], org["east_sales2"]
    visit = make_ready_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit, note="客户喜欢喝茶")
    assert cover.state == CoverState.REQUESTED and cover.supervisor == manager

    # Before being asked the colleague sees neither the visit nor the customer.
    with pytest.raises(Exception):  # noqa: B017  # Http404
        visit_get_for_user(colleague, visit.pk)

    cover_assign(actor=manager, cover=cover, stand_in=colleague)
    assert cover.state == CoverState.ASSIGNED
    visit.refresh_from_db()
    assert visit.stand_in is None and visit.acting_host == host
    # Asked, they may read the visit before answering, but it is not on their My day yet.
    assert visit_get_for_user(colleague, visit.pk) == visit
    assert visit not in my_day_for_user(colleague).visits

    cover_accept(actor=colleague, cover=cover)
    visit.refresh_from_db()
    assert visit.stand_in == colleague and visit.acting_host == colleague
    assert customer_get_for_user(colleague, visit.customer_id) == visit.customer
    assert visit_get_for_user(host, visit.pk) == visit  # the host keeps access
    with freeze_time("2026-12-09 02:00:00"):
        day = my_day_for_user(colleague)
        assert visit in day.visits
        # The host's steps due on those days are on the stand-in's day too.
        assert any(step.visit_id == visit.pk for step in day.steps)

    # The visit runs and closes: the stand-in's access ends with it.
    services.visit_confirm(actor=colleague, visit=visit)
    services.visit_mark_arrived(actor=colleague, visit=visit)
    services.visit_mark_departed(actor=colleague, visit=visit)
    assert visit_get_for_user(colleague, visit.pk) == visit
    services.visit_close(actor=host, visit=visit)
    visit.refresh_from_db()
    assert visit.acting_host == host
    with pytest.raises(Exception):  # noqa: B017  # Http404
        visit_get_for_user(colleague, visit.pk)
    with pytest.raises(Exception):  # noqa: B017
        customer_get_for_user(colleague, visit.customer_id)


def test_the_supervisor_takes_it_on_accepted_at_once(org):
    host, manager = org["east_sales"], org["east_manager"]
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit)
    cover_assign(actor=manager, cover=cover, stand_in=manager)
    visit.refresh_from_db()
    assert cover.state == CoverState.ACCEPTED and visit.acting_host == manager


def test_a_stand_in_who_is_away_too_is_refused(org):
    host, colleague = org["east_sales"], org["east_sales2"]
    visit = make_visit(actor=host)
    away(host)
    away(colleague, start=date(2026, 12, 11), end=date(2026, 12, 11), destination="北京")
    cover = cover_request(actor=host, visit=visit)
    with pytest.raises(ApplicationError) as exc:
        cover_assign(actor=org["east_manager"], cover=cover, stand_in=colleague)
    assert "北京" in str(exc.value.message) and "stand_in" in exc.value.field_errors


def test_a_stand_in_from_another_team_needs_the_managers_say(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit)
    with pytest.raises(ApplicationError) as exc:
        cover_assign(actor=host, cover=cover, stand_in=org["south_sales"])
    assert str(org["east_manager"]) in str(exc.value.message)
    cover_assign(actor=org["east_manager"], cover=cover, stand_in=org["south_sales"])
    assert cover.state == CoverState.ASSIGNED


def test_the_host_may_name_a_colleague_of_their_own_team(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit, stand_in=org["east_sales2"])
    assert cover.state == CoverState.ASSIGNED and cover.stand_in == org["east_sales2"]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("east_sales", True),
        ("east_manager", True),
        ("admin", True),
        ("east_sales2", False),
        ("south_manager", False),
        ("director", False),
        ("reception", False),
    ],
)
def test_only_host_manager_admin_hand_over(org, who, allowed):
    visit = make_visit(actor=org["east_sales"])
    if allowed:
        assert cover_request(actor=org[who], visit=visit).state == CoverState.REQUESTED
    else:
        with pytest.raises(ApplicationError):
            cover_request(actor=org[who], visit=visit)
        with pytest.raises(ApplicationError):
            reschedule_propose(
                actor=org[who],
                visit=visit,
                starts_at=local(2026, 12, 20, 10),
                ends_at=local(2026, 12, 21, 10),
            )


def test_decline_goes_back_to_the_supervisor_and_cancel_ends_access(org):
    host, manager, colleague = org["east_sales"], org["east_manager"], org["east_sales2"]
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit)
    cover_assign(actor=manager, cover=cover, stand_in=colleague)
    with pytest.raises(ApplicationError):
        cover_accept(actor=org["south_sales"], cover=cover)
    with pytest.raises(ApplicationError):
        cover_decline(actor=colleague, cover=cover, note="")
    cover_decline(actor=colleague, cover=cover, note="那天在展会")
    assert cover.state == CoverState.REQUESTED and cover.stand_in is None
    cover_assign(actor=manager, cover=cover, stand_in=colleague)
    cover_accept(actor=colleague, cover=cover)
    with pytest.raises(ApplicationError):
        cover_request(actor=host, visit=visit)  # one open cover per visit
    cover_cancel(actor=host, cover=cover)
    visit.refresh_from_db()
    assert visit.stand_in is None and cover.state == CoverState.CANCELLED
    with pytest.raises(Exception):  # noqa: B017  # Http404
        visit_get_for_user(colleague, visit.pk)


def test_no_cover_for_a_closed_visit(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)
    services.visit_cancel(actor=host, visit=visit, reason="客户取消")
    with pytest.raises(ApplicationError):
        cover_request(actor=host, visit=visit)


# --- Path 2: new dates agreed with the customer -----------------------------------------------


def test_a_reschedule_into_the_hosts_absence_is_refused(org):
    host = org["east_sales"]
    away(host, start=date(2026, 12, 9), end=date(2026, 12, 12))
    away(host, start=date(2026, 12, 20), end=date(2026, 12, 22), destination="成都")
    visit = make_visit(actor=host)
    with pytest.raises(ApplicationError) as exc:
        reschedule_propose(
            actor=host,
            visit=visit,
            starts_at=local(2026, 12, 21, 10),
            ends_at=local(2026, 12, 23, 10),
        )
    assert "成都" in str(exc.value.message)
    with pytest.raises(ApplicationError):
        reschedule_propose(
            actor=host,
            visit=visit,
            starts_at=local(2026, 11, 21, 10),
            ends_at=local(2026, 11, 23, 10),
        )


def test_reschedule_path_moves_visit_steps_legs_and_bookings(org):
    Station.objects.create(name="深圳宝安", kind="airport", travel_minutes=60)
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    leg = visit.legs.get(direction="inbound")
    transfer = transfer_services.transfer_plan(
        actor=host, visit=visit, leg=leg, kind="pickup", vehicle=car
    )
    steps_before = {s.pk: s.due_at for s in visit.steps.filter(state=StepState.PENDING)}
    away(host)  # recorded after the pickup was planned: the clash is on the visit
    assert visit_clash_warnings(visit)

    proposal = reschedule_propose(
        actor=host,
        visit=visit,
        starts_at=local(2026, 12, 17, 10),
        ends_at=local(2026, 12, 19, 10),
        reason="出差",
    )
    visit.refresh_from_db()
    assert visit.starts_at == local(2026, 12, 10, 10)  # nothing moves before the customer agrees
    outcome = reschedule_agree(actor=host, proposal=proposal)
    visit.refresh_from_db()
    delta = timedelta(days=7)
    assert (visit.starts_at, visit.ends_at) == (local(2026, 12, 17, 10), local(2026, 12, 19, 10))
    assert visit_clash_warnings(visit) == []
    proposal.refresh_from_db()
    assert proposal.state == RescheduleState.APPLIED and proposal.old_starts_at == local(
        2026, 12, 10, 10
    )
    assert visit.reschedules.count() == 1  # the proposal is the record of the move
    leg.refresh_from_db()
    assert leg.arrives_at == local(2026, 12, 10, 9) + delta
    moved_steps = (
        visit.steps.filter(pk__in=steps_before)
        .exclude(playbook_step__anchor="visit_created")
        # Calls to the customer land on working days, so they may move a little further.
        .exclude(playbook_step__code__in=["return_call", "follow_up"])
    )
    assert moved_steps
    for step in moved_steps:
        # Reminders follow: the due times of the pending steps moved with the visit.
        assert step.due_at == steps_before[step.pk] + delta
    transfer.refresh_from_db()
    assert transfer.state != TransferState.CANCELLED
    assert all(
        b.starts_at == transfer.leaves_at
        for b in Booking.objects.filter(transfer=transfer, status=BookingStatus.ACTIVE)
    )
    assert str(transfer) in outcome.moved and outcome.released == []


def test_a_booking_that_no_longer_fits_is_released(org):
    Station.objects.create(name="深圳宝安", kind="airport", travel_minutes=60)
    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    leg = visit.legs.get(direction="inbound")
    transfer = transfer_services.transfer_plan(
        actor=host, visit=visit, leg=leg, kind="pickup", vehicle=car
    )
    # The car is taken on the morning the visitors will now land.
    booking_create(
        actor=org["reception"],
        vehicle=car,
        starts_at=local(2026, 12, 17, 6),
        ends_at=local(2026, 12, 17, 12),
    )
    proposal = reschedule_propose(
        actor=host, visit=visit, starts_at=local(2026, 12, 17, 10), ends_at=local(2026, 12, 19, 10)
    )
    outcome = reschedule_agree(actor=host, proposal=proposal)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.CANCELLED
    assert outcome.released == [str(transfer)]
    assert not Booking.objects.filter(transfer=transfer, status=BookingStatus.ACTIVE).exists()


def test_a_declined_proposal_leaves_the_visit_alone(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)
    proposal = reschedule_propose(
        actor=host, visit=visit, starts_at=local(2026, 12, 17, 10), ends_at=local(2026, 12, 19, 10)
    )
    with pytest.raises(ApplicationError):
        reschedule_propose(
            actor=host,
            visit=visit,
            starts_at=local(2026, 12, 18, 10),
            ends_at=local(2026, 12, 19, 10),
        )
    reschedule_decline(actor=host, proposal=proposal, note="客户那周没空")
    visit.refresh_from_db()
    assert visit.starts_at == local(2026, 12, 10, 10) and proposal.state == RescheduleState.DECLINED
    with pytest.raises(ApplicationError):
        reschedule_agree(actor=host, proposal=proposal)


def test_a_proposal_the_host_is_away_for_by_now_cannot_be_agreed(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)
    proposal = reschedule_propose(
        actor=host, visit=visit, starts_at=local(2026, 12, 17, 10), ends_at=local(2026, 12, 19, 10)
    )
    away(host, start=date(2026, 12, 18), end=date(2026, 12, 18))
    with pytest.raises(ApplicationError):
        reschedule_agree(actor=host, proposal=proposal)


# --- The apology --------------------------------------------------------------------------


def test_apology_names_the_stand_in_or_the_new_dates_in_both_languages(org):
    host, colleague = org["east_sales"], org["east_sales2"]
    colleague.mobile = "+8613912345678"
    colleague.save(update_fields=["mobile"])
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit)
    cover_assign(actor=org["east_manager"], cover=cover, stand_in=colleague)
    cover_accept(actor=colleague, cover=cover)
    visit.refresh_from_db()
    zh = apology_text(visit, kind=APOLOGY_STAND_IN, language="zh-hans")
    en = apology_text(visit, kind=APOLOGY_STAND_IN, language="en")
    assert str(colleague) in zh and "139" in zh and "出差" in zh
    assert str(colleague) in en and "business trip" in en

    other = make_visit(actor=host, starts_at=local(2026, 12, 11, 10))
    proposal = reschedule_propose(
        actor=host, visit=other, starts_at=local(2026, 12, 17, 10), ends_at=local(2026, 12, 19, 10)
    )
    reschedule_agree(actor=host, proposal=proposal)
    other.refresh_from_db()
    text = apology_text(other, kind=APOLOGY_NEW_DATES, language="zh-hans")
    assert "2026-12-17 10:00" in text and "2026-12-11" in text
    # The host has no mobile number: no empty "（电话 ）" or "(phone )" left behind.
    assert not host.mobile
    assert "电话" not in text
    assert "phone" not in apology_text(other, kind=APOLOGY_NEW_DATES, language="en")


def test_apology_is_recorded_like_other_customer_messages(org):
    host = org["east_sales"]
    visit = make_visit(actor=host)
    with pytest.raises(ApplicationError):
        apology_send(actor=org["south_sales"], visit=visit, channel="wechat", text="抱歉")
    with pytest.raises(ApplicationError):
        apology_send(actor=host, visit=visit, channel="wechat", text="  ")
    message = apology_send(actor=host, visit=visit, channel="wechat", text="非常抱歉……")
    assert CustomerMessage.objects.get() == message and message.transfer is None


def test_acting_host_is_cheap_in_bulk(org, django_assert_num_queries):
    host, colleague = org["east_sales"], org["east_sales2"]
    for day in (10, 11, 12):
        visit = make_visit(actor=host, starts_at=local(2026, 12, day, 10), days=1)
    away(host)
    cover = cover_request(actor=host, visit=visit, stand_in=colleague)
    cover_accept(actor=colleague, cover=cover)
    from visitflow.visits.models import Visit

    with django_assert_num_queries(1):
        hosts = [
            v.acting_host
            for v in Visit.objects.select_related("host", "stand_in").order_by("starts_at")
        ]
    assert hosts == [host, host, colleague]


def test_contacts_are_in_the_hand_over_brief(org):
    from visitflow.visits.selectors_cover import handover_brief

    host = org["east_sales"]
    visit = make_ready_visit(actor=host)
    ContactFactory(customer=visit.customer, name="周总", diet="不吃辣")
    services.request_create(actor=host, visit=visit, title="寄样品", due_date=date(2026, 12, 20))
    brief = handover_brief(visit)
    assert [c.name for c in brief.contacts] == ["周总"]
    assert [r.title for r in brief.open_requests] == ["寄样品"]
    assert len(brief.party) == 2
    assert visit.status == VisitStatus.DRAFT


# --- Who is told ----------------------------------------------------------------------------


def _told(user, kind):
    from visitflow.notifications.models import Notification

    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_an_absence_over_a_visit_tells_the_host_and_the_manager_once(org):
    host, manager = org["east_sales"], org["east_manager"]
    visit = make_visit(actor=host)
    absence = away(host)
    for person in (host, manager):
        told = _told(person, "absence_clash")
        assert len(told) == 1 and told[0].link.endswith(f"/visits/{visit.pk}/#cover")
        assert "上海" in told[0].body
    assert _told(org["east_sales2"], "absence_clash") == []
    from visitflow.accounts.services_absences import absence_update

    absence_update(actor=host, absence=absence, data={"note": "展会"})
    assert len(_told(manager, "absence_clash")) == 1  # idempotent per visit and absence


def test_a_visit_registered_during_a_trip_tells_the_manager_in_their_language(org):
    from visitflow.accounts.services import user_set_language
    from visitflow.visits.services_cover import visit_clash_notify

    host, manager = org["east_sales"], org["east_manager"]
    user_set_language(user=manager, language="en")
    away(host)
    visit = make_visit(actor=host)
    assert visit_clash_notify(actor=host, visit=visit)
    told = _told(manager, "absence_clash")
    assert len(told) == 1 and "Host away" in told[0].title


def test_cover_notifications_supervisor_stand_in_host(org):
    host, manager, colleague = org["east_sales"], org["east_manager"], org["east_sales2"]
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit, note="客户喜欢喝茶")
    assert len(_told(manager, "cover_request")) == 1
    cover_assign(actor=manager, cover=cover, stand_in=colleague)
    asked = _told(colleague, "cover_request")
    assert len(asked) == 1 and asked[0].actor == manager
    cover_decline(actor=colleague, cover=cover, note="在外地")
    assert len(_told(manager, "cover_request")) == 2
    cover_assign(actor=manager, cover=cover, stand_in=colleague)
    cover_accept(actor=colleague, cover=cover)
    told_host = _told(host, "cover_request")
    assert len(told_host) == 1 and str(colleague) in told_host[0].title
    assert len(_told(manager, "cover_request")) == 3  # the one who arranged it hears too


def test_the_itinerary_names_the_stand_in_and_the_brief_both(org):
    import io

    from pypdf import PdfReader

    from visitflow.visits.documents import brief_pdf, itinerary_pdf

    def text(content: bytes) -> str:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)

    host, colleague = org["east_sales"], org["east_sales2"]
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit, stand_in=colleague)
    cover_accept(actor=colleague, cover=cover)
    visit.refresh_from_db()
    itinerary = text(itinerary_pdf(visit))
    assert str(colleague) in itinerary and str(host) not in itinerary
    brief = text(brief_pdf(visit, user=colleague))
    assert str(colleague) in brief and str(host) in brief


def test_a_reschedule_moves_the_tour_and_gives_the_leader_meeting_back(org):
    from visitflow.logistics.models import LeaderMeeting, MeetingState, Room, RoomKind
    from visitflow.logistics.services.leaders import meeting_accept, meeting_request
    from visitflow.logistics.services.tours import tour_book

    host = org["east_sales"]
    visit = make_visit(actor=host)
    showroom = Room.objects.create(name="产品展厅", kind=RoomKind.SHOWROOM, capacity=30)
    tour = tour_book(
        actor=host,
        visit=visit,
        room=showroom,
        starts_at=local(2026, 12, 10, 14),
        ends_at=local(2026, 12, 10, 15),
    )
    meeting = meeting_request(
        actor=host,
        visit=visit,
        leader=org["director"],
        starts_at=local(2026, 12, 10, 16),
        ends_at=local(2026, 12, 10, 17),
    )
    meeting_accept(actor=org["director"], meeting=meeting)
    proposal = reschedule_propose(
        actor=host, visit=visit, starts_at=local(2026, 12, 17, 10), ends_at=local(2026, 12, 19, 10)
    )
    outcome = reschedule_agree(actor=host, proposal=proposal)
    tour.refresh_from_db()
    assert tour.status == BookingStatus.ACTIVE
    assert (tour.starts_at, tour.ends_at) == (local(2026, 12, 17, 14), local(2026, 12, 17, 15))
    assert LeaderMeeting.objects.get().state == MeetingState.CANCELLED
    assert not Booking.objects.filter(person=org["director"], status=BookingStatus.ACTIVE).exists()
    assert str(showroom) in outcome.moved and len(outcome.released) == 1


def test_the_stand_in_escorts_by_default(org):
    from visitflow.logistics.models import Transfer

    Station.objects.create(name="深圳宝安", kind="airport", travel_minutes=60)
    host, colleague = org["east_sales"], org["east_sales2"]
    visit = make_ready_visit(actor=host)
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    leg = visit.legs.get(direction="inbound")
    old = transfer_services.transfer_plan(
        actor=host, visit=visit, leg=leg, kind="pickup", vehicle=car, driver=org["driver"]
    )
    away(host)  # recorded after the pickup was planned with the host as escort
    cover = cover_request(actor=host, visit=visit, stand_in=colleague)
    cover_accept(actor=colleague, cover=cover)
    assert cover.escort_problems == []
    old.refresh_from_db()
    assert old.state == TransferState.CANCELLED
    new = Transfer.objects.exclude(state=TransferState.CANCELLED).get(visit=visit)
    assert (new.escort, new.vehicle, new.driver) == (colleague, car, org["driver"])
    # The stand-in is the acting host: escorting is theirs, no reason needed (SOP 5.2).
    assert new.escort_reason == ""
    active = Booking.objects.filter(visit=visit, status=BookingStatus.ACTIVE)
    assert {b.person_id for b in active if b.person_id} == {colleague.pk, org["driver"].pk}
    assert not active.filter(person=host).exists()


def test_a_busy_stand_in_keeps_the_old_escort_and_says_why(org):
    from visitflow.logistics.models import Transfer

    Station.objects.create(name="深圳宝安", kind="airport", travel_minutes=60)
    host, colleague = org["east_sales"], org["east_sales2"]
    visit = make_ready_visit(actor=host)
    leg = visit.legs.get(direction="inbound")
    transfer_services.transfer_plan(actor=host, visit=visit, leg=leg, kind="pickup", vehicle=None)
    booking_create(
        actor=colleague,
        person=colleague,
        starts_at=local(2026, 12, 10, 6),
        ends_at=local(2026, 12, 10, 12),
    )
    away(host)
    cover = cover_request(actor=host, visit=visit, stand_in=colleague)
    cover_accept(actor=colleague, cover=cover)
    assert len(cover.escort_problems) == 1
    assert Transfer.objects.get(visit=visit).escort == host
    visit.refresh_from_db()
    assert visit.acting_host == colleague


def test_reminders_follow_the_stand_in_and_the_new_dates(org):
    from visitflow.reminders.planning import planned_reminders

    host, colleague = org["east_sales"], org["east_sales2"]
    visit = make_visit(actor=host)
    other = make_visit(actor=host, starts_at=local(2026, 12, 11, 9), days=1)
    away(host)
    window = {"start": local(2026, 12, 8), "end": local(2026, 12, 13)}

    def step_reminders(for_visit):
        return [
            p
            for p in planned_reminders(**window).values()
            if p.visit_id == for_visit.pk and p.kind == "step_due"
        ]

    assert {p.recipient_id for p in step_reminders(visit)} == {host.pk}
    cover = cover_request(actor=host, visit=visit, stand_in=colleague)
    cover_accept(actor=colleague, cover=cover)
    # The host's reminders go to the stand-in now.
    assert {p.recipient_id for p in step_reminders(visit)} == {colleague.pk}

    before = {p.source: p.due_at for p in step_reminders(other)}
    proposal = reschedule_propose(
        actor=host, visit=other, starts_at=local(2026, 12, 14, 9), ends_at=local(2026, 12, 15, 9)
    )
    reschedule_agree(actor=host, proposal=proposal)
    later = {"start": local(2026, 12, 11), "end": local(2026, 12, 16)}
    after = {
        p.source: p.due_at
        for p in planned_reminders(**later).values()
        if p.visit_id == other.pk and p.kind == "step_due"
    }
    # The reminders moved with the visit: three days later each.
    on_working_days = {
        f"step:{pk}"
        for pk in other.steps.filter(
            playbook_step__code__in=["return_call", "follow_up"]
        ).values_list("pk", flat=True)
    }
    moved = [s for s in before if s in after and s not in on_working_days]
    assert moved
    assert all(after[s] - before[s] == timedelta(days=3) for s in moved)


def test_a_leader_away_cannot_be_booked_for_the_meeting(org):
    from visitflow.logistics.services.leaders import meeting_accept, meeting_request

    host, director = org["east_sales"], org["director"]
    visit = make_visit(actor=host)
    absence_create(
        actor=org["admin"],
        person=director,
        kind=AbsenceKind.BUSINESS_TRIP,
        destination="北京",
        starts_on=date(2026, 12, 10),
        ends_on=date(2026, 12, 10),
    )
    meeting = meeting_request(
        actor=host,
        visit=visit,
        leader=director,
        starts_at=local(2026, 12, 10, 16),
        ends_at=local(2026, 12, 10, 17),
    )
    with pytest.raises(BookingConflict) as exc:
        meeting_accept(actor=director, meeting=meeting)
    assert "北京" in str(exc.value.message)


def test_a_new_host_ends_the_cover_for_the_old_one(org):
    host, colleague = org["east_sales"], org["east_sales2"]
    visit = make_visit(actor=host)
    away(host)
    cover = cover_request(actor=host, visit=visit, stand_in=colleague)
    cover_accept(actor=colleague, cover=cover)
    visit.refresh_from_db()
    assert visit.stand_in == colleague
    services.visit_update(actor=org["east_manager"], visit=visit, data={"host": colleague})
    visit.refresh_from_db()
    cover.refresh_from_db()
    assert visit.host == colleague and visit.stand_in is None
    assert cover.state == "cancelled" and cover.ended_at is not None
