"""Date arithmetic the database does natively, for reports over many rows (issue 9).

Django's time-zone aware TruncWeek/TruncMonth and `__date` run, on SQLite, a Python
function for every row: at 200,000 visits the dashboard spent most of its time there.
These do the same in the database's own code:

- `bucket()` numbers rows by the period (week, month) they fall in, with plain
  comparisons against the periods' boundaries (aware datetimes computed in Python);
- `LocalDate` is the calendar day of a timestamp in the company's time zone: on
  PostgreSQL exactly (`AT TIME ZONE`); on SQLite with the zone's offset at the time of the
  query, exact for zones without daylight saving time, such as China's.
"""

from collections.abc import Sequence
from datetime import date, datetime, time
from itertools import pairwise
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, DateField, Func, IntegerField, Value, When
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone


def local_midnight(day: date) -> datetime:
    """The start of a day in the current time zone: a boundary for bucket()."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def next_month(first: date) -> date:
    """The first day of the month after the one `first` is in."""
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


def bucket(field: str, boundaries: Sequence[datetime]) -> Case:
    """0 for rows before boundaries[1], 1 before boundaries[2], …; None outside
    [boundaries[0], boundaries[-1])."""
    whens = [
        When(**{f"{field}__gte": low, f"{field}__lt": high}, then=Value(index))
        for index, (low, high) in enumerate(pairwise(boundaries))
    ]
    return Case(*whens, default=None, output_field=IntegerField())


class LocalDate(Func):
    """The day of a timestamp in the current time zone, as a date."""

    output_field = DateField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        offset = timezone.localtime().utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset else 0
        return self.as_sql(
            compiler, connection, template=f"date(%(expressions)s, '{minutes:+d} minutes')"
        )

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        zone = timezone.get_current_timezone_name().replace("'", "")
        return self.as_sql(
            compiler, connection, template=f"((%(expressions)s) AT TIME ZONE '{zone}')::date"
        )
