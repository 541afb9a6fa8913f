"""Due dates on working days: weekends, Chinese public holidays and make-up days (调休)."""

from datetime import date

import pytest
from django.test import override_settings

from tests.factories.visits import local
from visitflow.core.workdays import (
    add_working_days,
    is_working_day,
    next_working_day,
    on_working_day,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 10, 1), False),  # 国庆节
        (date(2025, 10, 8), False),  # 国庆节 + 中秋节, eight days in 2025
        (date(2025, 10, 9), True),
        (date(2025, 9, 28), True),  # a Sunday worked instead (调休)
        (date(2025, 10, 11), True),  # a Saturday worked instead (调休)
        (date(2025, 1, 28), False),  # 除夕 2025
        (date(2025, 1, 26), True),  # Sunday make-up day before Spring Festival
        (date(2026, 2, 16), False),  # Spring Festival 2026
        (date(2026, 2, 14), True),  # Saturday make-up day (调休) 2026
        (date(2026, 2, 23), False),  # last day of the nine-day 2026 Spring Festival
        (date(2026, 2, 24), True),
        (date(2026, 5, 5), False),  # 劳动节 2026
        (date(2026, 10, 1), False),  # 国庆节 2026
        (date(2026, 11, 27), True),  # an ordinary Friday
        (date(2026, 11, 28), False),  # an ordinary Saturday
    ],
)
def test_known_holidays_and_make_up_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_next_working_day_skips_the_whole_holiday() -> None:
    assert next_working_day(date(2025, 10, 1)) == date(2025, 10, 9)
    assert next_working_day(date(2026, 2, 15)) == date(2026, 2, 24)
    assert next_working_day(date(2026, 11, 27)) == date(2026, 11, 27)


def test_add_working_days_counts_make_up_saturdays() -> None:
    # Friday 2026-02-13, then the make-up Saturday the 14th, then the holiday to the 23rd.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


@override_settings(WORKING_DAYS_CALENDAR="weekends")
def test_weekends_only_setting() -> None:
    assert is_working_day(date(2025, 10, 1)) is True  # a Wednesday
    assert is_working_day(date(2026, 2, 14)) is False  # a Saturday, whatever 调休 says


def test_a_year_the_package_does_not_know_falls_back_to_weekends() -> None:
    assert is_working_day(date(2031, 1, 6)) is True  # a Monday
    assert is_working_day(date(2031, 1, 4)) is False  # a Saturday


def test_due_time_on_a_holiday_moves_to_the_next_working_morning() -> None:
    # The visitor lands home on 2026-10-01 at 20:00: the return call is due 10-08 09:00.
    assert on_working_day(local(2026, 10, 1, 20)) == local(2026, 10, 8, 9)
    assert on_working_day(local(2026, 11, 27, 20)) == local(2026, 11, 27, 20)


@override_settings(WORKING_DAYS_CALENDAR="all")
def test_every_day_setting() -> None:
    assert is_working_day(date(2025, 10, 1)) is True
    assert next_working_day(date(2026, 11, 28)) == date(2026, 11, 28)
