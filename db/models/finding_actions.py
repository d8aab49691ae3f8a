"""What the office does to confirmed findings in bulk from the register: a new deadline
with its reason (a log row per finding), and a reminder to the unit (催办), shown on the
liaison's start page and e-mailed where SMTP is configured. Rules in services/findings/."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.timeutil import utcnow


class FindingDeadlineChange(SQLModel, table=True):
    """One extension of a finding's rectification deadline: from, to, why, who, when."""

    __tablename__ = "finding_deadline_change"
    __table_args__ = (
        # One bulk extension is one key of the clerk's: a double click changes nothing twice.
        UniqueConstraint("actor_id", "client_key", "finding_id",
                         name="uq_finding_deadline_change_client_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_key: str = Field(max_length=64)
    finding_id: int = Field(foreign_key="finding.id", index=True)
    actor_id: int = Field(foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)
    from_deadline: date | None = None
    to_deadline: date
    reason: str = Field(max_length=500)


class FindingUrge(SQLModel, table=True):
    """A reminder (催办) to the unit of a finding that waits for it."""

    __tablename__ = "finding_urge"
    __table_args__ = (
        # At most one reminder per finding and city day, whoever sends it.
        UniqueConstraint("finding_id", "urged_on", name="uq_finding_urge_day"),
        UniqueConstraint("urged_by", "client_key", "finding_id",
                         name="uq_finding_urge_client_key"),
        # Reminders per unit in a period (counted, compared between units).
        Index("ix_finding_urge_unit_day", "unit_id", "urged_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_key: str = Field(max_length=64)
    finding_id: int = Field(foreign_key="finding.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    urged_by: int = Field(foreign_key="user.id")
    urged_at: datetime = Field(default_factory=utcnow)
    urged_on: date  # the city's day of urged_at
    note: str = Field(default="", max_length=500)
    # After the commit the page e-mails the unit's liaisons and records how that went.
    emailed_at: datetime | None = None
    email_error: str = Field(default="", max_length=500)
