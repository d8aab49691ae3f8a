"""工作台: the office's start page. Each thing that waits for it as a count, and a button
that opens its list (the complaints list already filtered where the link can say how)."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.dashboard import workbench
from ui import context, links
from ui.context import t
from ui.page import page

# (count, the page that lists it, its filters in the URL)
TILES = (
    ("instructions_open", "instructions", {"status": "open"}),
    ("inspections_to_review", "review", {}),
    ("rectifications_to_verify", "verify", {}),
    ("rectifications_overdue", "verify", {}),
    ("complaints_new", "complaints", {"status": "received"}),
    ("complaints_due_soon", "complaints", {}),
    ("complaints_overdue", "complaints", {"overdue": "1"}),
    ("extensions_to_decide", "complaints", {}),
    ("reports_missing", "report_calendar", {}),
    ("hall_plans_to_decide", "hall_plans", {}),
    ("notices_awaiting_sign_off", "notices", {"status": "awaiting"}),
    ("notices_to_issue", "notices", {"status": "signed"}),
)
PER_ROW = 3


@page("workbench", title="nav.workbench")
def render(actor: User) -> None:
    counts = context.query(workbench.workbench, actor=actor)
    for start in range(0, len(TILES), PER_ROW):
        for column, (name, target, query) in zip(st.columns(PER_ROW),
                                                 TILES[start:start + PER_ROW], strict=False):
            with column.container(border=True):
                value = getattr(counts, name)
                st.metric(t(f"workbench.{name}"), value)
                if value and target and st.button(t("workbench.open"), key=f"wb_{name}",
                                       width="stretch"):
                    links.go(target, **query)
    if not any(getattr(counts, name) for name, _, _ in TILES):
        st.success(t("workbench.nothing"))
