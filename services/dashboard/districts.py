"""Districts side by side: each top-level district or town (with everything under it) on
several measures of the period. Grouped in the database by the place a record belongs to,
then added up per top-level place from a few dozen rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, select

from db.models import Complaint, District, Finding, Inspection, Rectification, Unit, User
from services.campaign.calendar import Timeliness
from services.complaints import lifecycle as complaint_lifecycle
from services.core.uow import UnitOfWork
from services.dashboard import scope, tasks
from services.dashboard.kpis import DONE_INSPECTION
from services.dashboard.scope import Filters
from services.dashboard.sql import count_if, days_in, during, local_day
from services.findings import status as finding_status

MEASURES = ("complaints_per_10k", "findings_per_inspection", "rectification_on_time",
            "overdue_items", "report_timeliness")
# Which way is better, for the heat map's colours.
LOWER_IS_BETTER = frozenset({"complaints_per_10k", "findings_per_inspection", "overdue_items"})


@dataclass(frozen=True)
class DistrictRow:
    district_id: int
    district: str
    population: int | None
    complaints: int
    inspections: int
    findings: int
    rectifications_due: int
    rectifications_on_time: int
    overdue_items: int
    reports_due: int
    reports_on_time: int

    def measure(self, name: str) -> float | None:
        def share(part, whole):
            return part / whole if whole else None
        return {
            "complaints_per_10k": (self.complaints * 10_000 / self.population
                                   if self.population else None),
            "findings_per_inspection": share(self.findings, self.inspections),
            "rectification_on_time": share(self.rectifications_on_time,
                                           self.rectifications_due),
            "overdue_items": float(self.overdue_items),
            "report_timeliness": share(self.reports_on_time, self.reports_due),
        }[name]


def top_places(uow: UnitOfWork) -> tuple[dict[int, int], list[District]]:
    """Each place's top-level place, and the active top-level places in name order."""
    places = uow.session.execute(select(District)).scalars().all()
    parent = {d.id: d.parent_id for d in places}

    def top(pid: int) -> int:
        seen = set()
        while parent.get(pid) is not None and pid not in seen:
            seen.add(pid)
            pid = parent[pid]
        return pid
    tops = sorted((d for d in places if d.parent_id is None and d.active), key=lambda d: d.id)
    return {d.id: top(d.id) for d in places}, tops


def _by_place(rows, tops: dict[int, int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(lambda: [0] * 8)
    for place, *values in rows:
        if place is None or place not in tops:
            continue
        acc = out[tops[place]]
        for i, v in enumerate(values):
            acc[i] += int(v or 0)
    return out


def compare(uow: UnitOfWork, *, actor: User, filters: Filters,
            today: date) -> list[DistrictRow]:
    scope.require_viewer(actor)
    s = uow.session
    tops, places = top_places(uow)
    if filters.district_id is not None:
        places = [p for p in places if p.id == tops.get(filters.district_id)]
    places = _in_scope(uow, actor, filters, tops, places)
    period = filters.period
    where = scope.complaints(actor, filters)
    complaints = _by_place(s.execute(
        select(Complaint.district_id, func.count())
        .where(during(Complaint.received_at, period), *where)
        .group_by(Complaint.district_id)).all(), tops)
    late = _by_place(s.execute(
        select(Complaint.district_id, func.count())
        .where(days_in(Complaint.deadline, period), Complaint.deadline < today,
               Complaint.status.in_(sorted(complaint_lifecycle.AWAITING_UNIT)), *where)
        .group_by(Complaint.district_id)).all(), tops)
    visits = _by_place(s.execute(
        select(Unit.district_id, func.count()).select_from(Inspection)
        .join(Unit, Unit.id == Inspection.unit_id)
        .where(during(Inspection.visited_at, period), Inspection.status.in_(DONE_INSPECTION),
               *scope.units(actor, filters, Inspection.unit_id))
        .group_by(Unit.district_id)).all(), tops)
    seen = [scope.finding_statuses(actor), *scope.units(actor, filters, Finding.unit_id)]
    found = _by_place(s.execute(
        select(Unit.district_id, func.count()).select_from(Finding)
        .join(Unit, Unit.id == Finding.unit_id)
        .where(during(Finding.created_at, period),
               Finding.status.not_in([finding_status.DRAFT, finding_status.REJECTED]), *seen)
        .group_by(Unit.district_id)).all(), tops)
    on_time = exists().where(Rectification.finding_id == Finding.id,
                             local_day(s, Rectification.submitted_at) <= Finding.deadline)
    due = _by_place(s.execute(
        select(Unit.district_id, func.count(), count_if(on_time),
               count_if(Finding.status.in_(sorted(finding_status.AWAITING_UNIT))))
        .select_from(Finding).join(Unit, Unit.id == Finding.unit_id)
        .where(days_in(Finding.deadline, period), Finding.deadline < today,
               Finding.confirmed_at.is_not(None), *seen)
        .group_by(Unit.district_id)).all(), tops)
    reports = _reports(uow, actor, filters, today, tops)
    return [_row(p, complaints[p.id][0], late[p.id][0], visits[p.id][0], found[p.id][0],
                 due[p.id], reports[p.id]) for p in places]


def _in_scope(uow: UnitOfWork, actor: User, filters: Filters, tops: dict[int, int],
              places: list[District]) -> list[District]:
    """The places where the actor works: an inspector of a district does not see the rest
    of the city as rows of zeros (the best of the city, on figures it was never given)."""
    limits = scope.units(actor, Filters(filters.period), Unit.id)
    if not limits:
        return places
    mine = {tops.get(p) for p in uow.session.execute(
        select(Unit.district_id).where(*limits).distinct()).scalars()}
    mine.add(tops.get(actor.district_id))
    return [p for p in places if p.id in mine]


def _reports(uow, actor, filters, today, tops) -> dict[int, list[int]]:
    owed = tasks.reports_due(uow, actor, filters, filters.period, today)
    places = dict(uow.session.execute(select(Unit.id, Unit.district_id).where(
        Unit.id.in_({r.unit_id for r in owed}))).all()) if owed else {}
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in owed:
        place = places.get(r.unit_id)
        if place in tops:
            out[tops[place]][0] += 1
            out[tops[place]][1] += r.timeliness == Timeliness.ON_TIME
    return out


def _row(place: District, complaints, late, visits, found, due, reports) -> DistrictRow:
    return DistrictRow(
        place.id, place.name, place.population, complaints, visits, found,
        rectifications_due=due[0], rectifications_on_time=due[1],
        overdue_items=due[2] + late, reports_due=reports[0],
        reports_on_time=reports[1])
