"""The reminder pipeline run for real, out of process, with a worker killed mid-way.

A fresh database (a SQLite file, or a new PostgreSQL database) is migrated and seeded
with `reminders` follow-ups due today, each owner with a personal WeCom bot pointing at a
local receiver on 127.0.0.1. Then `run_scheduler` and N `db_worker` processes start, all
due at once; when a share of the messages has arrived, one worker is killed with
SIGKILL and another started in its place. The receiver counts what arrives.

Used by tests/reminders/test_crash.py (small) and bench/reminders.py (large)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


class Receiver:
    """A WeCom-style bot on 127.0.0.1 that records each delivery id and when it came."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.first_seen: dict[str, float] = {}
        self.requests = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, as the vendors' endpoints do: a worker reuses its connection.
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # or each answer waits for a delayed ACK

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                delivery = self.headers.get("X-VisitFlow-Delivery", "")
                ok = body.get("msgtype") == "markdown" and bool(delivery)
                with receiver.lock:
                    receiver.requests += 1
                    receiver.first_seen.setdefault(delivery, time.time())
                answer = {"errcode": 0 if ok else 40008, "errmsg": "ok" if ok else "bad body"}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=bench"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def distinct(self) -> int:
        with self.lock:
            return len(self.first_seen)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Result:
    database: str
    reminders: int
    workers: int
    killed: bool
    notifications: int = 0
    distinct_notification_keys: int = 0
    deliveries_sent: int = 0
    received_distinct: int = 0
    received_total: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    reminder_statuses: dict[str, int] = field(default_factory=dict)
    plan_seconds: float = 0.0

    @property
    def repeats(self) -> int:
        return self.received_total - self.received_distinct

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    def summary(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "reminders": self.reminders,
            "workers": self.workers,
            "killed_one_worker": self.killed,
            "notifications": self.notifications,
            "received_distinct": self.received_distinct,
            "received_total": self.received_total,
            "repeats": self.repeats,
            "seconds": round(self.seconds, 2),
            "per_second": round(self.received_distinct / self.seconds, 1) if self.seconds else 0,
            "delay_p50_s": round(self.percentile(0.5), 2),
            "delay_p99_s": round(self.percentile(0.99), 2),
            "mean_delay_s": round(statistics.fmean(self.latencies), 2) if self.latencies else 0,
            "reminder_statuses": self.reminder_statuses,
        }


SEED = """
from datetime import date
from django.utils import timezone
from visitflow.accounts.models import Role, Team, User
from visitflow.customers.models import Customer, CustomerLevel
from visitflow.notifications.models import NotificationPreference, WebhookEndpoint
from visitflow.visits.models import FollowUp

count, people, url = {count}, {people}, {url!r}
team = Team.objects.create(name="压测部")
owners = [
    User.objects.create(username=f"bench{{i}}", role=Role.SALES, team=team, language="zh-hans")
    for i in range(people)
]
for owner in owners:
    WebhookEndpoint.objects.create(kind="wecom", url=url, user=owner, is_active=True)
    NotificationPreference.objects.create(user=owner, kind="follow_up_due", personal_webhook=True)
    # The day's digest (due at 08:00 China time) stays in the app: the receiver counts
    # the follow-up reminders alone, whatever the time of day the run starts.
    NotificationPreference.objects.create(user=owner, kind="daily_digest")
level = CustomerLevel.objects.order_by("id").first()
customers = Customer.objects.bulk_create(
    [Customer(name=f"压测客户{{i}}", owner=owners[i % people], level=level) for i in range(count)],
    batch_size=2000,
)
today = timezone.localdate()
FollowUp.objects.bulk_create(
    [FollowUp(customer=c, owner_id=c.owner_id, due_date=today) for c in customers],
    batch_size=2000,
)
print("seeded", count)
"""


def _env(database_url: str | None, sqlite_path: Path) -> dict[str, str]:
    # Workers write and reuse compiled bytecode as they would in production, so that a
    # worker's start-up is not counted as delay.
    unwanted = ("VISITFLOW_TESTING", "DEBUG", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(
        SQLITE_PATH=str(sqlite_path),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="ERROR",
        # Everything due is due now: follow-ups are reminded from midnight of their day.
        REMINDER_DAY_START_HOUR="0",
        NOTIFICATION_DELIVERY_LEASE_SECONDS="6",
        NOTIFICATION_REQUEUE_SECONDS="6",
        # The killed worker's task runs again after this (the reminders' own lease, for a
        # task lost altogether, keeps its default).
        TASK_LEASE_SECONDS="20",
        NOTIFICATION_RETRY_BACKOFF_SECONDS="1,2,4",
        PYTHONUNBUFFERED="1",
        NOTIFICATION_WEBHOOK_HOSTS="127.0.0.1",  # the receiver stands in for WeCom
    )
    return env


def _manage(env: dict[str, str], *args: str, **popen: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=popen.pop("stdout", subprocess.DEVNULL),
        stderr=popen.pop("stderr", subprocess.DEVNULL),
        **popen,
    )


def _check(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr.decode()[-3000:]}")
    return done.stdout.decode()


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class _Database:
    """A throw-away database and a plain DB-API connection to count rows in it."""

    def __init__(self, kind: str, tmp: Path) -> None:
        self.kind = kind
        self.sqlite_path = tmp / "crash.sqlite3"
        self.url: str | None = None
        if kind == "postgresql":
            base = os.environ.get("BENCH_DATABASE_URL") or os.environ["DATABASE_URL"]
            parsed = urlparse(base)
            self.name = f"visitflow_crash_{os.getpid()}_{secrets.token_hex(3)}"
            self.admin = urlunparse(parsed._replace(path="/postgres"))
            self.url = urlunparse(parsed._replace(path=f"/{self.name}"))
            self._admin(f'CREATE DATABASE "{self.name}"')

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.kind == "postgresql":
            import psycopg

            assert self.url is not None
            with psycopg.connect(self.url) as conn:
                return list(conn.execute(sql).fetchall())  # type: ignore[arg-type]
        with sqlite3.connect(self.sqlite_path, timeout=30) as conn:
            return list(conn.execute(sql).fetchall())

    def drop(self) -> None:
        if self.kind == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run(
    *,
    tmp: Path,
    reminders: int,
    workers: int = 2,
    kill: bool = True,
    kill_at: float = 0.3,
    database: str = "sqlite",
    people: int = 20,
    timeout: float = 600,
) -> Result:
    db = _Database(database, tmp)
    env = _env(db.url, db.sqlite_path)
    receiver = Receiver()
    processes: list[subprocess.Popen[bytes]] = []
    result = Result(database=database, reminders=reminders, workers=workers, killed=False)
    try:
        _check(env, "migrate", "--noinput")
        _check(env, "shell", "-c", SEED.format(count=reminders, people=people, url=receiver.url))
        started = time.time()
        _check(env, "run_scheduler", "--once")  # the first plan: every reminder is created
        result.plan_seconds = time.time() - started
        worker_args = ("db_worker", "--no-reload", "--interval", "0.05", "--no-startup-delay")
        processes = [_manage(env, *worker_args) for _ in range(workers)]
        t0 = time.time()
        processes.append(_manage(env, "run_scheduler", "--interval", "0.5"))
        deadline = t0 + timeout
        while receiver.distinct() < reminders and time.time() < deadline:
            if kill and not result.killed and receiver.distinct() >= kill_at * reminders:
                # A worker dies mid-run, holding whatever it was doing; another starts.
                os.killpg(processes[0].pid, signal.SIGKILL)
                processes[0].wait()
                result.killed = True
                processes.append(_manage(env, *worker_args))
            time.sleep(0.05)
        last = time.time()
        # Anything the killed worker had half-done must not arrive a second time later.
        time.sleep(2)
        for process in processes:
            _stop(process)
        with receiver.lock:
            result.received_distinct = len(receiver.first_seen)
            result.received_total = receiver.requests
            arrivals = list(receiver.first_seen.values())
        result.seconds = (max(arrivals) if arrivals else last) - t0
        result.latencies = [arrival - t0 for arrival in arrivals]
        rows = db.query(
            "SELECT COUNT(*), COUNT(DISTINCT key) FROM notifications_notification "
            "WHERE kind = 'follow_up_due'"
        )
        result.notifications, result.distinct_notification_keys = rows[0]
        result.deliveries_sent = db.query(
            "SELECT COUNT(*) FROM notifications_delivery WHERE status = 'sent'"
        )[0][0]
        result.reminder_statuses = dict(
            db.query(
                "SELECT status, COUNT(*) FROM reminders_reminder "
                "WHERE kind = 'follow_up_due' GROUP BY status"
            )
        )
    finally:
        for process in processes:
            if process.poll() is None:
                _stop(process, signal.SIGKILL)
        receiver.close()
        db.drop()
    return result
