"""Several app processes write at once (several tablets, several Streamlit workers):
on SQLite as on PostgreSQL, no write may fail with "database is locked" or be lost."""

import multiprocessing as mp
import sys
import types

from sqlmodel import func, select

from db.models import AuditEvent, FindingStatusChange, Unit
from tests.conftest import at_once
from tests.factories import sign_in

PER_PROCESS = 500


def _create_units(url: str, prefix: str, start, errors) -> None:
    from db.engine import make_engine
    from services.core.system import system_actor
    from services.core.uow import UnitOfWork
    from services.org import structure as org

    uow = UnitOfWork(make_engine(url))
    start.wait(30)
    try:
        for i in range(PER_PROCESS):
            uow.run(org.create_unit, actor=system_actor(), name=f"{prefix}-{i:04d}")
    except Exception as exc:  # reported to the test, which fails with it
        errors.put(f"{prefix}: {type(exc).__name__}: {exc}")


def test_two_processes_create_500_units_each_at_the_same_time(engine, monkeypatch):
    # Spawned children re-import __main__; under pytest after an AppTest that is a deleted
    # temporary script, so give them an empty one.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
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


def test_confirm_and_reject_at_the_same_time_one_wins(
    engine, uow, admin, office, inspector
):
    from demo import checklist as demo_checklist
    from services.core.errors import DomainError
    from services.core.uow import UnitOfWork
    from services.fieldwork import visit_view
    from services.findings import review
    from tests.factories import make_template, make_unit, make_visit

    unit = make_unit(uow, actor=admin, name="窗口单位")
    tpl = make_template(uow, actor=office, name="表", items=demo_checklist.ITEMS[:1])
    insp, [finding] = make_visit(uow, inspector=inspector, unit=unit, template=tpl,
                                 failing=[tpl.items[0].text], findings=[{}], submit=True)
    version = uow.query(
        visit_view.get_visit, actor=office, inspection_id=insp.id).findings[0].version
    results = at_once([
        lambda: UnitOfWork(engine).run(review.confirm_finding, actor=office, finding_id=finding.id,
                                       version=version),
        lambda: UnitOfWork(engine).run(review.reject_finding, actor=office, finding_id=finding.id,
                                      reason="不成立", version=version),
    ])
    assert sum(isinstance(r, DomainError) for r in results) == 1, results
    with engine.connect() as conn:
        log = conn.execute(select(FindingStatusChange.to_status)
                           .where(FindingStatusChange.finding_id == finding.id)).scalars().all()
    assert len(log) == 3  # draft, open, and exactly one decision


def test_parallel_wrong_passwords_all_count_and_none_slips_past_the_wait(engine, make_user):
    from db.timeutil import utcnow
    from services.core.errors import AuthenticationFailed, SignInThrottled
    from services.core.uow import UnitOfWork

    make_user("target")
    now = utcnow()
    # Six guesses at once from six places: checked one after the other, so the three free
    # ones and the one that starts the wait are checked and counted, and the two that come
    # after it are refused unchecked. Without the lock all six would have been checked.
    results = at_once([
        lambda i=i: sign_in(UnitOfWork(engine), username="target",
                                 password="wrong-password", client=f"ip:198.51.100.{i}", now=now)
        for i in range(6)
    ])
    assert all(isinstance(r, AuthenticationFailed | SignInThrottled) for r in results), results
    assert sum(isinstance(r, AuthenticationFailed) for r in results) == 4
    assert sum(isinstance(r, SignInThrottled) for r in results) == 2


def test_the_same_start_twice_at_the_same_moment_makes_one_visit(
    engine, uow, admin, office, inspector
):
    from db.models import Inspection
    from demo import checklist as demo_checklist
    from services.core.uow import UnitOfWork
    from services.fieldwork import visits as inspections
    from tests.factories import make_template, make_unit

    unit = make_unit(uow, actor=admin, name="窗口单位")
    tpl = make_template(uow, actor=office, name="表", items=demo_checklist.ITEMS[:2])
    results = at_once([
        lambda: UnitOfWork(engine).run(inspections.start_visit, actor=inspector, client_key="tap",
                                        unit_id=unit.id, kind="open", template_id=tpl.id)
        for _ in range(4)
    ])
    assert len({r.id for r in results}) == 1, results
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Inspection)).scalar_one() == 1
