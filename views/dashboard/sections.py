"""The dashboard's panels, each a titled chart with its table: one list that the page, the
meeting mode and the exported deck all go through."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from db.models import User
from services.dashboard.snapshot import Dashboard
from ui.context import t
from views.dashboard import drill, figures, panels, tables
from views.instructions.panel import render_panel


@dataclass(frozen=True)
class Section:
    key: str
    figure: Callable[[Dashboard, bool], go.Figure]
    table: Callable[[Dashboard], pd.DataFrame]
    shown: Callable[[Dashboard], bool] = lambda board: True


SECTIONS = (
    Section("tasks", lambda b, large: figures.task_lights(b.tasks, t, large), tables.tasks,
            lambda b: bool(b.tasks)),
    Section("volume", lambda b, large: figures.volume(b.granularity, b.volume, t, large),
            tables.volume),
    Section("district_bars", lambda b, large: figures.district_bars(b.districts, t, large),
            tables.district_table, lambda b: bool(b.districts)),
    Section("district_heat", lambda b, large: figures.district_heat(b.districts, t, large),
            tables.district_table, lambda b: bool(b.districts)),
    Section("top_complaints", lambda b, large: figures.top_units(b.top_complaints, t, large),
            lambda b: tables.top_units(b.top_complaints)),
    Section("top_findings", lambda b, large: figures.top_units(b.top_findings, t, large),
            lambda b: tables.top_units(b.top_findings)),
    Section("pipeline", lambda b, large: figures.pipeline(b.pipeline, t, large),
            tables.pipeline),
)
# The chart whose selection a section's picks stand for (both district views pick alike).
PICKS = {"district_bars": "districts", "district_heat": "districts"}


def visible(board: Dashboard) -> list[Section]:
    return [s for s in SECTIONS if s.shown(board)]


def signature(section: Section, board: Dashboard) -> str:
    """A digest of what the panel shows: equal digests, unchanged panel."""
    return hashlib.sha256(section.table(board).to_csv().encode()).hexdigest()


def render(section: Section, board: Dashboard, actor: User, *, large: bool = False,
           changed: bool = False, key_suffix: str = "") -> None:
    with st.container(border=True, key=f"panel_{section.key}{key_suffix}"):
        title = t(f"dash.panel.{section.key}")
        if changed:
            title = f"{title} :orange-badge[{t('dash.changed')}]"
        st.subheader(title, help=t(f"dash.panel.{section.key}.help"))
        if section.key == "volume" and not board.volume:
            st.info(t("dash.no_data"))
            return
        panels.chart(section.key, section.figure(board, large), section.table(board),
                     on_pick=drill.remember(section.key, PICKS.get(section.key, section.key)),
                     key_suffix=key_suffix, large=large)
        picked = drill.show(actor, board, section.key)
        if picked:
            kind, row_id = picked
            render_panel(actor, kind, row_id, key=f"dash_instr_{kind}_{row_id}")


def grid(board: Dashboard, shown: list[Section], actor: User, *, large: bool = False,
         changed: frozenset[str] = frozenset(), key_suffix: str = "") -> None:
    """The panels two by two."""
    for start in range(0, len(shown), 2):
        for column, section in zip(st.columns(2), shown[start:start + 2], strict=False):
            with column:
                render(section, board, actor, large=large, changed=section.key in changed,
                       key_suffix=key_suffix)
