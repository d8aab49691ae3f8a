"""The five campaigns (五大攻坚战) and their tasks: battles, tasks with their lead, co- and
responsible units and weighted milestones, monthly progress by the lead unit (an edit keeps
the earlier text as a revision), the other units' contribution notes. Rules in
services/campaign/."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.models import one_of
from db.timeutil import utcnow


class WorkReportKind(StrEnum):
    SPECIAL = "special"  # 专题工作报告: each lead unit, by 12-10
    ANNUAL = "annual"  # 年度工作报告: every unit, by 12-31


class WorkReportStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class HallPlanStatus(StrEnum):
    REQUIRED = "required"  # the office asked the unit to move in; nothing written yet
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"  # with the office's comments, back to the unit


class TaskRole(StrEnum):
    CO = "co"  # 协办单位
    RESPONSIBLE = "responsible"  # 责任单位


class Battle(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    title: str = Field(max_length=100)
    position: int = 0
    version: int = 1


class Task(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    battle_id: int = Field(foreign_key="battle.id", index=True)
    code: str = Field(max_length=20, unique=True)
    title: str = Field(max_length=200)
    target: str = Field(default="", max_length=2000)
    start_date: date
    due_date: date
    lead_unit_id: int = Field(foreign_key="unit.id", index=True)  # 牵头单位
    active: bool = True
    version: int = 1


class TaskUnit(SQLModel, table=True):
    """A co-unit or responsible unit of a task (the lead unit is on the task itself)."""

    __tablename__ = "task_unit"
    __table_args__ = (one_of("role", TaskRole),)

    task_id: int = Field(foreign_key="task.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)
    role: str = Field(max_length=20)


class Milestone(SQLModel, table=True):
    __table_args__ = (CheckConstraint("weight BETWEEN 1 AND 100", name="weight_range"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    title: str = Field(max_length=200)
    due_date: date
    weight: int  # points of the task's 100


class ProgressReport(SQLModel, table=True):
    """The lead unit's report on one task for one month; a second report for the month is
    an edit of this row, the earlier text kept in progress_revision."""

    __tablename__ = "progress_report"
    __table_args__ = (
        UniqueConstraint("task_id", "month", name="uq_progress_task_month"),
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    month: date  # the first day of the month reported on
    percent: int
    done: str = Field(max_length=4000)  # what was done
    problems: str = Field(default="", max_length=4000)
    next_steps: str = Field(default="", max_length=4000)
    # Owed when the task is behind: why (说明原因) and the measures to catch up (整改措施).
    explanation: str = Field(default="", max_length=4000)
    measures: str = Field(default="", max_length=4000)
    drop_reason: str = Field(default="", max_length=1000)  # when percent falls
    submitted_by: int = Field(foreign_key="user.id")
    submitted_at: datetime = Field(default_factory=utcnow)  # the first submission: lateness
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class ProgressRevision(SQLModel, table=True):
    """What a monthly report said before an edit."""

    __tablename__ = "progress_revision"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="progress_report.id", index=True)
    percent: int
    done: str = Field(max_length=4000)
    problems: str = Field(default="", max_length=4000)
    next_steps: str = Field(default="", max_length=4000)
    explanation: str = Field(default="", max_length=4000)
    measures: str = Field(default="", max_length=4000)
    edited_by: int = Field(foreign_key="user.id")
    edited_at: datetime = Field(default_factory=utcnow)


class Contribution(SQLModel, table=True):
    """A co-unit's or responsible unit's note on what it did for the task that month."""

    __table_args__ = (
        UniqueConstraint("task_id", "month", "unit_id", name="uq_contribution_unit_month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    month: date
    unit_id: int = Field(foreign_key="unit.id")
    text: str = Field(max_length=4000)
    written_by: int = Field(foreign_key="user.id")
    written_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class WorkReport(SQLModel, table=True):
    """A unit's special or annual work report for a year: drafts saved, then submitted once.
    Late or missing comes from the calendar (services/campaign/work_reports.py)."""

    __tablename__ = "work_report"
    __table_args__ = (
        UniqueConstraint("kind", "year", "unit_id", name="uq_work_report_unit_year"),
        one_of("kind", WorkReportKind),
        one_of("status", WorkReportStatus),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    year: int
    unit_id: int = Field(foreign_key="unit.id", index=True)
    text: str = Field(default="", max_length=20000)
    explanation: str = Field(default="", max_length=4000)
    measures: str = Field(default="", max_length=4000)
    status: str = Field(default=WorkReportStatus.DRAFT, max_length=20)
    created_by: int = Field(foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = None
    submitted_by: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


class HallPlan(SQLModel, table=True):
    """A unit's plan for moving into the government service hall (进驻政务大厅工作方案):
    the approval items it brings, its working rules and staffing, and the office's
    decision. One per unit; its status changes are logged (hall_plan_status_change)."""

    __tablename__ = "hall_plan"
    __table_args__ = (one_of("status", HallPlanStatus),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", unique=True)
    approval_items: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    rules: str = Field(default="", max_length=8000)
    staffing: str = Field(default="", max_length=2000)
    status: str = Field(default=HallPlanStatus.REQUIRED, max_length=20, index=True)
    office_comment: str = Field(default="", max_length=2000)
    submitted_at: datetime | None = None
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = 1


class HallPlanStatusChange(SQLModel, table=True):
    __tablename__ = "hall_plan_status_change"
    __table_args__ = (
        one_of("to_status", HallPlanStatus),
        one_of("from_status", HallPlanStatus, nullable=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    hall_plan_id: int = Field(foreign_key="hall_plan.id", index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)
    note: str = Field(default="", max_length=2000)
