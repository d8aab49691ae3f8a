"""Statuses as data: which status may follow which, and one log row per change.

Findings use it now; complaints, task reports and notices will use the same helper with
their own table of transitions and their own log table:

    FINDING = Lifecycle("finding", TRANSITIONS, log=FindingStatusChange, owner="finding_id")
    FINDING.move(session, finding, FindingStatus.REPORTED, actor=liaison, note="...")

The current status is kept on the record (for cheap filtering and indexes) and always
changes together with its log row, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, SQLModel, select

from db.models import User
from db.timeutil import utcnow
from services.core.errors import InvalidTransition


@dataclass(frozen=True)
class StatusChangeRow:
    """One row of a record's status log as pages show it (who by name)."""

    from_status: str | None
    to_status: str
    actor: str | None
    at: datetime
    note: str


@dataclass(frozen=True)
class Lifecycle:
    """`transitions` maps a status (None: not created yet) to the statuses that may follow.
    `log` is the log table; `owner` its column that points at the record. `on_enter` runs
    after a move into a status (e.g. stamping the confirmation time)."""

    name: str
    transitions: Mapping[str | None, frozenset[str]]
    log: type[SQLModel]
    owner: str
    on_enter: Mapping[str, Callable[[Any, datetime], None]] = field(default_factory=dict)

    @property
    def statuses(self) -> frozenset[str]:
        return frozenset(s for s in self.transitions if s is not None)

    def allowed(self, current: str | None, to: str) -> bool:
        return to in self.transitions.get(current, frozenset())

    def start(
        self, session: Session, record: Any, *, actor: User | None, at: datetime | None = None
    ) -> SQLModel:
        """The first row of a record's log (the record must be flushed, to have an id)."""
        if not self.allowed(None, record.status):
            raise InvalidTransition(f"{self.name}.bad_transition", frm="-", to=record.status)
        return self._log(session, record, None, record.status, actor, at or utcnow(), "")

    def move(
        self, session: Session, record: Any, to: str, *, actor: User | None, note: str = "",
        at: datetime | None = None,
    ) -> SQLModel:
        """Refuses a move the table does not allow (InvalidTransition, shown translated)."""
        current = record.status
        if not self.allowed(current, to):
            raise InvalidTransition(f"{self.name}.bad_transition", frm=current or "-", to=to)
        at = at or utcnow()
        record.status = to
        record.version = (record.version or 0) + 1
        if to in self.on_enter:
            self.on_enter[to](record, at)
        session.add(record)
        return self._log(session, record, current, to, actor, at, note)

    def history(self, session: Session, record_id: int) -> list[StatusChangeRow]:
        """A record's status changes, oldest first, with who made each by name."""
        log = self.log
        rows = session.exec(
            select(log, User.display_name)
            .join(User, log.actor_id == User.id, isouter=True)
            .where(getattr(log, self.owner) == record_id)
            .order_by(log.id)
        ).all()
        return [StatusChangeRow(c.from_status, c.to_status, name, c.at, c.note)
                for c, name in rows]

    def _log(self, session, record, frm, to, actor, at, note) -> SQLModel:
        row = self.log(
            **{self.owner: record.id}, from_status=frm, to_status=to,
            actor_id=actor.id if actor else None, at=at, note=note,
        )
        session.add(row)
        return row
