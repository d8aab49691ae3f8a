"""A complaint's life, as data, with a log row per change:

    received ──assign──> assigned ──sign──> signed ──reply──> replied ──follow-up──> closed
       │                  │  └──return──> returned ──assign──┘     │ (unsatisfied)
       └──close (handled by the office itself)                     └──> reopened ──reply──┘

A unit may return a complaint (退回) while it is assigned, signed or reopened. Overdue and
"not signed for in time" are computed from the dates, never stored.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import insert
from sqlmodel import Session

from db.models import Complaint, ComplaintStatus, ComplaintStatusChange, User
from services.core import clock
from services.core.errors import InvalidTransition
from services.core.lifecycle import Lifecycle

RECEIVED, ASSIGNED, SIGNED = (
    ComplaintStatus.RECEIVED, ComplaintStatus.ASSIGNED, ComplaintStatus.SIGNED)
REPLIED, REOPENED = ComplaintStatus.REPLIED, ComplaintStatus.REOPENED
RETURNED, CLOSED = ComplaintStatus.RETURNED, ComplaintStatus.CLOSED
STATUSES = tuple(ComplaintStatus)


def _stamp(column: str):
    def enter(complaint: Complaint, at: datetime) -> None:
        setattr(complaint, column, at)
        complaint.updated_at = at
    return enter


LIFECYCLE = Lifecycle(
    "complaint",
    {
        None: frozenset({RECEIVED}),
        RECEIVED: frozenset({ASSIGNED, CLOSED}),
        ASSIGNED: frozenset({SIGNED, RETURNED}),
        SIGNED: frozenset({REPLIED, RETURNED}),
        REPLIED: frozenset({CLOSED, REOPENED}),
        REOPENED: frozenset({REPLIED, RETURNED}),
        RETURNED: frozenset({ASSIGNED, CLOSED}),
        CLOSED: frozenset(),
    },
    log=ComplaintStatusChange,
    owner="complaint_id",
    on_enter={
        ASSIGNED: _stamp("assigned_at"),
        SIGNED: _stamp("signed_at"),
        REPLIED: _stamp("replied_at"),
        CLOSED: _stamp("closed_at"),
        REOPENED: _stamp("updated_at"),
        RETURNED: _stamp("updated_at"),
    },
)
# The unit owes an answer: these can be overdue.
AWAITING_UNIT = frozenset({ASSIGNED, SIGNED, REOPENED})
OPEN = frozenset(set(STATUSES) - {CLOSED})


def move(
    session: Session, complaint: Complaint, to: str, *, actor: User | None, note: str = "",
    at: datetime | None = None,
) -> ComplaintStatusChange:
    return LIFECYCLE.move(session, complaint, to, actor=actor, note=note, at=at)


def log_created(
    session: Session, complaint: Complaint, *, actor: User | None, at: datetime | None = None
) -> ComplaintStatusChange:
    return LIFECYCLE.start(session, complaint, actor=actor, at=at)


def log_created_many(
    session: Session, complaint_ids: list[int], *, actor: User | None, at: datetime
) -> None:
    """The first log row of many complaints registered at once as received (an import):
    the rows log_created writes, inserted in one statement, since building a model object
    per row costs more than the rest of an imported row."""
    if not LIFECYCLE.allowed(None, RECEIVED):
        raise InvalidTransition(f"{LIFECYCLE.name}.bad_transition", frm="-", to=RECEIVED)
    if complaint_ids:
        session.connection().execute(insert(ComplaintStatusChange.__table__), [
            dict(complaint_id=i, from_status=None, to_status=RECEIVED,
                 actor_id=actor.id if actor else None, at=at, note="")
            for i in complaint_ids])


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    return deadline is not None and status in AWAITING_UNIT and today > deadline


def sign_due(assigned_at: datetime) -> datetime:
    """A unit signs for a complaint within one working day: by the end of the next working
    day (Monday to Friday; public holidays are not known here) after it was sent."""
    day = clock.local_date(assigned_at) + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return clock.start_of_day(day + timedelta(days=1))


def is_sign_late(status: str, assigned_at: datetime | None, now: datetime) -> bool:
    return status == ASSIGNED and assigned_at is not None and now > sign_due(assigned_at)
