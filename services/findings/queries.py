"""The read side of findings and their rectification: the cases a user may see, filtered,
counted and paged in SQL, always through the visibility filter, as small typed rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import select

from db.models import (
    Finding,
    FindingStatusChange,
    Inspection,
    Rectification,
    Unit,
    User,
)
from services.core import clock
from services.core.lifecycle import StatusChangeRow
from services.core.uow import UnitOfWork
from services.core.visibility import finding_filter
from services.findings import status as finding_status
from services.photos import evidence as photos
from services.photos.evidence import PhotoRef


@dataclass(frozen=True)
class RectificationRow:
    id: int
    text: str
    submitted_by: str
    submitted_at: datetime
    outcome: str | None
    verify_note: str
    photos: tuple[PhotoRef, ...]


@dataclass(frozen=True)
class FindingCase:
    """A finding with everything the review, rectification and verification pages show."""

    id: int
    unit_id: int
    unit: str
    inspection_id: int | None  # None: opened by the office from a complaint
    complaint_id: int | None
    visited_at: datetime  # the inspection's visit, or when the finding was opened
    category: str
    severity: str
    description: str
    responsible_person: str
    status: str
    deadline: date | None
    overdue: bool  # still waiting for the unit after the deadline
    reported_late: bool  # the latest report came after the deadline
    version: int
    photos: tuple[PhotoRef, ...]
    rectifications: tuple[RectificationRow, ...]
    history: tuple[StatusChangeRow, ...]


def _case_filters(
    actor: User, statuses, inspection_id, unit_id, finding_id, overdue_only, today
) -> list:
    where = [finding_filter(actor)]
    if statuses:
        where.append(Finding.status.in_(statuses))
    if inspection_id is not None:
        where.append(Finding.inspection_id == inspection_id)
    if unit_id is not None:
        where.append(Finding.unit_id == unit_id)
    if finding_id is not None:
        where.append(Finding.id == finding_id)
    if overdue_only:
        where.append(overdue_clause(today))
    return where


def overdue_clause(today: date):
    """finding_status.is_overdue, in SQL."""
    return Finding.status.in_(finding_status.AWAITING_UNIT) & (Finding.deadline < today)


def count_cases(
    uow: UnitOfWork, *, actor: User, statuses: tuple[str, ...] | None = None,
    inspection_id: int | None = None, unit_id: int | None = None, finding_id: int | None = None,
    overdue_only: bool = False,
) -> tuple[int, int]:
    """(all, overdue) among the findings the actor may see, counted in the database; the
    filters are list_cases's, so `all` is what paging through list_cases yields."""
    today = clock.today()
    where = _case_filters(actor, statuses, inspection_id, unit_id, finding_id, overdue_only,
                          today)
    query = (
        select(func.count(Finding.id), func.count(Finding.id).filter(overdue_clause(today)))
        .select_from(Finding)
        .join(Inspection, Finding.inspection_id == Inspection.id, isouter=True)
        .where(*where)
    )
    total, overdue = uow.session.exec(query).one()
    return total, overdue


def list_cases(
    uow: UnitOfWork,
    *,
    actor: User,
    statuses: tuple[str, ...] | None = None,
    inspection_id: int | None = None,
    unit_id: int | None = None,
    finding_id: int | None = None,
    overdue_only: bool = False,
    offset: int = 0,
    limit: int = 500,
) -> list[FindingCase]:
    """Findings the actor may see (see services.visibility), deadline first (none last),
    then by id: a total order, so pages of `limit` from `offset` neither repeat nor skip
    a finding while nothing changes. count_cases gives the total for the same filters."""
    today = clock.today()
    query = (
        select(Finding, Unit.name,
               func.coalesce(Inspection.visited_at, Finding.created_at))
        .join(Inspection, Finding.inspection_id == Inspection.id, isouter=True)
        .join(Unit, Finding.unit_id == Unit.id)
        .where(*_case_filters(actor, statuses, inspection_id, unit_id, finding_id,
                              overdue_only, today))
        .order_by(Finding.deadline.is_(None), Finding.deadline, Finding.id)
        .offset(max(offset, 0))
        .limit(limit)
    )
    s = uow.session
    rows = s.exec(query).all()
    ids = [f.id for f, _, _ in rows]
    rects = s.exec(
        select(Rectification, User.display_name)
        .join(User, Rectification.submitted_by == User.id)
        .where(Rectification.finding_id.in_(ids))
        .order_by(Rectification.id)
    ).all() if ids else []
    history = s.exec(
        select(FindingStatusChange, User.display_name)
        .join(User, FindingStatusChange.actor_id == User.id, isouter=True)
        .where(FindingStatusChange.finding_id.in_(ids))
        .order_by(FindingStatusChange.id)
    ).all() if ids else []
    refs = photos.photo_refs(
        s, actor=actor, finding_ids=ids, rectification_ids=[r_.id for r_, _ in rects]
    )
    by_finding: dict[int, list[RectificationRow]] = {}
    for rect, name in rects:
        by_finding.setdefault(rect.finding_id, []).append(
            RectificationRow(rect.id, rect.text, name, rect.submitted_at, rect.outcome,
                             rect.verify_note, tuple(refs.get(("rectification", rect.id), [])))
        )
    log: dict[int, list[StatusChangeRow]] = {}
    for change, name in history:
        log.setdefault(change.finding_id, []).append(
            StatusChangeRow(change.from_status, change.to_status, name, change.at, change.note)
        )
    return [
        FindingCase(
            f.id, f.unit_id, unit, f.inspection_id, f.complaint_id, visited, f.category, f.severity,
            f.description, f.responsible_person, f.status, f.deadline,
            finding_status.is_overdue(f.status, f.deadline, today),
            _late(f.deadline, by_finding.get(f.id, [])), f.version,
            tuple(refs.get(("finding", f.id), [])), tuple(by_finding.get(f.id, [])),
            tuple(log.get(f.id, [])),
        )
        for f, unit, visited in rows
    ]


def _late(deadline: date | None, reports: list[RectificationRow]) -> bool:
    if deadline is None or not reports:
        return False
    return clock.local_date(reports[-1].submitted_at) > deadline
