"""The migrations build exactly the schema the models describe, and the database itself
refuses a status or kind outside its enum."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

from db.migrate import downgrade_to, upgrade_to_head
from db.models import Inspection, Role
from tests.factories import make_draft, make_template, make_unit


def test_migrated_schema_matches_the_models(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_every_enum_check_of_the_models_is_in_the_database(engine):
    expected = {
        (table.name, constraint.name)
        for table in SQLModel.metadata.sorted_tables
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
    }
    assert ("finding", "ck_finding_status_valid") in expected
    found = {
        (table, check["name"])
        for table, _ in expected
        for check in inspect(engine).get_check_constraints(table)
    }
    assert expected <= found


def test_a_role_outside_the_enum_is_refused_by_the_database(engine, make_user):
    user = make_user("someone", Role.INSPECTOR)
    with engine.begin() as conn, pytest.raises(IntegrityError):
        conn.execute(text('UPDATE "user" SET role = :r WHERE id = :i'), {"r": "root", "i": user.id})


def test_the_last_migrations_go_down_and_up_again_keeping_the_visits(
    engine, uow, admin, office, inspector
):
    unit = make_unit(uow, actor=admin, name="窗口单位")
    tpl = make_template(uow, actor=office, name="表")
    draft = make_draft(uow, inspector=inspector, unit=unit, template=tpl)
    downgrade_to(engine, "0003")
    upgrade_to_head(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    assert uow.query(lambda u: u.session.get(Inspection, draft.id).client_key) == (
        draft.client_key)


def test_0005_goes_down_after_two_inspectors_used_the_same_key(
    engine, uow, admin, office, make_user
):
    first = make_user("insp1", Role.INSPECTOR)
    second = make_user("insp2", Role.INSPECTOR)
    unit = make_unit(uow, actor=admin, name="窗口单位")
    tpl = make_template(uow, actor=office, name="表")
    # Allowed since 0005: the same derived key on two inspectors' tablets.
    make_draft(uow, inspector=first, unit=unit, template=tpl, client_key="k-1")
    make_draft(uow, inspector=second, unit=unit, template=tpl, client_key="k-1")
    downgrade_to(engine, "0004")  # "a rollback by hand" (db/migrate.py)
    upgrade_to_head(engine)
    keys = uow.query(lambda u: sorted(i.client_key for i in u.session.exec(
        select(Inspection))))
    assert keys[0] == "k-1" and keys[1].startswith("k-1-")  # kept apart, nothing lost
