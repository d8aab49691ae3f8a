"""The office extends the rectification deadline of confirmed findings, in bulk from the
register, with a reason: a log row per finding (finding_deadline_change) and an audit event
with the deadline before and after. All or nothing: the refusal names the findings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import select

from db.models import Finding, FindingDeadlineChange, User
from services.core import audit, clock
from services.core.errors import NotFound, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import clean_text
from services.core.visibility import finding_visible
from services.findings import batch

REASON_MAX = 500
# A new deadline a year away or more is a typing slip (2062 for 2026), not an extension.
MAX_DAYS_AHEAD = 365


@dataclass(frozen=True)
class DeadlineChangeRow:
    at: datetime
    actor: str | None
    from_deadline: date | None
    to_deadline: date
    reason: str


def extend_deadlines(
    uow: UnitOfWork, *, actor: User, finding_ids: Iterable[int], new_deadline: date,
    reason: str, client_key: str, versions: Mapping[int, int] | None = None,
    today: date | None = None,
) -> list[Finding]:
    """Each finding, being rectified or reopened, gets `new_deadline`, later than its
    current one and not before today. Repeating the request under the same key (a double
    click) returns the findings as the first run left them and changes nothing."""
    require(actor, "finding.review")
    key = batch.client_key(client_key)
    findings = batch.lock(uow, actor=actor, finding_ids=finding_ids)
    if batch.earlier(uow, FindingDeadlineChange, {"actor_id": actor.id}, key, findings,
                     lambda row: row.to_deadline == new_deadline):
        return findings
    reason = clean_text(reason, field="reason", max_len=REASON_MAX)
    batch.check_versions(findings, versions)
    today = today or clock.today()
    if new_deadline < today:
        raise ValidationFailed("finding.extend_past", field="deadline")
    if new_deadline >= today + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed("finding.extend_too_far", field="deadline", days=MAX_DAYS_AHEAD)
    batch.require_waiting(findings)
    not_later = [f.id for f in findings if f.deadline is not None and new_deadline <= f.deadline]
    if not_later:
        raise ValidationFailed("finding.extend_not_later", ids=not_later)
    for finding in findings:
        before = audit.state(finding)
        uow.session.add(FindingDeadlineChange(
            client_key=key, finding_id=finding.id, actor_id=actor.id,
            from_deadline=finding.deadline, to_deadline=new_deadline, reason=reason))
        finding.deadline = new_deadline
        finding.version += 1
        uow.session.add(finding)
        audit.record(uow, actor, "finding.extend", finding, before, extra={"reason": reason})
    return findings


def deadline_history(uow: UnitOfWork, *, actor: User, finding_id: int) -> list[DeadlineChangeRow]:
    """A finding's extensions, oldest first, for whoever may see the finding."""
    if not finding_visible(uow.session, actor, finding_id):
        raise NotFound()
    rows = uow.session.exec(
        select(FindingDeadlineChange, User.display_name)
        .join(User, FindingDeadlineChange.actor_id == User.id, isouter=True)
        .where(FindingDeadlineChange.finding_id == finding_id)
        .order_by(FindingDeadlineChange.id)
    ).all()
    return [DeadlineChangeRow(c.at, name, c.from_deadline, c.to_deadline, c.reason)
            for c, name in rows]
