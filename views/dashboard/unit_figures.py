"""A unit liaison's own figures on their start page: this month's complaints about the unit,
its open and overdue findings and its on-time rates, against the month before. The same
key figures as the dashboard, scoped to the unit by the service."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.core import clock
from services.dashboard import kpis
from services.dashboard.period import Preset, preset
from services.dashboard.scope import Filters
from ui import context
from ui.context import t
from views.dashboard import panels

SHOWN = ("complaints", "reply_on_time", "open_findings", "overdue_rectifications",
         "rectification_on_time", "reports_late")


def unit_figures(actor: User) -> None:
    today = clock.today()
    month = preset(Preset.MONTH, today)
    rows = {k.key: k for k in context.query(kpis.kpis, actor=actor, filters=Filters(month),
                                            today=today)}
    with st.expander(t("dash.unit_figures", start=month.start.isoformat(),
                       end=month.end.isoformat()), expanded=True):
        for column, key in zip(st.columns(len(SHOWN)), SHOWN, strict=True):
            if key in rows:
                with column:
                    panels.metric(rows[key])
