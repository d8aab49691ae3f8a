"""The data version: one row that every committed write moves on, so that dashboards cached
in several app processes all see that something changed (services/core/data_version.py)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from db.timeutil import utcnow


class DataVersion(SQLModel, table=True):
    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    changed_at: datetime = Field(default_factory=utcnow)
