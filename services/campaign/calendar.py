"""When reports are due and whether one came late or is missing, in the city's days. Pure:
today and the submission's local date are passed in.

- monthly progress for month M is due on day `due_day` of month M+1 (default the 5th; a
  day past the month's end means its last day, so 31 works in February and leap years);
- the special report (专题工作报告) of a year is due on its month-day (default 12-10), the
  annual work report (年度工作报告) on its own (default 12-31).
Submitting on the due day is on time; after it, late (accepted, marked); nothing by the end
of the due day, missing."""

from __future__ import annotations

import calendar as _cal
from datetime import date
from enum import StrEnum


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"  # due, and nothing submitted
    PENDING = "pending"  # not due yet, nothing submitted


def clamp(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, _cal.monthrange(year, month)[1]))


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def monthly_due(month: date, due_day: int) -> date:
    """The day the report on `month` (any day of it) is due."""
    following = next_month(month.replace(day=1))
    return clamp(following.year, following.month, due_day)


def yearly_due(year: int, month_day: str) -> date:
    """`month_day` as "MM-DD" (a setting): the special or annual report's day that year."""
    month, day = (int(part) for part in month_day.split("-"))
    return clamp(year, month, day)


def timeliness(due: date, submitted_on: date | None, today: date) -> Timeliness:
    if submitted_on is not None:
        return Timeliness.ON_TIME if submitted_on <= due else Timeliness.LATE
    return Timeliness.MISSING if today > due else Timeliness.PENDING


def reportable_month(month: date, today: date) -> bool:
    """A report may be on the current month or an earlier one, never a future month."""
    return month.replace(day=1) <= today.replace(day=1)
