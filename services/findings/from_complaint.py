"""A finding the office opens from a complaint: no visit, the complaint's unit, confirmed at
once with its deadline (the office is the one that confirms), so the unit rectifies and the
office verifies it like any other. One per complaint; opening it twice gives the first."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from db.models import Complaint, Finding, Severity, User
from services.complaints.visibility import complaint_visible
from services.core import audit, clock
from services.core.errors import NotFound, ValidationFailed
from services.core.idempotency import get_or_create
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.fieldwork.visits import finding_fields
from services.findings import queries
from services.findings import status as finding_status
from services.findings.review import default_deadline

CLIENT_KEY = "from-complaint"


def open_from_complaint(
    uow: UnitOfWork, *, actor: User, complaint_id: int, category: str, description: str,
    severity: str = Severity.GENERAL, deadline: date | None = None,
    responsible_person: str = "",
) -> Finding:
    require(actor, "complaint.manage")
    require(actor, "finding.review")
    complaint = uow.session.get(Complaint, complaint_id)
    if complaint is None or not complaint_visible(uow.session, actor, complaint_id):
        raise NotFound()
    if complaint.duplicate_of_id is not None:
        # The original's finding covers the matter: one rectification, counted once.
        raise ValidationFailed("finding.complaint_is_copy", original=complaint.duplicate_of_id)
    if complaint.sent_to_unit_id is None:
        # Not sent yet, or returned as not the unit's matter: no unit to answer for it.
        raise ValidationFailed("finding.complaint_needs_unit", field="complaint_unit")
    fields = finding_fields(category=category, severity=severity, description=description,
                            responsible_person=responsible_person)
    deadline = deadline or default_deadline(severity)
    if deadline < clock.today():
        raise ValidationFailed("review.deadline_past", field="deadline")

    def create() -> Finding:
        return Finding(unit_id=complaint.sent_to_unit_id, deadline=deadline, **fields)

    finding, created = get_or_create(
        uow, Finding, client_key=CLIENT_KEY,
        owner={"complaint_id": complaint.id, "inspection_id": None}, target={}, create=create,
    )
    if created:
        s = uow.session
        note = f"#{complaint.id}"
        finding_status.log_created(s, finding, actor=actor)
        finding_status.transition(s, finding, finding_status.OPEN, actor=actor, note=note)
        finding_status.transition(s, finding, finding_status.RECTIFYING, actor=actor,
                                  note=note)
        audit.record(uow, actor, "finding.from_complaint", finding)
    return finding


def opened_from(session, complaint_id: int) -> Finding | None:
    return session.exec(select(Finding).where(
        Finding.complaint_id == complaint_id, Finding.inspection_id.is_(None))).first()


def follow_reassignment(uow: UnitOfWork, *, actor: User, complaint_id: int,
                        unit_id: int) -> None:
    """A complaint sent to another unit (after a return) takes its finding along while the
    first unit has reported nothing on it; once it has, the office must settle the finding
    first, and the reassignment is refused."""
    finding = opened_from(uow.session, complaint_id)
    if finding is None or finding.unit_id == unit_id:
        return
    if finding.status != finding_status.RECTIFYING:
        raise ValidationFailed("finding.complaint_finding_reported", id=finding.id)
    finding = uow.get(Finding, finding.id)  # locked
    before = audit.state(finding)
    finding.unit_id = unit_id
    finding.version += 1
    audit.record(uow, actor, "finding.move_unit", finding, before)


def finding_of(uow: UnitOfWork, *, actor: User, complaint_id: int):
    """The finding opened from the complaint, as the reader may see it (FindingCase), or
    None: none opened, or not theirs to see."""
    found = opened_from(uow.session, complaint_id)
    if found is None:
        return None
    cases = queries.list_cases(uow, actor=actor, finding_id=found.id, limit=1)
    return cases[0] if cases else None
