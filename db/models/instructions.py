"""Leaders' instructions (领导批示) on a complaint, a finding or a task: logged, shown to the
office and to the unit concerned, and open until the office marks them handled. Rules in
services/instructions/."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models import one_of
from db.timeutil import utcnow


class InstructionTarget(StrEnum):
    COMPLAINT = "complaint"
    FINDING = "finding"
    TASK = "task"


class InstructionStatus(StrEnum):
    OPEN = "open"  # waiting for the office
    HANDLED = "handled"  # the office has acted on it, with its note


class Instruction(SQLModel, table=True):
    __table_args__ = (
        one_of("target_kind", InstructionTarget),
        one_of("status", InstructionStatus),
        # A double click on "save" gives one instruction: the key is the leader's own.
        UniqueConstraint("given_by", "client_key", name="uq_instruction_client_key"),
        # The office's open ones (workbench count, list), a unit's, and those on one record.
        Index("ix_instruction_status_given", "status", "given_at"),
        Index("ix_instruction_unit_status", "unit_id", "status"),
        Index("ix_instruction_target", "target_kind", "target_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_key: str = Field(max_length=64)
    target_kind: str = Field(max_length=20)
    target_id: int
    # The unit concerned, derived by the service from the target (a complaint's unit, a
    # finding's, a task's lead unit); None for a complaint that names no unit.
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    text: str = Field(max_length=1000)
    given_by: int = Field(foreign_key="user.id")
    given_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default=InstructionStatus.OPEN, max_length=20)
    handled_by: int | None = Field(default=None, foreign_key="user.id")
    handled_at: datetime | None = None
    handled_note: str = Field(default="", max_length=1000)
    version: int = 1
