"""The units an inspector is offered when starting an unplanned visit: only those they
may visit (services.core.visibility.unit_scope), so the picker never offers a unit that
start_visit would then refuse."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from db.models import Inspection, Unit, User
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.visibility import unit_scope


def _in_scope(query, actor: User):
    scope = unit_scope(actor, Unit.id)
    return query if scope is None else query.where(scope)


def recent_units(uow: UnitOfWork, *, actor: User, limit: int = 5) -> list[tuple[int, str]]:
    """The units this inspector visited last, most recent first: the unit picker starts there."""
    require(actor, "inspection.record")
    query = (
        select(Unit.id, Unit.name, func.max(Inspection.visited_at).label("last"))
        .join(Inspection, Inspection.unit_id == Unit.id)
        .where(Inspection.inspector_id == actor.id, Unit.active)
        .group_by(Unit.id, Unit.name)
        .order_by(func.max(Inspection.visited_at).desc())
        .limit(limit)
    )
    rows = uow.session.exec(_in_scope(query, actor)).all()
    return [(i, n) for i, n, _ in rows]


def units_to_visit(
    uow: UnitOfWork, *, actor: User, search: str = "", limit: int = 50
) -> list[tuple[int, str]]:
    """Active units the inspector may visit whose name contains `search`, by name."""
    require(actor, "inspection.record")
    query = select(Unit.id, Unit.name).where(Unit.active).order_by(Unit.name).limit(limit)
    if search.strip():
        query = query.where(Unit.name.contains(search.strip()))
    return [(i, n) for i, n in uow.session.exec(_in_scope(query, actor)).all()]
