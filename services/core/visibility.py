"""Who may read which finding (and so its photos). One place, used by every query."""

from __future__ import annotations

from sqlalchemy import and_, false, or_
from sqlalchemy.sql import ColumnElement

from db.models import Finding, Inspection, User
from services.core.permissions import can
from services.findings.status import CONFIRMED, DRAFT


def finding_filter(actor: User) -> ColumnElement[bool]:
    """A WHERE clause over Finding joined with Inspection.

    - the author of a draft sees it; nobody else does;
    - office, administrators and inspectors see every submitted finding;
    - leaders see confirmed findings;
    - a unit's liaison sees the confirmed findings of that unit only."""
    own_draft = and_(Finding.status == DRAFT, Inspection.inspector_id == actor.id)
    if can(actor, "finding.view_all"):
        return or_(Finding.status != DRAFT, own_draft)
    if can(actor, "finding.view_confirmed"):
        return Finding.status.in_(CONFIRMED)
    if can(actor, "rectification.submit") and actor.unit_id is not None:
        return and_(Finding.unit_id == actor.unit_id, Finding.status.in_(CONFIRMED))
    return false()
