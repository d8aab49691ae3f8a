"""领导驾驶舱: the leadership dashboard. Key figures against the previous period, early
warnings, the campaign's tasks, complaints by channel, districts side by side, the units
with most complaints and findings, the rectification pipeline; each chart opens its list.
?meeting=1 shows it as a meeting screen (views/dashboard/meeting.py)."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.core import clock
from ui.context import t
from ui.page import page
from views.dashboard import data, export, filters, meeting, panels, sections
from views.notices.awaiting import awaiting_sign_off


@page("dashboard", title="nav.dashboard")
def render(actor: User) -> None:
    today = clock.today()
    if st.query_params.get("meeting") == "1":
        meeting.render(actor, today)
        return
    awaiting_sign_off(actor)  # a leader's 签发 should not wait for them to find the menu
    chosen, where = filters.widgets_row(actor, today)
    board = data.dashboard(actor, chosen, today)
    period = board.filters.period
    info, export_at, start = st.columns([4, 1, 1])
    info.caption(t("dash.period_caption", start=period.start.isoformat(),
                   end=period.end.isoformat(), prev_start=period.previous().start.isoformat(),
                   prev_end=period.previous().end.isoformat()))
    with export_at:
        export.render(board, where)
    with start:
        meeting.start_controls()
    panels.kpi_row(board)
    panels.spikes(board)
    sections.grid(board, sections.visible(board), actor)
