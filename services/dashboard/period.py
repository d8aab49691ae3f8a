"""The dashboard's period: presets a leader picks (this month, this quarter, this year, the
last 12 months) or two dates; the previous period of the same length that every figure is
compared with; and how finely a chart over the period is bucketed (day, week, month)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Preset(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    LAST12 = "last12"
    CUSTOM = "custom"


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


# Up to two months a day per point, up to a year and a bit a week, beyond that a month: a
# volume chart keeps between about 30 and 160 points per channel.
DAYS_BY_DAY = 62
DAYS_BY_WEEK = 400


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def as_of(self, today: date) -> date:
        """The last day of the period that has happened: states are read as of it."""
        return min(self.end, today)

    @property
    def granularity(self) -> Granularity:
        if self.days <= DAYS_BY_DAY:
            return Granularity.DAY
        return Granularity.WEEK if self.days <= DAYS_BY_WEEK else Granularity.MONTH


def bucket_of(day: date, granularity: Granularity) -> date:
    if granularity == Granularity.DAY:
        return day
    if granularity == Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def preset(which: Preset | str, today: date) -> Period:
    which = Preset(which)
    if which == Preset.MONTH:
        return Period(today.replace(day=1), today)
    if which == Preset.QUARTER:
        return Period(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)
    if which == Preset.YEAR:
        return Period(date(today.year, 1, 1), today)
    if which == Preset.LAST12:
        return Period(_year_before(today) + timedelta(days=1), today)
    raise ValueError("a custom period names its own dates")


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
