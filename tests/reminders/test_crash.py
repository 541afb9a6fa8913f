"""Issue 5, "Reliability test": with the database queue, two workers and reminders all due
at once, one worker is killed with SIGKILL mid-way and another started; every reminder
still becomes exactly one notification and reaches the bot (counted at a receiver on
127.0.0.1). A worker killed between the bot's answer and recording it may leave that one
delivery to be sent again after its lease: the receiver sees the repeat (same
X-VisitFlow-Delivery id) and the test allows at most one per killed worker."""

import os
from pathlib import Path

import pytest

from tests.reminders.crash import run

# Out of process: the workers need a database of their own, not the test transaction.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REMINDERS = 300


@pytest.mark.parametrize("database", ["postgresql" if os.environ.get("DATABASE_URL") else "sqlite"])
def test_a_killed_worker_loses_and_repeats_nothing(tmp_path: Path, database: str) -> None:
    result = run(
        tmp=tmp_path, reminders=REMINDERS, workers=2, kill=True, database=database, timeout=240
    )
    summary = result.summary()
    assert result.killed, summary
    # Every reminder became exactly one notification, and was marked sent.
    assert result.notifications == REMINDERS, summary
    assert result.distinct_notification_keys == REMINDERS, summary
    assert result.reminder_statuses == {"sent": REMINDERS}, summary
    # Every one reached the bot; the killed worker may have left one in flight.
    assert result.received_distinct == REMINDERS, summary
    assert result.deliveries_sent == REMINDERS, summary
    assert result.repeats <= 1, summary
