"""Adversarial review of the leadership dashboard (issue 9), on SQLite and PostgreSQL: what a
unit's liaison may learn of complaints the office has not sent it, which instructions it
reads, and whether every committed write (and only that) moves the data version."""

from __future__ import annotations

import uuid

from sqlalchemy import update

from db.models import District, Unit
from services.complaints import workflow
from services.core import data_version
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.dashboard import districts, kpis
from services.findings import from_complaint
from services.instructions import queries, write
from services.org import structure
from tests.conftest import at_once
from tests.dashboard_fixtures import TODAY, filters
from tests.factories import make_complaint


def _version(uow: UnitOfWork) -> int:
    with uow.read() as r:
        return data_version.current(r.session)


# --- a liaison's figures: complaints the office still holds are not the unit's to know ---

def test_a_liaison_counts_only_the_complaints_sent_to_its_unit(uow, city) -> None:
    """c9 names the unit but the office has not sent it (status received): the unit's
    liaison cannot read it in its inbox, so its count must not reveal it either."""
    figures = {k.key: (k.value, k.previous) for k in uow.query(
        kpis.kpis, actor=city["liaison_a"], filters=filters(), today=TODAY)}
    assert figures["complaints"] == (1, 1)  # c1 (sent, now closed); c5 in October


def test_an_inspector_compares_only_the_districts_it_works_in(uow, city) -> None:
    """Other districts would show as nothing at all (0 complaints per 10,000, no overdue
    item): the best of the city, on figures the inspector was never given."""
    rows = uow.query(districts.compare, actor=city["inspector_b"], filters=filters(),
                     today=TODAY)
    assert [r.district for r in rows] == ["镜铁区"]
    assert rows[0].complaints == 2  # c3, c6
    everyone = uow.query(districts.compare, actor=city["office"], filters=filters(),
                         today=TODAY)
    assert [r.district for r in everyone] == ["雄关区", "镜铁区", "长城区"]


# --- instructions: a liaison reads those on what it may itself read ---

def _give(uow, leader, kind, target_id, text="请督促整改"):
    return uow.run(write.give, actor=leader, kind=kind, target_id=target_id, text=text,
                   client_key=uuid.uuid4().hex)


def test_an_instruction_on_a_complaint_the_office_holds_is_not_the_units_yet(
        uow, campaign) -> None:
    c = campaign
    held = make_complaint(uow, office=c["office"], unit=c["lead"])  # not sent yet
    _give(uow, c["leader"], "complaint", held.id)
    assert uow.query(queries.list_instructions, actor=c["lead_liaison"]) == []
    assert uow.query(queries.count_open, actor=c["lead_liaison"]) == 0
    uow.run(workflow.assign, actor=c["office"], complaint_id=held.id, version=None,
            unit_id=c["lead"].id)
    [row] = uow.query(queries.list_instructions, actor=c["lead_liaison"])
    assert row.target.id == held.id


def _sent_on(uow, c, complaint) -> list:
    """The lead unit returns the complaint, the office sends it to the outsider: the lead
    unit's liaison then reads no instruction; what the outsider's reads is returned."""
    uow.run(workflow.return_to_office, actor=c["lead_liaison"], complaint_id=complaint.id,
            reason="非本单位职责")
    uow.run(workflow.assign, actor=c["office"], complaint_id=complaint.id, version=None,
            unit_id=c["outsider"].id)
    assert uow.query(queries.list_instructions, actor=c["lead_liaison"]) == []
    return uow.query(queries.list_instructions, actor=c["other_liaison"])


def test_an_instruction_follows_a_complaint_sent_on_to_another_unit(uow, campaign) -> None:
    """Sent to the lead unit, returned as not its matter, sent to the outsider: the lead
    unit no longer reads the complaint, nor the leader's instruction on it."""
    c = campaign
    moved = make_complaint(uow, office=c["office"], unit=c["lead"])
    uow.run(workflow.assign, actor=c["office"], complaint_id=moved.id, version=None,
            unit_id=c["lead"].id)
    _give(uow, c["leader"], "complaint", moved.id)
    [row] = _sent_on(uow, c, moved)
    assert row.target.id == moved.id


# --- the data version ---

def test_a_core_statement_on_the_sessions_connection_moves_the_version(uow) -> None:
    """The complaint import and the lifecycle's bulk log write through
    session.connection(): a write the ORM's events do not see."""
    district = uow.run(structure.create_district, actor=system_actor(), name="核心区",
                       kind="district")
    before = _version(uow)
    with UnitOfWork(uow.engine) as tx:
        tx.session.connection().execute(update(District).where(District.id == district.id)
                                        .values(population=7))
        tx.commit()
    assert _version(uow) == before + 1


def test_a_rolled_back_core_statement_leaves_the_version(uow) -> None:
    before = _version(uow)
    with UnitOfWork(uow.engine) as tx:
        tx.session.connection().execute(update(Unit).values(name=Unit.name))
    assert _version(uow) == before


def test_writers_at_once_each_move_the_version(uow) -> None:
    """Concurrent writers queue on the one row only for the moment before commit: none
    deadlocks, none loses its bump (PostgreSQL runs them truly at once)."""
    before = _version(uow)
    calls = [lambda n=n: uow.run(structure.create_district, actor=system_actor(),
                                 name=f"并发区{n}", kind="district") for n in range(4)]
    results = at_once(calls)
    assert not [r for r in results if isinstance(r, Exception)]
    assert _version(uow) == before + 4


def test_an_instruction_on_a_finding_follows_the_finding_to_its_new_unit(uow, campaign) -> None:
    """A finding opened from a complaint moves with the complaint when the office sends it
    on: the first unit no longer reads it, nor the instruction on it."""
    c = campaign
    moved = make_complaint(uow, office=c["office"], unit=c["lead"])
    uow.run(workflow.assign, actor=c["office"], complaint_id=moved.id, version=None,
            unit_id=c["lead"].id)
    finding = uow.run(from_complaint.open_from_complaint, actor=c["office"],
                      complaint_id=moved.id, category="attitude", description="态度生硬")
    _give(uow, c["leader"], "finding", finding.id)
    assert len(uow.query(queries.list_instructions, actor=c["lead_liaison"])) == 1
    [row] = _sent_on(uow, c, moved)
    assert row.target.id == finding.id
