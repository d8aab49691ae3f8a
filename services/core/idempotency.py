"""Client keys: the tablet names each record it asks for with a key of its own (a UUID, or
one derived from what it records), so that a double tap, a second tab or a retry racing the
original all get the one record the first of them made.

One mechanism for every write that takes a client key: `get_or_create`, inside the write's
own transaction. A key belongs to an owner (the inspector of a visit, the visit of a
finding, the liaison of a report) and is unique only among that owner's rows, so nobody can
squat on a key that someone else's tablet will derive (`plan-7-12`). Within its owner a key
is bound to its target (the unit of a visit, the finding of a report): the same key for
another target is refused, never answered with a record that belongs to something else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from services.core.errors import Conflict, DomainError
from services.core.uow import UnitOfWork

Row = TypeVar("Row", bound=SQLModel)


def existing(
    session: Session,
    model: type[Row],
    client_key: str,
    owner: Mapping[str, object],
    target: Mapping[str, object],
    *,
    lock: bool = False,
) -> Row | None:
    """The owner's row made under this key, or None; Conflict if the key was made for
    another target. Keys are unique per owner (db/models.py); another owner's rows are
    never looked at."""
    query = select(model).where(model.client_key == client_key)
    for col, value in owner.items():
        query = query.where(getattr(model, col) == value)
    if lock:
        query = query.with_for_update()
    row = session.exec(query).first()
    if row is not None and any(getattr(row, col) != value for col, value in target.items()):
        raise Conflict("error.client_key_reused")
    return row


def get_or_create(
    uow: UnitOfWork,
    model: type[Row],
    *,
    client_key: str,
    owner: Mapping[str, object],
    target: Mapping[str, object],
    create: Callable[[], Row],
) -> tuple[Row, bool]:
    """(row, created). The owner's row of this key and target, or a new one from `create()`
    with the key, the owner and the target columns set on it and flushed, so it has its id.
    Runs in the caller's open write unit and leaves the commit to it.

    `create` may check things and raise a domain error: nothing it did stays."""
    session = uow.session
    row = existing(session, model, client_key, owner, target, lock=uow.write)
    if row is not None:
        return row, False
    try:
        with session.begin_nested():
            row = create()
            row.client_key = client_key
            for col, value in {**owner, **target}.items():
                setattr(row, col, value)
            session.add(row)
            session.flush()
    except (IntegrityError, DomainError):
        # The same request, at the same moment, got there first. SQLite's write units run
        # one at a time, so the look above already saw it; on PostgreSQL the insert waited
        # on the unique index (or `create` waited on a row lock) until the other committed,
        # and READ COMMITTED shows its row to the next statement. A refusal from `create`
        # may come from the state that other request just changed (the finding it moved
        # to "reported"): if the key's row exists now, that row is the answer.
        row = existing(session, model, client_key, owner, target, lock=uow.write)
        if row is None:
            raise
        return row, False
    return row, True
