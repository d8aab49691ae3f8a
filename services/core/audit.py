"""Writing audit rows about one record. Reading them is services/core/audit_log.py.

The entity is the record's table name (the audit page labels it from `audit_entity.*`), its
id the row's, and what the row holds is copied the same way everywhere, secrets left out:

    before = audit.state(unit)
    unit.name = name
    audit.record(uow, actor, "unit.update", unit, before)

Events that are about no single record (a sign-in under an unknown name, an import, the
demo) call `uow.audit` directly.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import SQLModel

from db.models import User
from services.core.uow import UnitOfWork

# Never copied into the log: a password hash is a secret, and the credential version is
# what decides whether a session is still valid.
SECRET_FIELDS = frozenset({"password_hash", "credential_version"})


def state(row: SQLModel) -> dict:
    """JSON-safe copy of a row as it is now, for `before`; secrets are never copied."""
    data = row.model_dump(exclude=set(SECRET_FIELDS))
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def entity(row: SQLModel) -> str:
    return row.__table__.name


def record(
    uow: UnitOfWork,
    actor: User | None,
    action: str,
    row: SQLModel,
    before: dict | None = None,
    *,
    extra: dict | None = None,
    redact: Callable[[dict], dict] | None = None,
) -> None:
    """The row was created (no `before`) or changed: `after` is its state now, with
    `extra` (what the row does not hold itself, e.g. how many items) added. `redact`
    rewrites both copies first, for rows that hold personal data (a complainant's)."""
    if row.id is None:
        uow.flush()  # a new row gets its id
    after = state(row) | (extra or {})
    if redact is not None:
        before, after = (None if before is None else redact(before)), redact(after)
    event(uow, actor, action, row, before=before, after=after)


def removed(uow: UnitOfWork, actor: User | None, action: str, row: SQLModel) -> None:
    """The row is being deleted: `before` is its state, there is no `after`."""
    event(uow, actor, action, row, before=state(row))


def event(
    uow: UnitOfWork,
    actor: User | None,
    action: str,
    row: SQLModel,
    *,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Something happened to the row that its state does not show, or should not (a
    sign-in, a new password, answers saved): only the details given are kept."""
    uow.audit(actor, action, entity(row), row.id, before=before, after=after)
