"""Several workers handed the same deliveries at once: each is sent exactly once (the
claim with its lease is the only way to send, and only one worker can win it)."""

import random
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from tests.factories.people import make_user
from tests.notifications.conftest import BotServer
from visitflow.accounts.models import Role
from visitflow.notifications import services
from visitflow.notifications.models import (
    Delivery,
    DeliveryStatus,
    NotificationKind,
    WebhookEndpoint,
    WebhookKind,
)

WORKERS = 4
DELIVERIES = 30


def _work(ids: list[int], database: dict[str, Any] | None) -> list[str]:
    barrier = threading.Barrier(WORKERS)
    errors: list[str] = []
    lock = threading.Lock()

    def worker(seed: int) -> None:
        if database:
            # The connection handler is thread-local: this replaces "default" here only.
            connections[DEFAULT_DB_ALIAS] = SQLiteWrapper(dict(database), alias="race")
        mine = ids[:]
        random.Random(seed).shuffle(mine)
        try:
            barrier.wait(timeout=60)
            for delivery_id in mine:
                services.delivery_send(delivery_id=delivery_id)
        except Exception as exc:  # any failure fails the test below
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_workers_send_each_delivery_once(bot_server: BotServer, tmp_path: Path) -> None:
    person = make_user(role=Role.SALES)
    WebhookEndpoint.objects.create(kind=WebhookKind.WECOM, url=bot_server.url("wecom"), user=person)
    # Outside a transaction the immediate test backend sends each one as it commits;
    # queue them all again (attempt 1 done) and let the workers race for attempt 2.
    for i in range(DELIVERIES):
        services.notify(recipient=person, kind=NotificationKind.STEP_DUE, title=f"n{i}", body="")
    ids = list(Delivery.objects.values_list("pk", flat=True))
    Delivery.objects.update(status=DeliveryStatus.QUEUED)
    assert len(bot_server.requests) == DELIVERIES
    bot_server.requests.clear()

    database = None
    path = tmp_path / "race.sqlite3"
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Threads on the shared-cache in-memory test database fail on the write lock
        # instead of waiting for it, unlike the file database VisitFlow runs on; so the
        # race runs on a file copy with the same options (IMMEDIATE, WAL, busy timeout).
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        database = {**connections.settings[DEFAULT_DB_ALIAS], "NAME": str(path)}

    assert len(ids) == DELIVERIES
    assert _work(ids, database) == []

    sent_ids = [r.headers["X-VisitFlow-Delivery"] for r in bot_server.requests]
    assert sorted(sent_ids) == sorted(str(i) for i in ids)  # each once, none twice
    if database:
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT status, attempts FROM notifications_delivery").fetchall()
    else:
        rows = list(Delivery.objects.values_list("status", "attempts"))
    assert rows == [("sent", 2)] * DELIVERIES
