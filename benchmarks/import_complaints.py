"""Complaint import benchmark: services.imports.complaints against a plain pandas read.

    .venv/bin/python -m benchmarks.import_complaints [--sizes 20000 100000]

Input: a generated UTF-8 hotline export (9 columns, Chinese text of 20 to 60 characters,
five date formats, 20 units in 3 districts, every row good). Each case runs in a fresh
subprocess on a fresh SQLite database, so its peak RSS (VmHWM) is its own:

- import: the real import (one transaction, chunks of 2,000 rows, status log rows);
  rows/s is counted on CPU time as well as wall time: other jobs share the machine's two
  cores, and the wall clock then measures them too;
- baseline: pandas.read_csv of the same file into one DataFrame (what a non-streaming
  import would start with), the yardstick for both speed and memory.

A second child per size runs the import under tracemalloc for Python's own peak (slower,
so its time is not reported).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
HEADER = ["工单编号", "受理时间", "来源渠道", "来电人", "联系电话", "被投诉单位", "所属区县",
          "投诉类别", "投诉内容"]
DISTRICTS = ("雄关区", "镜铁区", "长城区")
UNITS = [f"{DISTRICTS[n % 3]}第{n + 1}服务站" for n in range(20)]
CHANNELS = ("12345", "来电", "网络", "来信", "省纠风网")
CATEGORIES = ("工作不到位", "服务态度差", "工作方式不当", "办事拖拉", "乱收费", "其他")
WORDS = "窗口人员态度生硬办事拖拉材料反复要求补交电话无人接听停电没有提前通知路灯损坏多日无人维修"


def export_path(rows: int) -> Path:
    path = OUT / f"complaints_{rows}.csv"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        rng = random.Random(rows)
        start = datetime(2026, 1, 1, 8, 0)
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write(",".join(HEADER) + "\r\n")
            for n in range(rows):
                at = start + timedelta(minutes=rng.randrange(0, 300 * 24 * 60))
                when = (f"{at:%Y-%m-%d %H:%M}", f"{at:%Y/%m/%d %H:%M}",
                        f"{at.year}年{at.month}月{at.day}日 {at.hour}时{at.minute}分",
                        f"{at:%Y%m%d%H%M}", f"{at:%Y-%m-%dT%H:%M:%S}")[n % 5]
                unit = rng.randrange(20)
                text = "".join(rng.choice(WORDS) for _ in range(rng.randrange(20, 60)))
                fh.write(",".join([
                    f"GD{n:08d}", when, CHANNELS[n % 5], f"市民{n % 997}",
                    f"13{rng.randrange(10**9):09d}", UNITS[unit], DISTRICTS[unit % 3],
                    CATEGORIES[n % 6], text]) + "\r\n")
    return path


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def prepare_city(url: str):
    from db.bootstrap import open_database
    from db.models import Role
    from services.core.system import system_actor
    from services.core.uow import UnitOfWork
    from services.identity import users
    from services.org import structure

    uow = UnitOfWork(open_database(url))
    admin = system_actor()
    with uow as tx:
        ids = [structure.create_district(tx, actor=admin, name=n, kind="district").id
               for n in DISTRICTS]
        for n, name in enumerate(UNITS):
            structure.create_unit(tx, actor=admin, name=name, district_id=ids[n % 3])
        office = users.create_user(tx, actor=admin, username="office", display_name="office",
                                   role=Role.OFFICE, password="benchmark-pass-1")
        tx.commit()
    return uow, office


def run_child(case: str, rows: int, traced: bool) -> dict:
    path = export_path(rows)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
        import pandas as pd

        from services.imports import complaints, mapping

        uow, office = prepare_city(os.environ["DATABASE_URL"])
        before = peak_rss_mb()
        if traced:
            tracemalloc.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        if case == "baseline":
            frame = pd.read_csv(path, dtype=str)
            assert len(frame) == rows
        else:
            report = uow.run(complaints.import_complaints, actor=office, filename=path.name,
                             source=path, mapping=mapping.guess(HEADER), source_name="12345")
            assert report.summary()["created"] == rows, report.summary()
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        traced_peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
        return {"seconds": seconds, "rows_per_s": rows / seconds, "cpu_seconds": cpu,
                "cpu_rows_per_s": rows / cpu, "rss_before_mb": before,
                "rss_peak_mb": peak_rss_mb(), "tracemalloc_mb": traced_peak,
                "file_mb": path.stat().st_size / 2**20}


def measure(case: str, rows: int, traced: bool = False) -> dict:
    command = [sys.executable, "-m", "benchmarks.import_complaints", "--child", case,
               str(rows)] + (["--traced"] if traced else [])
    out = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--child", nargs=2, metavar=("CASE", "ROWS"), help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child[0], int(args.child[1]), args.traced)))
        return
    print(f"nproc {os.cpu_count()}, {os.uname().machine}, python {sys.version.split()[0]},"
          f" load average before: {os.getloadavg()[0]:.2f}")
    header = ("| rows | file MB | case | wall s | CPU s | rows/s (CPU) | CPU vs baseline |"
              " peak RSS MB (before) | tracemalloc peak MB |")
    print(header)
    print("|" + "|".join("-" * len(c) for c in header.split("|")[1:-1]) + "|")
    for rows in args.sizes:
        base = measure("baseline", rows, traced=False)
        base_traced = measure("baseline", rows, traced=True)
        real = measure("import", rows)
        real_traced = measure("import", rows, traced=True)
        for name, timed, traced in (("baseline read_csv", base, base_traced),
                                    ("import", real, real_traced)):
            print(f"| {rows:,} | {timed['file_mb']:.1f} | {name} | {timed['seconds']:.2f} |"
                  f" {timed['cpu_seconds']:.2f} | {timed['cpu_rows_per_s']:,.0f} |"
                  f" {timed['cpu_seconds'] / base['cpu_seconds']:.1f}x |"
                  f" {timed['rss_peak_mb']:.0f} ({timed['rss_before_mb']:.0f}) |"
                  f" {traced['tracemalloc_mb']:.1f} |")


if __name__ == "__main__":
    main()
