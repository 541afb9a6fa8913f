"""`manage.py seed_demo [--customers N] [--visits N]`: the demo company and its visits,
plus optional benchmark load."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from visitflow.core import demo
from visitflow.logistics import demo as logistics_demo
from visitflow.notifications import demo as notifications_demo
from visitflow.spend.demo import seed_demo_spend
from visitflow.tradeshows.demo import seed_demo_tradeshow
from visitflow.visits import demo as visit_demo
from visitflow.visits.demo_cover import seed_demo_cover


class Command(BaseCommand):
    help = (
        "Create the demo company (13 users, 3 teams, 60 customers with contacts; password "
        f"'{demo.DEMO_PASSWORD}'). Idempotent. --customers N also bulk-inserts N more "
        "customers and --visits N more visits for benchmarks."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--customers",
            type=int,
            default=0,
            help="Also bulk-insert this many generated customers (benchmark data, no audit).",
        )
        parser.add_argument(
            "--visits",
            type=int,
            default=0,
            help="Also bulk-insert this many generated visits over the customers (benchmark "
            "data: steps, visitors and legs, no audit).",
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per insert batch.")

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["customers"]
        visits: int = options["visits"]
        if count < 0 or visits < 0:
            raise CommandError("--customers and --visits must be zero or more.")
        started = time.perf_counter()
        org = demo.seed_demo_org()
        self.stdout.write(
            f"Demo company: {org.users_created} users, {org.teams_created} teams, "
            f"{org.customers_created} customers, {org.contacts_created} contacts created "
            f"({time.perf_counter() - started:.1f}s)."
        )
        if org.users_created:
            self.stdout.write(
                f"Log in as admin, gm, director, manager_east, sales_east1, reception, driver "
                f"or finance with password '{demo.DEMO_PASSWORD}'."
            )
        started = time.perf_counter()
        demo_visits = visit_demo.seed_demo_visits()
        self.stdout.write(
            f"Demo visits: {demo_visits.visits_created} created "
            f"({time.perf_counter() - started:.1f}s)."
        )
        started = time.perf_counter()
        logistics = logistics_demo.seed_demo_logistics()
        self.stdout.write(
            f"Demo logistics: {logistics.vehicles_created} cars, {logistics.rooms_created} rooms, "
            f"{logistics.stations_created} stations, {logistics.gifts_created} gifts, "
            f"{logistics.transfers_created} transfers, {logistics.bookings_created} bookings, "
            f"{logistics.meetings_created} leader meetings created "
            f"({time.perf_counter() - started:.1f}s)."
        )
        notes = notifications_demo.seed_demo_notifications()
        self.stdout.write(
            f"Demo notifications: {notes.notifications_created} messages, "
            f"{notes.webhooks_created} team bots (switched off) created."
        )
        self.stdout.write(f"Demo business trip (SOP 5.2): {seed_demo_cover()}.")
        self.stdout.write(f"Demo trade show (SOP 5.3): {seed_demo_tradeshow()}.")
        spend = seed_demo_spend()
        self.stdout.write(
            f"Demo spend: {spend.standards_created} standards, {spend.lines_created} planned "
            f"lines, {spend.actuals_created} payments created."
        )
        if count:
            started = time.perf_counter()
            bulk = demo.bulk_customers(
                count,
                batch_size=options["batch_size"],
                progress=lambda done: self.stdout.write(f"  … {done}/{count} customers"),
            )
            self.stdout.write(
                f"Bulk: {bulk.customers_created} customers, {bulk.contacts_created} contacts "
                f"({time.perf_counter() - started:.1f}s)."
            )
        if visits:
            started = time.perf_counter()
            bulk_visits = visit_demo.bulk_visits(
                visits,
                batch_size=options["batch_size"],
                progress=lambda done: self.stdout.write(f"  … {done}/{visits} visits"),
            )
            self.stdout.write(
                f"Bulk: {bulk_visits.visits} visits, {bulk_visits.steps} steps, "
                f"{bulk_visits.visitors} visitors, {bulk_visits.legs} legs "
                f"({time.perf_counter() - started:.1f}s)."
            )
        # Fresh planner statistics: after a bulk load the old ones mislead the planner
        # (on SQLite, into sorting a whole team's customers for a page of 25).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Done."))
