"""A finding's life, as data: which status may follow which, and a log row per change.

    draft ──submit──> open ──confirm──> rectifying ──report──> reported ──verify──> verified
                        └──reject──> rejected                     └──reopen──> reopened ──report──┘
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from db.models import Finding, FindingStatus, FindingStatusChange, User
from services.core.lifecycle import Lifecycle

DRAFT, OPEN, REJECTED = FindingStatus.DRAFT, FindingStatus.OPEN, FindingStatus.REJECTED
RECTIFYING, REPORTED = FindingStatus.RECTIFYING, FindingStatus.REPORTED
VERIFIED, REOPENED = FindingStatus.VERIFIED, FindingStatus.REOPENED
STATUSES = tuple(FindingStatus)


def _confirmed(finding: Finding, at: datetime) -> None:
    finding.confirmed_at = at


LIFECYCLE = Lifecycle(
    "finding",
    {
        None: frozenset({DRAFT}),
        DRAFT: frozenset({OPEN}),
        OPEN: frozenset({RECTIFYING, REJECTED}),
        RECTIFYING: frozenset({REPORTED}),
        REPORTED: frozenset({VERIFIED, REOPENED}),
        REOPENED: frozenset({REPORTED}),
        REJECTED: frozenset(),
        VERIFIED: frozenset(),
    },
    log=FindingStatusChange,
    owner="finding_id",
    on_enter={RECTIFYING: _confirmed},
)
# Confirmed findings: what the unit's liaison sees and must fix.
CONFIRMED = frozenset({RECTIFYING, REPORTED, VERIFIED, REOPENED})
# Waiting for the unit: these can be overdue.
AWAITING_UNIT = frozenset({RECTIFYING, REOPENED})


def transition(
    session: Session, finding: Finding, to: str, *, actor: User | None, note: str = "",
    at: datetime | None = None,
) -> FindingStatusChange:
    return LIFECYCLE.move(session, finding, to, actor=actor, note=note, at=at)


def log_created(
    session: Session, finding: Finding, *, actor: User | None, at: datetime | None = None
) -> FindingStatusChange:
    """The first row of a finding's log (it must have been flushed, to have an id)."""
    return LIFECYCLE.start(session, finding, actor=actor, at=at)


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    return deadline is not None and status in AWAITING_UNIT and today > deadline
