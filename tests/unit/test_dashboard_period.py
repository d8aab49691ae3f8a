"""The dashboard's periods: presets, the previous period of the same length, and how
finely a chart over the period is bucketed."""

from __future__ import annotations

from datetime import date

import pytest

from services.dashboard.period import Granularity, Period, Preset, bucket_of, preset

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(("which", "start"), [
    (Preset.MONTH, date(2026, 11, 1)), (Preset.QUARTER, date(2026, 10, 1)),
    (Preset.YEAR, date(2026, 1, 1)), (Preset.LAST12, date(2025, 11, 27))])
def test_presets_end_today(which, start) -> None:
    assert preset(which, TODAY) == Period(start, TODAY)


def test_last_twelve_months_from_a_leap_day() -> None:
    assert preset(Preset.LAST12, date(2028, 2, 29)) == Period(date(2027, 3, 1),
                                                               date(2028, 2, 29))


def test_the_previous_period_has_the_same_length_and_crosses_a_year() -> None:
    january = Period(date(2026, 1, 1), date(2026, 1, 31))
    assert january.previous() == Period(date(2025, 12, 1), date(2025, 12, 31))
    month_so_far = preset(Preset.MONTH, TODAY)
    assert month_so_far.previous() == Period(date(2026, 10, 6), date(2026, 10, 31))
    assert month_so_far.previous().days == month_so_far.days == 26


def test_granularity_follows_the_length() -> None:
    assert Period(date(2026, 1, 1), date(2026, 3, 3)).granularity == Granularity.DAY  # 62 d
    assert Period(date(2026, 1, 1), date(2026, 3, 4)).granularity == Granularity.WEEK
    assert preset(Preset.LAST12, TODAY).granularity == Granularity.WEEK
    assert Period(date(2024, 1, 1), date(2026, 1, 1)).granularity == Granularity.MONTH


def test_buckets_start_on_monday_and_on_the_first() -> None:
    assert bucket_of(date(2026, 1, 1), Granularity.WEEK) == date(2025, 12, 29)
    assert bucket_of(date(2026, 1, 31), Granularity.MONTH) == date(2026, 1, 1)
    assert bucket_of(date(2026, 1, 5), Granularity.WEEK) == date(2026, 1, 5)


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Period(date(2026, 2, 1), date(2026, 1, 1))
