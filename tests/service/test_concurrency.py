"""Several app processes write at once (several tablets, several Streamlit workers):
on SQLite as on PostgreSQL, no write may fail with "database is locked" or be lost."""

import multiprocessing as mp

from sqlmodel import func, select

from db.models import AuditEvent, Unit

PER_PROCESS = 500


def _create_units(url: str, prefix: str, start, errors) -> None:
    from db.engine import make_engine
    from services import org
    from services.system import system_actor
    from services.uow import UnitOfWork

    uow = UnitOfWork(make_engine(url))
    start.wait(30)
    try:
        for i in range(PER_PROCESS):
            org.create_unit(uow, actor=system_actor(), name=f"{prefix}-{i:04d}")
    except Exception as exc:  # reported to the test, which fails with it
        errors.put(f"{prefix}: {type(exc).__name__}: {exc}")


def test_two_processes_create_500_units_each_at_the_same_time(engine):
    url = engine.url.render_as_string(hide_password=False)
    ctx = mp.get_context("spawn")
    start, errors = ctx.Event(), ctx.Queue()
    workers = [
        ctx.Process(target=_create_units, args=(url, name, start, errors)) for name in ("A", "B")
    ]
    for w in workers:
        w.start()
    start.set()
    for w in workers:
        w.join(timeout=240)
    problems = [errors.get() for _ in range(errors.qsize())] if not errors.empty() else []
    assert problems == []
    assert [w.exitcode for w in workers] == [0, 0]
    with engine.connect() as conn:
        units = conn.execute(select(func.count()).select_from(Unit)).scalar_one()
        audits = conn.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "unit.create")
        ).scalar_one()
    assert units == 2 * PER_PROCESS
    assert audits == 2 * PER_PROCESS
