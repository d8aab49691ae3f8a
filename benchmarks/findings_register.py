"""The findings register, its export and rectification tracking at the scale of the database
it is pointed at (build one with `manage.py demo --scale city`):

    .venv/bin/python -m benchmarks.findings_register --url sqlite:////tmp/city.db \
        [--url postgresql+psycopg://postgres@127.0.0.1:5432/city] [--repeat 5]

For the office and for an inspector scoped to one district (the first district-scoped
inspector, or --inspector NAME):
- the register's first page: count_register (capped, as the page counts) + list_register
  (50 rows) with the default filters, a district filter, overdue, reopened, not circulated,
  status=rectifying sorted by deadline, and a page deep in (offset 5,000);
- services/findings/tracking.py's four sections (due this week, overdue by unit, reopened,
  on time by unit for this year);
- register_export.export_csv of a filtered set of about --export-rows rows (found since
  the day of the N-th newest finding the reader sees).
Baselines in the same run: a bare `SELECT id FROM finding ORDER BY id DESC LIMIT 50`, and
for the export the same number of rows of a bare SELECT written with the csv module.
cold: the first call on a fresh connection pool; warm: the median of --repeat calls after."""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import select

from db.bootstrap import open_database
from db.models import Role, User
from i18n import translate
from services.core import clock
from services.core.uow import UnitOfWork
from services.findings import register, register_export, tracking
from services.findings.register import RegisterFilters

TARGET_COLD_S = 0.5
PAGE = 50
DEEP_OFFSET = 5_000
EXPORT_ROWS = 10_000
BARE_PAGE = "bare SELECT id ... LIMIT 50"
BARE_CSV = "bare SELECT + csv module"


@dataclass(frozen=True)
class Row:
    backend: str
    actor: str
    case: str
    size: int  # rows counted (capped), listed or written
    cold_s: float
    warm_s: float
    baseline_s: float  # the warm baseline of the same run (the bare page, or the bare CSV)

    @property
    def ratio(self) -> float:
        return self.warm_s / self.baseline_s if self.baseline_s else 0.0

    @property
    def timed(self) -> bool:
        """A case with a target (the baselines have none)."""
        return not self.case.startswith("bare")


def _time(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def cold_warm(engine: Engine, fn: Callable[[], object],
              repeat: int) -> tuple[float, float, object]:
    """(first call on a fresh pool, median of `repeat` calls after it, the first's result)."""
    engine.dispose()
    cold, result = _time(fn)
    warm = statistics.median(_time(fn)[0] for _ in range(max(repeat, 1)))
    return cold, warm, result


def _size(result: object) -> int:
    if isinstance(result, int):
        return result
    if isinstance(result, tuple):  # (count, page)
        return result[0]
    for field in ("total", "current_total", "measured"):
        if hasattr(result, field):
            return getattr(result, field)
    return len(result)


def _user(uow: UnitOfWork, username: str | None, role: str) -> User:
    query = select(User).where(User.active)
    if username:
        query = query.where(User.username == username)
    else:
        query = query.where(User.role == role)
        if role == Role.INSPECTOR:
            query = query.where(User.district_id.is_not(None))
    found = uow.query(lambda u: u.session.exec(query.order_by(User.id)).first())
    if found is None:
        raise SystemExit(f"no {username or role} account in this database")
    return found


def register_cases(district: int) -> dict[str, tuple[RegisterFilters, str, bool, int]]:
    """Case -> (filters, sort, descending, offset) of the register's first page."""
    return {
        "default filters": (RegisterFilters(), "found", True, 0),
        "district filter": (RegisterFilters(district_id=district), "found", True, 0),
        "overdue": (RegisterFilters(overdue=True), "found", True, 0),
        "reopened": (RegisterFilters(reopened=True), "found", True, 0),
        "not circulated": (RegisterFilters(circulated=False), "found", True, 0),
        "rectifying by deadline": (RegisterFilters(status="rectifying"), "deadline", False, 0),
        f"page at offset {DEEP_OFFSET:,}": (RegisterFilters(), "found", True, DEEP_OFFSET),
    }


def _first_page(uow: UnitOfWork, actor: User, filters: RegisterFilters, sort: str,
                descending: bool, offset: int, today: date):
    def page():
        def both(u: UnitOfWork):  # one read, as the page does it
            count = register.count_register(u, actor=actor, filters=filters, today=today)
            rows = register.list_register(u, actor=actor, filters=filters, sort=sort,
                                          descending=descending, offset=offset, limit=PAGE,
                                          today=today)
            return count, rows
        return uow.query(both)
    return page


def export_filters(uow: UnitOfWork, actor: User, rows: int, today: date) -> RegisterFilters:
    """Found since the city day of the `rows`-th newest finding the actor sees: about that
    many rows (the whole register when it holds fewer)."""
    nth = uow.query(register.list_register, actor=actor, offset=max(rows - 1, 0), limit=1,
                    today=today)
    return RegisterFilters(found_from=clock.local(nth[0].found_at).date()) if nth else (
        RegisterFilters())


def _zh(key: str, **params) -> str:
    return translate(key, "zh-CN", **params)


def bare_csv(engine: Engine, rows: int) -> int:
    """The export's baseline: as many rows of a bare SELECT, written with the csv module."""
    out = io.StringIO()
    writer = csv.writer(out)
    with engine.connect() as conn:
        result = conn.execute(text(
            "SELECT id, created_at, unit_id, category, severity, status, deadline, "
            "description FROM finding ORDER BY id DESC LIMIT :n"), {"n": rows})
        writer.writerows(result)
    return out.getvalue().count("\n")


def measure(engine: Engine, *, repeat: int = 5, office: str | None = None,
            inspector: str | None = None, export_rows: int = EXPORT_ROWS) -> list[Row]:
    uow = UnitOfWork(engine)
    today = clock.today()
    backend = engine.dialect.name

    def bare() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT id FROM finding ORDER BY id DESC LIMIT 50")).all()

    cold, page_base, _ = cold_warm(engine, bare, repeat)
    rows = [Row(backend, "-", BARE_PAGE, PAGE, cold, page_base, page_base)]
    actors = (_user(uow, office, Role.OFFICE), _user(uow, inspector, Role.INSPECTOR))
    for actor in actors:
        def add(case: str, fn: Callable[[], object], base: float, actor=actor) -> None:
            cold, warm, result = cold_warm(engine, fn, repeat)
            rows.append(Row(backend, actor.username, case, _size(result), cold, warm, base))

        cases = register_cases(actors[1].district_id).items()  # the inspector's district
        for case, (filters, sort, descending, offset) in cases:
            add(case, _first_page(uow, actor, filters, sort, descending, offset, today),
                page_base)
        for name in ("due_this_week", "overdue_by_unit", "reopened", "on_time_by_unit"):
            section = getattr(tracking, name)
            add(f"tracking.{name}",
                lambda section=section, actor=actor: uow.query(section, actor=actor,
                                                               today=today), page_base)
        filters = export_filters(uow, actor, export_rows, today)

        def export(filters=filters, actor=actor) -> int:
            return uow.query(register_export.export_csv, io.BytesIO(), actor=actor,
                             filters=filters, translate=_zh)
        written = export()
        cold, csv_base, _ = cold_warm(engine, lambda n=written: bare_csv(engine, n), repeat)
        rows.append(Row(backend, actor.username, BARE_CSV, written, cold, csv_base, csv_base))
        add(f"export CSV (found from {filters.found_from or 'any day'})", export, csv_base)
    engine.dispose()
    return rows


def table(rows: list[Row], repeat: int) -> str:
    lines = [f"| backend | reader | case | rows | cold ms | warm ms (median of {repeat}) "
             "| warm / baseline | cold ≤ 500 ms |", "|---|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        mark = ("met" if r.cold_s <= TARGET_COLD_S else "MISSED") if r.timed else ""
        if r.case.startswith("export"):
            mark = ""  # a file, not a page: no target, its ratio is the measure
        lines.append(f"| {r.backend} | {r.actor} | {r.case} | {r.size:,} | "
                     f"{r.cold_s * 1000:.1f} | {r.warm_s * 1000:.1f} | {r.ratio:.1f}x | {mark} |")
    return "\n".join(lines)


def missed(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.timed and not r.case.startswith("export")
            and r.cold_s > TARGET_COLD_S]


def machine() -> str:
    lines = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    model = next((line.split(":", 1)[1].strip() for line in lines
                  if line.startswith("model name")), platform.processor())
    return (f"nproc={len(os.sched_getaffinity(0))} {model} python "
            f"{platform.python_version()} load {os.getloadavg()[0]:.1f}")


def run(urls: list[str], *, repeat: int = 5, office: str | None = None,
        inspector: str | None = None, export_rows: int = EXPORT_ROWS) -> int:
    print(machine(), flush=True)
    rows = []
    for url in urls:
        engine = open_database(url)
        rows += measure(engine, repeat=repeat, office=office, inspector=inspector,
                        export_rows=export_rows)
        print(f"  {engine.dialect.name}: done", flush=True)
    print(table(rows, repeat))
    late = missed(rows)
    for r in late:
        print(f"MISSED {r.backend} {r.actor} {r.case}: cold {r.cold_s:.2f} s > "
              f"{TARGET_COLD_S} s")
    return 1 if late else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", required=True,
                        help="a database URL; repeat for several")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--office", help="the office account (default: the first)")
    parser.add_argument("--inspector",
                        help="the inspector (default: the first with a district)")
    parser.add_argument("--export-rows", type=int, default=EXPORT_ROWS)
    args = parser.parse_args(argv)
    return run(args.url, repeat=args.repeat, office=args.office, inspector=args.inspector,
               export_rows=args.export_rows)


if __name__ == "__main__":
    raise SystemExit(main())
