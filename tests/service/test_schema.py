"""The migrations build exactly the schema the models describe, and the database itself
refuses a status or kind outside its enum."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from db.models import Role


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
