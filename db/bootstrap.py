"""Open the configured database at the newest schema."""

from __future__ import annotations

from sqlalchemy import Engine

from db.engine import make_engine
from db.migrate import upgrade_to_head


def open_database(url: str) -> Engine:
    engine = make_engine(url)
    upgrade_to_head(engine)
    return engine
