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
    cfg = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several app processes may start together: one migrates, the others wait.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7283401)")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
