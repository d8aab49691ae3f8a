"""What the register's bulk actions share: the picked findings, locked and checked one by
one, and the earlier run of the same request (a double click) found by its client key.

All or nothing: a batch names every finding it refuses and changes none of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from sqlmodel import SQLModel, select

from db.models import Finding, Inspection, User
from services.core.errors import Conflict, NotFound, ValidationFailed
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text
from services.core.visibility import finding_filter
from services.findings import status as finding_status

# A page of the register at most.
MAX_BATCH = 200

Row = TypeVar("Row", bound=SQLModel)


def client_key(value: object) -> str:
    return clean_text(value, field="client_key", max_len=64)


def lock(uow: UnitOfWork, *, actor: User, finding_ids: Iterable[int]) -> list[Finding]:
    """The findings, in id order (two batches lock their common findings in the same order:
    the second waits, neither deadlocks), locked until commit. One the actor may not see
    is as missing as one that does not exist (NotFound)."""
    ids = sorted({int(i) for i in finding_ids})
    if not ids:
        raise ValidationFailed("finding.batch_empty")
    if len(ids) > MAX_BATCH:
        raise ValidationFailed("finding.batch_too_many", max=MAX_BATCH)
    # One statement locks them all, in id order, among those the actor may see.
    findings = list(uow.session.exec(
        select(Finding)
        .join(Inspection, Finding.inspection_id == Inspection.id, isouter=True)
        .where(Finding.id.in_(ids), finding_filter(actor))
        .order_by(Finding.id)
        .with_for_update(of=Finding)
    ).all())
    if [f.id for f in findings] != ids:
        raise NotFound()
    return findings


def check_versions(findings: list[Finding], versions: Mapping[int, int] | None) -> None:
    """A version given for a finding must still be its version (Conflict: someone changed
    it since the page showed it)."""
    for finding in findings:
        check_version(finding.version, (versions or {}).get(finding.id))


def require_waiting(findings: list[Finding]) -> None:
    """Every finding confirmed and waiting for its unit (being rectified, or reopened)."""
    refused = [f.id for f in findings if f.status not in finding_status.AWAITING_UNIT]
    if refused:
        raise ValidationFailed("finding.batch_not_waiting", ids=refused)


def earlier(uow: UnitOfWork, model: type[Row], owner: Mapping[str, object], key: str,
            findings: list[Finding], same: Callable[[Row], bool]) -> list[Row]:
    """The rows the owner's earlier run under this key made (none: a new request). That run
    must have been this very request, for these findings (`same` checks the rest of it):
    a key reused for another one is refused rather than answered with the old result."""
    query = select(model).where(model.client_key == key)
    for column, value in owner.items():
        query = query.where(getattr(model, column) == value)
    rows = list(uow.session.exec(query).all())
    if rows and ({r.finding_id for r in rows} != {f.id for f in findings}
                 or not all(same(r) for r in rows)):
        raise Conflict("error.client_key_reused")
    return rows
