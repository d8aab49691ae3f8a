"""Battles and tasks as the office and administrators edit them: code, title, target, dates,
weighted milestones, the lead unit, co-units and responsible units. A task is saved whole
(its milestones and units replaced) or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import delete, func, select

from db.models import Battle, Milestone, ProgressReport, Task, TaskRole, TaskUnit, Unit, User
from services.core import audit
from services.core.errors import Conflict, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due: date
    weight: int


def save_battle(uow: UnitOfWork, *, actor: User, code: str, title: str, position: int = 0,
                battle_id: int | None = None, version: int | None = None) -> Battle:
    require(actor, "campaign.manage")
    code = clean_text(code, field="code", max_len=20)
    title = clean_text(title, field="title", max_len=100)
    battle = uow.get(Battle, battle_id) if battle_id is not None else Battle(code=code,
                                                                             title=title)
    if battle_id is not None:
        check_version(battle.version, version)
    clash = uow.session.exec(select(Battle.id).where(
        func.upper(Battle.code) == code.upper())).first()
    if clash is not None and clash != battle_id:
        raise Conflict("campaign.code_taken", field="code", code=code)
    before = audit.state(battle) if battle_id is not None else None
    battle.code, battle.title, battle.position = code, title, position
    if before is not None:
        battle.version += 1
    uow.session.add(battle)
    uow.flush()
    audit.record(uow, actor, "battle.update" if before else "battle.create", battle, before)
    return battle


def save_task(
    uow: UnitOfWork, *, actor: User, battle_id: int | None, code: str, title: str, target: str = "",
    start_date: date, due_date: date, lead_unit_id: int | None,
    co_unit_ids: Sequence[int] = (), responsible_unit_ids: Sequence[int] = (),
    milestones: Sequence[MilestoneInput] = (), task_id: int | None = None,
    version: int | None = None,
) -> Task:
    require(actor, "campaign.manage")
    code = clean_text(code, field="code", max_len=20)
    title = clean_text(title, field="title", max_len=200)
    target = clean_text(target, field="target", max_len=2000, required=False)
    if battle_id is None:
        raise ValidationFailed("campaign.battle_required", field="battle")
    uow.get(Battle, battle_id)
    if start_date > due_date:
        raise ValidationFailed("campaign.dates_order", field="due_date")
    helpers = _check_units(uow, lead_unit_id, co_unit_ids, responsible_unit_ids)
    marks = _check_milestones(milestones, start_date, due_date)
    task = uow.get(Task, task_id) if task_id is not None else None
    if task is not None:
        check_version(task.version, version)
    # "b4-t2" is "B4-T2" to a reader: codes are unique whatever their case.
    clash = uow.session.exec(select(Task.id).where(func.upper(Task.code) == code.upper())).first()
    if clash is not None and clash != task_id:
        raise Conflict("campaign.code_taken", field="code", code=code)
    if task is not None:
        first = uow.session.exec(select(func.min(ProgressReport.month)).where(
            ProgressReport.task_id == task.id)).one()
        if first is not None and first < start_date.replace(day=1):
            raise ValidationFailed("campaign.reports_before_start", field="start_date",
                                   month=first.strftime("%Y-%m"))
    before = _state(uow, task) if task is not None else None
    task = task or Task(battle_id=battle_id, code=code, title=title, start_date=start_date,
                        due_date=due_date, lead_unit_id=lead_unit_id)
    task.battle_id, task.code, task.title, task.target = battle_id, code, title, target
    task.start_date, task.due_date, task.lead_unit_id = start_date, due_date, lead_unit_id
    if before is not None:
        task.version += 1
    uow.session.add(task)
    uow.flush()
    s = uow.session
    s.exec(delete(TaskUnit).where(TaskUnit.task_id == task.id))
    s.exec(delete(Milestone).where(Milestone.task_id == task.id))
    for unit_id, role in helpers.items():
        s.add(TaskUnit(task_id=task.id, unit_id=unit_id, role=role))
    for m in marks:
        s.add(Milestone(task_id=task.id, title=m.title, due_date=m.due, weight=m.weight))
    uow.flush()
    audit.event(uow, actor, "task.update" if before else "task.create", task, before=before,
                after=_state(uow, task))
    return task


def _check_units(uow: UnitOfWork, lead: int | None, co: Sequence[int],
                 responsible: Sequence[int]) -> dict[int, str]:
    if lead is None:
        raise ValidationFailed("campaign.lead_required", field="lead_unit")
    helpers = {u: TaskRole.CO.value for u in co}
    for u in responsible:
        if helpers.get(u) == TaskRole.CO:
            raise ValidationFailed("campaign.unit_twice", field="responsible_units")
        helpers[u] = TaskRole.RESPONSIBLE.value
    if lead in helpers:
        raise ValidationFailed("campaign.lead_also_helper", field="co_units")
    for unit_id in (lead, *helpers):
        # Locked: an administrator deactivating the unit meanwhile waits, then sees the task.
        unit = uow.session.get(Unit, unit_id, with_for_update=uow.write or None)
        if unit is None or not unit.active:
            raise ValidationFailed("campaign.unit_inactive", field="lead_unit",
                                   unit=unit.name if unit else str(unit_id))
    return helpers


def _check_milestones(milestones: Sequence[MilestoneInput], start: date,
                      due: date) -> list[MilestoneInput]:
    # Numbered as the office entered them: "milestone 5" is the fifth row of its table.
    for n, m in enumerate(milestones, start=1):
        clean_text(m.title, field="milestones", max_len=200)
        if not start <= m.due <= due:
            raise ValidationFailed("campaign.milestone_outside", field="milestones", n=n)
        if isinstance(m.weight, bool) or not isinstance(m.weight, int) or not 1 <= m.weight <= 100:
            raise ValidationFailed("campaign.milestone_weight", field="milestones", n=n)
    marks = sorted(milestones, key=lambda m: m.due)
    if marks and sum(m.weight for m in marks) != 100:
        raise ValidationFailed("campaign.weights_sum", field="milestones",
                               total=sum(m.weight for m in marks))
    return [MilestoneInput(m.title.strip(), m.due, m.weight) for m in marks]


def _state(uow: UnitOfWork, task: Task) -> dict:
    """The task with its units and milestones, for the audit log's before and after."""
    s = uow.session
    units = s.exec(select(TaskUnit.unit_id, TaskUnit.role).where(TaskUnit.task_id == task.id)
                   .order_by(TaskUnit.unit_id)).all()
    marks = s.exec(select(Milestone).where(Milestone.task_id == task.id)
                   .order_by(Milestone.due_date)).all()
    return {**audit.state(task), "units": [list(u) for u in units],
            "milestones": [[m.title, m.due_date.isoformat(), m.weight] for m in marks]}
