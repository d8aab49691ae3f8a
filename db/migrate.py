"""Bring a database to the newest schema (Alembic head)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade_to_head(engine: Engine) -> None:
    _migrate(engine, command.upgrade, "head")


def downgrade_to(engine: Engine, revision: str) -> None:
    """For the migration tests and a rollback by hand: back to `revision`."""
    _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step, revision: str) -> None:
    cfg = alembic_config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # SQLite cannot add a CHECK constraint to a table: a batch migration copies the
            # table and drops the old one, which foreign keys would refuse. The pragma only
            # works outside a transaction; the keys are checked before committing instead.
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    # Several app processes may start together: one migrates, the others wait.
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7283401)")
                cfg.attributes["connection"] = conn
                step(cfg, revision)
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("migration left rows with broken foreign keys")
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
