"""Dates are the city's, whatever the server's clock or UTC say."""

from datetime import UTC, date, datetime

import pytest

import config
from services.core import clock


@pytest.fixture(autouse=True)
def shanghai(monkeypatch):
    monkeypatch.setenv("TIME_ZONE", "Asia/Shanghai")
    config.get_settings.cache_clear()


def test_late_evening_utc_is_already_tomorrow_in_the_city():
    evening = datetime(2024, 12, 31, 23, 30, tzinfo=UTC)  # 07:30 on 1 January in Shanghai
    assert clock.today(evening) == date(2025, 1, 1)
    assert clock.local_date(evening) == date(2025, 1, 1)
    assert clock.local_date(datetime(2024, 12, 31, 15, 59, tzinfo=UTC)) == date(2024, 12, 31)


def test_today_without_a_moment_is_now_in_the_city():
    assert clock.today() == datetime.now(UTC).astimezone(config.get_settings().zone).date()


def test_a_city_day_starts_at_four_pm_utc_the_day_before():
    assert clock.start_of_day(date(2025, 3, 1)) == datetime(2025, 2, 28, 16, 0, tzinfo=UTC)
    assert clock.start_of_day(date(2025, 3, 1)).tzinfo == UTC


def test_december_ends_where_january_begins_across_the_year_end():
    start, end = clock.month_bounds(2024, 12)
    assert start == datetime(2024, 11, 30, 16, 0, tzinfo=UTC)
    assert end == datetime(2024, 12, 31, 16, 0, tzinfo=UTC)
    assert clock.month_bounds(2025, 1)[0] == end
    assert clock.local_date(end) == date(2025, 1, 1)


def test_february_of_a_leap_year_has_29_city_days():
    start, end = clock.month_bounds(2024, 2)
    assert (end - start).days == 29


def test_a_camera_wall_clock_reading_is_the_city_time():
    taken = clock.from_wall_clock(datetime(2025, 1, 1, 7, 30))
    assert taken.astimezone(UTC) == datetime(2024, 12, 31, 23, 30, tzinfo=UTC)
    assert clock.local(taken.astimezone(UTC)).hour == 7
