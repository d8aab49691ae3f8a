"""Who reads which instructions, and the lists built on that one rule:

- the office, administrators and leaders: every instruction (a leader may ask for its own);
- a unit's liaison: those on what it may itself read now: the complaints the office sent
  to the unit, its confirmed findings, the tasks it leads or helps with (co- or
  responsible unit);
- anyone else: none.

Open ones first, newest first. A row never carries a complainant's identity (targets.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, false, or_, true
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement
from sqlmodel import func, select

from db.models import (
    Complaint,
    Finding,
    Inspection,
    Instruction,
    InstructionStatus,
    Role,
    Task,
    Unit,
    User,
)
from services.campaign.access import task_filter
from services.complaints.visibility import complaint_filter
from services.core.errors import ValidationFailed
from services.core.permissions import can, require
from services.core.uow import UnitOfWork
from services.core.visibility import finding_filter
from services.instructions import targets
from services.instructions.targets import Target

OPEN, HANDLED = InstructionStatus.OPEN, InstructionStatus.HANDLED
STATUSES = tuple(s.value for s in InstructionStatus)
LIMIT = 500


@dataclass(frozen=True)
class InstructionRow:
    id: int
    target: Target
    unit_id: int | None
    unit: str | None
    text: str
    given_by_id: int
    given_by: str
    given_at: datetime
    status: str
    handled_by: str | None
    handled_at: datetime | None
    handled_note: str
    version: int

    @property
    def open(self) -> bool:
        return self.status == OPEN


def instruction_filter(actor: User) -> ColumnElement[bool]:
    """A WHERE clause on Instruction for the instructions the actor may read."""
    if not can(actor, "instruction.view"):
        return false()
    if actor.role != Role.UNIT:
        return true()
    if actor.unit_id is None:
        return false()
    # The record as it is now, read by the liaison's own rules: a complaint the office
    # still holds (or sent on to another unit) is not the unit's, whatever unit the
    # instruction named when it was given.
    readable = {
        targets.COMPLAINT: select(Complaint.id).where(complaint_filter(actor)),
        targets.FINDING: select(Finding.id).join(
            Inspection, Finding.inspection_id == Inspection.id, isouter=True)
        .where(finding_filter(actor)),
        targets.TASK: select(Task.id).where(task_filter(actor)),
    }
    return or_(*(and_(Instruction.target_kind == kind, Instruction.target_id.in_(ids))
                 for kind, ids in readable.items()))


def list_instructions(uow: UnitOfWork, *, actor: User, status: str | None = None,
                      mine: bool = False, keep: Collection[int] = (),
                      limit: int = LIMIT) -> list[InstructionRow]:
    """The actor's list: all statuses, or only open or handled ones; `mine`, for a leader,
    only the instructions it gave itself. `keep`: ids listed whatever their status (a form
    the user is filling in on one that someone else has just handled)."""
    conditions = []
    if status is not None:
        if status not in STATUSES:
            raise ValidationFailed("error.invalid")
        conditions.append(or_(Instruction.status == status, Instruction.id.in_(list(keep))))
    if mine:
        conditions.append(Instruction.given_by == actor.id)
    return _rows(uow, actor, conditions, limit)


def on_target(uow: UnitOfWork, *, actor: User, kind: str, target_id: int,
              limit: int = LIMIT) -> list[InstructionRow]:
    """The instructions on one complaint, finding or task that the actor may read."""
    targets.check_kind(kind)
    return _rows(uow, actor, [Instruction.target_kind == kind,
                              Instruction.target_id == target_id], limit)


def count_open(uow: UnitOfWork, *, actor: User) -> int:
    """Open instructions the actor may read: the office's workbench tile."""
    require(actor, "instruction.view")
    return uow.session.exec(
        select(func.count()).select_from(Instruction)
        .where(Instruction.status == OPEN, instruction_filter(actor))).one()


def _rows(uow: UnitOfWork, actor: User, conditions: list, limit: int) -> list[InstructionRow]:
    require(actor, "instruction.view")
    giver, handler = aliased(User), aliased(User)
    rows = uow.session.exec(
        select(Instruction, Unit.name, giver.display_name, handler.display_name)
        .join(Unit, Instruction.unit_id == Unit.id, isouter=True)
        .join(giver, Instruction.given_by == giver.id)
        .join(handler, Instruction.handled_by == handler.id, isouter=True)
        .where(instruction_filter(actor), *conditions)
        .order_by(Instruction.status != OPEN, Instruction.given_at.desc(),
                  Instruction.id.desc())
        .limit(limit)).all()
    about = targets.describe(uow, {(i.target_kind, i.target_id) for i, *_ in rows})
    return [
        InstructionRow(
            id=i.id, target=about.get((i.target_kind, i.target_id),
                                      Target(i.target_kind, i.target_id)),
            unit_id=i.unit_id, unit=unit, text=i.text, given_by_id=i.given_by,
            given_by=given_by, given_at=i.given_at, status=i.status, handled_by=handled_by,
            handled_at=i.handled_at, handled_note=i.handled_note, version=i.version)
        for i, unit, given_by, handled_by in rows
    ]
