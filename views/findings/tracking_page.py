"""整改跟踪: what falls due this week, who is overdue (worst first), what was reopened, and
each unit's on-time rate over a period with its definition in words. The counting is the
service's (services/findings/tracking.py); a picked row opens its findings in the register
(问题台账), filtered through the register's URL (?overdue=1&unit=3)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from db.models import User
from services.core import clock
from services.dashboard.period import Period
from services.findings import tracking, urging
from services.findings.register import RegisterFilters
from ui import context, links
from ui.context import local_time, t
from ui.page import page

KEY = "rt"
REGISTER = "findings_register"
WORST = 15  # units in the on-time chart


@page("rectification_tracking", title="nav.rectification_tracking")
def render(actor: User) -> None:
    today = clock.today()  # one day for every section, even across midnight
    period = _period(today)
    _due(actor, today)
    _overdue(actor, today)
    _reopened(actor, period, today)
    _on_time(actor, period, today)


def _period(today) -> Period:
    default = tracking.this_year(today)
    chosen = st.date_input(t("tracking.period"), value=(default.start, default.end),
                           key=f"{KEY}_period", format="YYYY-MM-DD",
                           help=t("tracking.period_help"))
    if isinstance(chosen, list | tuple) and len(chosen) == 2:
        return Period(min(chosen), max(chosen))
    st.caption(t("tracking.period_incomplete"))  # one day picked so far: the year meanwhile
    return default


def _open(label: str, key: str, column=None, **filters) -> None:
    """A button that opens the register with these filters in its URL."""
    if (column or st).button(t(label), key=f"{KEY}_{key}", icon=":material/table_view:"):
        links.go(REGISTER, **RegisterFilters(**filters).to_query())


def _table(frame: pd.DataFrame, config: dict, key: str) -> int | None:
    """A table whose one picked row's position is returned."""
    event = st.dataframe(frame, hide_index=True, key=f"{KEY}_{key}", on_select="rerun",
                         selection_mode="single-row", width="stretch", column_config=config)
    st.caption(t("tracking.pick_hint"))
    rows = event.selection.rows if event is not None else []
    return rows[0] if rows and 0 <= rows[0] < len(frame) else None


def _findings(rows, key: str, extra: dict | None = None) -> int | None:
    frame = pd.DataFrame({
        "id": [r.id for r in rows],
        "unit": [r.unit for r in rows],
        "category": [t(f"category.{r.category}") for r in rows],
        "severity": [t(f"severity.{r.severity}") for r in rows],
        "status": [t(f"finding_status.{r.status}") for r in rows],
        "deadline": [r.deadline.isoformat() if r.deadline else "—" for r in rows],
        "overdue": [t("tracking.overdue_flag") if r.overdue else "" for r in rows],
        **(extra or {}),
        "description": [r.description[:80] for r in rows],
    })
    config = {col: st.column_config.TextColumn(t(f"tracking.col_{col}")) for col in frame}
    config["id"] = st.column_config.NumberColumn(t("tracking.col_id"), format="%d")
    return _table(frame, config, key)


def _more(total: int, shown: int) -> None:
    if total > shown:
        st.caption(t("tracking.first_shown", shown=shown, total=total))


def _due(actor: User, today) -> None:
    due = context.query(tracking.due_this_week, actor=actor, today=today)
    st.subheader(t("tracking.due_title"))
    st.caption(t("tracking.due_caption", start=due.week.start.isoformat(),
                 end=due.week.end.isoformat()))
    a, b = st.columns(2)
    a.metric(t("tracking.due_total"), due.total)
    b.metric(t("tracking.due_overdue"), due.overdue)
    if not due.rows:
        st.info(t("tracking.due_none"))
        return
    picked = _findings(due.rows, "due")
    _more(due.total, len(due.rows))
    if picked is not None:
        _open("tracking.open_unit_findings", "due_open", unit_id=due.rows[picked].unit_id)


def _overdue(actor: User, today) -> None:
    rows = context.query(tracking.overdue_by_unit, actor=actor, today=today)
    st.subheader(t("tracking.overdue_title"))
    a, b = st.columns(2)
    a.metric(t("tracking.overdue_total"), sum(r.overdue for r in rows))
    b.metric(t("tracking.overdue_units"), len(rows))
    if not rows:
        st.success(t("tracking.overdue_none"))
        return
    # How often the office urged each unit (催办) lately: the chase beside the backlog.
    urged = {c.unit_id: c.urges for c in context.query(
        urging.recent_counts, actor=actor, today=today, unit_ids=[r.unit_id for r in rows])}
    frame = pd.DataFrame({
        "unit": [r.unit for r in rows],
        "district": [r.district or t("tracking.city_level") for r in rows],
        "overdue_count": [r.overdue for r in rows],
        "oldest_deadline": [r.oldest_deadline.isoformat() for r in rows],
        "oldest_days": [r.oldest_days for r in rows],
        "urged_30d": [urged.get(r.unit_id, 0) for r in rows],
    })
    config = {col: st.column_config.TextColumn(t(f"tracking.col_{col}")) for col in frame}
    for col in ("overdue_count", "oldest_days", "urged_30d"):
        config[col] = st.column_config.NumberColumn(t(f"tracking.col_{col}"), format="%d")
    picked = _table(frame, config, "overdue")
    left, right = st.columns(2)
    _open("tracking.open_overdue", "overdue_all", left, overdue=True)
    if picked is not None:
        _open("tracking.open_unit_overdue", "overdue_unit", right, overdue=True,
              unit_id=rows[picked].unit_id)


def _reopened(actor: User, period: Period, today) -> None:
    got = context.query(tracking.reopened, actor=actor, period=period, today=today)
    st.subheader(t("tracking.reopened_title"))
    a, b = st.columns(2)
    a.metric(t("tracking.reopened_now"), got.current_total)
    b.metric(t("tracking.reopened_in_period"), got.in_period_total)
    now, during = st.tabs([t("tracking.tab_now", n=got.current_total),
                           t("tracking.tab_in_period", n=got.in_period_total)])
    for tab, rows, total, name, filters in (
        (now, got.current, got.current_total, "reopened_now", {"status": "reopened"}),
        (during, got.in_period, got.in_period_total, "reopened_period", {"reopened": True}),
    ):
        with tab:
            if not rows:
                st.info(t("tracking.reopened_none"))
                continue
            picked = _findings([r.finding for r in rows], name, {
                "times": [r.times for r in rows],
                "in_period": [r.in_period for r in rows],
                "last_reopened": [local_time(r.last_reopened_at) for r in rows],
            })
            _more(total, len(rows))
            left, right = st.columns(2)
            _open(f"tracking.open_{name}", f"{name}_open", left, **filters)
            if picked is not None:
                _open("tracking.open_unit_findings", f"{name}_unit", right,
                      unit_id=rows[picked].finding.unit_id, **filters)


def _on_time(actor: User, period: Period, today) -> None:
    got = context.query(tracking.on_time_by_unit, actor=actor, period=period, today=today)
    st.subheader(t("tracking.on_time_title"))
    st.caption(t("tracking.on_time_definition"))
    a, b = st.columns(2)
    a.metric(t("tracking.on_time_rate"), "—" if got.rate is None else f"{got.rate:.0%}")
    b.metric(t("tracking.on_time_measured"), got.measured)
    if not got.units:
        st.info(t("tracking.on_time_none", start=period.start.isoformat(),
                  end=period.end.isoformat()))
        return
    st.plotly_chart(_chart(got.units[:WORST]), key=f"{KEY}_chart", width="stretch",
                    config={"displaylogo": False})
    frame = pd.DataFrame({
        "unit": [u.unit for u in got.units],
        "district": [u.district or t("tracking.city_level") for u in got.units],
        "rate": [round(100 * u.rate) for u in got.units],
        "measured": [u.measured for u in got.units],
        "on_time": [u.on_time for u in got.units],
        "reported_late": [u.reported_late for u in got.units],
        "overdue_count": [u.overdue for u in got.units],
    })
    config = {col: st.column_config.NumberColumn(t(f"tracking.col_{col}"), format="%d")
              for col in frame}
    for col in ("unit", "district"):
        config[col] = st.column_config.TextColumn(t(f"tracking.col_{col}"))
    config["rate"] = st.column_config.ProgressColumn(
        t("tracking.col_rate"), format="%d%%", min_value=0, max_value=100)
    picked = _table(frame, config, "on_time")
    if picked is not None:
        _open("tracking.open_unit_findings", "on_time_unit", unit_id=got.units[picked].unit_id)


def _chart(units) -> go.Figure:
    """The worst units' rates, the worst at the top. Unit names are typed by users: escaped
    for Plotly, whose labels accept a few HTML tags."""
    ordered = list(reversed(units))
    fig = go.Figure(go.Bar(
        x=[100 * u.rate for u in ordered], y=[html.escape(u.unit) for u in ordered],
        orientation="h", customdata=[[u.unit_id, u.on_time, u.measured] for u in ordered],
        text=[f"{u.rate:.0%}" for u in ordered], textangle=0, marker_color="#c62828",
        hovertemplate="%{y}: %{x:.0f}% (%{customdata[1]}/%{customdata[2]})<extra></extra>"))
    fig.update_layout(title=t("tracking.chart_title", n=len(units)),
                      height=max(240, 28 * len(units) + 80),
                      margin=dict(l=10, r=10, t=40, b=10),
                      xaxis=dict(range=[0, 100], title=t("tracking.col_rate"), ticksuffix="%"))
    return fig
