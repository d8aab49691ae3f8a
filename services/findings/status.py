"""A finding's life, as data: which status may follow which, and a log row per change.

    draft ──submit──> open ──confirm──> rectifying ──report──> reported ──verify──> verified
                        └──reject──> rejected                     └──reopen──> reopened ──report──┘
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from db.models import Finding, FindingStatusChange, User
from db.timeutil import utcnow
from services.core.errors import InvalidTransition

DRAFT, OPEN, REJECTED = "draft", "open", "rejected"
RECTIFYING, REPORTED, VERIFIED, REOPENED = "rectifying", "reported", "verified", "reopened"
STATUSES = (DRAFT, OPEN, REJECTED, RECTIFYING, REPORTED, VERIFIED, REOPENED)

TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({DRAFT}),
    DRAFT: frozenset({OPEN}),
    OPEN: frozenset({RECTIFYING, REJECTED}),
    RECTIFYING: frozenset({REPORTED}),
    REPORTED: frozenset({VERIFIED, REOPENED}),
    REOPENED: frozenset({REPORTED}),
    REJECTED: frozenset(),
    VERIFIED: frozenset(),
}
# Confirmed findings: what the unit's liaison sees and must fix.
CONFIRMED = frozenset({RECTIFYING, REPORTED, VERIFIED, REOPENED})
# Waiting for the unit: these can be overdue.
AWAITING_UNIT = frozenset({RECTIFYING, REOPENED})


def transition(
    session: Session, finding: Finding, to: str, *, actor: User | None, note: str = ""
) -> FindingStatusChange:
    current = finding.status
    if to not in TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition("finding.bad_transition", frm=current or "-", to=to)
    change = FindingStatusChange(
        finding_id=finding.id, from_status=current, to_status=to,
        actor_id=actor.id if actor else None, at=utcnow(), note=note,
    )
    finding.status = to
    finding.version = (finding.version or 0) + 1
    session.add(finding)
    session.add(change)
    return change


def log_created(session: Session, finding: Finding, *, actor: User | None) -> None:
    """The first row of a finding's log (it must have been flushed, to have an id)."""
    session.add(
        FindingStatusChange(
            finding_id=finding.id, from_status=None, to_status=finding.status,
            actor_id=actor.id if actor else None, at=utcnow(),
        )
    )


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    return deadline is not None and status in AWAITING_UNIT and today > deadline
