"""`manage.py bench dashboard`: the time to compute everything the dashboard shows, at the
scale of the database it is pointed at (build one with `manage.py demo --scale city`).

For two views, the default one (this month, whole city) and a filtered one (one district,
the last full quarter), as the office sees them:
- cold: services.dashboard.snapshot.compute on a fresh connection pool, no app cache;
- warm: the page's path with its cache filled (views/dashboard/data.cached: one read of
  the data version, then the cached figures);
- baseline: the naive way, the rows read into pandas and aggregated there
  (benchmarks/dashboard_naive.py), measured in the same run;
- peak memory of cold and baseline, by tracemalloc (Python and NumPy allocations), in
  runs of their own so that tracing does not slow the timed ones.
Medians of --repeat runs (the baseline: of --baseline-repeat)."""

from __future__ import annotations

import logging
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from benchmarks import dashboard_naive
from db.bootstrap import open_database
from db.models import Complaint, District, User
from services.core import clock
from services.core.uow import UnitOfWork
from services.dashboard import snapshot
from services.dashboard.period import Period, Preset, preset
from services.dashboard.scope import Filters

TARGET_COLD_S, TARGET_WARM_S, TARGET_RATIO = 1.0, 0.15, 5.0


@dataclass(frozen=True)
class Row:
    backend: str
    view: str
    complaints: int
    cold_s: float
    warm_s: float
    baseline_s: float
    cold_peak_mb: float
    baseline_peak_mb: float

    @property
    def ratio(self) -> float:
        return self.baseline_s / self.cold_s


def last_quarter(today: date) -> Period:
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first - timedelta(days=1)
    return Period(date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end)


def _median(fn: Callable[[], object], times: int) -> float:
    took = []
    for _ in range(times):
        started = time.perf_counter()
        fn()
        took.append(time.perf_counter() - started)
    return statistics.median(took)


def _peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(url: str, *, repeat: int = 5, baseline_repeat: int = 2,
            username: str = "office") -> list[Row]:
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no runtime": expected here
    from views.dashboard import data  # the page's cache, as the page uses it

    engine = open_database(url)
    uow = UnitOfWork(engine)
    actor = uow.query(lambda u: u.session.exec(
        select(User).where(User.username == username)).one())
    total = uow.query(lambda u: u.session.exec(select(func.count()).select_from(
        Complaint)).one())
    place = uow.query(lambda u: u.session.exec(
        select(District.id).where(District.parent_id.is_(None)).order_by(District.id)).first())
    today = clock.today()
    views = {"default (this month, city)": Filters(preset(Preset.MONTH, today)),
             "one district, last quarter": Filters(last_quarter(today), district_id=place)}
    rows = []
    for view, filters in views.items():
        def cold(filters=filters):
            engine.dispose()
            return uow.query(snapshot.compute, actor=actor, filters=filters, today=today)
        board = cold()
        data.cached(uow, actor, filters, today)
        naive = dashboard_naive.compute(engine, filters, today)
        figures = {k.key: k.value for k in board.kpis}
        if naive["cur"]["complaints"] != figures["complaints"]:
            raise AssertionError(f"baseline and dashboard disagree on {view}")
        rows.append(Row(
            backend=engine.dialect.name, view=view, complaints=total,
            cold_s=_median(cold, repeat),
            warm_s=_median(lambda filters=filters: data.cached(uow, actor, filters, today),
                           repeat),
            baseline_s=_median(lambda filters=filters: dashboard_naive.compute(
                engine, filters, today), baseline_repeat),
            cold_peak_mb=_peak_mb(cold),
            baseline_peak_mb=_peak_mb(lambda filters=filters: dashboard_naive.compute(
                engine, filters, today))))
    engine.dispose()
    return rows


def table(rows: list[Row]) -> str:
    head = ("| backend | view | complaints | cold s | warm ms | baseline s | baseline/cold "
            "| cold peak MB | baseline peak MB |")
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        lines.append(
            f"| {r.backend} | {r.view} | {r.complaints:,} | {r.cold_s:.3f} | "
            f"{r.warm_s * 1000:.1f} | {r.baseline_s:.2f} | {r.ratio:.1f}x | "
            f"{r.cold_peak_mb:.1f} | {r.baseline_peak_mb:.0f} |")
    return "\n".join(lines)


def verdict(rows: list[Row]) -> list[str]:
    """The targets a row misses, in words (empty: all met)."""
    out = []
    for r in rows:
        if r.cold_s > TARGET_COLD_S:
            out.append(f"{r.backend} {r.view}: cold {r.cold_s:.2f} s > {TARGET_COLD_S} s")
        if r.warm_s > TARGET_WARM_S:
            out.append(f"{r.backend} {r.view}: warm {r.warm_s:.3f} s > {TARGET_WARM_S} s")
        if r.ratio < TARGET_RATIO:
            out.append(f"{r.backend} {r.view}: only {r.ratio:.1f}x faster than the baseline")
    return out


def machine() -> str:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in lines
                  if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}"


def run(urls: list[str], *, repeat: int, baseline_repeat: int) -> int:
    rows = []
    for url in urls:
        rows += measure(url, repeat=repeat, baseline_repeat=baseline_repeat)
    print(machine())
    print(table(rows))
    missed = verdict(rows)
    for line in missed:
        print("MISSED", line)
    return 1 if missed else 0
