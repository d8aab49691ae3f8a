"""Complaint export at 100,000 rows: CSV and XLSX through services.complaints.export, in
rows/s and peak Python memory (tracemalloc), against a bare baseline in the same run
(the same table read with plain SQL and written by csv.writer: no joins, masking or
labels). Memory is also shown for an export of about a tenth of the rows (a received-date
filter), to show it does not grow with the export.

    .venv/bin/python -m benchmarks.complaint_export [--rows 100000] [--backend sqlite]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Engine, text
from sqlmodel import func, select

from benchmarks.complaint_list import ENGINES
from benchmarks.load_complaints import OFFICE
from db.models import Complaint, User
from services.complaints import export, queries
from services.complaints.queries import Filters
from services.core import clock
from services.core.uow import UnitOfWork

LABELS = export.Labels(
    headers={c: c for c in export.COLUMNS},
    channels={"phone": "来电", "letter": "来信", "visit": "来访", "online": "网络",
              "hotline": "12345热线", "provincial": "省纠风网", "other": "其他"},
    statuses={"received": "已登记", "assigned": "已交办", "signed": "已签收", "replied": "已答复",
              "reopened": "重办", "returned": "已退回", "closed": "已办结"},
    satisfactions={"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"},
    yes="是", no="否", anonymous="匿名",
)


def _bare(engine: Engine, path: str) -> int:
    n = 0
    with engine.connect() as conn, open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        result = conn.execution_options(yield_per=2000).execute(
            text("SELECT * FROM complaint ORDER BY received_at DESC, id DESC"))
        for row in result:
            writer.writerow(row)
            n += 1
    return n


def _run(fn: Callable[[str], int], *, memory: bool) -> tuple[int, float, float, int]:
    with tempfile.NamedTemporaryFile(suffix=".out", delete=False) as tmp:
        path = tmp.name
    try:
        if memory:
            tracemalloc.start()
        started = time.perf_counter()
        n = fn(path)
        took = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if memory else 0
        if memory:
            tracemalloc.stop()
        return n, took, peak / 2**20, os.path.getsize(path)
    finally:
        os.unlink(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backend", choices=list(ENGINES), default="sqlite")
    args = parser.parse_args(argv)
    print(f"machine: nproc={os.cpu_count()} {platform.machine()} "
          f"python {platform.python_version()} load {os.getloadavg()[0]:.1f}")
    with ENGINES[args.backend](args.rows) as engine:
        uow = UnitOfWork(engine)
        with uow.read() as r:
            office = r.session.exec(select(User).where(User.username == OFFICE)).one()
            newest = r.session.exec(select(func.max(Complaint.received_at))).one()
        # The last ~73 days of a two-year spread: about a tenth of the rows.
        tenth = Filters(received_from=clock.local_date(newest) - timedelta(days=73))

        def exporting(write, filters: Filters) -> Callable[[str], int]:
            def run(path: str) -> int:
                with open(path, "wb") as out:
                    return uow.query(write, out, actor=office, filters=filters, labels=LABELS)
            return run

        everything = Filters(include_duplicates=True)
        cases = [
            ("bare SQL -> csv.writer", lambda p: _bare(engine, p)),
            ("export_csv", exporting(export.export_csv, everything)),
            ("export_xlsx", exporting(export.export_xlsx, everything)),
            ("export_csv, a tenth", exporting(export.export_csv, tenth)),
            ("export_xlsx, a tenth", exporting(export.export_xlsx, tenth)),
        ]
        print(f"\n{args.backend}, {args.rows:,} complaints, batch {queries.EXPORT_BATCH}")
        print("| case | rows | s | rows/s | vs bare | file MB | peak tracemalloc MB |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        bare_rate = None
        for label, fn in cases:
            n, took, _, size = _run(fn, memory=False)
            _, _, peak, _ = _run(fn, memory=True)  # tracemalloc slows the run: timed apart
            rate = n / took
            bare_rate = bare_rate or rate
            print(f"| {label} | {n:,} | {took:.1f} | {rate:,.0f} | {rate / bare_rate:.2f}x "
                  f"| {size / 2**20:.1f} | {peak:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
