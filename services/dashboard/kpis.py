"""The dashboard's key figures, each for the period and for the previous period of the same
length, computed in the database: one query per family of figures, over both periods at
once. Each figure's exact definition is its help text in the catalogs (kpi.<key>.help)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, select

from db.models import (
    Complaint,
    ComplaintFollowUp,
    Finding,
    Inspection,
    InspectionStatus,
    Rectification,
    User,
)
from services.campaign.calendar import Timeliness
from services.core.uow import UnitOfWork
from services.dashboard import scope, tasks
from services.dashboard.period import Period
from services.dashboard.scope import Filters
from services.dashboard.sql import count_if, days_in, during, local_day
from services.findings import status as finding_status

SATISFIED = ("satisfied", "basically")
OPEN_FINDING = frozenset({finding_status.OPEN, finding_status.RECTIFYING,
                          finding_status.REPORTED, finding_status.REOPENED})
DONE_INSPECTION = (InspectionStatus.SUBMITTED, InspectionStatus.REVIEWED)


@dataclass(frozen=True)
class Kpi:
    key: str
    value: float | None  # None: a rate with nothing to measure in the period
    previous: float | None
    rate: bool = False  # a share between 0 and 1, else a count
    lower_is_better: bool = False
    basis: int | None = None  # a rate's denominator in the period

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _complaints(uow: UnitOfWork, actor: User, filters: Filters, today: date) -> list[Kpi]:
    s = uow.session
    cur, prev = filters.period, filters.period.previous()
    span = Period(prev.start, cur.end)
    where = scope.complaints(actor, filters)
    received = s.execute(select(
        count_if(during(Complaint.received_at, cur)),
        count_if(during(Complaint.received_at, prev)),
        count_if(during(Complaint.received_at, cur) & Complaint.escalated),
        count_if(during(Complaint.received_at, prev) & Complaint.escalated),
    ).where(during(Complaint.received_at, span), *where)).one()
    # Sent to a unit, and its answer's deadline has passed within the period.
    due = and_(Complaint.assigned_at.is_not(None), Complaint.deadline < today)
    in_time = and_(Complaint.replied_at.is_not(None),
                   local_day(s, Complaint.replied_at) <= Complaint.deadline)
    replies = s.execute(select(
        count_if(days_in(Complaint.deadline, cur)),
        count_if(days_in(Complaint.deadline, cur) & in_time),
        count_if(days_in(Complaint.deadline, prev)),
        count_if(days_in(Complaint.deadline, prev) & in_time),
    ).where(days_in(Complaint.deadline, span), due, *where)).one()
    # Every follow-up call made in the period counts, an unsatisfied one too (it reopens
    # the complaint, which the complaint's own closing would hide).
    pleased = ComplaintFollowUp.satisfaction.in_(SATISFIED)
    follow = s.execute(select(
        count_if(during(ComplaintFollowUp.at, cur)),
        count_if(during(ComplaintFollowUp.at, cur) & pleased),
        count_if(during(ComplaintFollowUp.at, prev)),
        count_if(during(ComplaintFollowUp.at, prev) & pleased),
    ).select_from(ComplaintFollowUp)
        .join(Complaint, Complaint.id == ComplaintFollowUp.complaint_id)
        .where(during(ComplaintFollowUp.at, span), *where)).one()
    return [
        Kpi("complaints", received[0], received[1]),
        Kpi("escalations", received[2], received[3], lower_is_better=True),
        Kpi("reply_on_time", _rate(replies[1], replies[0]), _rate(replies[3], replies[2]),
              rate=True, basis=replies[0]),
        Kpi("satisfaction", _rate(follow[1], follow[0]), _rate(follow[3], follow[2]),
              rate=True, basis=follow[0]),
    ]


def _fieldwork(uow: UnitOfWork, actor: User, filters: Filters, today: date) -> list[Kpi]:
    s = uow.session
    cur, prev = filters.period, filters.period.previous()
    span = Period(prev.start, cur.end)
    visits = s.execute(select(
        count_if(during(Inspection.visited_at, cur)),
        count_if(during(Inspection.visited_at, prev)),
    ).where(during(Inspection.visited_at, span), Inspection.status.in_(DONE_INSPECTION),
            *scope.units(actor, filters, Inspection.unit_id))).one()
    seen = [scope.finding_statuses(actor), *scope.units(actor, filters, Finding.unit_id)]
    still_open = Finding.status.in_(sorted(OPEN_FINDING))
    found = s.execute(select(
        count_if(during(Finding.created_at, cur) & still_open),
        count_if(during(Finding.created_at, prev) & still_open),
    ).where(during(Finding.created_at, span), Finding.status != finding_status.DRAFT,
            *seen)).one()
    # Confirmed, with a deadline that has passed within the period: on time if the unit
    # reported it fixed by the end of the deadline's day; still waiting counts as late.
    on_time = exists().where(Rectification.finding_id == Finding.id,
                             local_day(s, Rectification.submitted_at) <= Finding.deadline)
    waiting = Finding.status.in_(sorted(finding_status.AWAITING_UNIT))
    deadlines = s.execute(select(
        count_if(days_in(Finding.deadline, cur)),
        count_if(days_in(Finding.deadline, cur) & on_time),
        count_if(days_in(Finding.deadline, cur) & waiting),
        count_if(days_in(Finding.deadline, prev)),
        count_if(days_in(Finding.deadline, prev) & on_time),
        count_if(days_in(Finding.deadline, prev) & waiting),
    ).where(days_in(Finding.deadline, span), Finding.deadline < today,
            Finding.confirmed_at.is_not(None), *seen)).one()
    return [
        Kpi("inspections", visits[0], visits[1]),
        Kpi("open_findings", found[0], found[1], lower_is_better=True),
        Kpi("overdue_rectifications", deadlines[2], deadlines[5], lower_is_better=True),
        Kpi("rectification_on_time", _rate(deadlines[1], deadlines[0]),
              _rate(deadlines[4], deadlines[3]), rate=True, basis=deadlines[0]),
    ]


def _campaign(uow: UnitOfWork, actor: User, filters: Filters, today: date) -> list[Kpi]:
    if not scope.sees_tasks(actor):
        return []
    cur, prev = filters.period, filters.period.previous()
    now = tasks.schedule_counts(uow, actor, filters, cur.as_of(today))
    before = tasks.schedule_counts(uow, actor, filters, prev.as_of(today))
    owed_now = tasks.reports_due(uow, actor, filters, cur, today)
    owed_before = tasks.reports_due(uow, actor, filters, prev, today)

    def bad(rows) -> int:
        return sum(r.timeliness in (Timeliness.LATE, Timeliness.MISSING) for r in rows)
    return [
        Kpi("tasks_on_track", now.on_track, before.on_track),
        Kpi("tasks_behind", now.behind, before.behind, lower_is_better=True),
        Kpi("tasks_overdue", now.overdue, before.overdue, lower_is_better=True),
        Kpi("reports_late", bad(owed_now), bad(owed_before), lower_is_better=True),
    ]


def kpis(uow: UnitOfWork, *, actor: User, filters: Filters, today: date) -> list[Kpi]:
    scope.require_viewer(actor)
    return (_campaign(uow, actor, filters, today) + _fieldwork(uow, actor, filters, today)
            + _complaints(uow, actor, filters, today))
