"""Synthetic complaints in bulk, for benchmarks (the list at a million rows, dashboards).

    .venv/bin/python -m benchmarks.load_complaints --rows 1000000 [--seed 7] [--url URL]

`load_synthetic_complaints(engine, rows, seed)` adds `rows` complaints to a migrated
database, after making a minimal organisation if it lacks one (the demo's districts and
towns, a few industries, units, and an office account `bench_office`). Rows go in with
PostgreSQL's COPY, or SQLAlchemy Core executemany on SQLite, in batches, bypassing the
services: no status log, audit or duplicate checks, so it is a benchmark fixture, never a
way to put data into a real register. The same seed gives the same rows.

What the rows look like: received over the last two years (more in summer and before
Spring Festival), channels and districts with different weights, about 10 % naming only a
place, 2 % escalated, 2 % marked duplicates of an earlier row, statuses by age (older
ones mostly closed, a few still open and so overdue), satisfaction on closed ones, a third
imported from the 12345 hotline with an external id.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, text
from sqlmodel import Session, select

from db.models import Complaint, ComplaintCategory, District, Industry, Role, Unit, User
from demo import org as demo_org
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.identity import users
from services.org import structure

OFFICE = "bench_office"
OFFICE_PASSWORD = "bench-pass-2026"
BATCH = 20_000
CHANNELS = {"phone": 30, "hotline": 35, "online": 15, "letter": 6, "visit": 8,
            "provincial": 5, "other": 1}
_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗"
_GIVEN = ["建国", "海燕", "志强", "丽娟", "文博", "红梅", "国庆", "晓东", "秀英", "永刚"]
_CONTENT = ["窗口工作人员态度生硬，让我反复跑了三趟", "办理营业执照超过承诺时限仍未办结",
            "供暖温度不达标，多次反映无人处理", "乱收费，收费项目未公示", "工作时间无人在岗",
            "一次性告知不到位，材料反复补交", "热线电话长期无人接听", "推诿扯皮，互相踢皮球"]


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


def _weighted(rng: random.Random, weights: dict[str, int]) -> Callable[[], str]:
    keys, cum = list(weights), list(itertools.accumulate(weights.values()))
    return lambda: rng.choices(keys, cum_weights=cum)[0]


def synthetic_rows(engine: Engine, rows: int, seed: int, first_id: int, office_id: int,
                   now: datetime) -> Iterator[dict]:
    rng = random.Random(seed)
    # Read up front and let go: a reader held open through the load would keep SQLite from
    # checkpointing its WAL, which would then grow to the size of the whole load.
    with Session(engine) as session:
        units = session.exec(select(Unit.id, Unit.district_id).order_by(Unit.id)).all()
        districts = list(session.exec(select(District.id).order_by(District.id)).all())
        categories = session.exec(select(ComplaintCategory.id, ComplaintCategory.deadline_days)
                                  .order_by(ComplaintCategory.id)).all()
    channel = _weighted(rng, CHANNELS)
    # Later units get more complaints, so districts differ.
    unit_cum = list(itertools.accumulate(1 + (i % 7) for i in range(len(units))))
    # Received times follow the season (busier in winter, summer and before Spring
    # Festival): row n is drawn at the n-th quantile of that spread, so ids grow with
    # received_at as in a real register and the last rows are the last hours.
    start = now - timedelta(days=730)
    season = [1.2 if (start + timedelta(days=d)).month in (1, 2, 6, 7, 8, 12) else 0.85
              for d in range(730)]
    season_cum = list(itertools.accumulate(season))
    for n in range(rows):
        cid = first_id + n
        target = (n + rng.random()) / rows * season_cum[-1]
        day = bisect.bisect_left(season_cum, target)
        into = 1 - (season_cum[day] - target) / season[day]
        received = min(now, start + timedelta(days=day + into))
        age = (now - received).total_seconds()
        days = age / 86400
        category_id, deadline_days = rng.choice(categories)
        unit_id, district_id = rng.choices(units, cum_weights=unit_cum)[0]
        if rng.random() < 0.1:
            unit_id, district_id = None, rng.choice(districts)
        status = _status(rng, days, unit_id is not None)
        received_day = received.date()
        deadline = received_day + timedelta(days=deadline_days)
        assigned = received + timedelta(hours=rng.uniform(1, 48)) if status != "received" \
            else None
        replied = received + timedelta(days=rng.uniform(1, deadline_days)) \
            if status in ("replied", "closed") else None
        closed = replied + timedelta(days=rng.uniform(0.5, 5)) if status == "closed" and \
            replied else None
        if closed and closed > now:
            closed = now
        escalated = rng.random() < 0.02
        anonymous = rng.random() < 0.05
        hotline = rng.random() < 0.33
        phone = f"13{rng.randrange(10**9):09d}"
        yield {
            "id": cid,
            "source": "12345" if hotline else "manual",
            "external_id": f"B{seed}-{cid}" if hotline else None,
            "client_key": None,
            "channel": "hotline" if hotline else channel(),
            "received_at": received,
            "anonymous": anonymous,
            "complainant_name": "" if anonymous else rng.choice(_SURNAMES) + rng.choice(_GIVEN),
            "complainant_phone": "" if anonymous else phone,
            "phone_digits": "" if anonymous else phone,
            "complainant_address": "" if anonymous else f"雄关区新华路{rng.randrange(1, 300)}号",
            "unit_id": unit_id,
            "district_id": district_id,
            "category_id": category_id,
            "content": rng.choice(_CONTENT),
            "escalated": escalated,
            "escalation_level": rng.choice(["city", "province"]) if escalated else "none",
            "deadline": deadline,
            "status": status,
            "assigned_at": assigned,
            "signed_at": assigned + timedelta(hours=2) if assigned else None,
            "replied_at": replied,
            "closed_at": closed,
            "satisfaction": _satisfaction(rng) if status == "closed" else None,
            "duplicate_of_id": rng.randrange(first_id, cid) if cid > first_id and
            rng.random() < 0.02 else None,
            "created_by": office_id,
            "created_at": received,
            "updated_at": closed or replied or assigned or received,
            "version": 1,
        }


def _status(rng: random.Random, days_ago: float, has_unit: bool) -> str:
    if not has_unit:
        return "received" if days_ago < 3 else "closed"
    # Recent complaints are still being handled; a few old ones never were (overdue).
    open_share = 0.9 if days_ago < 7 else 0.5 if days_ago < 30 else 0.02
    if rng.random() >= open_share:
        return "closed"
    return rng.choices(["received", "assigned", "signed", "replied", "reopened", "returned"],
                       weights=[10, 20, 35, 25, 5, 5])[0]


def _satisfaction(rng: random.Random) -> str:
    return rng.choices(["satisfied", "basically", "unsatisfied"], weights=[70, 22, 8])[0]


def load_synthetic_complaints(engine: Engine, rows: int, seed: int = 0, *, batch: int = BATCH,
                              progress: Callable[[int, int], None] | None = None) -> int:
    """Adds `rows` synthetic complaints (and a minimal organisation if there is none);
    returns how many were added. Each batch is its own transaction."""
    office_id = ensure_org(engine)
    now = datetime.now(UTC).replace(microsecond=0)
    with Session(engine) as session:
        first_id = (session.exec(select(func.max(Complaint.id))).one() or 0) + 1
    source = synthetic_rows(engine, rows, seed, first_id, office_id, now)
    done = 0
    while done < rows:
        chunk = list(itertools.islice(source, min(batch, rows - done)))
        _insert(engine, chunk)
        done += len(chunk)
        if progress:
            progress(done, rows)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # the rows came with their ids
            conn.execute(text("SELECT setval(pg_get_serial_sequence('complaint', 'id'), "
                              "(SELECT max(id) FROM complaint))"))
    with engine.begin() as conn:
        conn.execute(text("ANALYZE complaint"))  # plans for the new size, as after a load
    return done


_COLUMNS = [c.name for c in Complaint.__table__.columns]


def _insert(engine: Engine, chunk: list[dict]) -> None:
    if engine.dialect.name == "postgresql":
        _copy(engine, chunk)
    else:
        _executemany(engine, chunk)


def _executemany(engine: Engine, chunk: list[dict]) -> None:
    """sqlite3's executemany on tuples, with SQLAlchemy's own conversions for the columns
    that have one (so times are stored exactly as the app stores them): a third of the time
    SQLAlchemy's per-row parameter handling takes."""
    table = Complaint.__table__
    convert = [(i, c.type.bind_processor(engine.dialect)) for i, c in enumerate(table.columns)]
    convert = [(i, fn) for i, fn in convert if fn]
    sql = (f"INSERT INTO complaint ({', '.join(_COLUMNS)}) "
           f"VALUES ({', '.join('?' * len(_COLUMNS))})")
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        # Index pages for a million rows do not fit SQLite's 2 MB default cache; every
        # insert would then read and write pages of the indexes from disk.
        cur.execute("PRAGMA cache_size=-262144")
        cur.execute("BEGIN IMMEDIATE")
        values = []
        for row in chunk:
            record = [row[c] for c in _COLUMNS]
            for i, fn in convert:
                record[i] = fn(record[i])
            values.append(record)
        cur.executemany(sql, values)
        cur.execute("COMMIT")
    finally:
        raw.close()


def _copy(engine: Engine, chunk: list[dict]) -> None:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        with cur.copy(f"COPY complaint ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for row in chunk:
                copy.write_row([row[c] for c in _COLUMNS])
        raw.commit()
    finally:
        raw.close()


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

