"""Days as the city counts them. Times are stored in UTC; a deadline, "today", a day's or a
month's worth of records are dates in the city's time zone (settings.time_zone)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from config import get_settings
from db.timeutil import utcnow


def today(now: datetime | None = None) -> date:
    """The city's date at `now` (default: this moment)."""
    return local_date(now or utcnow())


def local_date(moment: datetime) -> date:
    """The city's date at an aware moment."""
    return local(moment).date()


def local(moment: datetime) -> datetime:
    """An aware moment as the city's clocks show it."""
    return moment.astimezone(get_settings().zone)


def from_wall_clock(wall: datetime) -> datetime:
    """A naive wall-clock reading (a camera's EXIF time) taken as the city's time."""
    return wall.replace(tzinfo=get_settings().zone)


def start_of_day(day: date) -> datetime:
    """The moment (UTC) the city's `day` begins."""
    return datetime.combine(day, time.min, tzinfo=get_settings().zone).astimezone(UTC)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """[start, end) in UTC of a calendar month in the city."""
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start_of_day(date(year, month, 1)), start_of_day(following)
