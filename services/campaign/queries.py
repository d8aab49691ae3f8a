"""The read side of the campaign: the task board (battle → tasks with their latest report
and schedule status), one task with its milestones, reports, revisions and notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import select

from config import get_settings
from db.models import (
    Battle,
    Contribution,
    Milestone,
    ProgressReport,
    ProgressRevision,
    Task,
    TaskUnit,
    Unit,
    User,
)
from services.campaign import access, calendar, schedule
from services.campaign.schedule import Schedule
from services.core import clock
from services.core.permissions import can
from services.core.uow import UnitOfWork


@dataclass(frozen=True)
class TaskRow:
    id: int
    battle_id: int
    code: str
    title: str
    lead_unit_id: int
    lead_unit: str
    helpers: tuple[str, ...]  # co- and responsible units' names
    start_date: date
    due_date: date
    percent: int | None  # the latest report's
    reported_month: date | None
    status: schedule.Status
    version: int


@dataclass(frozen=True)
class BattleRow:
    id: int
    code: str
    title: str
    tasks: tuple[TaskRow, ...]


@dataclass(frozen=True)
class MilestoneRow:
    title: str
    due: date
    weight: int


@dataclass(frozen=True)
class ReportRow:
    id: int
    month: date
    percent: int
    done: str
    problems: str
    next_steps: str
    explanation: str
    measures: str
    drop_reason: str
    by: str
    submitted_at: datetime
    updated_at: datetime
    version: int
    revisions: int
    late: bool  # first submitted after its due day


@dataclass(frozen=True)
class RevisionRow:
    """What a monthly report said before one of its edits."""

    report_id: int
    percent: int
    done: str
    explanation: str
    measures: str
    by: str
    at: datetime


@dataclass(frozen=True)
class NoteRow:
    id: int
    month: date
    unit_id: int
    unit: str
    role: str
    text: str
    by: str
    at: datetime
    version: int


@dataclass(frozen=True)
class TaskDetail:
    row: TaskRow
    target: str
    milestones: tuple[MilestoneRow, ...]
    units: tuple[tuple[int, str, str], ...]  # (unit id, name, co | responsible)
    reports: tuple[ReportRow, ...]  # newest month first
    notes: tuple[NoteRow, ...]
    revisions: tuple[RevisionRow, ...] = ()  # oldest first


def board(uow: UnitOfWork, *, actor: User, today: date | None = None,
          battle_id: int | None = None, unit_id: int | None = None,
          statuses: frozenset[Schedule] | None = None) -> list[BattleRow]:
    """Every battle with the tasks the actor may read, in code order; `unit_id` keeps the
    tasks that unit leads or helps with, `statuses` the tasks in those schedule states."""
    today = today or clock.today()
    s = uow.session
    query = select(Task).where(Task.active, access.task_filter(actor))
    if battle_id is not None:
        query = query.where(Task.battle_id == battle_id)
    if unit_id is not None:
        helps = select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id)
        query = query.where((Task.lead_unit_id == unit_id) | Task.id.in_(helps))
    tasks = s.exec(query.order_by(Task.code)).all()
    rows = task_rows(uow, tasks, today)
    if statuses:
        rows = [r for r in rows if r.status.schedule in statuses]
    # The office sees a battle with no task yet (to add them); a filtered view does not.
    show_empty = can(actor, "campaign.view") and unit_id is None and not statuses
    out = []
    for b in s.exec(select(Battle).order_by(Battle.position, Battle.code)).all():
        mine = tuple(r for r in rows if r.battle_id == b.id)
        if battle_id in (None, b.id) and (mine or show_empty):
            out.append(BattleRow(b.id, b.code, b.title, mine))
    return out


def task_detail(uow: UnitOfWork, *, actor: User, task_id: int,
                today: date | None = None) -> TaskDetail:
    task = access.readable_task(uow, actor, task_id)
    s = uow.session
    [row] = task_rows(uow, [task], today or clock.today())
    marks = s.exec(select(Milestone).where(Milestone.task_id == task.id)
                   .order_by(Milestone.due_date)).all()
    units = s.exec(select(TaskUnit.unit_id, Unit.name, TaskUnit.role)
                   .join(Unit, TaskUnit.unit_id == Unit.id)
                   .where(TaskUnit.task_id == task.id).order_by(TaskUnit.role, Unit.name)).all()
    revisions = (select(ProgressRevision.report_id, func.count().label("n"))
                 .group_by(ProgressRevision.report_id).subquery())
    reports = s.exec(
        select(ProgressReport, User.display_name, revisions.c.n)
        .join(User, ProgressReport.submitted_by == User.id)
        .join(revisions, revisions.c.report_id == ProgressReport.id, isouter=True)
        .where(ProgressReport.task_id == task.id).order_by(ProgressReport.month.desc())).all()
    notes = s.exec(
        select(Contribution, Unit.name, TaskUnit.role, User.display_name)
        .join(Unit, Contribution.unit_id == Unit.id)
        .join(TaskUnit, (TaskUnit.task_id == Contribution.task_id)
              & (TaskUnit.unit_id == Contribution.unit_id), isouter=True)
        .join(User, Contribution.written_by == User.id)
        .where(Contribution.task_id == task.id)
        .order_by(Contribution.month.desc(), Unit.name)).all()
    earlier = s.exec(
        select(ProgressRevision, User.display_name)
        .join(User, ProgressRevision.edited_by == User.id)
        .join(ProgressReport, ProgressRevision.report_id == ProgressReport.id)
        .where(ProgressReport.task_id == task.id).order_by(ProgressRevision.id)).all()
    due_day = get_settings().progress_due_day

    def late(r: ProgressReport) -> bool:
        return clock.local_date(r.submitted_at) > calendar.monthly_due(r.month, due_day)

    return TaskDetail(
        row, task.target,
        tuple(MilestoneRow(m.title, m.due_date, m.weight) for m in marks),
        tuple((u, name, role) for u, name, role in units),
        tuple(ReportRow(r.id, r.month, r.percent, r.done, r.problems, r.next_steps,
                        r.explanation, r.measures, r.drop_reason, by, r.submitted_at,
                        r.updated_at, r.version, n or 0, late(r)) for r, by, n in reports),
        tuple(NoteRow(c.id, c.month, c.unit_id, unit, role or "", c.text, by, c.written_at,
                      c.version) for c, unit, role, by in notes),
        tuple(RevisionRow(v.report_id, v.percent, v.done, v.explanation, v.measures, by,
                          v.edited_at) for v, by in earlier),
    )


def task_rows(uow: UnitOfWork, tasks, today: date, *,
              as_of: date | None = None) -> list[TaskRow]:
    """Task rows with their latest report and status: three queries for any number. With
    `as_of`, as they stood at the end of that day: the latest report on its month or before."""
    if not tasks:
        return []
    s = uow.session
    ids = [t.id for t in tasks]
    reported = [ProgressReport.task_id.in_(ids)]
    if as_of is not None:
        # The work done up to that day: the reports on its month and before, even those
        # handed in after it (September's report comes in October, and tells September).
        reported.append(ProgressReport.month <= as_of.replace(day=1))
    latest = (select(ProgressReport.task_id, func.max(ProgressReport.month).label("month"))
              .where(*reported).group_by(ProgressReport.task_id)
              .subquery())
    reports = {r.task_id: r for r in s.exec(
        select(ProgressReport).join(latest, (latest.c.task_id == ProgressReport.task_id)
                                    & (latest.c.month == ProgressReport.month))).all()}
    marks: dict[int, list[schedule.Milestone]] = {}
    for m in s.exec(select(Milestone).where(Milestone.task_id.in_(ids))).all():
        marks.setdefault(m.task_id, []).append(schedule.Milestone(m.due_date, m.weight))
    names = dict(s.exec(select(Unit.id, Unit.name).where(
        Unit.id.in_({t.lead_unit_id for t in tasks}))).all())
    helpers: dict[int, list[str]] = {}
    for task_id, name in s.exec(select(TaskUnit.task_id, Unit.name)
                                .join(Unit, TaskUnit.unit_id == Unit.id)
                                .where(TaskUnit.task_id.in_(ids)).order_by(Unit.name)).all():
        helpers.setdefault(task_id, []).append(name)
    out = []
    for t in tasks:
        report = reports.get(t.id)
        percent = report.percent if report else None
        out.append(TaskRow(
            t.id, t.battle_id, t.code, t.title, t.lead_unit_id, names.get(t.lead_unit_id, ""),
            tuple(helpers.get(t.id, [])), t.start_date, t.due_date, percent,
            report.month if report else None,
            schedule.status(milestones=marks.get(t.id, []), due=t.due_date, percent=percent,
                            today=today),
            t.version))
    return out
