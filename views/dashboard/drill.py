"""The list behind a selected bar, point or cell, with the dashboard's filters: complaints
(through the register's own query, complainants masked by role and never shown here),
findings, or tasks. A row picked in the list opens it for a leader's instruction."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from db.models import User
from services.complaints import queries as complaint_queries
from services.dashboard import drill
from services.dashboard.period import Granularity
from services.dashboard.scope import Filters
from services.dashboard.snapshot import Dashboard
from ui import context
from ui.context import t
from ui.text import plain
from views.dashboard.filters import an_id

PICK_KEY, SEEN_KEY = "dash_pick", "dash_pick_seen"
FINDING_CHARTS = {"top_findings", "pipeline"}


def remember(origin: str, chart: str):
    """What a selection in the panel `origin` picked: its list opens under that panel.
    A chart keeps its selection across reruns; only a selection that changed is a new
    pick, so a closed list stays closed and a click elsewhere replaces the open list."""
    def pick(points: list[list]) -> None:
        seen = st.session_state.setdefault(SEEN_KEY, {})
        if not points:  # the selection cleared: the same bar picked again is a new pick
            seen.pop(origin, None)
            return
        data = tuple(points[0])
        if seen.get(origin) != data:
            seen[origin] = data
            st.session_state[PICK_KEY] = (origin, chart, data)
    return pick


def _bucket_end(start: date, grain: Granularity) -> date:
    if grain == Granularity.DAY:
        return start
    if grain == Granularity.WEEK:
        return start + timedelta(days=6)
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _complaints(actor: User, filters: Filters, **narrow) -> tuple[str, pd.DataFrame]:
    wanted = complaint_queries.Filters(
        received_from=narrow.pop("start", filters.period.start),
        received_to=narrow.pop("end", filters.period.end),
        district_id=narrow.pop("district_id", None) or filters.district_id,
        industry_id=filters.industry_id, **narrow)
    rows = context.query(complaint_queries.list_complaints, actor=actor, filters=wanted,
                         limit=complaint_queries.MAX_PAGE)
    return "complaint", pd.DataFrame([{
        "id": r.id, t("dash.col.received"): r.received_at.date().isoformat(),
        t("field.channel"): t(f"complaint_channel.{r.channel}"),
        t("dash.col.unit"): r.unit or r.district or "", t("dash.col.category"): r.category,
        t("dash.col.status"): t(f"complaint_status.{r.status}"),
        t("dash.col.deadline"): r.deadline.isoformat(), t("dash.col.overdue"): _late(r.overdue),
    } for r in rows])


def _late(overdue: bool) -> str:
    return t("dash.overdue_mark") if overdue else ""


def _category(code: str) -> str:
    """A finding's category as the checklist names it; a free category as typed."""
    key = f"category.{code}"
    label = t(key)
    return code if label == key else label


def _findings(actor: User, filters: Filters, today: date, **narrow) -> tuple[str, pd.DataFrame]:
    rows = context.query(drill.findings, actor=actor, filters=filters, today=today, **narrow)
    return "finding", pd.DataFrame([{
        "id": r.id, t("dash.col.unit"): r.unit, t("dash.col.category"): _category(r.category),
        t("dash.col.severity"): t(f"severity.{r.severity}"), t("dash.col.what"): r.description,
        t("dash.col.status"): t(f"finding_status.{r.status}"),
        t("dash.col.deadline"): r.deadline.isoformat() if r.deadline else "",
        t("dash.col.overdue"): _late(r.overdue)} for r in rows])


def _tasks(board: Dashboard, task_id: int) -> tuple[str, pd.DataFrame]:
    return "task", pd.DataFrame([{
        "id": r.task_id, t("dash.col.task"): f"{r.code} {r.title}",
        t("dash.col.lead_unit"): r.lead_unit, t("dash.reported_percent"): r.percent,
        t("dash.expected_percent"): r.expected,
        t("dash.col.schedule"): t(f"schedule.status.{r.schedule}")}
        for r in board.tasks if r.task_id == task_id])


def _id(value: object) -> int:
    found = an_id(value)
    if found is None:
        raise ValueError("not a record's id")
    return found


def listing(actor: User, board: Dashboard, chart: str, data: tuple) -> tuple[str, pd.DataFrame]:
    """The list a selection stands for. The selection comes from the browser: a value that
    no chart of ours sends raises ValueError, TypeError or IndexError."""
    filters, today = board.filters, board.today
    if chart == "volume":
        start = date.fromisoformat(data[0])
        return _complaints(actor, filters, start=max(start, filters.period.start),
                           end=min(_bucket_end(start, board.granularity), filters.period.end),
                           channel=data[1])
    if chart == "top_complaints":
        return _complaints(actor, filters, unit_id=_id(data[0]))
    if chart == "top_findings":
        return _findings(actor, filters, today, unit_id=_id(data[0]))
    if chart == "pipeline":
        return _findings(actor, filters, today, stage=str(data[0]))
    if chart == "tasks":
        return _tasks(board, _id(data[0]))
    district, measure = _id(data[0]), str(data[1])  # the district bars and heat map
    if measure == "complaints_per_10k":
        return _complaints(actor, filters, district_id=district)
    return _findings(actor, filters, today, district_id=district,
                     overdue=measure == "overdue_items")


def show(actor: User, board: Dashboard, origin: str) -> tuple[str, int] | None:
    """The list picked in the panel `origin`, if any; returns (kind, id) of a row picked
    in it."""
    picked = st.session_state.get(PICK_KEY)
    if not picked or picked[0] != origin:
        return None
    _, chart, data = picked
    try:
        kind, table = listing(actor, board, chart, data)
    except (ValueError, TypeError, IndexError):  # a selection no chart of ours made
        st.session_state.pop(PICK_KEY, None)
        return None
    with st.container(border=True, key=f"dash_drill_{origin}"):
        head, close = st.columns([5, 1])
        head.subheader(t(f"dash.drill.{kind}", count=len(table)))
        if close.button(t("dash.drill.close"), key=f"dash_drill_close_{origin}",
                        width="stretch"):
            st.session_state.pop(PICK_KEY, None)
            st.rerun()
        if table.empty:
            st.info(t("dash.drill.empty"))
            return None
        st.caption(t("dash.drill.hint"))
        event = st.dataframe(table, hide_index=True, width="stretch", on_select="rerun",
                             selection_mode="single-row", key=f"dash_rows_{origin}",
                             column_config={"id": st.column_config.NumberColumn(
                                 t("dash.col.id"), format="%d")})
        rows = event.selection.rows if event and event.selection else []
        if rows:
            row_id = int(table.iloc[rows[0]]["id"])
            st.markdown(t("dash.drill.picked", kind=t(f"dash.kind.{kind}"),
                          id=plain(str(row_id))))
            return kind, row_id
    return None
