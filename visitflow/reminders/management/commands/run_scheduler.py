"""Run the reminder scheduler: plan reminders, hand due ones to the task workers, retry
deliveries, recover tasks whose worker died. One per installation is enough (two are
harmless). `make run` starts it beside the web server and the worker."""

import logging
import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from visitflow.reminders.scheduler import Scheduler

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Plan and queue reminders, retry deliveries, recover lost tasks (loops)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Run one tick and exit (cron, tests)."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between ticks (default: REMINDER_TICK_SECONDS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"] or settings.REMINDER_TICK_SECONDS
        scheduler = Scheduler()
        stopping: list[int] = []

        def stop(signum: int, _frame: object) -> None:
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            try:
                counts = scheduler.tick()
            except Exception:  # a bad tick is logged; the next one tries again
                logger.exception("scheduler tick failed")
            else:
                if any(counts.values()):
                    self.stdout.write(" ".join(f"{name}={value}" for name, value in counts.items()))
            if options["once"]:
                return
            # Like a request: a connection that broke or outlived CONN_MAX_AGE is replaced.
            close_old_connections()
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.5, interval))
