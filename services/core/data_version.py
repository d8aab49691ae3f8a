"""The data version: a number in one database row that every committed write moves on.

Dashboards cache what they computed under the version they read; when it has moved, the
next refresh computes again. A row in the database, not a counter in memory, so that
several app processes (and the command line, and imports) agree on it. The unit of work
moves it in the same transaction as the write, as its last statement: the row is locked
only for the moment before commit, so writers do not queue behind each other for long."""

from __future__ import annotations

import re

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from db.models import DataVersion
from db.timeutil import utcnow

_WROTE = "data_version.wrote"
# What the database is sent that changes rows, however it was built: an ORM flush, a bulk
# statement through the session, a Core statement on session.connection() (the complaint
# import, the lifecycle's bulk log) or text, which may open with comments or a parenthesis,
# or with WITH: a common table expression before the write (SQLite and PostgreSQL), or a
# write inside one (PostgreSQL's WITH moved AS (UPDATE ... RETURNING ...) SELECT ...).
# A lock (FOR UPDATE, FOR NO KEY UPDATE) is a read.
_LEAD = r"(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/|\()*"
_DML = re.compile(_LEAD + r"(INSERT|UPDATE|DELETE|MERGE|COPY|TRUNCATE)\b",
                  re.IGNORECASE | re.DOTALL)
_WITH = re.compile(_LEAD + r"WITH\b", re.IGNORECASE | re.DOTALL)
_WRITE_WORD = re.compile(r"(?<!FOR\s)(?<!KEY\s)\b(INSERT|UPDATE|DELETE|MERGE)\b",
                         re.IGNORECASE)


def writes(statement: str) -> bool:
    """Whether a statement as sent to the database may change rows."""
    return bool(_DML.match(statement)
                or (_WITH.match(statement) and _WRITE_WORD.search(statement)))


def track(session: Session) -> None:
    """Note in the session whether it wrote anything: an ORM flush that changed rows, or an
    INSERT / UPDATE / DELETE statement sent on the session's connection by any route."""

    @event.listens_for(session, "after_flush")
    def _flushed(s: Session, _context) -> None:
        s.info[_WROTE] = True

    @event.listens_for(session, "after_begin")
    def _began(s: Session, _transaction, connection) -> None:
        # A new Connection object for each transaction of the session: one listener each.
        @event.listens_for(connection, "before_cursor_execute")
        def _statement(_conn, _cursor, statement: str, *_args) -> None:
            if writes(statement):
                s.info[_WROTE] = True


def wrote(session: Session) -> bool:
    return bool(session.info.get(_WROTE))


def bump(session: Session) -> None:
    """Move the version on (the caller commits). Makes the row if a database lacks it."""
    moved = session.connection().execute(
        update(DataVersion).where(DataVersion.id == 1)
        .values(version=DataVersion.version + 1, changed_at=utcnow()))
    if not moved.rowcount:
        session.connection().execute(insert(DataVersion).values(id=1, version=1,
                                                                 changed_at=utcnow()))
    session.info[_WROTE] = False


def stamp(session: Session) -> tuple[int, str]:
    """The version with the moment it moved: what a cache keys by. The number alone names
    a state of one database; another database (recreated, or a test's) counts from 0 again,
    and its moments differ."""
    row = session.connection().execute(
        select(DataVersion.version, DataVersion.changed_at).where(DataVersion.id == 1)).first()
    return (row[0], str(row[1])) if row else (0, "")


def current(session: Session) -> int:
    return session.connection().execute(
        select(DataVersion.version).where(DataVersion.id == 1)).scalar() or 0
