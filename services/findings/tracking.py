"""Rectification tracking (整改跟踪, issue 10): what falls due this week, who is overdue, what
was reopened, and each unit's on-time rate. Counted and grouped in SQL, always through the
reader's visibility filter (services/core/visibility.finding_filter): a leader reads the
confirmed findings, an inspector those of their scope, the office everything.

Days are the city's (services/core/clock). A finding keeps one deadline, its latest: a
reopen (services/findings/rectification.verify) replaces it with a new one.

On-time rate of a unit over a period (the page shows the same words: the catalogs'
tracking.on_time_definition):

- measured: the unit's confirmed findings whose deadline falls within the period and that
  are either reported fixed by the unit (status reported or verified) or still waiting for
  the unit after the deadline (overdue). A finding still waiting before or on its deadline
  is not counted yet: it can still be on time.
- on time: reported fixed, and the latest report was submitted on or before the deadline's
  day (city day).
- late: reported after the deadline's day, or still waiting after it.
- reopened: the report the office sent back no longer counts. The finding is judged again
  by its next report against its new deadline: while it waits and that deadline has not
  passed it is not counted; once it passes unreported it counts as late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import select

from db.models import District, Finding, FindingStatusChange, Inspection, Rectification, Unit, User
from services.core import clock
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.visibility import finding_filter
from services.dashboard.period import Granularity, Period, bucket_of
from services.dashboard.sql import as_date, count_if, days_in, during, local_day
from services.findings import status as finding_status
from services.findings.queries import overdue_clause

CAPABILITY = "findings.register"
# A list shows at most this many findings; its count says how many there are.
LIST_LIMIT = 200
REPORTED_FIXED = (finding_status.REPORTED, finding_status.VERIFIED)


def this_year(today: date | None = None) -> Period:
    """The default period: the calendar year of today."""
    year = (today or clock.today()).year
    return Period(date(year, 1, 1), date(year, 12, 31))


def week_of(day: date) -> Period:
    """The ISO week (Monday to Sunday) that holds `day`."""
    monday = bucket_of(day, Granularity.WEEK)
    return Period(monday, monday + timedelta(days=6))


@dataclass(frozen=True)
class TrackedRow:
    """One finding in a tracking list."""

    id: int
    unit_id: int
    unit: str
    category: str
    severity: str
    description: str
    status: str
    deadline: date | None
    overdue: bool


@dataclass(frozen=True)
class DueThisWeek:
    week: Period
    total: int
    overdue: int  # of those, already past their deadline (earlier this week)
    rows: tuple[TrackedRow, ...]  # deadline first, at most LIST_LIMIT


@dataclass(frozen=True)
class OverdueUnit:
    unit_id: int
    unit: str
    district: str | None  # None: a city-level unit
    overdue: int
    oldest_deadline: date
    oldest_days: int  # days past the oldest deadline, today


@dataclass(frozen=True)
class ReopenedRow:
    finding: TrackedRow
    times: int  # reopened this many times in all
    in_period: int  # of which within the period
    last_reopened_at: datetime


@dataclass(frozen=True)
class Reopened:
    current: tuple[ReopenedRow, ...]  # reopened now, waiting for the unit again
    in_period: tuple[ReopenedRow, ...]  # reopened at least once within the period
    current_total: int
    in_period_total: int


@dataclass(frozen=True)
class UnitOnTime:
    unit_id: int
    unit: str
    district: str | None
    measured: int
    on_time: int
    reported_late: int
    overdue: int  # still waiting after the deadline

    @property
    def rate(self) -> float:
        return self.on_time / self.measured


@dataclass(frozen=True)
class OnTime:
    period: Period
    units: tuple[UnitOnTime, ...]  # worst rate first; units with nothing measured left out
    measured: int
    on_time: int

    @property
    def rate(self) -> float | None:
        return self.on_time / self.measured if self.measured else None


def _row_columns():
    return (Finding.id, Finding.unit_id, Unit.name, Finding.category, Finding.severity,
            Finding.description, Finding.status, Finding.deadline)


def _seen(actor: User, *columns):
    """SELECT of `columns` over the findings the actor may see, with their unit."""
    return (
        select(*columns)
        .select_from(Finding)
        .join(Inspection, Finding.inspection_id == Inspection.id, isouter=True)
        .join(Unit, Finding.unit_id == Unit.id)
        .where(finding_filter(actor))
    )


def _tracked(row, today: date) -> TrackedRow:
    fid, unit_id, unit, category, severity, description, status, deadline = row[:8]
    return TrackedRow(fid, unit_id, unit, category, severity, description, status, deadline,
                      finding_status.is_overdue(status, deadline, today))


def due_this_week(uow: UnitOfWork, *, actor: User, today: date | None = None) -> DueThisWeek:
    """Confirmed findings waiting for the unit (being rectified, or reopened) whose deadline
    falls in the current ISO week, Monday to Sunday: due in the days left, or already
    overdue since Monday."""
    require(actor, CAPABILITY)
    today = today or clock.today()
    week = week_of(today)
    where = (Finding.status.in_(finding_status.AWAITING_UNIT), days_in(Finding.deadline, week))
    s = uow.session
    total, overdue = s.exec(
        _seen(actor, func.count(Finding.id), count_if(Finding.deadline < today)).where(*where)
    ).one()
    rows = s.exec(
        _seen(actor, *_row_columns()).where(*where)
        .order_by(Finding.deadline, Unit.name, Finding.id).limit(LIST_LIMIT)
    ).all()
    return DueThisWeek(week, total, int(overdue), tuple(_tracked(r, today) for r in rows))


def overdue_by_unit(uow: UnitOfWork, *, actor: User,
                    today: date | None = None) -> list[OverdueUnit]:
    """Per unit with any: its findings waiting past their deadline, and how many days the
    oldest deadline has passed. Worst first: most overdue, then the oldest, then by name."""
    require(actor, CAPABILITY)
    today = today or clock.today()
    place = aliased(District)
    count, oldest = func.count(Finding.id), func.min(Finding.deadline)
    rows = uow.session.exec(
        _seen(actor, Unit.id, Unit.name, place.name, count, oldest)
        .join(place, Unit.district_id == place.id, isouter=True)
        .where(overdue_clause(today))
        .group_by(Unit.id, Unit.name, place.name)
        .order_by(count.desc(), oldest, Unit.name, Unit.id)
    ).all()
    out = []
    for unit_id, unit, district, n, first in rows:
        first = as_date(first)
        out.append(OverdueUnit(unit_id, unit, district, n, first, (today - first).days))
    return out


def reopened(uow: UnitOfWork, *, actor: User, period: Period | None = None,
             today: date | None = None) -> Reopened:
    """Findings the office reopened (the status log says so): those reopened now, and those
    reopened at least once within the period (by the city's day of the reopen), latest
    reopen first."""
    require(actor, CAPABILITY)
    today = today or clock.today()
    period = period or this_year(today)
    log = FindingStatusChange
    reopen = log.to_status == finding_status.REOPENED
    # Each list's findings narrow the status log before it is grouped (at city scale,
    # grouping every reopen of every finding was most of the time); the groups of those
    # findings are whole, so their counts do not change.
    now = select(Finding.id).where(Finding.status == finding_status.REOPENED)
    lately = select(log.finding_id).where(reopen, during(log.at, period))

    def listed(which) -> tuple[int, tuple[ReopenedRow, ...]]:
        reopens = (
            select(log.finding_id.label("fid"), func.count().label("times"),
                   count_if(during(log.at, period)).label("in_period"),
                   func.max(log.at).label("last"))
            .where(reopen, log.finding_id.in_(which))
            .group_by(log.finding_id)
            .subquery()
        )

        def of(*columns):
            return _seen(actor, *columns).join(reopens, reopens.c.fid == Finding.id)
        total = uow.session.exec(of(func.count(Finding.id))).one()
        rows = uow.session.exec(
            of(*_row_columns(), reopens.c.times, reopens.c.in_period, reopens.c.last)
            .order_by(reopens.c.last.desc(), Finding.id.desc()).limit(LIST_LIMIT)
        ).all()
        return total, tuple(ReopenedRow(_tracked(r, today), r[8], int(r[9]), r[10])
                            for r in rows)

    current_total, current = listed(now)
    period_total, in_period = listed(lately)
    return Reopened(current, in_period, current_total, period_total)


def on_time_by_unit(uow: UnitOfWork, *, actor: User, period: Period | None = None,
                    today: date | None = None) -> OnTime:
    """Each unit's on-time rate over the period, as the module's docstring defines it
    (the catalogs' tracking.on_time_definition says the same); worst rate first, then the
    most measured, then by name."""
    require(actor, CAPABILITY)
    today = today or clock.today()
    period = period or this_year(today)
    s = uow.session
    reported = Finding.status.in_(REPORTED_FIXED)
    due = days_in(Finding.deadline, period)
    # The latest report, looked up per finding reported fixed (index-only: 0023's
    # ix_rectification_finding_submitted), rather than grouped for every finding.
    latest = (
        select(func.max(Rectification.submitted_at))
        .where(Rectification.finding_id == Finding.id)
        .correlate(Finding)
        .scalar_subquery()
    )
    waiting_late = overdue_clause(today)
    in_time = reported & (local_day(s, latest) <= Finding.deadline)
    # Counted per unit id first, the unit's name and place joined to the ~2,000 sums after.
    per_unit = (
        select(Finding.unit_id, func.count(Finding.id).label("n"),
               count_if(in_time).label("good"), count_if(reported).label("fixed"),
               count_if(waiting_late).label("late"))
        .select_from(Finding)
        .join(Inspection, Finding.inspection_id == Inspection.id, isouter=True)
        .where(finding_filter(actor), Finding.status.in_(finding_status.CONFIRMED), due,
               reported | waiting_late)
        .group_by(Finding.unit_id)
        .subquery()
    )
    place = aliased(District)
    rows = s.exec(
        select(Unit.id, Unit.name, place.name, per_unit.c.n, per_unit.c.good,
               per_unit.c.fixed, per_unit.c.late)
        .join(per_unit, per_unit.c.unit_id == Unit.id)
        .join(place, Unit.district_id == place.id, isouter=True)
    ).all()
    units = [
        UnitOnTime(unit_id, unit, district, n, int(good), int(fixed) - int(good), int(late))
        for unit_id, unit, district, n, good, fixed, late in rows
    ]
    units.sort(key=lambda u: (u.rate, -u.measured, u.unit, u.unit_id))
    return OnTime(period, tuple(units), sum(u.measured for u in units),
                  sum(u.on_time for u in units))
