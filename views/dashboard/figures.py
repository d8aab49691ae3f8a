"""The dashboard's Plotly figures, built from the computed Dashboard (no queries here).
Each trace carries `customdata` naming what a bar, point or cell stands for, so a selection
can open its list. Names typed by users (units, districts) are escaped for Plotly, whose
labels accept a few HTML tags."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from services.dashboard import charts, districts, tasks
from services.dashboard.period import Granularity

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
LIGHTS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "blue": "#1565c0"}
BAR = "#1f77b4"
RATES = frozenset({"rectification_on_time", "report_timeliness"})
CHANNEL_ORDER = ("hotline", "phone", "online", "letter", "visit", "provincial", "other")
Translate = Callable[..., str]


def _name(text: str) -> str:
    return html.escape(text or "")


def _layout(fig: go.Figure, *, height: int, large: bool = False) -> go.Figure:
    fig.update_layout(height=height * (1.3 if large else 1), margin=dict(l=10, r=10, t=30, b=10),
                      template="plotly_white" if large else None,
                      font=dict(family=FONT, size=20 if large else 13),
                      legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0))
    return fig


def task_lights(rows: Sequence[tasks.TaskLight], t: Translate, large=False) -> go.Figure:
    ordered = list(reversed(rows))  # the first task at the top
    labels = [_name(f"{r.code} {r.title}") for r in ordered]
    fig = go.Figure()
    fig.add_bar(x=[r.percent or 0 for r in ordered], y=labels, orientation="h",
                marker_color=[LIGHTS.get(r.light, "#999") for r in ordered],
                customdata=[[r.task_id] for r in ordered], name=t("dash.reported_percent"),
                text=[t(f"schedule.status.{r.schedule}") for r in ordered],
                hovertemplate="%{y}: %{x}%<extra>%{text}</extra>")
    fig.add_scatter(x=[r.expected for r in ordered], y=labels, mode="markers",
                    marker=dict(symbol="line-ns-open", size=18, color="#222"),
                    name=t("dash.expected_percent"), hoverinfo="skip")
    fig.update_xaxes(range=[0, 105], ticksuffix="%")
    return _layout(fig, height=max(260, 26 * len(rows) + 80), large=large)


def volume(grain: Granularity, points: Sequence[charts.VolumePoint], t: Translate,
           large=False) -> go.Figure:
    fig = go.Figure()
    present = {p.channel for p in points}
    for channel in [c for c in CHANNEL_ORDER if c in present]:
        mine = [p for p in points if p.channel == channel]
        fig.add_bar(x=[p.bucket for p in mine], y=[p.complaints for p in mine],
                    name=t(f"complaint_channel.{channel}"),
                    customdata=[[p.bucket.isoformat(), channel] for p in mine])
    fig.update_layout(barmode="stack", xaxis_title=t(f"dash.grain.{grain}"))
    # Numbers, not English month names.
    fig.update_xaxes(tickformat="%Y-%m" if grain == Granularity.MONTH else "%m-%d")
    return _layout(fig, height=360, large=large)


def _fmt(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    if name in ("rectification_on_time", "report_timeliness"):
        return f"{value:.0%}"
    return f"{value:.0f}" if name == "overdue_items" else f"{value:.2f}"


def district_bars(rows: Sequence[districts.DistrictRow], t: Translate,
                  large=False) -> go.Figure:
    names = districts.MEASURES
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=[
        t(f"dash.measure.{m}") for m in names])
    for col, measure in enumerate(names, start=1):
        values = [r.measure(measure) for r in rows]
        fig.add_bar(x=[_name(r.district) for r in rows], y=values, row=1, col=col,
                    showlegend=False, text=[_fmt(measure, v) for v in values],
                    marker_color=BAR, customdata=[[r.district_id, measure] for r in rows])
        if measure in RATES:
            fig.update_yaxes(tickformat=".0%", range=[0, 1.05], row=1, col=col)
    return _layout(fig, height=340, large=large)


def district_heat(rows: Sequence[districts.DistrictRow], t: Translate,
                  large=False) -> go.Figure:
    """Colour: each measure ranked across districts, from worst (0) to best (1)."""
    names = districts.MEASURES
    scores, texts = [], []
    for r in rows:
        scores.append([_score(rows, r, m) for m in names])
        texts.append([_fmt(m, r.measure(m)) for m in names])
    fig = go.Figure(go.Heatmap(
        z=scores, x=[t(f"dash.measure.{m}") for m in names],
        y=[_name(r.district) for r in rows], text=texts, texttemplate="%{text}",
        colorscale="RdYlGn", zmin=0, zmax=1, showscale=False,
        hoverinfo="skip"))
    # Plotly selects points, not heat-map cells: an invisible square marker on each cell
    # takes the click (and the hover) for it.
    cells = [(r, m) for r in rows for m in names]
    fig.add_scatter(
        x=[t(f"dash.measure.{m}") for _, m in cells], y=[_name(r.district) for r, _ in cells],
        mode="markers", marker=dict(symbol="square", size=44, opacity=0), showlegend=False,
        text=[_fmt(m, r.measure(m)) for r, m in cells],
        customdata=[[r.district_id, m] for r, m in cells],
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>")
    return _layout(fig, height=max(240, 50 * len(rows) + 80), large=large)


def _score(rows, row, measure) -> float | None:
    values = [v for v in (r.measure(measure) for r in rows) if v is not None]
    mine = row.measure(measure)
    if mine is None or not values or max(values) == min(values):
        return None if mine is None else 0.5
    share = (mine - min(values)) / (max(values) - min(values))
    return 1 - share if measure in districts.LOWER_IS_BETTER else share


def top_units(rows: Sequence[charts.UnitCount], t: Translate, large=False) -> go.Figure:
    ordered = list(reversed(rows))
    fig = go.Figure(go.Bar(x=[r.count for r in ordered], y=[_name(r.unit) for r in ordered],
                           orientation="h", customdata=[[r.unit_id] for r in ordered],
                           marker_color=BAR,
                           text=[r.count for r in ordered], textangle=0))
    return _layout(fig, height=max(240, 30 * len(rows) + 60), large=large)


def pipeline(stages: Sequence[charts.Stage], t: Translate, large=False) -> go.Figure:
    fig = go.Figure(go.Bar(x=[t(f"dash.stage.{s.stage}") for s in stages],
                           y=[s.count for s in stages], text=[s.count for s in stages],
                           customdata=[[s.stage] for s in stages],
                           marker_color=["#90a4ae", "#42a5f5", "#ffa726", "#ab47bc",
                                         "#66bb6a"]))
    return _layout(fig, height=320, large=large)
