"""The data version moves on with every committed write and only then: what tells every
open dashboard, in every app process, that its cached figures are stale."""

from __future__ import annotations

from sqlmodel import select, update

from db.models import District, Unit
from services.core import data_version
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.org import structure


def _version(uow: UnitOfWork) -> int:
    with uow.read() as r:
        return data_version.current(r.session)


def test_a_committed_service_write_moves_the_version(uow: UnitOfWork) -> None:
    before = _version(uow)
    uow.run(structure.create_district, actor=system_actor(), name="测试区", kind="district")
    assert _version(uow) == before + 1


def test_a_rolled_back_write_and_a_read_leave_it(uow: UnitOfWork) -> None:
    before = _version(uow)
    with UnitOfWork(uow.engine) as tx:
        tx.session.add(District(name="不提交区", kind="district"))
        tx.session.flush()
    uow.query(lambda tx: tx.session.exec(select(Unit)).all())
    with UnitOfWork(uow.engine) as tx:  # a writing unit that only read, then committed
        tx.session.exec(select(Unit)).all()
        tx.commit()
    assert _version(uow) == before


def test_a_bulk_statement_and_a_pending_object_count_as_writes(uow: UnitOfWork) -> None:
    district = uow.run(structure.create_district, actor=system_actor(), name="批量区",
                       kind="district")
    before = _version(uow)
    with UnitOfWork(uow.engine) as tx:
        tx.session.exec(update(District).where(District.id == district.id)
                        .values(population=120_000))
        tx.commit()
    assert _version(uow) == before + 1
    with UnitOfWork(uow.engine) as tx:
        tx.session.add(District(name="待写区", kind="district"))  # never flushed by hand
        tx.commit()
    assert _version(uow) == before + 2
