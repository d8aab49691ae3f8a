"""Unit of work: one transaction that commits as a whole or not at all.

    with UnitOfWork(engine) as uow:
        uow.session.add(thing)
        uow.audit(actor, "thing.create", thing)
        uow.commit()

Leaving the block without `commit()` rolls everything back, audit rows included.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

from db.engine import WRITE_OPTION
from db.models import AuditEvent, User
from db.timeutil import utcnow
from services.core.errors import NotFound

T = TypeVar("T", bound=SQLModel)


def snapshot(obj: SQLModel | None, *, exclude: frozenset[str] = frozenset()) -> dict | None:
    """JSON-safe copy of a row for the audit log; secrets are never copied."""
    if obj is None:
        return None
    data = obj.model_dump(exclude={"password_hash", *exclude})
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


class UnitOfWork:
    def __init__(self, engine: Engine, *, write: bool = True) -> None:
        self.engine = engine
        self.write = write
        self.session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        if self.session is not None:
            raise RuntimeError("UnitOfWork is not re-entrant; create a new one")
        self.session = Session(self.engine, expire_on_commit=False)
        if self.write:
            self.session.connection(execution_options={WRITE_OPTION: True})
        return self

    def __exit__(self, *exc: Any) -> None:
        assert self.session is not None
        try:
            # close() rolls back whatever was not committed; unlike rollback() it leaves
            # the loaded attributes of returned objects readable after the block.
            self.session.close()
        finally:
            self.session = None

    def commit(self) -> None:
        assert self.session is not None
        self.session.commit()

    def get(self, model: type[T], row_id: int) -> T:
        """The row with that id, or NotFound (which pages show as "no such record").

        In a writing unit the row is locked until commit (SELECT ... FOR UPDATE on
        PostgreSQL; SQLite's write transaction already excludes other writers), so two
        people deciding on the same record at once cannot both pass the version and status
        checks."""
        assert self.session is not None
        row = self.session.get(model, row_id, with_for_update=self.write or None)
        if row is None:
            raise NotFound()
        return row

    def flush(self) -> None:
        assert self.session is not None
        self.session.flush()

    def audit(
        self,
        actor: User | None,
        action: str,
        entity: str,
        entity_id: int | None,
        *,
        before: dict | None = None,
        after: dict | None = None,
    ) -> None:
        """Record who did what; goes into the same transaction as the change itself."""
        assert self.session is not None
        self.session.add(
            AuditEvent(
                actor_id=actor.id if actor else None,
                action=action,
                entity=entity,
                entity_id=entity_id,
                before=before,
                after=after,
                at=utcnow(),
            )
        )

    def read(self) -> UnitOfWork:
        """A fresh read-only unit on the same engine (no write lock on SQLite)."""
        return UnitOfWork(self.engine, write=False)
