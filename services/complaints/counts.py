"""What of the complaints waits for the office, counted for its workbench in two queries:
new ones not yet sent to a unit, answers due within three days or overdue, and requests for
more time waiting for a decision. Linked duplicates are left out, as in every count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func
from sqlmodel import select

from db.models import Complaint, ComplaintExtension, User
from services.complaints import lifecycle
from services.complaints.queries import require_reader
from services.complaints.visibility import complaint_filter
from services.core import clock
from services.core.uow import UnitOfWork

DUE_SOON_DAYS = 3


@dataclass(frozen=True)
class OfficeCounts:
    new: int  # registered, not yet sent to a unit
    due_soon: int  # a unit owes the answer within DUE_SOON_DAYS
    overdue: int
    extensions: int  # requests for more time waiting for a decision


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def office_counts(uow: UnitOfWork, *, actor: User, today: date | None = None) -> OfficeCounts:
    require_reader(actor)
    today = today or clock.today()
    awaiting = Complaint.status.in_(lifecycle.AWAITING_UNIT)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    new, due_soon, overdue = uow.session.exec(
        select(_count(Complaint.status == lifecycle.RECEIVED),
               _count(awaiting & (Complaint.deadline >= today) & (Complaint.deadline <= soon)),
               _count(awaiting & (Complaint.deadline < today)))
        .where(complaint_filter(actor), Complaint.duplicate_of_id.is_(None))).one()
    extensions = uow.session.exec(
        select(func.count()).select_from(ComplaintExtension)
        .join(Complaint, ComplaintExtension.complaint_id == Complaint.id)
        .where(ComplaintExtension.decision.is_(None), complaint_filter(actor))).one()
    return OfficeCounts(new, due_soon, overdue, extensions)
