"""Reminders (issue 5): every due time reaches the right person once; moving or cancelling
the thing moves or cancels its reminder; overdue steps escalate; the daily digest."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from tests.factories.visits import local, make_ready_visit
from visitflow.logistics.models import LeaderMeeting, Station, Vehicle
from visitflow.logistics.services import leaders
from visitflow.logistics.services import transfers as transfer_services
from visitflow.notifications.models import Notification, NotificationKind
from visitflow.reminders.models import Reminder, ReminderStatus
from visitflow.reminders.services import (
    reminder_send,
    reminders_plan,
    reminders_queue_due,
    reminders_send,
    tasks_reap_stale,
)
from visitflow.visits import services as visit_services
from visitflow.visits.models import FollowUp, StepState, Visit, VisitStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(org: dict[str, Any]) -> Visit:
    Station.objects.create(name="深圳宝安", kind="airport", travel_minutes=60)
    # Flight CA1831 lands at 深圳宝安 at 09:00 on Thursday 2026-12-10.
    return make_ready_visit(actor=org["east_sales"])


def step(visit: Visit, code: str) -> VisitStep:
    return visit.steps.select_related("playbook_step").get(playbook_step__code=code)


def reminders(kind: str, **filters: Any) -> list[Reminder]:
    return list(Reminder.objects.filter(kind=kind, **filters).order_by("send_at", "id"))


def send_due(now: datetime) -> None:
    """What the scheduler and a worker do, without the queue in between."""
    ids = list(
        Reminder.objects.filter(status=ReminderStatus.SCHEDULED, send_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    reminders_send(reminder_ids=ids, now=now)


def test_a_step_is_reminded_before_it_is_due_once(org: dict[str, Any], visit: Visit) -> None:
    briefing = step(visit, "briefing")  # due two days before arrival, 12-08 09:00
    assert briefing.due_at == local(2026, 12, 8, 9)
    reminders_plan(now=local(2026, 12, 8, 7))
    [due] = reminders("step_due", source=f"step:{briefing.pk}")
    assert due.recipient == org["east_sales"]
    assert due.send_at == local(2026, 12, 8, 8)  # an hour before (REMINDER_LEAD_MINUTES)

    # Planning again changes nothing; sending twice sends once.
    assert reminders_plan(now=local(2026, 12, 8, 7)).created == 0
    send_due(local(2026, 12, 8, 8, 1))
    assert reminder_send(reminder_id=due.pk, now=local(2026, 12, 8, 8, 2)).status == ""
    notes = Notification.objects.filter(recipient=org["east_sales"], kind="step_due")
    assert notes.count() == 1
    note = notes.get(key=due.key)
    assert note.link == f"/visits/{visit.pk}/"
    due.refresh_from_db()
    assert due.status == ReminderStatus.SENT and due.notification == note


def test_queueing_hands_batches_to_the_worker(
    org: dict[str, Any], visit: Visit, django_capture_on_commit_callbacks: Any
) -> None:
    reminders_plan(now=local(2026, 12, 8, 7))
    with django_capture_on_commit_callbacks(execute=True):
        queued = reminders_queue_due(now=local(2026, 12, 8, 8, 1))
    assert queued >= 1
    # The immediate backend ran the batch: sent, and nothing left queued that is due.
    briefing = step(visit, "briefing")
    assert Reminder.objects.get(kind="step_due", source=f"step:{briefing.pk}").status == "sent"
    assert reminders_queue_due(now=local(2026, 12, 8, 8, 2)) == 0


def test_moving_the_thing_moves_its_reminder(org: dict[str, Any], visit: Visit) -> None:
    briefing = step(visit, "briefing")
    reminders_plan(now=local(2026, 12, 8, 7))
    [old] = reminders("step_due", source=f"step:{briefing.pk}")
    # The flight is moved a day later: the briefing (arrival - 2 days) moves with it.
    inbound = visit.legs.get(direction="inbound")
    visit_services.leg_update(
        actor=org["east_sales"],
        leg=inbound,
        data={
            "departs_at": inbound.departs_at + timedelta(days=1),
            "arrives_at": inbound.arrives_at + timedelta(days=1),
        },
    )
    result = reminders_plan(now=local(2026, 12, 8, 7, 1))
    assert result.cancelled >= 1
    old.refresh_from_db()
    assert old.status == ReminderStatus.CANCELLED
    [new] = reminders("step_due", source=f"step:{briefing.pk}", status="scheduled")
    assert new.send_at == local(2026, 12, 9, 8)


def test_a_step_done_before_its_time_is_not_reminded(org: dict[str, Any], visit: Visit) -> None:
    briefing = step(visit, "briefing")
    reminders_plan(now=local(2026, 12, 8, 7))
    visit_services.step_complete(actor=org["east_sales"], step=briefing)
    # Done between planning and sending: the send finds nothing to say.
    send_due(local(2026, 12, 8, 8, 1))
    assert not Notification.objects.filter(kind="step_due").exists()
    assert reminders("step_due", source=f"step:{briefing.pk}")[0].status == "skipped"


def test_cancelling_the_visit_cancels_its_reminders(org: dict[str, Any], visit: Visit) -> None:
    reminders_plan(now=local(2026, 12, 8, 7))
    assert Reminder.objects.filter(visit=visit, status="scheduled").exists()
    visit_services.visit_cancel(actor=org["east_sales"], visit=visit, reason="客户行程取消")
    reminders_plan(now=local(2026, 12, 8, 7, 1))
    assert not Reminder.objects.filter(visit=visit, status="scheduled").exists()


def test_an_overdue_step_escalates_to_the_hosts_manager(org: dict[str, Any], visit: Visit) -> None:
    briefing = step(visit, "briefing")
    for now in (local(2026, 12, 8, 9, 1), local(2026, 12, 9, 9, 1)):  # due 12-08 09:00
        reminders_plan(now=now)
        send_due(now)
    overdue = Notification.objects.get(
        kind="step_overdue", recipient=org["east_sales"], key__contains=f":step:{briefing.pk}:"
    )
    assert "12-08 09:00" in overdue.body
    escalated = Notification.objects.get(
        kind="step_escalated", key__contains=f":step:{briefing.pk}:"
    )
    assert escalated.recipient == org["east_manager"]
    assert str(org["east_sales"]) in escalated.body


@override_settings(REMINDER_ESCALATE_AFTER_HOURS=2)
def test_escalation_delay_is_a_setting(org: dict[str, Any], visit: Visit) -> None:
    briefing = step(visit, "briefing")
    reminders_plan(now=local(2026, 12, 8, 7))
    [escalation] = reminders("step_escalated", source=f"step:{briefing.pk}")
    assert escalation.send_at == local(2026, 12, 8, 11)


def test_the_stand_in_gets_the_hosts_reminders(org: dict[str, Any], visit: Visit) -> None:
    Visit.objects.filter(pk=visit.pk).update(stand_in=org["east_sales2"])
    briefing = step(visit, "briefing")
    reminders_plan(now=local(2026, 12, 8, 7))
    [due] = reminders("step_due", source=f"step:{briefing.pk}")
    assert due.recipient == org["east_sales2"]


def test_pickup_reminds_escort_driver_and_host(org: dict[str, Any], visit: Visit) -> None:
    car = Vehicle.objects.create(plate="粤B·12345", seats=7)
    leg = visit.legs.get(direction="inbound")
    transfer = transfer_services.transfer_plan(
        actor=org["east_sales"],
        visit=visit,
        leg=leg,
        kind="pickup",
        vehicle=car,
        driver=org["driver"],
        escort=org["east_sales2"],
        escort_reason="主办人在开会",
    )
    assert transfer.leaves_at == local(2026, 12, 10, 7, 30)
    now = local(2026, 12, 10, 7, 1)
    reminders_plan(now=now)
    leave = reminders("escort_departure", source=f"transfer:{transfer.pk}")
    assert {r.recipient for r in leave} == {org["east_sales2"], org["driver"]}
    assert {r.send_at for r in leave} == {local(2026, 12, 10, 7)}
    [phone] = reminders("escort_phone", source=f"transfer:{transfer.pk}")
    assert phone.recipient == org["east_sales"] and phone.send_at == local(2026, 12, 10, 9)
    send_due(now)
    note = Notification.objects.get(kind="escort_departure", recipient=org["driver"])
    assert "CA1831" in note.body and "粤B·12345" in note.body
    assert note.link == f"/logistics/transfers/{transfer.pk}/escort/"

    # The flight is two hours late: the escort's phone call moves with the arrival.
    visit_services.leg_update(
        actor=org["east_sales"], leg=leg, data={"actual_arrival": local(2026, 12, 10, 11)}
    )
    reminders_plan(now=local(2026, 12, 10, 7, 2))
    [phone] = reminders("escort_phone", source=f"transfer:{transfer.pk}", status="scheduled")
    assert phone.send_at == local(2026, 12, 10, 11)


def test_leader_meeting_reminds_leader_and_host(org: dict[str, Any], visit: Visit) -> None:
    meeting = leaders.meeting_request(
        actor=org["east_sales"],
        visit=visit,
        leader=org["director"],
        starts_at=local(2026, 12, 10, 15),
        ends_at=local(2026, 12, 10, 15, 30),
    )
    reminders_plan(now=local(2026, 12, 10, 8))
    assert not reminders("leader_meeting")  # not accepted yet
    leaders.meeting_accept(actor=org["director"], meeting=meeting)
    reminders_plan(now=local(2026, 12, 10, 8, 1))
    got = reminders("leader_meeting", source=f"meeting:{meeting.pk}")
    assert {r.recipient for r in got} == {org["director"], org["east_sales"]}
    assert {r.send_at for r in got} == {local(2026, 12, 10, 14)}
    LeaderMeeting.objects.filter(pk=meeting.pk).update(state="cancelled")
    reminders_plan(now=local(2026, 12, 10, 8, 2))
    assert not reminders("leader_meeting", status="scheduled")


def test_follow_up_and_request_due_in_the_morning(org: dict[str, Any], visit: Visit) -> None:
    customer = visit.customer
    follow_up = FollowUp.objects.create(
        customer=customer, owner=org["east_sales"], due_date=local(2026, 12, 14).date()
    )
    request = visit_services.request_create(
        actor=org["east_sales"],
        visit=visit,
        title="寄送样品",
        owner=org["east_sales"],
        due_date=local(2026, 12, 14).date(),
    )
    reminders_plan(now=local(2026, 12, 14, 6))
    [f] = reminders("follow_up_due", source=f"follow_up:{follow_up.pk}")
    [r] = reminders("request_due", source=f"request:{request.pk}")
    assert f.send_at == r.send_at == local(2026, 12, 14, 9)
    send_due(local(2026, 12, 14, 9))
    assert "寄送样品" in Notification.objects.get(kind="request_due").title


def test_daily_digest_at_eight_and_only_when_there_is_something(
    org: dict[str, Any], visit: Visit
) -> None:
    now = local(2026, 12, 10, 8)
    reminders_plan(now=local(2026, 12, 10, 7))
    digests = reminders("daily_digest", send_at=now)
    assert {d.recipient for d in digests} >= {org["east_sales"], org["finance"]}
    send_due(now)
    host_digest = Notification.objects.get(kind="daily_digest", recipient=org["east_sales"])
    assert visit.customer.short_name or visit.customer.name in host_digest.body
    assert host_digest.link == "/visits/my-day/"
    # Finance has nothing that day: no message, the reminder is marked as such.
    assert not Notification.objects.filter(kind="daily_digest", recipient=org["finance"]).exists()
    finance = Reminder.objects.get(kind="daily_digest", recipient=org["finance"], send_at=now)
    assert finance.status == "skipped"


def test_digest_in_the_recipients_language(org: dict[str, Any], visit: Visit) -> None:
    host = org["east_sales"]
    host.language = "en"
    host.save(update_fields=["language"])
    now = local(2026, 12, 10, 8)
    reminders_plan(now=local(2026, 12, 10, 7))
    send_due(now)
    digest = Notification.objects.get(kind="daily_digest", recipient=host)
    assert digest.title == "Your day, 2026-12-10"
    assert "1 visit today" in digest.body


def test_reminders_in_chinese_by_default(org: dict[str, Any], visit: Visit) -> None:
    briefing = step(visit, "briefing")
    zh = org["east_sales2"]  # a stand-in who reads Chinese, the default language
    Visit.objects.filter(pk=visit.pk).update(stand_in=zh)
    reminders_plan(now=local(2026, 12, 8, 7))
    send_due(local(2026, 12, 8, 8, 1))
    chinese = Notification.objects.get(kind="step_due", key__contains=f":step:{briefing.pk}:")
    assert chinese.recipient == zh
    assert chinese.title == "12-08 09:00 到期：接待前沟通"


def test_every_notification_kind_the_planner_uses_exists() -> None:
    from visitflow.reminders import planning

    with open(planning.__file__, encoding="utf-8") as file:
        source = file.read()
    for kind in NotificationKind:
        if f"NotificationKind.{kind.name}" in source:
            assert kind.value in NotificationKind.values


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}, TASK_LEASE_SECONDS=60
)
def test_a_task_whose_worker_died_is_made_ready_again() -> None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from visitflow.reminders.tasks import send_reminders

    result = send_reminders.enqueue(reminder_ids=[1])
    row = DBTaskResult.objects.get(pk=result.id)
    row.status = TaskResultStatus.RUNNING
    row.save()
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - timedelta(seconds=61))
    fresh = send_reminders.enqueue(reminder_ids=[2])
    DBTaskResult.objects.filter(pk=fresh.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    assert tasks_reap_stale() == 1
    assert DBTaskResult.objects.get(pk=row.pk).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=fresh.id).status == TaskResultStatus.RUNNING


def test_scheduler_command_runs_one_tick(org: dict[str, Any], visit: Visit) -> None:
    call_command("run_scheduler", "--once")
    # Today (2026-11-27 or whenever the suite runs) has digests planned at least.
    assert Reminder.objects.exists()


def test_a_failing_reminder_does_not_stop_the_batch(
    org: dict[str, Any], visit: Visit, monkeypatch: pytest.MonkeyPatch
) -> None:
    from visitflow.reminders import services

    reminders_plan(now=local(2026, 12, 9, 9, 1))
    ids = list(
        Reminder.objects.filter(send_at__lte=local(2026, 12, 9, 9, 1)).values_list("pk", flat=True)
    )
    assert len(ids) >= 2
    real = services.render
    calls: list[int] = []

    def unreadable(reminders: Any, *, now: datetime | None = None) -> Any:
        raise RuntimeError("source unreadable")

    def flaky(reminder: Reminder, *, now: datetime | None = None) -> Any:
        calls.append(reminder.pk)
        if len(calls) == 1:
            raise RuntimeError("source unreadable")
        return real(reminder, now=now)

    # The group fails as a whole; done again one by one, only the bad reminder is left.
    monkeypatch.setattr(services, "render_many", unreadable)
    monkeypatch.setattr(services, "render", flaky)
    sent = reminders_send(reminder_ids=ids, now=local(2026, 12, 9, 9, 1))
    first = Reminder.objects.get(pk=calls[0])
    assert first.status == ReminderStatus.SCHEDULED  # retried by the next tick
    others = Reminder.objects.filter(pk__in=ids).exclude(pk=first.pk)
    assert sent >= 1
    assert others.filter(status=ReminderStatus.SENT).count() == sent
    assert not others.filter(status=ReminderStatus.SCHEDULED).exists()


def test_return_call_due_on_the_next_working_day(org: dict[str, Any], visit: Visit) -> None:
    call = step(visit, "return_call")
    # Home on Saturday evening: due Monday 09:00.
    assert call.due_at == local(2026, 12, 14, 9)
    reminders_plan(now=local(2026, 12, 14, 7))
    [due] = reminders("return_call_due", source=f"step:{call.pk}")
    assert due.send_at == local(2026, 12, 14, 8)
    assert call.state == StepState.PENDING


def test_a_group_renders_with_one_query_per_kind_of_source(
    org: dict[str, Any], visit: Visit, django_assert_max_num_queries: Any
) -> None:
    from visitflow.reminders.messages import render, render_many

    reminders_plan(now=local(2026, 12, 9, 9, 1))
    reminders = list(Reminder.objects.exclude(source__startswith="digest:"))
    sources = {r.source.partition(":")[0] for r in reminders}
    assert len(reminders) > len(sources)
    with django_assert_max_num_queries(len(sources)):
        messages = render_many(reminders, now=local(2026, 12, 9, 9, 1))
    for reminder in reminders:
        alone = render(reminder, now=local(2026, 12, 9, 9, 1))
        together = messages[reminder.pk]
        assert (alone is None) == (together is None)
        if alone is not None and together is not None:
            assert (str(alone.title), str(alone.body), alone.link) == (
                str(together.title),
                str(together.body),
                together.link,
            )


def test_only_so_many_are_handed_out_at_once(
    org: dict[str, Any], visit: Visit, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    now = local(2026, 12, 9, 9, 1)
    reminders_plan(now=now)
    due = Reminder.objects.filter(send_at__lte=now, status=ReminderStatus.SCHEDULED)
    assert due.count() >= 3
    settings.REMINDER_MAX_IN_FLIGHT = 2

    with django_capture_on_commit_callbacks(execute=False):
        assert reminders_queue_due(now=now) == 2
        assert reminders_queue_due(now=now) == 0  # two handed out and not done yet
    handed = list(due.filter(queued_until__gte=now).values_list("pk", flat=True))
    reminders_send(reminder_ids=handed, now=now)
    with django_capture_on_commit_callbacks(execute=False):
        assert reminders_queue_due(now=now) == min(2, due.count())
