"""The reminder engine: plan, queue, send — each step safe to repeat and to run twice.

- reminders_plan(): brings the Reminder rows in line with what is due (planning.py):
  new ones created, ones no longer wanted (the thing moved, was done or cancelled)
  cancelled, cancelled ones wanted again revived.
- reminders_queue_due(): hands due rows to the task workers in batches, marking them
  queued for a lease; a batch whose worker died is queued again when the lease ends.
- reminder_send(): in one transaction, takes the row if it is still scheduled, creates
  the notification with the row's key (unique) and marks the row sent. A crash before
  the commit leaves the row scheduled; a second worker finds it sent. So each reminder
  becomes exactly one notification; its deliveries (e-mail, bots) are the
  notifications app's, sent at least once with a delivery id receivers can de-duplicate.
- tasks_reap_stale(): a database-queue task left "running" by a worker that died is
  made ready again after TASK_LEASE_SECONDS (every task here is safe to run twice).
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from visitflow.notifications.models import KEYED, Delivery, Notification
from visitflow.notifications.services import (
    Draft,
    deliveries_send_claimed,
    delivery_send,
    notify,
    notify_many,
)
from visitflow.reminders.messages import render, render_many
from visitflow.reminders.models import Reminder, ReminderStatus
from visitflow.reminders.planning import Planned, planned_reminders

logger = logging.getLogger(__name__)

T = TypeVar("T")

CHUNK = 500  # rows per IN (...) list: well under SQLite's bound-parameter limit
# Reminders turned into notifications per transaction by a worker: one commit per group
# rather than per reminder; small enough that a group's messages go out within seconds.
SEND_GROUP = 25


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterable[list[T]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


@dataclass(frozen=True)
class PlanResult:
    created: int
    cancelled: int
    revived: int


def plan_window(now: datetime) -> tuple[datetime, datetime]:
    return (
        now - timedelta(hours=settings.REMINDER_CATCH_UP_HOURS),
        now + timedelta(hours=settings.REMINDER_HORIZON_HOURS),
    )


def reminders_plan(*, now: datetime | None = None) -> PlanResult:
    """Make the scheduled reminders in the planning window exactly the wanted ones."""
    now = now or timezone.now()
    start, end = plan_window(now)
    wanted: dict[str, Planned] = planned_reminders(start=start, end=end)
    keys = list(wanted)
    existing: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(keys):
        for pk, key, status in Reminder.objects.filter(key__in=chunk).values_list(
            "pk", "key", "status"
        ):
            existing[key] = (pk, status)
    new = [
        Reminder(
            key=p.key,
            kind=p.kind,
            recipient_id=p.recipient_id,
            source=p.source,
            visit_id=p.visit_id,
            due_at=p.due_at,
            send_at=p.send_at,
        )
        for key, p in wanted.items()
        if key not in existing
    ]
    revive = [pk for pk, status in existing.values() if status == ReminderStatus.CANCELLED]
    # Scheduled rows up to the end of the window that nobody wants any more; rows
    # further ahead are left alone until the window reaches them.
    unwanted = [
        pk
        for pk, key in Reminder.objects.filter(
            status=ReminderStatus.SCHEDULED, send_at__lt=end
        ).values_list("pk", "key")
        if key not in wanted
    ]
    with transaction.atomic():
        # ignore_conflicts: a second planner running at the same moment is harmless.
        Reminder.objects.bulk_create(new, batch_size=CHUNK, ignore_conflicts=True)
        stamp = timezone.now()
        revived = sum(
            Reminder.objects.filter(pk__in=chunk, status=ReminderStatus.CANCELLED).update(
                status=ReminderStatus.SCHEDULED, queued_until=None, updated=stamp
            )
            for chunk in _chunks(revive)
        )
        cancelled = sum(
            Reminder.objects.filter(pk__in=chunk, status=ReminderStatus.SCHEDULED).update(
                status=ReminderStatus.CANCELLED, queued_until=None, updated=stamp
            )
            for chunk in _chunks(unwanted)
        )
    return PlanResult(created=len(new), cancelled=cancelled, revived=revived)


def _due(now: datetime) -> Q:
    return Q(status=ReminderStatus.SCHEDULED, send_at__lte=now) & (
        Q(queued_until__isnull=True) | Q(queued_until__lt=now)
    )


def reminders_queue_due(*, now: datetime | None = None, limit: int = 20000) -> int:
    """Hand the due reminders to the workers, in batches of REMINDER_BATCH_SIZE, keeping
    at most REMINDER_MAX_IN_FLIGHT handed out and not done. Without that cap, a
    hundred thousand reminders falling due at once would all be queued, wait longer
    than their lease, and be queued again and again while the first batches run."""
    now = now or timezone.now()
    lease = now + timedelta(seconds=settings.REMINDER_QUEUE_LEASE_SECONDS)
    in_flight = Reminder.objects.filter(
        status=ReminderStatus.SCHEDULED, queued_until__gte=now
    ).count()
    limit = min(limit, settings.REMINDER_MAX_IN_FLIGHT - in_flight)
    if limit <= 0:
        return 0
    ids = list(
        Reminder.objects.filter(_due(now))
        .order_by("send_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    queued: list[int] = []
    with transaction.atomic():
        for chunk in _chunks(ids):
            Reminder.objects.filter(_due(now), pk__in=chunk).update(queued_until=lease)
            queued.extend(chunk)
        batches = list(_chunks(queued, settings.REMINDER_BATCH_SIZE))
        transaction.on_commit(lambda: _enqueue(batches))
    return len(queued)


def _enqueue(batches: list[list[int]]) -> None:
    from visitflow.reminders.tasks import send_reminders

    for batch in batches:
        try:
            send_reminders.enqueue(reminder_ids=batch)
        except Exception:  # the rows stay queued; after the lease the next tick retries
            logger.exception("could not enqueue %d reminders", len(batch))


@dataclass(frozen=True)
class SendResult:
    status: str  # "" when the reminder was no longer scheduled (sent or cancelled already)
    deliveries: list[int]


def reminder_send(*, reminder_id: int, now: datetime | None = None) -> SendResult:
    """Turn one reminder, if still scheduled, into its notification; returns what became
    of it and the deliveries (e-mail, bots) created, for the caller to send once
    committed."""
    with transaction.atomic():
        qs = Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.SCHEDULED)
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        reminder = qs.select_related("recipient").first()
        if reminder is None:
            return SendResult("", [])
        now = now or timezone.now()
        message = render(reminder, now=now)
        deliveries: list[int] = []
        if message is None:
            reminder.status = ReminderStatus.SKIPPED
        else:
            reminder.notification = notify(
                recipient=reminder.recipient,
                kind=reminder.kind,
                title=message.title,
                body=message.body,
                link=message.link,
                key=reminder.key,
                queue_deliveries=False,
            )
            reminder.status = ReminderStatus.SENT
            reminder.sent_at = now
            if reminder.notification is not None:
                deliveries = list(reminder.notification.deliveries.values_list("pk", flat=True))
        reminder.queued_until = None
        reminder.save(
            update_fields=["status", "sent_at", "notification", "queued_until", "updated"]
        )
        return SendResult(str(reminder.status), deliveries)


def _send_group(reminder_ids: list[int], now: datetime | None) -> tuple[int, list[Delivery]]:
    """Turn the still-scheduled reminders among `reminder_ids` into their notifications
    in one transaction (one commit for the group instead of one per reminder). Returns
    how many were sent and the deliveries claimed for this worker to send."""
    with transaction.atomic():
        qs = Reminder.objects.filter(pk__in=reminder_ids, status=ReminderStatus.SCHEDULED)
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        reminders = list(qs.select_related("recipient").order_by("send_at", "id"))
        if not reminders:
            return 0, []
        now = now or timezone.now()
        drafts: list[Draft] = []
        told: list[Reminder] = []
        messages = render_many(reminders, now=now)
        for reminder in reminders:
            message = messages[reminder.pk]
            if message is None:
                continue  # nothing to say any more: skipped
            drafts.append(
                Draft(
                    recipient=reminder.recipient,
                    kind=reminder.kind,
                    title=message.title,
                    body=message.body,
                    link=message.link,
                    key=reminder.key,
                )
            )
            told.append(reminder)
        made = notify_many(drafts)
        stamp = timezone.now()
        told_ids = {r.pk for r in told}
        # Two statements for the whole group (bulk_update's CASE per row cost more than
        # the rest of the group); each sent row links to the notification of its key.
        Reminder.objects.filter(pk__in=told_ids).update(
            status=ReminderStatus.SENT,
            sent_at=now,
            notification=Subquery(
                Notification.objects.filter(KEYED, key=OuterRef("key")).values("pk")[:1]
            ),
            queued_until=None,
            updated=stamp,
        )
        Reminder.objects.filter(pk__in=[r.pk for r in reminders if r.pk not in told_ids]).update(
            status=ReminderStatus.SKIPPED, queued_until=None, updated=stamp
        )
    return len(told), made.deliveries


def reminders_send(*, reminder_ids: Iterable[int], now: datetime | None = None) -> int:
    """A worker's batch, in groups of SEND_GROUP reminders: each group becomes its
    notifications in one transaction, then this worker sends the group's e-mails and bot
    messages (claimed with a lease when created, so a worker that dies here leaves them
    to the delivery sweep). A group that fails is done again one reminder per
    transaction, so one bad reminder (logged) neither undoes nor stops the others.
    Returns how many reminders were sent."""
    sent = 0
    for group in _chunks(list(reminder_ids), SEND_GROUP):
        try:
            count, deliveries = _send_group(group, now)
        except Exception:
            logger.warning("a group of %d reminders failed; sending one by one", len(group))
            sent += _send_one_by_one(group, now)
            continue
        sent += count
        deliveries_send_claimed(deliveries)
    return sent


def _send_one_by_one(reminder_ids: list[int], now: datetime | None) -> int:
    sent = 0
    for reminder_id in reminder_ids:
        try:
            result = reminder_send(reminder_id=reminder_id, now=now)
        except Exception:
            logger.exception("reminder %s could not be sent; it stays scheduled", reminder_id)
            continue
        sent += result.status == ReminderStatus.SENT
        for delivery_id in result.deliveries:
            delivery_send(delivery_id=delivery_id)
    return sent


def tasks_reap_stale(*, now: datetime | None = None) -> int:
    """Database queue only: a task "running" for longer than TASK_LEASE_SECONDS lost its
    worker (killed, machine gone). Make it ready again so another worker runs it."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return 0
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASK_LEASE_SECONDS)
    count = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("%d task(s) lost their worker and were made ready again", count)
    return count
