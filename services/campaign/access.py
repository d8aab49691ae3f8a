"""Who may read and report on which task. The office, administrators and leaders read every
task; a unit's liaison reads the tasks their unit leads, helps with or answers for, writes
the monthly report only where the unit leads, and a contribution note where it helps. The
office may report for a lead unit (a liaison on leave, a paper report)."""

from __future__ import annotations

from sqlalchemy import exists, false, or_, true
from sqlmodel import select

from db.models import Role, Task, TaskUnit, User
from services.core.errors import NotFound, PermissionDenied
from services.core.permissions import can, require
from services.core.uow import UnitOfWork


def task_filter(actor: User):
    """A WHERE clause on Task for the tasks the actor may read."""
    if can(actor, "campaign.view"):
        return true()
    if actor.role == Role.UNIT and actor.unit_id is not None:
        return or_(Task.lead_unit_id == actor.unit_id,
                   exists().where(TaskUnit.task_id == Task.id,
                                  TaskUnit.unit_id == actor.unit_id))
    return false()


def readable_task(uow: UnitOfWork, actor: User, task_id: int, *, lock: bool = False) -> Task:
    """The task, or NotFound also when it exists but is not the actor's to read."""
    query = select(Task).where(Task.id == task_id, task_filter(actor))
    task = uow.session.exec(query.with_for_update() if lock else query).first()
    if task is None:
        raise NotFound()
    return task


def require_lead(actor: User, task: Task) -> None:
    """The monthly report: the lead unit's liaison, or the office for it."""
    require(actor, "campaign.report")
    if actor.role == Role.UNIT and actor.unit_id != task.lead_unit_id:
        raise PermissionDenied("campaign.not_lead")


def helper_role(uow: UnitOfWork, task: Task, unit_id: int | None) -> str | None:
    """co or responsible when the unit helps with the task, else None."""
    if unit_id is None:
        return None
    row = uow.session.get(TaskUnit, (task.id, unit_id))
    return row.role if row else None


def tasks_of_unit(uow: UnitOfWork, unit_id: int) -> list[str]:
    """Codes of the active tasks the unit leads or helps with (a unit with tasks is not
    deactivated: the office first gives them to another unit)."""
    helps = select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id)
    return list(uow.session.exec(select(Task.code).where(
        Task.active, or_(Task.lead_unit_id == unit_id, Task.id.in_(helps)))
        .order_by(Task.code)).all())
