"""The office reviews submitted inspections: each finding is confirmed, with a
rectification deadline, or rejected with a reason. Confirmed findings reach the unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from config import get_settings
from db.models import Finding, Inspection, Unit, User
from services.core import audit, clock
from services.core.errors import ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text
from services.fieldwork.visits import REVIEWED, SUBMITTED
from services.findings import status as finding_status


@dataclass(frozen=True)
class PendingInspection:
    id: int
    unit: str
    kind: str
    inspector: str
    visited_at: datetime
    submitted_at: datetime | None
    open_findings: int


def default_deadline(severity: str, today: date | None = None) -> date:
    return (today or clock.today()) + timedelta(days=get_settings().deadline_days(severity))


def list_pending(uow: UnitOfWork, *, actor: User) -> list[PendingInspection]:
    """Submitted inspections with findings still waiting for a decision, oldest first."""
    require(actor, "finding.review")
    open_count = func.count(Finding.id).filter(Finding.status == finding_status.OPEN)
    rows = uow.session.exec(
        select(Inspection, Unit.name, User.display_name, open_count)
        .join(Unit, Inspection.unit_id == Unit.id)
        .join(User, Inspection.inspector_id == User.id)
        .join(Finding, Finding.inspection_id == Inspection.id, isouter=True)
        .where(Inspection.status == SUBMITTED)
        .group_by(Inspection.id, Unit.name, User.display_name)
        .having(open_count > 0)
        .order_by(Inspection.submitted_at, Inspection.id)
    ).all()
    return [
        PendingInspection(i.id, u, i.kind, n, i.visited_at, i.submitted_at, c)
        for i, u, n, c in rows
    ]


def _open_finding(uow: UnitOfWork, finding_id: int, version: int | None) -> Finding:
    finding = uow.get(Finding, finding_id)
    check_version(finding.version, version)
    return finding


def _close_inspection_if_decided(uow: UnitOfWork, inspection_id: int | None) -> None:
    if inspection_id is None:  # opened from a complaint: no visit to close
        return
    s = uow.session
    undecided = s.exec(
        select(func.count()).select_from(Finding).where(
            Finding.inspection_id == inspection_id, Finding.status == finding_status.OPEN
        )
    ).one()
    insp = s.get(Inspection, inspection_id)
    if undecided == 0 and insp.status == SUBMITTED:
        insp.status = REVIEWED
        insp.version += 1
        s.add(insp)


def confirm_finding(
    uow: UnitOfWork, *, actor: User, finding_id: int, version: int | None = None,
    deadline: date | None = None, note: str = "",
) -> Finding:
    require(actor, "finding.review")
    note = clean_text(note, field="note", max_len=2000, required=False)
    finding = _open_finding(uow, finding_id, version)
    deadline = deadline or default_deadline(finding.severity)
    if deadline < clock.today():
        raise ValidationFailed("review.deadline_past", field="deadline")
    before = audit.state(finding)
    finding_status.transition(uow.session, finding, finding_status.RECTIFYING,
                              actor=actor, note=note)
    finding.deadline = deadline
    _close_inspection_if_decided(uow, finding.inspection_id)
    audit.record(uow, actor, "finding.confirm", finding, before)
    return finding


def reject_finding(
    uow: UnitOfWork, *, actor: User, finding_id: int, reason: str, version: int | None = None
) -> Finding:
    require(actor, "finding.review")
    reason = clean_text(reason, field="reason", max_len=2000)
    finding = _open_finding(uow, finding_id, version)
    before = audit.state(finding)
    finding_status.transition(uow.session, finding, finding_status.REJECTED,
                              actor=actor, note=reason)
    _close_inspection_if_decided(uow, finding.inspection_id)
    audit.record(uow, actor, "finding.reject", finding, before)
    return finding
