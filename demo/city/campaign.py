"""The campaign at city scale: the 25 tasks of demo/campaign_plan.py over the whole span
(made through the services when missing, with half-yearly milestones), responsible units
drawn from the city's new units, and a monthly progress report for every month since the
start: most on time, some late, a few missing; behind tasks explain themselves, as
services/campaign/schedule.py asks. Tasks the demo already made keep their own dates and
get the months since their start that they lack."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlmodel import select

from db.models import Milestone, ProgressReport, Task, TaskUnit, Unit, User
from demo.campaign_plan import BATTLES
from demo.city.bulk import Writer, next_id
from services.campaign import calendar, schedule, tasks
from services.campaign.tasks import MilestoneInput
from services.core import clock


def ensure_tasks(uow, office: User, start: date, due: date) -> int:
    s = uow.session
    existing = set(s.exec(select(Task.code)).all())
    units = dict(s.exec(select(Unit.name, Unit.id)).all())
    marks = _milestones(start, due)
    made = 0
    for position, (code, title, items) in enumerate(BATTLES, start=1):
        battle = None
        for n, (name, target, lead, co, responsible) in enumerate(items, start=1):
            if f"{code}-{n}" in existing:
                continue
            battle = battle or tasks.save_battle(uow, actor=office, code=code, title=title,
                                                 position=position)
            tasks.save_task(uow, actor=office, battle_id=battle.id, code=f"{code}-{n}",
                            title=name, target=target, start_date=start, due_date=due,
                            lead_unit_id=units[lead], co_unit_ids=[units[u] for u in co],
                            responsible_unit_ids=[units[u] for u in responsible],
                            milestones=marks)
            made += 1
    return made


def _milestones(start: date, due: date) -> list[MilestoneInput]:
    ends = []
    year = start.year
    while True:
        for month, day in ((6, 30), (12, 31)):
            end = date(year, month, day)
            if start <= end <= due:
                ends.append(end)
        if year >= due.year:
            break
        year += 1
    weights = [100 // len(ends)] * len(ends)
    weights[-1] += 100 - sum(weights)
    return [MilestoneInput(f"{e.year}年{'上' if e.month == 6 else '下'}半年节点", e, w)
            for e, w in zip(ends, weights, strict=True)]


def add_task_units(uow, writer: Writer, rng: random.Random, new_units: list[int]) -> int:
    s = uow.session
    taken = set(s.exec(select(TaskUnit.task_id, TaskUnit.unit_id)).all())
    cols = {"task_id": [], "unit_id": [], "role": []}
    for task_id, lead in s.exec(select(Task.id, Task.lead_unit_id).order_by(Task.id)).all():
        for unit_id in rng.sample(new_units, min(len(new_units), rng.randint(8, 40))):
            if unit_id != lead and (task_id, unit_id) not in taken:
                taken.add((task_id, unit_id))
                cols["task_id"].append(task_id)
                cols["unit_id"].append(unit_id)
                cols["role"].append("responsible")
    return writer.write(TaskUnit.__table__, cols) if cols["task_id"] else 0


def add_reports(uow, writer: Writer, rng: random.Random, today: date, due_day: int,
                liaison: dict[int, int]) -> int:
    s = uow.session
    done = set(s.exec(select(ProgressReport.task_id, ProgressReport.month)).all())
    cols = {k: [] for k in ("id", "task_id", "month", "percent", "done", "problems",
                            "next_steps", "explanation", "measures", "drop_reason", "submitted_by",
                            "submitted_at", "updated_at", "version")}
    rid = next_id(uow, ProgressReport.__table__)
    for task in s.exec(select(Task).order_by(Task.id)).all():
        marks = [schedule.Milestone(m.due_date, m.weight) for m in s.exec(
            select(Milestone).where(Milestone.task_id == task.id)).all()]
        pace = rng.choice([1.08, 1.02, 1.0, 0.95, 0.85, 0.7])  # some keep up, some do not
        month, percent = task.start_date.replace(day=1), 0
        while month < today.replace(day=1):
            this, month = month, calendar.next_month(month)
            if rng.random() < 0.07 or (task.id, this) in done:
                continue  # a month the lead unit never reported
            due = calendar.monthly_due(this, due_day)
            delay = rng.choice([-3, -1, 0, 1, 3, 9]) if rng.random() < 0.2 else \
                rng.randint(-4, 0)
            day = min(due + timedelta(days=delay), today)
            at = datetime(day.year, day.month, day.day, 1 + rng.randint(0, 8),
                          rng.randint(0, 59), tzinfo=UTC)
            expected = schedule.expected_percent(marks, calendar.next_month(this)
                                                 - timedelta(days=1))
            percent = max(percent, min(100, round(expected * pace + rng.randint(-3, 3))))
            behind = schedule.status(milestones=marks, due=task.due_date, percent=percent,
                                     today=clock.local_date(at)).needs_explanation
            for key, value in (
                    ("id", rid), ("task_id", task.id), ("month", this), ("percent", percent),
                    ("done", f"{this.year}年{this.month}月完成{task.title}阶段性工作，"
                             f"推进至 {percent}%"),
                    ("problems", "个别环节协调不畅" if pace < 1 else ""),
                    ("next_steps", "按节点推进下月工作"),
                    ("explanation", "前期方案论证时间较长，部分配套单位进度滞后" if behind else ""),
                    ("measures", "增派专人、每周调度，下月追平进度" if behind else ""),
                    ("drop_reason", ""),
                    ("submitted_by", liaison[task.lead_unit_id]),
                    ("submitted_at", int(at.timestamp())), ("updated_at", int(at.timestamp())),
                    ("version", 1)):
                cols[key].append(value)
            rid += 1
    if not cols["id"]:
        return 0
    for key in ("submitted_at", "updated_at"):
        cols[key] = np.array(cols[key], dtype=np.int64)
    cols["month"] = np.array(cols["month"], dtype="datetime64[D]").astype(np.int64)
    return writer.write(ProgressReport.__table__, cols)
