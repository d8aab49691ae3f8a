"""Which complaints a user may read. One clause, used by every list, count, detail and
export, built on the same district rule as findings (services/core/visibility.py)."""

from __future__ import annotations

from sqlalchemy import and_, false, or_, true
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, select

from db.models import Complaint, User
from services.core.permissions import can
from services.core.visibility import district_subtree, unit_scope


def complaint_filter(actor: User) -> ColumnElement[bool]:
    """- office, administrators and leaders: every complaint;
    - an inspector: within their scope (the units they work on, and complaints about a
      place in their district that name no unit);
    - a unit's liaison: the complaints the office sent to their unit (not those it
      returned, nor those still waiting to be sent or settled by the office itself);
    - anyone else: none."""
    if can(actor, "complaint.view"):
        scope = unit_scope(actor, Complaint.unit_id)
        if scope is None:
            return true()
        return or_(scope, and_(Complaint.unit_id.is_(None),
                               Complaint.district_id.in_(district_subtree(actor.district_id))))
    if can(actor, "complaint.handle") and actor.unit_id is not None:
        return Complaint.sent_to_unit_id == actor.unit_id
    return false()


def complaint_visible(session: Session, actor: User, complaint_id: int) -> bool:
    found = session.exec(
        select(Complaint.id).where(Complaint.id == complaint_id, complaint_filter(actor))
    ).first()
    return found is not None
