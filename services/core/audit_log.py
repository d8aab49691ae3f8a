"""Reading the audit log. Writing happens inside each change (services/core/audit.py)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import func
from sqlmodel import select

from db.models import AuditEvent, User
from services.core import clock, spreadsheet
from services.core.permissions import require
from services.core.uow import UnitOfWork

MAX_ROWS = 5000
COLUMNS = ["at", "actor", "action", "entity", "entity_id", "before", "after"]


def list_actions(uow: UnitOfWork, *, actor: User) -> list[str]:
    require(actor, "audit.view")
    return list(
        uow.session.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def list_entities(uow: UnitOfWork, *, actor: User) -> list[str]:
    require(actor, "audit.view")
    return list(
        uow.session.exec(select(AuditEvent.entity).distinct().order_by(AuditEvent.entity))
    )


FILTERS = ("user_id", "action", "entity", "date_from", "date_to")


def _where(query, *, user_id, action, entity, date_from, date_to):
    if user_id is not None:
        query = query.where(AuditEvent.actor_id == user_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if date_from:
        query = query.where(AuditEvent.at >= clock.start_of_day(date_from))
    if date_to:
        query = query.where(AuditEvent.at < clock.start_of_day(date_to + timedelta(days=1)))
    return query


def count(uow: UnitOfWork, *, actor: User, **filters) -> int:
    """How many events search's filters (user_id, action, entity, date_from, date_to)
    match, for saying that a list was cut short."""
    require(actor, "audit.view")
    query = _where(select(func.count()).select_from(AuditEvent),
                   **{name: filters.get(name) for name in FILTERS})
    return uow.session.exec(query).one()


def search(
    uow: UnitOfWork,
    *,
    actor: User,
    user_id: int | None = None,
    action: str | None = None,
    entity: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = MAX_ROWS,
) -> pd.DataFrame:
    """Newest first; dates are whole local days (settings.time_zone), both ends included."""
    require(actor, "audit.view")
    query = (
        select(AuditEvent, User.username)
        .join(User, AuditEvent.actor_id == User.id, isouter=True)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    query = _where(query, user_id=user_id, action=action, entity=entity,
                   date_from=date_from, date_to=date_to)
    rows = uow.session.exec(query).all()
    records = [
        {
            "at": ev.at,
            "actor": username or "system",
            "action": ev.action,
            "entity": ev.entity,
            "entity_id": ev.entity_id,
            "before": _json(ev.before),
            "after": _json(ev.after),
        }
        for ev, username in rows
    ]
    return pd.DataFrame.from_records(records, columns=COLUMNS)


def _json(value: dict | None) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


to_csv = spreadsheet.to_csv
