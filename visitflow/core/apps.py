from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _analyze_sqlite(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    # SQLite plans with the statistics ANALYZE leaves; without them it may pick the
    # owner index and sort, where the date index would stop after one page.
    # (PostgreSQL's autovacuum keeps its own statistics.)
    connection = connections[using]
    if connection.vendor == "sqlite" and sender.name == "visitflow.core":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class CoreConfig(AppConfig):
    name = "visitflow.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        post_migrate.connect(_analyze_sqlite, dispatch_uid="analyze_sqlite")
