"""Early warning: a complaint category or a unit whose complaints in the last seven days
stand far above its own recent baseline, the eight weeks before.

The measure is a robust z-score, z = 0.6745 (x - median) / MAD, over the eight earlier
weekly counts: the median and the median absolute deviation are not pulled up by one
earlier bad week as a mean and a standard deviation would be. A quiet series has a MAD of
0, so the scale never drops below what chance alone gives a count of that size (its square
root, at least 1): five calls where there were none is noticed, one where there were none
is not. Flagged: z >= Z_ALERT and at least MIN_COUNT complaints in the week."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select

from db.models import Complaint, ComplaintCategory, Unit, User
from services.core import clock
from services.core.uow import UnitOfWork
from services.dashboard import scope
from services.dashboard.period import Period
from services.dashboard.scope import Filters
from services.dashboard.sql import during

WEEKS = 8
Z_ALERT = 3.5
MIN_COUNT = 5


@dataclass(frozen=True)
class Spike:
    kind: str  # "category" or "unit"
    key: int  # the category's or the unit's id
    name: str
    week_start: date
    count: int
    baseline: tuple[int, ...]  # the eight weeks before, oldest first
    median: float
    mad: float
    z: float


def robust_z(count: int, baseline: list[int]) -> tuple[float, float, float]:
    """(z, median, MAD) of a count against its baseline weeks."""
    median = statistics.median(baseline)
    mad = statistics.median(abs(b - median) for b in baseline)
    scale = max(mad / 0.6745, math.sqrt(max(median, 1.0)))
    return (count - median) / scale, median, mad


def spikes(uow: UnitOfWork, *, actor: User, filters: Filters, today: date) -> list[Spike]:
    """Spikes in the week ending on the period's last day that has happened, strongest
    first; within the actor's scope and the district and industry filters."""
    scope.require_viewer(actor)
    end = filters.period.as_of(today)
    weeks = [Period(end - timedelta(days=7 * w + 6), end - timedelta(days=7 * w))
             for w in range(WEEKS + 1)]  # 0: this week, 1..8: the baseline, newest first
    week = case(*[(Complaint.received_at >= clock.start_of_day(p.start), n)
                  for n, p in enumerate(weeks)], else_=WEEKS + 1).label("week")
    where = [during(Complaint.received_at, Period(weeks[-1].start, end)),
             *scope.complaints(actor, filters)]
    out = []
    for kind, column, model in (("category", Complaint.category_id, ComplaintCategory),
                                ("unit", Complaint.unit_id, Unit)):
        counts: dict[int, list[int]] = {}
        for key, n, total in uow.session.execute(
                select(column, week, func.count()).where(column.is_not(None), *where)
                .group_by(column, week)).all():
            counts.setdefault(key, [0] * (WEEKS + 1))[n] = total
        counts = {k: v for k, v in counts.items() if v[0] >= MIN_COUNT}
        names = dict(uow.session.execute(select(model.id, model.name).where(
            model.id.in_(list(counts)))).all()) if counts else {}
        for key, series in counts.items():
            baseline = list(reversed(series[1:]))
            z, median, mad = robust_z(series[0], baseline)
            if z >= Z_ALERT:
                out.append(Spike(kind, key, names.get(key, ""), weeks[0].start, series[0],
                                 tuple(baseline), median, mad, round(z, 1)))
    return sorted(out, key=lambda s: (-s.z, s.kind, s.name))
