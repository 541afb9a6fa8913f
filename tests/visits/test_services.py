from datetime import timedelta

import pytest

from tests.factories.customers import CustomerFactory, level
from tests.factories.visits import local, make_ready_visit, make_visit
from visitflow.core.exceptions import ApplicationError
from visitflow.visits import services
from visitflow.visits.models import (
    FollowUp,
    FollowUpState,
    StepState,
    VisitReschedule,
    VisitStatus,
)

pytestmark = pytest.mark.django_db


def steps_by_code(visit):
    return {s.playbook_step.code: s for s in visit.steps.select_related("playbook_step")}


def test_registration_copies_the_ten_steps(org):
    visit = make_visit(actor=org["east_sales"])
    steps = steps_by_code(visit)
    assert list(steps) == [
        "briefing",
        "pickup_arrangement",
        "pickup",
        "meals_lodging",
        "company_tour",
        "leader_meeting",
        "visit_requests",
        "see_off",
        "return_call",
        "follow_up",
    ]
    # No pickup wanted: the pickup steps are not needed, the others pending.
    assert steps["pickup"].state == StepState.NOT_NEEDED
    assert steps["briefing"].state == StepState.PENDING
    assert all(s.owner == org["east_sales"] for s in steps.values())
    # Lodging items only when the company arranges lodging.
    texts = [i.text for i in steps["meals_lodging"].items.all()]
    assert "陪客人用餐时不宜喝酒过度" in texts
    assert "帮客人提行李到房间" not in texts


def test_host_defaults_to_the_customers_owner(org):
    customer = CustomerFactory(owner=org["east_sales2"])
    visit = make_visit(actor=org["east_manager"], customer=customer)
    assert visit.host == org["east_sales2"]


def test_confirmation_says_exactly_what_is_missing(org):
    visit = make_visit(actor=org["east_sales"], wants_pickup=True)
    missing = services.visit_missing_for_confirmation(visit)
    assert any("来访人员" in m or "visitor" in m.lower() for m in missing)
    assert len(missing) == 3  # no visitor, no purpose, no inbound leg for the pickup
    with pytest.raises(ApplicationError):
        services.visit_confirm(actor=org["east_sales"], visit=visit)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT


def test_the_whole_life_cycle(org):
    actor = org["east_sales"]
    visit = make_ready_visit(actor=actor)
    assert services.visit_missing_for_confirmation(visit) == []
    services.visit_confirm(actor=actor, visit=visit)
    services.visit_mark_arrived(actor=actor, visit=visit)
    inbound = visit.legs.get(direction="inbound")
    assert inbound.actual_arrival is not None
    services.visit_mark_departed(actor=actor, visit=visit)
    services.return_call_record(
        actor=actor, visit=visit, reached=True, product_rating=5, image_rating=4
    )
    assert steps_by_code(visit)["return_call"].state == StepState.DONE
    services.visit_close(actor=actor, visit=visit)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CLOSED
    follow_up = FollowUp.objects.get(customer=visit.customer, state=FollowUpState.OPEN)
    # Level A: every 14 days after the visit ends: Saturday 2026-12-26, so Monday the 28th.
    assert follow_up.due_date == local(2026, 12, 12).date() + timedelta(days=16)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("draft", "in_progress"),
        ("draft", "closed"),
        ("confirmed", "closed"),
        ("in_progress", "cancelled"),
        ("departed", "in_progress"),
        ("closed", "draft"),
        ("cancelled", "confirmed"),
    ],
)
def test_refused_transitions(org, current, target):
    visit = make_visit(actor=org["east_sales"])
    visit.status = current
    visit.save()
    assert not services.can_transition(visit, target)
    with pytest.raises(ApplicationError):
        services._move(visit, target, actor=org["east_sales"])


def test_cancel_needs_a_reason(org):
    visit = make_visit(actor=org["east_sales"])
    with pytest.raises(ApplicationError) as info:
        services.visit_cancel(actor=org["east_sales"], visit=visit, reason="  ")
    assert "reason" in info.value.field_errors
    services.visit_cancel(actor=org["east_sales"], visit=visit, reason="客户临时改期")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED


def test_due_times_follow_the_itinerary_in_shanghai_time(org):
    visit = make_ready_visit(actor=org["east_sales"])
    steps = steps_by_code(visit)
    inbound = visit.legs.get(direction="inbound")
    outbound = visit.legs.get(direction="outbound")
    assert steps["briefing"].due_at == inbound.arrives_at - timedelta(days=2)
    assert steps["pickup"].due_at == inbound.arrives_at - timedelta(minutes=60)
    assert steps["see_off"].due_at == outbound.departs_at - timedelta(minutes=60)
    # Return call: two hours after the train is due in Beijing, which is Saturday evening,
    # so on the next working day at 09:00.
    assert outbound.arrives_at + timedelta(hours=2) == local(2026, 12, 12, 20)
    assert steps["return_call"].due_at == local(2026, 12, 14, 9)
    # The flight is delayed by three hours: pending steps move, done ones stay.
    services.step_complete(actor=org["east_sales"], step=steps["briefing"])
    services.leg_update(
        actor=org["east_sales"],
        leg=inbound,
        data={"actual_arrival": inbound.arrives_at + timedelta(hours=3)},
    )
    moved = steps_by_code(visit)
    assert moved["pickup"].due_at == inbound.arrives_at + timedelta(hours=2)
    assert moved["briefing"].due_at == steps["briefing"].due_at


def test_return_call_without_outbound_leg_is_the_next_morning(org):
    # Leaves at 23:30 local: the return call is due the next day at 10:00 Shanghai time.
    visit = services.visit_create(
        actor=org["east_sales"],
        customer=CustomerFactory(owner=org["east_sales"]),
        starts_at=local(2026, 12, 10, 9),
        ends_at=local(2026, 12, 10, 23, 30),
    )
    assert steps_by_code(visit)["return_call"].due_at == local(2026, 12, 11, 12)


def test_reschedule_is_recorded_and_steps_move(org):
    visit = make_visit(actor=org["east_sales"])
    before = steps_by_code(visit)["briefing"].due_at
    services.visit_update(
        actor=org["east_sales"],
        visit=visit,
        data={
            "starts_at": visit.starts_at + timedelta(days=3),
            "ends_at": visit.ends_at + timedelta(days=3),
        },
        reschedule_reason="客户推迟",
    )
    move = VisitReschedule.objects.get(visit=visit)
    assert move.new_starts_at - move.old_starts_at == timedelta(days=3)
    assert move.reason == "客户推迟"
    assert steps_by_code(visit)["briefing"].due_at == before + timedelta(days=3)


def test_turning_on_pickup_brings_the_pickup_steps_back(org):
    visit = make_visit(actor=org["east_sales"])
    services.visit_update(actor=org["east_sales"], visit=visit, data={"wants_pickup": True})
    assert steps_by_code(visit)["pickup"].state == StepState.PENDING


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"ends_at": local(2026, 12, 9)}, "ends_at"),
    ],
)
def test_end_before_start_is_refused(org, data, field):
    visit = make_visit(actor=org["east_sales"])
    with pytest.raises(ApplicationError) as info:
        services.visit_update(actor=org["east_sales"], visit=visit, data=data)
    assert field in info.value.field_errors


def test_bad_legs_are_refused(org):
    actor = org["east_sales"]
    visit = make_ready_visit(actor=actor)
    with pytest.raises(ApplicationError) as info:
        services.leg_add(
            actor=actor,
            visit=visit,
            direction="inbound",
            mode="flight",
            number="MU5301",
            arrives_at=visit.ends_at + timedelta(hours=1),
        )
    assert "arrives_at" in info.value.field_errors
    with pytest.raises(ApplicationError):
        services.leg_add(
            actor=actor,
            visit=visit,
            direction="outbound",
            mode="flight",
            departs_at=visit.starts_at - timedelta(hours=5),
            arrives_at=visit.starts_at - timedelta(hours=2),
        )
    with pytest.raises(ApplicationError):
        services.leg_add(
            actor=actor,
            visit=visit,
            direction="inbound",
            mode="train",
            departs_at=visit.starts_at,
            arrives_at=visit.starts_at - timedelta(hours=2),
        )


@pytest.mark.parametrize(
    ("mode", "number", "warns"),
    [
        ("flight", "CA1831", False),
        ("flight", "MU5301", False),
        ("flight", "3U8888", False),
        ("flight", "G79", True),
        ("train", "G79", False),
        ("train", "D3125", False),
        ("train", "K1234", False),
        ("train", "CA1831", True),
        ("coach", "X", False),
    ],
)
def test_number_format_warns_but_never_blocks(mode, number, warns):
    assert bool(services.leg_number_warning(mode, number)) == warns


def test_visitor_from_contact_and_saved_as_contact(org):
    from tests.factories.customers import ContactFactory

    actor = org["east_sales"]
    visit = make_visit(actor=actor)
    contact = ContactFactory(customer=visit.customer, name="周立", features="很高")
    visitor = services.visitor_add(actor=actor, visit=visit, contact=contact)
    assert (visitor.name, visitor.features) == ("周立", "很高")
    new = services.visitor_add(
        actor=actor, visit=visit, name="孙丽", mobile="139 0000 1111", save_as_contact=True
    )
    assert new.contact.customer == visit.customer and new.contact.mobile == "+8613900001111"
    visit.refresh_from_db()
    assert visit.party_size == 2
    services.visitor_remove(actor=actor, visitor=new)
    visit.refresh_from_db()
    assert visit.party_size == 1
    with pytest.raises(ApplicationError) as info:
        services.visitor_add(actor=actor, visit=visit, name="坏号码", mobile="12")
    assert "mobile" in info.value.field_errors


def test_steps_worked_only_by_those_who_may(org):
    visit = make_visit(actor=org["east_sales"])
    step = visit.steps.first()
    for outsider in ("south_sales", "east_sales2", "director", "reception"):
        with pytest.raises(ApplicationError):
            services.step_complete(actor=org[outsider], step=step)
    services.step_complete(actor=org["east_manager"], step=step)
    step.refresh_from_db()
    assert step.state == StepState.DONE and step.done_by == org["east_manager"]
    with pytest.raises(ApplicationError):
        services.step_skip(actor=org["east_sales"], step=step, reason="")
    item = step.items.first()
    services.step_item_toggle(actor=org["east_sales"], item=item, done=True)
    item.refresh_from_db()
    assert item.is_done and item.done_by == org["east_sales"]


def test_co_host_may_work_the_visit(org):
    visit = make_visit(actor=org["east_sales"], co_hosts=[org["east_sales2"]])
    step = visit.steps.first()
    services.step_complete(actor=org["east_sales2"], step=step)


def test_follow_up_log_plans_the_next_by_cadence(org, settings):
    customer = CustomerFactory(owner=org["east_sales"], level=level("VIP"))
    first = services.follow_up_schedule_next(
        actor=None, customer=customer, after=local(2026, 12, 1).date()
    )
    assert first.due_date == local(2026, 12, 8).date()
    # Only one open follow-up at a time.
    assert (
        services.follow_up_schedule_next(
            actor=None, customer=customer, after=local(2026, 12, 1).date()
        )
        is None
    )
    services.follow_up_log(actor=org["east_sales"], follow_up=first, channel="phone", notes="报价")
    nxt = FollowUp.objects.get(customer=customer, state=FollowUpState.OPEN)
    assert nxt.due_date > first.due_date or nxt.due_date > local(2026, 11, 1).date()
    with pytest.raises(ApplicationError):
        services.follow_up_log(actor=org["south_sales"], follow_up=nxt, channel="phone", notes="")


def test_request_lifecycle(org):
    visit = make_visit(actor=org["east_sales"])
    req = services.request_create(
        actor=org["east_sales"], visit=visit, title="寄样品", due_date=local(2026, 12, 20).date()
    )
    assert req.customer == visit.customer and req.owner == org["east_sales"]
    services.request_set_state(
        actor=org["east_sales"], request=req, state="done", resolution="已寄出"
    )
    req.refresh_from_db()
    assert req.closed_at is not None
    with pytest.raises(ApplicationError):
        services.request_set_state(actor=org["south_sales"], request=req, state="open")


def test_return_call_only_after_departure_and_ratings_checked(org):
    actor = org["east_sales"]
    visit = make_ready_visit(actor=actor)
    with pytest.raises(ApplicationError):
        services.return_call_record(actor=actor, visit=visit, reached=True)
    services.visit_confirm(actor=actor, visit=visit)
    services.visit_mark_arrived(actor=actor, visit=visit)
    services.visit_mark_departed(actor=actor, visit=visit)
    with pytest.raises(ApplicationError) as info:
        services.return_call_record(actor=actor, visit=visit, reached=True, product_rating=9)
    assert "product_rating" in info.value.field_errors


def test_a_new_host_takes_over_the_open_steps(org):
    visit = make_visit(actor=org["east_sales"])
    done = visit.steps.get(playbook_step__code="briefing")
    services.step_complete(actor=org["east_sales"], step=done)
    services.visit_update(actor=org["east_manager"], visit=visit, data={"host": org["east_sales2"]})
    owners = dict(visit.steps.values_list("playbook_step__code", "owner"))
    assert owners["briefing"] == org["east_sales"].pk
    assert owners["see_off"] == org["east_sales2"].pk


def test_a_visit_lasts_at_most_thirty_days(org):
    with pytest.raises(ApplicationError) as info:
        make_visit(actor=org["east_sales"], days=31)
    assert "ends_at" in info.value.field_errors
