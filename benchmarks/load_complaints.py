"""Synthetic complaints in bulk, for benchmarks (the list at a million rows, dashboards).

    .venv/bin/python -m benchmarks.load_complaints --rows 1000000 [--seed 7] [--url URL]

`load_synthetic_complaints(engine, rows, seed)` adds `rows` complaints to a migrated
database, after making a minimal organisation if it lacks one (the demo's districts and
towns, a few industries, units, and an office account `bench_office`). The rows are drawn
by demo/city/complaints.py and written by demo/city/bulk.py, as `manage.py demo --scale
city` does: PostgreSQL's COPY or sqlite3's executemany, in batches, bypassing the services
(no status log, audit or duplicate checks), so it is a benchmark fixture, never a way to
put data into a real register. The same seed and moment give the same rows.

What the rows look like: received over the last two years (see demo/city/complaints.py:
season, weekdays, office hours), later units with more complaints, about 10 % naming only
a place, 2 % escalated, 2 % linked duplicates of an earlier row, statuses by age (older ones
mostly closed, a few still open and so overdue), satisfaction on closed ones, a third from
the 12345 hotline with an external id.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import Engine, func
from sqlmodel import select

from db.models import Complaint, ComplaintCategory, District, Industry, Role, Unit, User
from demo import org as demo_org
from demo.city import bulk
from demo.city import complaints as city_complaints
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.identity import users
from services.org import structure

OFFICE = "bench_office"
OFFICE_PASSWORD = "bench-pass-2026"
SPAN_DAYS = 730
BATCH = 20_000


def ensure_org(engine: Engine) -> int:
    """The office account's id, after making what is missing of a minimal organisation."""
    uow = UnitOfWork(engine)
    actor = system_actor()
    with uow.read() as r:
        have_units = r.session.exec(select(func.count()).select_from(Unit)).one()
        office = r.session.exec(select(User).where(User.username == OFFICE)).first()
    if not have_units:
        with UnitOfWork(engine) as tx:
            _make_org(tx, actor)
            tx.commit()
    if office is None:
        office = uow.run(users.create_user, actor=actor, username=OFFICE,
                         display_name="效能办（基准）", role=Role.OFFICE,
                         password=OFFICE_PASSWORD)
    return office.id


def _make_org(uow: UnitOfWork, actor: User) -> None:
    s = uow.session

    def district(name: str, kind: str, parent: int | None) -> int:
        found = s.exec(select(District).where(District.name == name)).first()
        return found.id if found else structure.create_district(
            uow, actor=actor, name=name, kind=kind, parent_id=parent).id

    def industry(name: str) -> int:
        found = s.exec(select(Industry).where(Industry.name == name)).first()
        return found.id if found else structure.create_industry(uow, actor=actor, name=name).id

    industries = [industry(n) for n in demo_org.INDUSTRIES[:6]]
    places = {n: district(n, "district", None) for n in demo_org.DISTRICTS}
    for town, parent in demo_org.TOWNS.items():
        places[town] = district(town, "town", places[parent])
    kinds = ["政务服务窗口", "派出所", "供电所", "卫生院", "中心学校", "市场监管所"]
    for place, place_id in places.items():
        for i, kind in enumerate(kinds):
            structure.create_unit(uow, actor=actor, name=f"{place}{kind}", district_id=place_id,
                                  industry_id=industries[i % len(industries)])
    for i, name in enumerate(["市住建局", "市人社局", "市供水公司", "市供热公司", "市医保局",
                              "市自然资源局"]):
        structure.create_unit(uow, actor=actor, name=name,
                              industry_id=industries[i % len(industries)])


def load_synthetic_complaints(engine: Engine, rows: int, seed: int = 0, *, batch: int = BATCH,
                              progress: Callable[[int, int], None] | None = None) -> int:
    """Adds `rows` synthetic complaints (and a minimal organisation if there is none);
    returns how many were added. Rows are drawn by demo/city/complaints.py and written by
    demo/city/bulk.py (the city-scale demo's own); each batch is its own transaction."""
    office_id = ensure_org(engine)
    now = int(datetime.now(UTC).timestamp())
    with UnitOfWork(engine, write=False) as r:
        s = r.session
        first_id = bulk.next_id(r, Complaint.__table__)
        units = s.exec(select(Unit.id, Unit.district_id).order_by(Unit.id)).all()
        districts = np.array(s.exec(select(District.id).order_by(District.id)).all())
        categories = [(c.id, c.name, c.deadline_days) for c in s.exec(
            select(ComplaintCategory).order_by(ComplaintCategory.id)).all()]
    # Later units get more complaints, so districts differ.
    pool = city_complaints.Units(
        ids=np.array([u.id for u in units]),
        districts=np.array([u.district_id or -1 for u in units]),
        weights=np.array([1.0 + i % 7 for i in range(len(units))]),
        slowness=np.ones(len(units)))
    columns = city_complaints.columns(
        np.random.default_rng(seed), n=rows, first_id=first_id, start=now - SPAN_DAYS * 86_400,
        now=now, utc_offset=8 * 3600, units=pool, districts=districts,
        district_weights=np.ones(len(districts)), categories=categories, office_id=office_id,
        tag=f"B{seed}")
    columns.pop("_unsatisfied_at")  # no follow-up rows here (the city demo writes them)
    done = 0
    while done < rows:
        part = {k: v[done:done + batch] for k, v in columns.items()}
        with UnitOfWork(engine) as tx:
            writer = bulk.Writer(tx)
            with writer.tuned():
                done += writer.write(Complaint.__table__, part)
                if done == rows:
                    writer.finish()  # sequence past the ids; ANALYZE for the new size
            tx.commit()
        if progress:
            progress(done, rows)
    return done


def main(argv: list[str] | None = None) -> int:
    from config import get_settings
    from db.bootstrap import open_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--url", help="database URL (default: DATABASE_URL)")
    args = parser.parse_args(argv)
    url = args.url or get_settings().sqlalchemy_url
    engine = open_database(url.replace("postgresql://", "postgresql+psycopg://", 1))
    started = time.perf_counter()
    step = {"last": 0.0}

    def show(done: int, total: int) -> None:
        if time.perf_counter() - step["last"] > 5 or done == total:
            step["last"] = time.perf_counter()
            print(f"{done:>10,} / {total:,}  {time.perf_counter() - started:6.1f} s", flush=True)

    added = load_synthetic_complaints(engine, args.rows, args.seed, progress=show)
    took = time.perf_counter() - started
    print(f"{added:,} complaints in {took:.1f} s ({added / took:,.0f} rows/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

