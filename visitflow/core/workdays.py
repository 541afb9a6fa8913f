"""Working days for due dates: weekends, and with WORKING_DAYS_CALENDAR = "cn" the Chinese
public holidays and their make-up working days (调休), from the `chinese-calendar` package
("weekends": Saturdays and Sundays only; "all": every day is a working day).

A return call or follow-up due on 国庆节 is due on the first working day after it; a
Saturday that is a make-up working day counts as a working day. For a year the package
does not know yet (it is updated when the State Council publishes the next year's
schedule, usually in November), only weekends are skipped and a warning is logged once."""

import logging
from datetime import date, datetime, time, timedelta
from functools import cache

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

# Far more than any run of holidays (Spring Festival is 9 days at most).
MAX_SKIP_DAYS = 31


def calendar_name() -> str:
    return str(getattr(settings, "WORKING_DAYS_CALENDAR", "cn") or "weekends")


@cache
def _warn_unknown_year(year: int) -> None:
    logger.warning(
        "chinese-calendar has no holiday schedule for %s; only weekends are skipped. "
        "Upgrade the package when the schedule is published.",
        year,
    )


def is_working_day(day: date) -> bool:
    name = calendar_name()
    if name == "all":  # a company that works every day
        return True
    if name == "cn":
        import chinese_calendar

        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            _warn_unknown_year(day.year)
    return day.weekday() < 5


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    for offset in range(MAX_SKIP_DAYS):
        candidate = day + timedelta(days=offset)
        if is_working_day(candidate):
            return candidate
    return day


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (count 0: next_working_day(day))."""
    current = next_working_day(day)
    for _ in range(count):
        current = next_working_day(current + timedelta(days=1))
    return current


def on_working_day(moment: datetime, *, start_hour: int = 9) -> datetime:
    """A due time moved to the next working day when it falls on a day off, at
    `start_hour` local time there (the visitor is home on Sunday evening: the return call
    is due Monday morning, or after the holiday)."""
    local = timezone.localtime(moment)
    day = next_working_day(local.date())
    if day == local.date():
        return moment
    return timezone.make_aware(datetime.combine(day, time(start_hour)), local.tzinfo)
