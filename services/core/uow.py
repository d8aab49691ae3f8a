"""Unit of work: one transaction that commits as a whole or not at all.

The caller owns the transaction: a page, a command or an import opens the unit, calls one or
more services with it, and commits. Services take the open unit and never commit, so several
can run as one (an import row after row, a preview that rolls back, demo data in bulk):

    with UnitOfWork(engine) as uow:
        org.create_unit(uow, actor=admin, name="...")
        users.create_user(uow, actor=admin, ...)
        uow.commit()

Leaving the block without `commit()` rolls everything back, audit rows included. A caller
with a single call to make uses `run` (write) or `query` (read), which do exactly that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

from db.engine import WRITE_OPTION
from db.models import AuditEvent, User
from db.timeutil import utcnow
from services.core import data_version
from services.core.errors import DomainError, NotFound

T = TypeVar("T", bound=SQLModel)
R = TypeVar("R")
P = ParamSpec("P")


class UnitOfWork:
    """Made unopened (cheap, holds the engine); `with` opens the transaction. A writing
    unit takes SQLite's write lock at its first statement, not at `with`, so work done
    before touching the database (decoding a photo) does not keep other writers waiting."""

    def __init__(self, engine: Engine, *, write: bool = True) -> None:
        self.engine = engine
        self.write = write
        self._session: Session | None = None
        self._begun = False

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("UnitOfWork is not re-entrant; create a new one")
        self._session = Session(self.engine, expire_on_commit=False)
        data_version.track(self._session)
        self._begun = False
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            if self._session is not None:
                # close() rolls back whatever was not committed; unlike rollback() it leaves
                # the loaded attributes of returned objects readable after the block.
                self._session.close()
        finally:
            self._session = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("services take an open unit of work: the caller opens it")
        if self.write and not self._begun:
            self._session.connection(execution_options={WRITE_OPTION: True})
        self._begun = True
        return self._session

    def serialize(self, name: str) -> None:
        """Until commit, other units that ask for the same name wait here: for a check that
        no row exists yet, which row locks cannot guard ("no user at all" at first set-up).
        SQLite's write units already run one at a time."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.exec(text("SELECT pg_advisory_xact_lock(hashtext(:name))"),
                              params={"name": name})

    def commit(self) -> None:
        session = self.session
        session.flush()  # pending objects count as writes too
        if data_version.wrote(session):
            data_version.bump(session)
        session.commit()
        self._begun = False

    def run(self, fn: Callable[Concatenate[UnitOfWork, P], R], /, *args: P.args,
            **kwargs: P.kwargs) -> R:
        """One service call as one transaction of its own, committed when it returns. A
        refusal rolls back, unless it is itself a fact to keep (a failed sign-in counts)."""
        with UnitOfWork(self.engine, write=True) as tx:
            try:
                result = fn(tx, *args, **kwargs)
            except DomainError as err:
                if err.keep_changes:
                    tx.commit()
                raise
            tx.commit()
            return result

    def dry_run(self, fn: Callable[Concatenate[UnitOfWork, P], R], /, *args: P.args,
                **kwargs: P.kwargs) -> R:
        """Everything `fn` would do, rolled back: a preview that cannot differ from the real
        run (an import shows each row as it would be written)."""
        with UnitOfWork(self.engine, write=True) as tx:
            return fn(tx, *args, **kwargs)

    def query(self, fn: Callable[Concatenate[UnitOfWork, P], R], /, *args: P.args,
              **kwargs: P.kwargs) -> R:
        """One read in a read-only unit of its own (never commits, takes no write lock)."""
        with UnitOfWork(self.engine, write=False) as tx:
            return fn(tx, *args, **kwargs)

    def get(self, model: type[T], row_id: int) -> T:
        """The row with that id, or NotFound (which pages show as "no such record").

        In a writing unit the row is locked until commit (SELECT ... FOR UPDATE on
        PostgreSQL; SQLite's write transaction already excludes other writers), so two
        people deciding on the same record at once cannot both pass the version and status
        checks."""
        row = self.session.get(model, row_id, with_for_update=self.write or None)
        if row is None:
            raise NotFound()
        return row

    def flush(self) -> None:
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

    @contextmanager
    def early_read(self) -> Iterator[UnitOfWork]:
        """For a check before slow work (decoding photos) in a writing unit: a read that does
        not take SQLite's write lock yet. A unit already under way reads in itself, so what
        it wrote before (several services in one transaction) is seen."""
        if self._begun or not self.write:
            yield self
            return
        with UnitOfWork(self.engine, write=False) as reader:
            yield reader

    def read(self) -> UnitOfWork:
        """A fresh, unopened read-only unit on the same engine."""
        return UnitOfWork(self.engine, write=False)
