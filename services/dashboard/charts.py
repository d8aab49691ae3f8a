"""The dashboard's series: complaint volume over time by channel, the units with most
complaints and findings, and where the period's findings stand in the rectification
pipeline. Grouped in the database; at most a few hundred rows come back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from db.models import Complaint, Finding, Unit, User
from services.core.uow import UnitOfWork
from services.dashboard import scope
from services.dashboard.period import Granularity, bucket_of
from services.dashboard.scope import Filters
from services.dashboard.sql import as_date, count_if, during, local_day
from services.findings import status as finding_status

TOP = 10
PIPELINE = ("found", "confirmed", "rectifying", "reported", "verified")


@dataclass(frozen=True)
class VolumePoint:
    bucket: date  # the first day of the day, week (Monday) or month
    channel: str
    complaints: int


@dataclass(frozen=True)
class UnitCount:
    unit_id: int
    unit: str
    count: int


@dataclass(frozen=True)
class Stage:
    stage: str
    count: int


def volume(uow: UnitOfWork, *, actor: User, filters: Filters) -> tuple[Granularity,
                                                                          list[VolumePoint]]:
    """Complaints received per bucket and channel; a bucket with none is not listed."""
    scope.require_viewer(actor)
    s = uow.session
    day = local_day(s, Complaint.received_at).label("day")
    rows = s.execute(
        select(day, Complaint.channel, func.count())
        .where(during(Complaint.received_at, filters.period),
               *scope.complaints(actor, filters))
        .group_by(day, Complaint.channel)).all()
    grain = filters.period.granularity
    totals: dict[tuple[date, str], int] = defaultdict(int)
    for d, channel, n in rows:
        totals[(bucket_of(as_date(d), grain), channel)] += n
    return grain, [VolumePoint(b, c, n) for (b, c), n in sorted(totals.items())]


def top_units(uow: UnitOfWork, *, actor: User, filters: Filters,
              what: str = "complaints") -> list[UnitCount]:
    """The TOP units by complaints received, or by findings found, in the period."""
    scope.require_viewer(actor)
    if what == "complaints":
        unit_id, where = Complaint.unit_id, [
            during(Complaint.received_at, filters.period), *scope.complaints(actor, filters)]
    else:
        unit_id, where = Finding.unit_id, [
            during(Finding.created_at, filters.period),
            Finding.status.not_in([finding_status.DRAFT, finding_status.REJECTED]),
            scope.finding_statuses(actor), *scope.units(actor, filters, Finding.unit_id)]
    n = func.count().label("n")
    counted = (select(unit_id.label("unit_id"), n).where(unit_id.is_not(None), *where)
               .group_by(unit_id).order_by(n.desc(), unit_id).limit(TOP).subquery())
    rows = uow.session.execute(
        select(counted.c.unit_id, Unit.name, counted.c.n)
        .join(Unit, Unit.id == counted.c.unit_id)
        .order_by(counted.c.n.desc(), counted.c.unit_id)).all()
    return [UnitCount(*r) for r in rows]


def pipeline(uow: UnitOfWork, *, actor: User, filters: Filters) -> list[Stage]:
    """The findings found in the period (rejected ones left out): how many were found, how
    many the office confirmed, and how many are now being rectified, reported fixed by the
    unit, or verified (closed). confirmed = rectifying + reported + verified."""
    scope.require_viewer(actor)
    status = Finding.status
    row = uow.session.execute(select(
        func.count(),
        count_if(Finding.confirmed_at.is_not(None)),
        count_if(status.in_(sorted(finding_status.AWAITING_UNIT))),
        count_if(status == finding_status.REPORTED),
        count_if(status == finding_status.VERIFIED),
    ).where(during(Finding.created_at, filters.period),
            status.not_in([finding_status.DRAFT, finding_status.REJECTED]),
            scope.finding_statuses(actor),
            *scope.units(actor, filters, Finding.unit_id))).one()
    return [Stage(name, int(n)) for name, n in zip(PIPELINE, row, strict=True)]
