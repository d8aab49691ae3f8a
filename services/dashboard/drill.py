"""The lists behind a chart: the findings (and the tasks) that a selected bar, point or cell
stands for, with the dashboard's filters. Complaints are listed by the complaint register's
own query (services/complaints/queries.py), which masks complainants by role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from db.models import Finding, Inspection, Unit, User
from services.core.uow import UnitOfWork
from services.core.visibility import finding_filter
from services.dashboard import scope
from services.dashboard.scope import Filters
from services.dashboard.sql import days_in, during
from services.findings import status as finding_status

LIMIT = 200  # a drill-down shows the first ones; the full lists page through the rest

# Pipeline stage -> the statuses it lists.
STAGES = {
    "found": None,
    "confirmed": tuple(sorted(finding_status.CONFIRMED)),
    "rectifying": tuple(sorted(finding_status.AWAITING_UNIT)),
    "reported": (finding_status.REPORTED,),
    "verified": (finding_status.VERIFIED,),
}


@dataclass(frozen=True)
class FindingRow:
    id: int
    unit: str
    category: str
    severity: str
    description: str
    status: str
    created_at: datetime
    deadline: date | None
    overdue: bool


def findings(uow: UnitOfWork, *, actor: User, filters: Filters, today: date,
             unit_id: int | None = None, district_id: int | None = None,
             stage: str | None = None, overdue: bool = False) -> list[FindingRow]:
    """Found in the period (or, `overdue`, with a deadline passed in the period and still
    waiting for the unit), newest first, at most LIMIT."""
    scope.require_viewer(actor)
    narrowed = Filters(filters.period, district_id or filters.district_id, filters.industry_id)
    where = [finding_filter(actor), scope.finding_statuses(actor),
             Finding.status.not_in([finding_status.DRAFT, finding_status.REJECTED]),
             *scope.units(actor, narrowed, Finding.unit_id)]
    waiting = Finding.status.in_(sorted(finding_status.AWAITING_UNIT))
    if overdue:
        where += [days_in(Finding.deadline, filters.period), Finding.deadline < today, waiting]
    else:
        where.append(during(Finding.created_at, filters.period))
    if unit_id is not None:
        where.append(Finding.unit_id == unit_id)
    if stage and STAGES.get(stage):
        where.append(Finding.status.in_(STAGES[stage]))
    rows = uow.session.execute(
        select(Finding, Unit.name).join(Unit, Unit.id == Finding.unit_id)
        .join(Inspection, Finding.inspection_id == Inspection.id, isouter=True)
        .where(*where).order_by(Finding.created_at.desc(), Finding.id.desc())
        .limit(LIMIT)).all()
    return [FindingRow(f.id, unit, f.category, f.severity, f.description, f.status,
                       f.created_at, f.deadline,
                       f.status in finding_status.AWAITING_UNIT and f.deadline is not None
                       and f.deadline < today)
            for f, unit in rows]
