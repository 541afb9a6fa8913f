"""One tick of the scheduler: what `manage.py run_scheduler` does every few seconds.

Planning is the heavier part and runs at most once a minute; queueing due reminders,
sweeping deliveries that need a retry (or lost their worker) and reaping tasks whose
worker died run every tick. Each part is safe to run twice, so two schedulers (say,
during a deploy) do no harm."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from visitflow.notifications.services import deliveries_sweep
from visitflow.reminders.services import (
    reminders_plan,
    reminders_queue_due,
    tasks_reap_stale,
)

logger = logging.getLogger(__name__)

PLAN_EVERY = timedelta(seconds=60)


@dataclass
class Scheduler:
    last_plan: datetime | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def tick(self, now: datetime | None = None) -> dict[str, int]:
        now = now or timezone.now()
        counts: dict[str, int] = {}
        if self.last_plan is None or now - self.last_plan >= PLAN_EVERY:
            result = reminders_plan(now=now)
            counts.update(
                planned=result.created, cancelled=result.cancelled, revived=result.revived
            )
            self.last_plan = now
        counts["reaped"] = tasks_reap_stale(now=now)
        counts["queued"] = reminders_queue_due(now=now)
        counts["deliveries"] = deliveries_sweep(now=now)
        self.counts = counts
        return counts
