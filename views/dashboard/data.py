"""The dashboard's figures, cached per filters, scope and data version: every write moves
the version on (services/core/data_version.py), so the next refresh of every open
dashboard, in every app process, computes afresh; until then, a refresh costs one read of
the version. Nothing personal is cached: the key is the actor's scope, not the actor.
`cached` is also what `manage.py bench dashboard` times as the warm path."""

from __future__ import annotations

from datetime import date

import streamlit as st

from db.models import User
from services.core.uow import UnitOfWork
from services.dashboard import snapshot
from services.dashboard.period import Period
from services.dashboard.scope import Filters
from ui import context

TTL_SECONDS = 3600


@st.cache_data(ttl=TTL_SECONDS, max_entries=200, show_spinner=False)
def _compute(scope: tuple, period: tuple[date, date], district_id: int | None,
             industry_id: int | None, today: date, version: tuple[int, str], _actor: User,
             _uow: UnitOfWork) -> snapshot.Dashboard:
    filters = Filters(Period(*period), district_id, industry_id)
    return _uow.query(snapshot.compute, actor=_actor, filters=filters, today=today)


def cached(uow: UnitOfWork, actor: User, filters: Filters, today: date) -> snapshot.Dashboard:
    version = uow.query(snapshot.stamp)
    return _compute(snapshot.scope_key(actor), (filters.period.start, filters.period.end),
                    filters.district_id, filters.industry_id, today, version, actor, uow)


def dashboard(actor: User, filters: Filters, today: date) -> snapshot.Dashboard:
    return cached(context.uow(), actor, filters, today)
