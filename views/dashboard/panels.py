"""Parts of the dashboard shared by the page and meeting mode: the key figures, the early
warnings, and a chart with its CSV download and the selection that opens its list."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from services.core.spreadsheet import to_csv
from services.dashboard import kpis
from services.dashboard.snapshot import Dashboard
from ui.context import t
from ui.text import plain

PER_ROW = 6
NEUTRAL = frozenset({"complaints"})


def kpi_value(k: kpis.Kpi) -> str:
    if k.value is None:
        return "—"
    return f"{k.value:.0%}" if k.rate else f"{int(k.value):,}"


def _delta(k: kpis.Kpi) -> str | None:
    if k.change is None:
        return None
    if k.rate:
        return t("dash.delta_points", points=f"{k.change * 100:+.1f}")
    return f"{int(k.change):+,}"


def kpi_row(board: Dashboard, *, changed: frozenset[str] = frozenset()) -> None:
    """The key figures with their change against the previous period; `changed` marks
    those that moved since the last refresh (meeting mode)."""
    figures = list(board.kpis)
    for start in range(0, len(figures), PER_ROW):
        for column, k in zip(st.columns(PER_ROW), figures[start:start + PER_ROW],
                             strict=False):
            with column.container(border=True, key=f"kpi_{k.key}"):
                metric(k, changed=k.key in changed)


def metric(k: kpis.Kpi, *, changed: bool = False) -> None:
    label = t(f"kpi.{k.key}")
    if changed:
        label = f"{label} :orange-badge[{t('dash.changed')}]"
    st.metric(label, kpi_value(k), _delta(k), delta_color=_colour(k),
              help=t(f"kpi.{k.key}.help"))


def _colour(k: kpis.Kpi) -> str:
    """Green for better, red for worse; grey for no change and for counts that are neither
    (more complaints received can mean better access as much as worse service)."""
    if not k.change or k.key in NEUTRAL:
        return "off"
    return "inverse" if k.lower_is_better else "normal"


def spikes(board: Dashboard) -> None:
    for s in board.spikes:
        st.warning(t(f"dash.spike.{s.kind}", name=plain(s.name), count=s.count,
                     week=s.week_start.isoformat(), median=f"{s.median:g}",
                     baseline=" / ".join(str(n) for n in s.baseline), z=f"{s.z:.1f}"),
                   icon=":material/trending_up:")


def chart(name: str, figure: go.Figure, table: pd.DataFrame, *,
          on_pick: Callable[[list[dict]], None] | None = None, key_suffix: str = "",
          large: bool = False) -> None:
    """A chart whose selection calls `on_pick` with the selected points' customdata, and
    its data as CSV (the one CSV writer: Excel reads the Chinese, formulas are defused)."""
    # Large type for a room: Streamlit's theme would set its own (small) font sizes.
    event = st.plotly_chart(figure, key=f"chart_{name}{key_suffix}", width="stretch",
                            theme=None if large else "streamlit",
                            on_select="rerun" if on_pick else "ignore",
                            selection_mode=("points", "box"),
                            config={"displaylogo": False})
    st.download_button(t("dash.csv"), to_csv(table),
                       file_name=f"{name}.csv", mime="text/csv",
                       key=f"csv_{name}{key_suffix}", icon=":material/download:")
    if on_pick and event:  # an empty selection too: the chart's selection was cleared
        points = (event.selection or {}).get("points") or []
        on_pick([p.get("customdata") for p in points if p.get("customdata")])
