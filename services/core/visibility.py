"""Who may read which finding (and so its photos), and on which units an inspector works.
One place, used by every query: lists, counts, photo serving, verification, starting a
visit, the unit picker; complaints and dashboards are to use the same `unit_scope`."""

from __future__ import annotations

from sqlalchemy import and_, false, literal, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement, Select

from db.models import District, Finding, Inspection, Role, Unit, User, VisitPlan, VisitPlanInspector
from services.core.permissions import can
from services.fieldwork.plans import CANCELLED
from services.findings.status import CONFIRMED, DRAFT

# Roles whose district on the account limits where they work. The office, administrators
# and leaders keep the whole city even when their account names a district.
DISTRICT_SCOPED_ROLES = frozenset({Role.INSPECTOR})


def district_subtree(district_id: int) -> Select:
    """SELECT of the ids of a district and of every town and community under it, as a
    recursive CTE (SQLite and PostgreSQL), so it composes into list and count queries.
    Inactive places are included: a unit stays where it is when its community is retired."""
    place = aliased(District)
    top = select(District.id).where(District.id == district_id).cte(recursive=True)
    # UNION, not UNION ALL: even a parent loop typed in by hand would end the recursion.
    tree = top.union(select(place.id).where(place.parent_id == top.c.id))
    return select(tree.c.id)


def assigned_units(user_id: int) -> Select:
    """SELECT of the units that a visit plan assigns to the user. A plan counts while it is
    planned (work to do) and once done (its findings still need following up, verified
    and reopened); a cancelled plan no longer counts: the office took the assignment back.
    The plan's window does not matter: a late visit is still the assigned one."""
    plan, link = aliased(VisitPlan), aliased(VisitPlanInspector)
    return (
        select(plan.unit_id)
        .join(link, link.plan_id == plan.id)
        .where(link.user_id == user_id, plan.status != CANCELLED)
        .correlate(None)
    )


def unit_scope(actor: User, unit_id: ColumnElement[int]) -> ColumnElement[bool] | None:
    """A clause true for the units the actor works on, over any unit-id column (Unit.id,
    Finding.unit_id, Inspection.unit_id, a complaint's unit_id ...); None when the actor
    works on the whole city, so callers add no condition at all.

    An inspector whose account names a district works on the units of that district and
    of its towns and communities, plus every unit a visit plan assigns to them (see
    assigned_units), wherever it is; city-level units (no district) only through a plan.
    An inspector without a district works on the whole city."""
    if actor.role not in DISTRICT_SCOPED_ROLES or actor.district_id is None:
        return None
    unit = aliased(Unit)
    in_district = (
        select(unit.id)
        .where(unit.district_id.in_(district_subtree(actor.district_id)))
        .correlate(None)
    )
    return or_(unit_id.in_(in_district), unit_id.in_(assigned_units(actor.id)))


def unit_in_scope(session: Session, actor: User, unit_id: int) -> bool:
    scope = unit_scope(actor, literal(unit_id))
    return scope is None or session.execute(select(literal(1)).where(scope)).first() is not None


def finding_filter(actor: User) -> ColumnElement[bool]:
    """A WHERE clause over Finding outer-joined with Inspection (a finding opened from a
    complaint has no visit).

    - the author of a draft sees it; nobody else does;
    - office and administrators see every submitted finding, and so do inspectors within
      their scope (unit_scope: their district, or a unit a plan assigns to them);
    - leaders see confirmed findings;
    - a unit's liaison sees the confirmed findings of that unit only."""
    own_draft = and_(Finding.status == DRAFT, Inspection.inspector_id == actor.id)
    if can(actor, "finding.view_all"):
        submitted = Finding.status != DRAFT
        scope = unit_scope(actor, Finding.unit_id)
        return or_(submitted if scope is None else and_(submitted, scope), own_draft)
    if can(actor, "finding.view_confirmed"):
        return Finding.status.in_(CONFIRMED)
    if can(actor, "rectification.submit") and actor.unit_id is not None:
        return and_(Finding.unit_id == actor.unit_id, Finding.status.in_(CONFIRMED))
    return false()


def finding_visible(session: Session, actor: User, finding_id: int) -> bool:
    """finding_filter for one finding, for the services that act on one."""
    found = session.execute(
        select(Finding.id)
        .join(Inspection, Finding.inspection_id == Inspection.id, isouter=True)
        .where(Finding.id == finding_id, finding_filter(actor))
    ).first()
    return found is not None
