"""The complaint list's first page at scale: list_complaints (50 rows) and count_complaints
for the office, with the default filters, a district filter and overdue=True, against a
bare `SELECT id FROM complaint ORDER BY id DESC LIMIT 50` measured in the same run.

    .venv/bin/python -m benchmarks.complaint_list --rows 1000000 [--backend sqlite|postgresql]

SQLite: a WAL file under benchmarks/out/, reused when it already holds that many rows.
PostgreSQL: a database of its own made from TEST_POSTGRES_URL and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import func, select

from benchmarks.load_complaints import OFFICE, load_synthetic_complaints
from db.bootstrap import open_database
from db.models import Complaint, District, User
from services.complaints import queries
from services.complaints.queries import Filters
from services.core.uow import UnitOfWork

OUT = Path(__file__).resolve().parent / "out"
TARGET_S = 0.2


@contextmanager
def sqlite_engine(rows: int) -> Iterator[Engine]:
    OUT.mkdir(exist_ok=True)
    engine = open_database(f"sqlite:///{OUT / f'complaints_{rows}.db'}")
    _fill(engine, rows)
    _note_indexes(engine)
    yield engine
    engine.dispose()


@contextmanager
def postgres_engine(rows: int) -> Iterator[Engine]:
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        raise SystemExit("set TEST_POSTGRES_URL (see README) for the PostgreSQL run")
    admin_url = base.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"effdesk_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        engine = open_database(url)
        _fill(engine, rows)
        _note_indexes(engine)
        yield engine
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


ENGINES = {"sqlite": sqlite_engine, "postgresql": postgres_engine}


def apply_model_indexes(engine: Engine) -> list[str]:
    """The complaint table's indexes as db/models/complaints.py declares them, for index
    changes that no migration carries yet: creates the missing, drops the retired."""
    declared = {index.name: index for index in Complaint.__table__.indexes}
    present = {i["name"] for i in inspect(engine).get_indexes("complaint")}
    changes = []
    with engine.begin() as conn:
        for name in sorted(present - set(declared)):
            if name.startswith("ix_complaint_"):
                conn.execute(text(f"DROP INDEX {name}"))
                changes.append(f"-{name}")
        for name in sorted(set(declared) - present):
            declared[name].create(conn)
            changes.append(f"+{name}")
        if changes:
            conn.execute(text("ANALYZE complaint"))
    return changes


def _fill(engine: Engine, rows: int) -> None:
    with UnitOfWork(engine, write=False) as r:
        have = r.session.exec(select(func.count()).select_from(Complaint)).one()
    if have < rows:
        started = time.perf_counter()
        load_synthetic_complaints(engine, rows - have, seed=have)
        took = time.perf_counter() - started
        print(f"  loaded {rows - have:,} complaints in {took:.0f} s "
              f"({(rows - have) / took:,.0f} rows/s)", flush=True)


def _note_indexes(engine: Engine) -> None:
    changes = apply_model_indexes(engine)
    if changes:
        print(f"  indexes changed to match the model: {' '.join(changes)}", flush=True)


def _median(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm: the first call also pays for the plan and for reading pages into cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(engine: Engine, runs: int) -> list[tuple[str, float, float, float]]:
    uow = UnitOfWork(engine)
    with uow.read() as r:
        office = r.session.exec(select(User).where(User.username == OFFICE)).one()
        district = r.session.exec(select(District).where(District.parent_id.is_(None))
                                  .order_by(District.id)).first()

    def bare() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT id FROM complaint ORDER BY id DESC LIMIT 50")).all()

    baseline = _median(bare, runs)
    results = [("bare SELECT id ... LIMIT 50", baseline, 0.0, 0.0)]
    for label, filters in [("default", Filters()),
                           (f"district={district.name}", Filters(district_id=district.id)),
                           ("overdue", Filters(overdue=True))]:
        page = _median(lambda f=filters: uow.query(
            queries.list_complaints, actor=office, filters=f, limit=50), runs)
        exact = _median(lambda f=filters: uow.query(
            queries.count_complaints, actor=office, filters=f), runs)
        capped = _median(lambda f=filters: uow.query(
            queries.count_complaints, actor=office, filters=f,
            cap=queries.LIST_COUNT_CAP), runs)
        results.append((label, page, exact, capped))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=[*ENGINES, "both"], default="both")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"machine: nproc={os.cpu_count()} {platform.machine()} "
          f"python {platform.python_version()} load {os.getloadavg()[0]:.1f}")
    backends = list(ENGINES) if args.backend == "both" else [args.backend]
    for backend in backends:
        print(f"\n{backend}, {args.rows:,} complaints", flush=True)
        with ENGINES[backend](args.rows) as engine:
            rows = measure(engine, args.runs)
        baseline = rows[0][1]
        print("| filters | list (50 rows) ms | exact count ms | capped count ms "
              "| first page ms (list + capped) | vs bare | < 200 ms |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for label, page, exact, capped in rows:
            if label.startswith("bare"):
                print(f"| {label} | {page * 1000:.1f} | | | | 1.0x | |")
                continue
            total = page + capped
            print(f"| {label} | {page * 1000:.1f} | {exact * 1000:.1f} | {capped * 1000:.1f} "
                  f"| {total * 1000:.1f} | {total / baseline:.0f}x "
                  f"| {'met' if total < TARGET_S else 'MISSED'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
