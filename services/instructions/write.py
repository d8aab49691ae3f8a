"""Giving an instruction (a leader) and marking it handled (the office). Both audited in
the caller's transaction; neither commits."""

from __future__ import annotations

from datetime import datetime

from db.models import Instruction, InstructionStatus, User
from db.timeutil import utcnow
from services.core import audit
from services.core.errors import Conflict
from services.core.idempotency import get_or_create
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text
from services.instructions import targets

TEXT_MAX = NOTE_MAX = 1000
KEY_MAX = 64


def give(uow: UnitOfWork, *, actor: User, kind: str, target_id: int, text: str,
         client_key: str, now: datetime | None = None) -> Instruction:
    """A leader's instruction on a complaint, finding or task it may read. The same client
    key (a double click, a retry) gives the instruction it made the first time."""
    require(actor, "instruction.give")
    targets.check_kind(kind)
    text = clean_text(text, field="instruction_text", max_len=TEXT_MAX)
    client_key = clean_text(client_key, field="client_key", max_len=KEY_MAX)
    unit_id = targets.concerned_unit(uow, actor, kind, target_id)
    row, created = get_or_create(
        uow, Instruction, client_key=client_key, owner={"given_by": actor.id},
        target={"target_kind": kind, "target_id": target_id},
        create=lambda: Instruction(unit_id=unit_id, text=text, given_at=now or utcnow(),
                                   status=InstructionStatus.OPEN))
    if created:
        audit.record(uow, actor, "instruction.give", row)
    return row


def handle(uow: UnitOfWork, *, actor: User, instruction_id: int, note: str,
           version: int | None, now: datetime | None = None) -> Instruction:
    """The office marks an open instruction handled, saying what it did. A form based on an
    older copy is refused as stale; an instruction handled already is refused."""
    require(actor, "instruction.handle")
    note = clean_text(note, field="instruction_note", max_len=NOTE_MAX)
    row = uow.get(Instruction, instruction_id)  # locked: two clerks cannot both handle it
    check_version(row.version, version)
    if row.status == InstructionStatus.HANDLED:
        raise Conflict("instruction.already_handled")
    before = audit.state(row)
    row.status, row.handled_by = InstructionStatus.HANDLED, actor.id
    row.handled_at, row.handled_note = now or utcnow(), note
    row.version += 1
    uow.session.add(row)
    audit.record(uow, actor, "instruction.handle", row, before)
    return row
