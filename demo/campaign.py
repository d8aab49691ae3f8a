"""`manage.py demo`'s campaign: the five battles and 25 tasks of demo/campaign_plan.py, this
year's quarterly milestones, and the monthly reports each lead unit's liaison wrote, through
the services at their moments in the past: most on time, some late, a few missing; some
tasks keep pace, some fall behind (and explain why, with their measures); co-units and
responsible units add notes."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from config import get_settings
from db.models import Task, Unit
from demo import activity as demo_activity
from demo.campaign_plan import BATTLES
from services.campaign import calendar, hall_plans, progress, tasks
from services.campaign.schedule import expected_percent
from services.campaign.tasks import MilestoneInput
from services.core import clock
from services.core.uow import UnitOfWork

Progress = Callable[[float, str], None]
QUARTERS = [("一季度目标", 3, 31, 20), ("二季度目标", 6, 30, 25), ("三季度目标", 9, 30, 25),
            ("全年目标", 12, 31, 30)]


def load_campaign(uow: UnitOfWork, *, size: str, password: str,  # noqa: ARG001 (sizes alike)
                  progress_cb: Progress | None = None, seed: int = 2028) -> dict[str, int]:
    report = progress_cb or (lambda _f, _s: None)
    rng = random.Random(seed)
    s = uow.session
    people = demo_activity._people(uow, password)
    office = people["office"]
    units = {u.name: u for u in s.exec(select(Unit)).all()}
    today = clock.today()
    year = today.year
    counts = {"battles": 0, "tasks": 0, "progress_reports": 0, "contributions": 0}
    existing = set(s.exec(select(Task.code)).all())
    made: list[tuple[Task, list[Unit]]] = []
    for position, (code, title, items) in enumerate(BATTLES, start=1):
        battle = tasks.save_battle(uow, actor=office, code=code, title=title, position=position)
        counts["battles"] += 1
        for n, (name, target, lead, co, responsible) in enumerate(items, start=1):
            task_code = f"{code}-{n}"
            if task_code in existing:
                continue
            task = tasks.save_task(
                uow, actor=office, battle_id=battle.id, code=task_code, title=name,
                target=target, start_date=date(year, 1, 1), due_date=date(year, 12, 31),
                lead_unit_id=units[lead].id, co_unit_ids=[units[u].id for u in co],
                responsible_unit_ids=[units[u].id for u in responsible],
                milestones=[MilestoneInput(t, date(year, m, d), w) for t, m, d, w in QUARTERS])
            counts["tasks"] += 1
            made.append((task, [units[u] for u in co + responsible]))
    # Every size gets the whole year: 25 tasks' reports take two seconds, and a shorter
    # history would show every liaison months of "missing" reports.
    first = date(year, 1, 1)
    for n, (task, helpers) in enumerate(made, start=1):
        _reports(uow, rng, task, helpers, people, first, today, counts)
        report(n / max(len(made), 1), "campaign")
    if made:
        counts["hall_plans"] = _hall_plans(uow, office, units, people)
    return counts


# (unit, what happened to its plan): the windows of the hall and some bodies still outside.
HALL = [("市政务大厅不动产登记窗口", "approved"), ("市政务大厅社保窗口", "approved"),
        ("市政务大厅公积金窗口", "submitted"), ("市政务大厅市场监管窗口", "returned"),
        ("市住房和城乡建设局", "draft"), ("市自然资源局", "required"), ("市公安局", "required")]


def _hall_plans(uow, office, units, people) -> int:
    hall_plans.require_units(uow, actor=office, unit_ids=[units[name].id for name, _ in HALL])
    for name, fate in HALL:
        if fate == "required":
            continue
        liaison = demo_activity._liaison(uow.session, units[name], people)
        plan = hall_plans.save_plan(
            uow, actor=liaison, approval_items=[f"{name.removesuffix('窗口')}业务受理",
                                                f"{name.removesuffix('窗口')}业务办结"],
            rules="首问负责、一次性告知、限时办结", staffing="首席代表 1 名、窗口人员 2 名",
            submit=fate != "draft")
        if fate in ("approved", "returned"):
            hall_plans.decide(uow, actor=office, plan_id=plan.id, approve=fate == "approved",
                              comment="" if fate == "approved" else "请补充 AB 岗安排")
    return len(HALL)


def _reports(uow, rng, task, helpers, people, first, today, counts) -> None:
    s = uow.session
    lead = s.get(Unit, task.lead_unit_id)
    liaison = demo_activity._liaison(s, lead, people)
    marks = progress.milestones_of(uow, task)
    pace = rng.choice([1.08, 1.02, 1.0, 0.95, 0.85, 0.7])  # some keep up, some fall behind
    due_day = get_settings().progress_due_day
    month, percent = first, 0
    while month < today.replace(day=1):
        month_end = calendar.next_month(month) - timedelta(days=1)
        due = calendar.monthly_due(month, due_day)
        if rng.random() < 0.07:  # a month the lead unit never reported
            month = calendar.next_month(month)
            continue
        delay = rng.choice([-4, -3, -2, -1, 0, 0, 1, 3, 9]) if rng.random() < 0.2 else \
            rng.randint(-4, 0)
        day = min(due + timedelta(days=delay), today)
        at = datetime(day.year, day.month, day.day, 2 + rng.randint(0, 7), rng.randint(0, 59),
                      tzinfo=UTC)
        target = expected_percent(marks, month_end)
        percent = max(percent, min(100, round(target * pace + rng.randint(-3, 3))))
        status = progress.task_status(uow, task, percent, clock.local_date(at))
        behind = status.needs_explanation
        progress.submit_progress(
            uow, actor=liaison, task_id=task.id, month=month, percent=percent,
            done=f"{month.month} 月完成{task.title}阶段性工作，推进至 {percent}%",
            problems="个别环节协调不畅" if pace < 1 else "",
            next_steps="按节点推进下月工作",
            explanation="前期方案论证时间较长，部分配套单位进度滞后" if behind else "",
            measures="增派专人、每周调度，下月追平进度" if behind else "",
            now=at)
        counts["progress_reports"] += 1
        for unit in helpers:
            if rng.random() < 0.35:
                helper = demo_activity._liaison(s, unit, people)
                progress.write_contribution(
                    uow, actor=helper, task_id=task.id, month=month, now=at + timedelta(hours=3),
                    text=f"{unit.name}配合牵头单位完成{month.month}月相关工作")
                counts["contributions"] += 1
        month = calendar.next_month(month)
