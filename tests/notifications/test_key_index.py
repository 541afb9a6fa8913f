"""Looking a notification up by its idempotency key uses the key's unique index. The
index is partial (empty keys are not unique), so a lookup that does not say "key not
empty" scans the whole table on both databases: with a hundred thousand reminders
that made every sent group slower than the last (found by bench/reminders.py)."""

import pytest
from django.db import connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery

from visitflow.notifications.models import KEYED, Notification
from visitflow.reminders.models import Reminder

pytestmark = pytest.mark.django_db
INDEX = "notification_key_unique"


def plan(sql: str, params: tuple[object, ...]) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A small table would be scanned anyway: ask whether the index can be used.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row) for row in cursor.fetchall())


def explain(qs: QuerySet[Notification]) -> str:
    sql, params = qs.query.sql_with_params()
    return plan(sql, params)


def test_lookups_by_key_use_the_index() -> None:
    assert INDEX in explain(Notification.objects.filter(KEYED, key="reminder:1"))
    assert INDEX in explain(Notification.objects.filter(KEYED, key__in=["a", "b"]))


def test_the_reminders_link_to_their_notification_by_the_index() -> None:
    """The UPDATE of a sent group (reminders.services._send_group) finds each reminder's
    notification through the index, not by scanning."""
    subquery = Subquery(Notification.objects.filter(KEYED, key=OuterRef("key")).values("pk")[:1])
    qs = Reminder.objects.filter(pk__in=[1, 2]).annotate(found=subquery).values("found")
    sql, params = qs.query.sql_with_params()
    assert INDEX in plan(sql, params)


def test_without_the_condition_the_index_is_not_used() -> None:
    """Why KEYED is needed (if a database learns to prove it, this test may go)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL proves key = 'x' excludes '' for constants")
    assert INDEX not in explain(Notification.objects.filter(key="reminder:1"))
