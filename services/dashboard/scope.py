"""Who sees which figures, and the dashboard's filters, as WHERE clauses.

- `leader`, `office`, `admin`: the whole city;
- an inspector: the units they work on (their district, or units a plan assigns to them:
  services/core/visibility.unit_scope) and complaints about a place there naming no unit;
- a unit's liaison: their own unit's figures only; of complaints, those the office sent to
  the unit (what its inbox shows: services/complaints/visibility.py), never those the
  office still holds, settled itself or had back as misrouted;
- anyone else: nothing.
Leaders and liaisons count only confirmed findings: an unreviewed finding is not a fact yet.
Figures are counts: no complainant's identity is ever part of them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.sql import ColumnElement

from db.models import Complaint, Finding, Role, Unit, User
from services.core.errors import PermissionDenied
from services.core.permissions import can
from services.core.visibility import district_subtree, unit_scope
from services.dashboard.period import Period
from services.findings import status as finding_status


@dataclass(frozen=True)
class Filters:
    period: Period
    district_id: int | None = None  # a district or town, with everything under it
    industry_id: int | None = None


def require_viewer(actor: User) -> None:
    if not (can(actor, "dashboard.view") or _liaison(actor)):
        raise PermissionDenied(capability="dashboard.view")


def _liaison(actor: User) -> bool:
    return actor.role == Role.UNIT and actor.unit_id is not None and can(actor, "campaign.unit")


def units(actor: User, filters: Filters, unit_id: ColumnElement[int]) -> list[ColumnElement]:
    """Conditions on a unit-id column (a finding's, an inspection's, a task's lead unit)."""
    out = []
    if _liaison(actor):
        out.append(unit_id == actor.unit_id)
    else:
        scope = unit_scope(actor, unit_id)
        if scope is not None:
            out.append(scope)
    if filters.district_id is not None:
        out.append(unit_id.in_(select(Unit.id).where(
            Unit.district_id.in_(district_subtree(filters.district_id)))))
    if filters.industry_id is not None:
        out.append(unit_id.in_(select(Unit.id).where(Unit.industry_id == filters.industry_id)))
    return out


def complaints(actor: User, filters: Filters) -> list[ColumnElement]:
    """Conditions on Complaint: the actor's scope and the filters, linked duplicates left
    out (a second call about the same matter is not a second complaint)."""
    out: list[ColumnElement] = [Complaint.duplicate_of_id.is_(None)]
    if _liaison(actor):
        out.append(Complaint.sent_to_unit_id == actor.unit_id)
    else:
        scope = unit_scope(actor, Complaint.unit_id)
        if scope is not None:
            out.append(or_(scope, and_(
                Complaint.unit_id.is_(None),
                Complaint.district_id.in_(district_subtree(actor.district_id)))))
    if filters.district_id is not None:
        out.append(Complaint.district_id.in_(district_subtree(filters.district_id)))
    if filters.industry_id is not None:
        out.append(Complaint.unit_id.in_(
            select(Unit.id).where(Unit.industry_id == filters.industry_id)))
    return out


def finding_statuses(actor: User) -> ColumnElement[bool]:
    """Which findings count for the actor: submitted ones, or confirmed ones only."""
    if can(actor, "finding.view_all"):
        return true()
    if can(actor, "finding.view_confirmed") or _liaison(actor):
        return Finding.status.in_(sorted(finding_status.CONFIRMED))
    return false()


def sees_tasks(actor: User) -> bool:
    return can(actor, "campaign.view") or _liaison(actor)
