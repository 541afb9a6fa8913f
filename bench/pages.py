"""Server time and SQL query count of the main pages against a large customer book.

    VISITFLOW_TESTING=1 .venv/bin/python bench/pages.py [--customers N] [--visits N] [--repeat R]
    DATABASE_URL=postgres://user:pw@host:5432/db ... bench/pages.py   # PostgreSQL

Uses its own database, recreated on every run (SQLite: var/bench/bench.sqlite3;
PostgreSQL: <db>_bench next to the database DATABASE_URL names), migrates it, seeds the
demo company plus N bulk customers and V bulk visits (`seed_demo --customers N --visits
V`; 200,000 visits by default, --visits 0 leaves the visit pages out), then requests each
page in-process with django.test.Client, logged in (force_login) as a sales manager who
sees one team and as the administrator who sees everything; "My day" and the calendar
feed also as the salesperson who hosts the most visits. Reports p50/p95 of the wall time
of Client.get() (the whole Django stack: middleware, session, view, template) and the
number of SQL queries of one request. Writes bench/results-<engine>.json (with --only
NAME, bench/results-<engine>-NAME.json: the dashboard pages alone, say).

DEBUG is forced off, as in production. On SQLite the connection is reopened on every
request (CONN_MAX_AGE 0, the project's setting), so that cost is in every number.
"""

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MANAGER = "manager_south"  # his team covers 深圳, the city of the filter page
ADMIN = "admin"
DEMO_HOST = "sales_south1"  # hosts demo visits (made by the services, with checklists)


@dataclass
class Result:
    page: str
    user: str
    url: str
    status: int | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    mean_ms: float | None = None
    queries: int | None = None
    slowest_query_ms: float | None = None
    slowest_query: str = ""
    query_log: list[tuple[float, str]] = field(default_factory=list)
    note: str = ""


def prepare_database(*, reuse: bool) -> tuple[str, str]:
    """Point the settings at the bench database (recreated unless reuse); return
    (engine label, description). Must run before django.setup()."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        path = ROOT / "var" / "bench" / "bench.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["SQLITE_PATH"] = str(path)
        return "sqlite", str(path.relative_to(ROOT))
    import psycopg

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit(f"Unsupported DATABASE_URL scheme {parts.scheme!r}.")
    source_db = parts.path.lstrip("/") or "postgres"
    bench_db = f"{source_db}_bench"
    if not reuse:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{bench_db}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + quote(bench_db)))
    return "postgresql", f"{parts.hostname}:{parts.port or 5432}/{bench_db}"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def measure(client: Any, page: str, user: str, url: str, repeat: int, warmup: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Result(page=page, user=user, url=url)
    try:
        response = client.get(url)
    except Exception as exc:  # a page being written right now may still fail
        result.note = f"skipped: {type(exc).__name__}: {str(exc)[:120]}"
        return result
    result.status = response.status_code
    if response.status_code != 200:
        result.note = f"skipped: HTTP {response.status_code}"
        return result
    for _ in range(warmup):
        client.get(url)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    # Counted on a separate request: capturing SQL costs time of its own.
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    result.p50_ms = round(statistics.median(timings), 2)
    result.p95_ms = round(percentile(timings, 95), 2)
    result.mean_ms = round(statistics.fmean(timings), 2)
    result.queries = len(ctx.captured_queries)
    if ctx.captured_queries:
        slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]))
        result.slowest_query_ms = round(float(slowest["time"]) * 1000, 2)
        result.slowest_query = slowest["sql"][:2000]
        result.query_log = [
            (round(float(q["time"]) * 1000, 2), q["sql"][:160]) for q in ctx.captured_queries
        ]
    return result


def seed(customers: int, visits: int, *, reuse: bool, engine: str) -> dict[str, float]:
    from django.core.management import call_command
    from django.db import connection

    from visitflow.customers.models import Customer
    from visitflow.visits.models import Visit

    timings: dict[str, float] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate_s"] = round(time.perf_counter() - started, 1)
    existing = Customer.objects.count()
    existing_visits = Visit.objects.count()
    if reuse and existing >= customers and existing_visits >= visits:
        print(f"Reusing the bench database: {existing} customers, {existing_visits} visits.")
        return timings
    started = time.perf_counter()
    call_command("seed_demo", customers=customers, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    timings["seed_s"] = round(time.perf_counter() - started, 1)
    print(f"Seeded {Customer.objects.count()} customers in {timings['seed_s']} s.")
    if visits:
        started = time.perf_counter()
        call_command("seed_demo", visits=visits, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        timings["seed_visits_s"] = round(time.perf_counter() - started, 1)
        print(f"Seeded {Visit.objects.count()} visits in {timings['seed_visits_s']} s.")
    if engine == "postgresql":
        # Autovacuum would analyze the fresh tables within a minute; don't wait for it.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return timings


def bench_pages() -> list[tuple[str, str]]:
    from visitflow.customers.models import Customer

    # One customer of the manager's team: visible to both the manager and the administrator.
    team = Customer.objects.filter(owner__team__manager__username=MANAGER, is_active=True)
    customer = team.order_by("pk")[team.count() // 2]
    fragment = customer.short_name[:2] or customer.name[2:4]
    return [
        ("floor (HttpResponse)", "/bench/floor/"),
        ("customer list", "/customers/"),
        ("list search", f"/customers/?q={quote(fragment)}"),
        ("list filter", f"/customers/?level=A&city={quote('深圳')}"),
        ("customer page", f"/customers/{customer.pk}/"),
        ("API list", "/api/customers"),
        ("API search", f"/api/customers?q={quote(fragment)}"),
    ]


def busiest_host() -> str:
    """The salesperson hosting the most visits: the fullest "My day" and feed."""
    from django.db.models import Count

    from visitflow.accounts.models import Role, User

    user = (
        User.objects.filter(role=Role.SALES)
        .annotate(n=Count("hosted_visits"))
        .order_by("-n", "pk")
        .first()
    )
    return user.username if user else DEMO_HOST


def feed_url(username: str) -> tuple[str, str]:
    """The calendar feed URL of a user (token made through visitflow.accounts.feeds), or a
    note why it cannot be measured."""
    try:
        from visitflow.accounts.feeds import calendar_feed_token_create
        from visitflow.visits.calendar import feed_path
    except ImportError as exc:
        return "", f"skipped: calendar feed not available ({exc})"
    from visitflow.accounts.models import User

    token = calendar_feed_token_create(user=User.objects.get(username=username))
    return feed_path(token.token), ""


def visit_pages(username: str) -> list[tuple[str, str]]:
    """The visit pages as `username` sees them."""
    from django.utils import timezone

    from visitflow.visits.models import Visit, VisitStatus

    team = Visit.objects.filter(
        customer__owner__team__manager__username=MANAGER, customer__is_active=True
    )
    # A bulk visit (steps, party, legs) and a demo one (made by the services: checklists,
    # requests, audit timeline), both of the manager's team.
    bulk = team.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk").first()
    demo = (
        team.filter(host__username=DEMO_HOST, status=VisitStatus.IN_PROGRESS).first()
        or team.filter(host__username=DEMO_HOST).order_by("pk").first()
    )
    pages = [
        ("visit list", "/visits/?period="),
        ("visits upcoming", "/visits/?period=upcoming"),
        ("visits past", "/visits/?period=past"),
    ]
    if bulk is not None:
        pages.append(("visit page", f"/visits/{bulk.pk}/"))
    if demo is not None:
        pages.append(("visit page (demo)", f"/visits/{demo.pk}/"))
    pages += [("My day", "/visits/my-day/"), ("API visits", "/api/visits")]
    pages += dashboard_pages()
    return pages


def dashboard_pages() -> list[tuple[str, str]]:
    """The dashboard (its default twelve weeks, and a year) and the quality report."""
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    year = f"/reports/?start={today - timedelta(days=364)}&end={today}"
    return [
        ("dashboard", "/reports/"),
        ("dashboard, a year", year),
        ("quality report", "/reports/quality/"),
    ]


def print_table(results: list[Result]) -> None:
    from urllib.parse import unquote

    header = f"{'page':<22} {'user':<13} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7}  url / note"
    print(header)
    print("-" * len(header))
    for r in results:
        if r.p50_ms is None:
            print(f"{r.page:<22} {r.user:<13} {'-':>8} {'-':>8} {'-':>7}  {r.note}")
            continue
        print(
            f"{r.page:<22} {r.user:<13} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} {r.queries:>7}  "
            f"{unquote(r.url)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument(
        "--visits",
        type=int,
        default=200_000,
        help="Bulk visits to seed and measure the visit pages with (0: customer pages only).",
    )
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep the bench database of the last run when it has enough customers.",
    )
    parser.add_argument(
        "--only",
        default="",
        help="Measure only the pages whose name contains this (e.g. dashboard).",
    )
    args = parser.parse_args()

    os.environ["VISITFLOW_TESTING"] = "1"
    # WhiteNoise warns that collectstatic never ran; irrelevant here.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    os.environ.pop("DEBUG", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    engine, where = prepare_database(reuse=args.reuse)

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client, override_settings

    from visitflow.accounts.models import User
    from visitflow.customers.models import Contact, Customer
    from visitflow.visits.models import Visit, VisitStep

    print(f"Bench database: {engine} {where}")
    seed_timings = seed(args.customers, args.visits, reuse=args.reuse, engine=engine)

    results: list[Result] = []
    with override_settings(
        ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]
    ):
        for username in (MANAGER, ADMIN):
            client = Client()
            client.force_login(User.objects.get(username=username))
            pages = bench_pages()
            if args.visits:
                pages += visit_pages(username)
            for page, url in pages:
                if args.only not in page:
                    continue
                result = measure(client, page, username, url, args.repeat, args.warmup)
                results.append(result)
        if args.visits:
            host = busiest_host()
            client = Client()
            client.force_login(User.objects.get(username=host))
            own = [("My day", "/visits/my-day/"), ("API visits", "/api/visits")]
            for page, url in own + dashboard_pages()[:1]:
                if args.only not in page:
                    continue
                results.append(measure(client, page, host, url, args.repeat, args.warmup))
            for username in (host, MANAGER) if args.only in "calendar feed" else ():
                url, note = feed_url(username)
                if not url:
                    results.append(Result(page="calendar feed", user=username, url="", note=note))
                    continue
                # The feed is fetched by calendar apps: no session, the token is the key.
                anonymous = Client()
                results.append(
                    measure(anonymous, "calendar feed", username, url, args.repeat, args.warmup)
                )

    print()
    print_table(results)
    report = {
        "engine": engine,
        "database": where,
        "customers": Customer.objects.count(),
        "contacts": Contact.objects.count(),
        "visits": Visit.objects.count(),
        "visit_steps": VisitStep.objects.count(),
        "repeat": args.repeat,
        "warmup": args.warmup,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "django": django.get_version(),
        **seed_timings,
        "results": [asdict(r) for r in results],
    }
    suffix = f"-{args.only.replace(' ', '-')}" if args.only else ""
    out = ROOT / "bench" / f"results-{engine}{suffix}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nWrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
