"""The campaign's tasks on the dashboard: each task's traffic light as of a day (the latest
report submitted by then against its milestones), and the monthly reports that fell due in
a period. Built on services/campaign; tasks count where their lead unit is in scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from db.models import Battle, Task, User
from services.campaign import access, queries, reporting
from services.campaign.reporting import Owed
from services.campaign.schedule import Schedule
from services.core.uow import UnitOfWork
from services.dashboard import scope
from services.dashboard.period import Period
from services.dashboard.scope import Filters

BEHIND = frozenset({Schedule.BEHIND, Schedule.SERIOUS})


@dataclass(frozen=True)
class ScheduleCounts:
    on_track: int
    behind: int  # behind or seriously behind its milestones
    overdue: int  # past its own due date unfinished
    done: int


@dataclass(frozen=True)
class TaskLight:
    task_id: int
    battle: str  # code and title
    code: str
    title: str
    lead_unit: str
    percent: int | None
    expected: int
    schedule: Schedule
    light: str


def _tasks(uow: UnitOfWork, actor: User, filters: Filters) -> list[Task]:
    return list(uow.session.exec(
        select(Task).where(Task.active, access.task_filter(actor),
                           *scope.units(actor, filters, Task.lead_unit_id))
        .order_by(Task.code)).all())


def lights(uow: UnitOfWork, actor: User, filters: Filters, as_of: date) -> list[TaskLight]:
    if not scope.sees_tasks(actor):
        return []
    found = _tasks(uow, actor, filters)
    battles = {b.id: f"{b.code} {b.title}" for b in uow.session.exec(select(Battle)).all()}
    return [TaskLight(r.id, battles.get(r.battle_id, ""), r.code, r.title, r.lead_unit,
                      r.percent, r.status.expected, r.status.schedule, r.status.light)
            for r in queries.task_rows(uow, found, as_of, as_of=as_of)]


def schedule_counts(uow: UnitOfWork, actor: User, filters: Filters,
                    as_of: date) -> ScheduleCounts:
    rows = lights(uow, actor, filters, as_of)
    return ScheduleCounts(
        on_track=sum(r.schedule == Schedule.ON_TRACK for r in rows),
        behind=sum(r.schedule in BEHIND for r in rows),
        overdue=sum(r.schedule == Schedule.OVERDUE for r in rows),
        done=sum(r.schedule == Schedule.DONE for r in rows))


def reports_due(uow: UnitOfWork, actor: User, filters: Filters, period: Period,
                today: date) -> list[Owed]:
    """The monthly reports whose due day fell in the period and has passed."""
    if not scope.sees_tasks(actor):
        return []
    ids = {t.id for t in _tasks(uow, actor, filters)}
    owed = reporting.owed_reports(uow, actor=actor, today=today, first_month=_month_before(
        period.start), last_month=period.end)
    return [r for r in owed if r.task_id in ids and period.start <= r.due <= period.end
            and r.due < today]


def _month_before(day: date) -> date:
    first = day.replace(day=1)
    return first.replace(year=first.year - 1, month=12) if first.month == 1 else \
        first.replace(month=first.month - 1)
