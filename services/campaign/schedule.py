"""A task's schedule status: on track, behind, seriously behind or overdue, done; with the
sentence that explains it. A pure rule: today is passed in, never read here, so that the
board, the dashboard and the tests agree on any date.

Milestones carry weights that add up to 100: the progress expected on a day is the sum of
the weights of the milestones due by then. A task with no report yet counts as 0 %."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

# Behind by this many points or more against the milestone passed: seriously behind (red).
SERIOUS_GAP = 20


class Schedule(StrEnum):
    ON_TRACK = "on_track"  # green
    BEHIND = "behind"  # yellow
    SERIOUS = "serious"  # red: far behind the last milestone passed
    OVERDUE = "overdue"  # red: the task's due date has passed unfinished
    DONE = "done"


LIGHT = {Schedule.ON_TRACK: "green", Schedule.BEHIND: "yellow", Schedule.SERIOUS: "red",
         Schedule.OVERDUE: "red", Schedule.DONE: "blue"}
# A behind task owes an explanation and measures (整改措施) in its next report.
NEEDS_EXPLANATION = frozenset({Schedule.BEHIND, Schedule.SERIOUS, Schedule.OVERDUE})


@dataclass(frozen=True)
class Milestone:
    due: date
    weight: int  # points of the task's 100


@dataclass(frozen=True)
class Status:
    """`key` and `params` make the sentence ("第 3 个节点 11-30 应完成 60%，已报 40%")
    through the catalog: the rule returns data, the page speaks."""

    schedule: Schedule
    key: str
    params: dict = field(default_factory=dict)
    expected: int = 0

    @property
    def light(self) -> str:
        return LIGHT[self.schedule]

    @property
    def needs_explanation(self) -> bool:
        return self.schedule in NEEDS_EXPLANATION


def expected_percent(milestones: Sequence[Milestone], day: date) -> int:
    return min(100, sum(m.weight for m in milestones if m.due <= day))


def status(*, milestones: Sequence[Milestone], due: date, percent: int | None,
           today: date) -> Status:
    """`percent`: the latest report's (None: none yet). `due`: the task's own due date."""
    done = percent or 0
    if done >= 100:
        return Status(Schedule.DONE, "schedule.done", {}, 100)
    ordered = sorted(milestones, key=lambda m: m.due)
    expected = expected_percent(ordered, today)
    if today > due:
        return Status(Schedule.OVERDUE, "schedule.overdue_task",
                      {"due": _day(due), "percent": done}, 100)
    passed = [n for n, m in enumerate(ordered, start=1) if m.due <= today]
    if not passed:
        upcoming = ordered[0] if ordered else None
        if upcoming is None:
            return Status(Schedule.ON_TRACK, "schedule.no_milestones",
                          {"due": _day(due), "percent": done}, 0)
        return Status(Schedule.ON_TRACK, "schedule.before_first",
                      {"n": 1, "due": _day(upcoming.due), "target": upcoming.weight,
                       "percent": done}, 0)
    n = passed[-1]
    params = {"n": n, "due": _day(ordered[n - 1].due), "target": expected, "percent": done}
    if done >= expected:
        return Status(Schedule.ON_TRACK, "schedule.on_track", params, expected)
    if expected - done >= SERIOUS_GAP:
        return Status(Schedule.SERIOUS, "schedule.serious", params, expected)
    return Status(Schedule.BEHIND, "schedule.behind", params, expected)


def _day(d: date) -> str:
    return f"{d.month:02d}-{d.day:02d}"
