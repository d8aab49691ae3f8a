"""What a user keeps for themselves: filters saved by name on a list page (the findings
register's, issue 10). Rules in services/preferences/."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from db.timeutil import utcnow


class SavedFilter(SQLModel, table=True):
    """One user's filters for one page, saved under a name of their choosing: the page's URL
    query parameters as a JSON object of strings, cleaned by the service before saving."""

    __tablename__ = "saved_filter"
    # A name is the user's own per page; the index also serves the list of their filters.
    __table_args__ = (UniqueConstraint("user_id", "page", "name", name="uq_saved_filter_name"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    page: str = Field(max_length=40)
    name: str = Field(max_length=40)
    query: str = Field(max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
