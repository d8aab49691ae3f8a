"""SQL pieces the dashboard's aggregates share: a moment's day in the city (for grouping by
day in the database, on SQLite and PostgreSQL alike), a period as a range of moments, and
conditional counts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from config import get_settings
from services.core import clock
from services.dashboard.period import Period


def local_day(session: Session, moment: ColumnElement) -> ColumnElement:
    """The city's date of a stored UTC moment, as the database computes it. SQLite shifts
    by the zone's offset (the city's zone keeps one offset all year; China has had no
    daylight saving since 1991); PostgreSQL converts by the zone's name."""
    zone = get_settings().zone
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(str(zone), moment))
    minutes = int(datetime.now(zone).utcoffset().total_seconds() // 60)
    return func.date(moment, f"{minutes:+d} minutes")


def during(moment: ColumnElement, period: Period) -> ColumnElement[bool]:
    """The moment falls on one of the period's days, in the city's time."""
    return and_(moment >= clock.start_of_day(period.start),
                moment < clock.start_of_day(period.end + timedelta(days=1)))


def days_in(day: ColumnElement, period: Period) -> ColumnElement[bool]:
    return and_(day >= period.start, day <= period.end)


def count_if(condition) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def as_date(value) -> date:
    """A date from a database's date result (SQLite gives text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
