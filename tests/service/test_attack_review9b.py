"""Second adversarial review of the dashboard's latest changes (issue 9), on SQLite and
PostgreSQL: whether a write sent as text the data version's pattern did not expect (a
leading comment, a common table expression) still moves the version, and whether follow-up
calls or a district in the URL give an inspector or a liaison figures outside their scope."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from db.models import District
from services.core import data_version
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.dashboard import kpis
from services.org import structure
from tests.dashboard_fixtures import TODAY, filters


def _version(uow: UnitOfWork) -> int:
    with uow.read() as r:
        return data_version.current(r.session)


WRITES = [
    "/* from a tool */ UPDATE district SET population = 7 WHERE id = :id",
    "-- a note\nUPDATE district SET population = 7 WHERE id = :id",
    "  /* a */ -- b\n  /* c */ DELETE FROM district WHERE id = :id",
    "WITH gone AS (SELECT :id AS id) UPDATE district SET population = 7 "
    "WHERE id IN (SELECT id FROM gone)",
    "WITH gone AS (SELECT :id AS id) DELETE FROM district WHERE id IN (SELECT id FROM gone)",
]


@pytest.mark.parametrize("statement", WRITES)
def test_a_write_the_pattern_did_not_expect_moves_the_version(uow, statement) -> None:
    district = uow.run(structure.create_district, actor=system_actor(), name="文本区",
                       kind="district")
    before = _version(uow)
    with UnitOfWork(uow.engine) as tx:
        tx.session.execute(text(statement), {"id": district.id})
        tx.commit()
    assert _version(uow) == before + 1


def test_a_write_inside_a_common_table_expression_moves_the_version(uow) -> None:
    """PostgreSQL runs an UPDATE ... RETURNING inside WITH, under a SELECT."""
    if uow.engine.dialect.name != "postgresql":
        pytest.skip("data-modifying WITH is PostgreSQL's")
    district = uow.run(structure.create_district, actor=system_actor(), name="CTE区",
                       kind="district")
    before = _version(uow)
    with UnitOfWork(uow.engine) as tx:
        tx.session.execute(text("WITH moved AS (UPDATE district SET population = 9 "
                                "WHERE id = :id RETURNING id) SELECT count(*) FROM moved"),
                           {"id": district.id})
        tx.commit()
    assert _version(uow) == before + 1


def test_many_rows_in_one_statement_and_a_locking_read(uow) -> None:
    """executemany is one statement with many rows; SELECT ... FOR UPDATE reads."""
    before = _version(uow)
    with UnitOfWork(uow.engine) as tx:
        tx.session.execute(text("INSERT INTO district (name, kind, active, version) "
                                "VALUES (:n, 'district', true, 1)"),
                           [{"n": "多行一"}, {"n": "多行二"}])
        tx.commit()
    assert _version(uow) == before + 1
    with UnitOfWork(uow.engine) as tx:
        tx.session.execute(select(District).where(District.name == "多行一").with_for_update())
        tx.session.execute(text("SELECT id FROM district /* UPDATE */ WHERE name = 'x'"))
        tx.commit()
    assert _version(uow) == before + 1


# --- follow-up calls and a district in the URL stay within the actor's scope ---

def _figures(uow, actor, **kw) -> dict:
    return {k.key: (k.value, k.previous, k.basis) for k in uow.query(
        kpis.kpis, actor=actor, filters=filters(**kw), today=TODAY)}


def test_an_inspector_asking_for_another_district_gets_nothing_of_it(uow, city) -> None:
    """inspector_b works in 镜铁区; ?district= 雄关区 (or its town) shows none of its
    complaints, follow-up calls, visits or findings."""
    for place in (city["a"], city["town"]):
        got = _figures(uow, city["inspector_b"], district_id=place)
        assert got["complaints"][:2] == (0, 0)
        assert got["satisfaction"] == (None, None, 0)
        assert got["inspections"][:2] == (0, 0)
    own = _figures(uow, city["inspector_b"])
    assert own["satisfaction"] == (None, None, 0)  # no call on 镜铁区's complaints


def test_a_liaison_counts_only_the_follow_up_calls_on_its_units_complaints(uow, city) -> None:
    """liaison_a (雄关区供电所): c1's call in November, c5's in October; not c2's two calls
    on the town's water station."""
    got = _figures(uow, city["liaison_a"])
    assert got["satisfaction"] == (1.0, 1.0, 1)
    everyone = _figures(uow, city["office"])
    assert everyone["satisfaction"][2] == 3
