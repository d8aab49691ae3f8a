"""Which monthly reports each task owes, and how each came or did not: on time, late,
missing, or not due yet. Computed from the calendar and the first submission of each
report, never typed in. The report calendar (units × months), the office's "due soon and
overdue" list and a liaison's start page are views of these rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from config import get_settings
from db.models import ProgressReport, Task, Unit, User
from services.campaign import access, calendar
from services.campaign.calendar import Timeliness
from services.core import clock
from services.core.uow import UnitOfWork


@dataclass(frozen=True)
class Owed:
    task_id: int
    task: str  # code and title
    unit_id: int  # the lead unit, who owes it
    unit: str
    month: date
    due: date
    timeliness: Timeliness
    submitted_on: date | None


def owed_reports(uow: UnitOfWork, *, actor: User, today: date | None = None,
                 first_month: date | None = None, last_month: date | None = None,
                 unit_id: int | None = None) -> list[Owed]:
    """Every monthly report owed from `first_month` (default: twelve months back, so that
    December's report still shows in January) to `last_month` (default: the current
    month), for the active tasks the actor may read, oldest first."""
    today = today or clock.today()
    this_month = today.replace(day=1)
    first = (first_month or date(this_month.year - 1, this_month.month, 1)).replace(day=1)
    until = min((last_month or this_month).replace(day=1), this_month)
    due_day = get_settings().progress_due_day
    s = uow.session
    query = (select(Task, Unit.name).join(Unit, Task.lead_unit_id == Unit.id)
             .where(Task.active, access.task_filter(actor)).order_by(Task.code))
    if unit_id is not None:
        query = query.where(Task.lead_unit_id == unit_id)
    tasks = s.exec(query).all()
    if not tasks:
        return []
    submitted = {(r.task_id, r.month): clock.local_date(r.submitted_at) for r in s.exec(
        select(ProgressReport).where(ProgressReport.task_id.in_([t.id for t, _ in tasks]),
                                     ProgressReport.month >= first)).all()}
    out = []
    for task, unit in tasks:
        month = max(first, task.start_date.replace(day=1))
        last = min(until, task.due_date.replace(day=1))
        while month <= last:
            due = calendar.monthly_due(month, due_day)
            on = submitted.get((task.id, month))
            out.append(Owed(task.id, f"{task.code} {task.title}", task.lead_unit_id, unit,
                            month, due, calendar.timeliness(due, on, today), on))
            month = calendar.next_month(month)
    return out


def due_soon_and_overdue(rows: list[Owed], today: date, days: int = 7) -> list[Owed]:
    """Not submitted, and due within `days` or already past due; the most overdue first."""
    return sorted((r for r in rows if r.submitted_on is None and (
        r.timeliness == Timeliness.MISSING or (r.due - today).days <= days)),
        key=lambda r: (r.due, r.unit, r.task))


@dataclass(frozen=True)
class CalendarRow:
    unit_id: int
    unit: str
    months: dict[date, Timeliness]  # the worst of the unit's tasks that month
    late: int
    missing: int


WORST = [Timeliness.MISSING, Timeliness.LATE, Timeliness.PENDING, Timeliness.ON_TIME]


def report_calendar(rows: list[Owed]) -> list[CalendarRow]:
    """Units × months: a unit leading several tasks shows the worst of them each month."""
    by_unit: dict[int, dict[date, Timeliness]] = {}
    names: dict[int, str] = {}
    counts: dict[int, Counter] = {}
    for r in rows:
        names[r.unit_id] = r.unit
        cell = by_unit.setdefault(r.unit_id, {})
        previous = cell.get(r.month)
        if previous is None or WORST.index(r.timeliness) < WORST.index(previous):
            cell[r.month] = r.timeliness
        counts.setdefault(r.unit_id, Counter())[r.timeliness] += 1
    return sorted((CalendarRow(u, names[u], cells, counts[u][Timeliness.LATE],
                               counts[u][Timeliness.MISSING])
                   for u, cells in by_unit.items()),
                  key=lambda c: (-c.missing, -c.late, c.unit))
