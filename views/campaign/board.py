"""任务看板: the five battles and their tasks, each with its progress bar, traffic light and
the sentence that explains it; filtered by battle, unit and schedule status. Picking a task
opens its card; the office may report for the lead unit from there."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from db.models import User
from services.campaign import queries
from services.campaign.schedule import Schedule
from services.core.permissions import can
from services.org import structure
from ui import context
from ui.context import t
from ui.page import page
from ui.text import plain
from views.campaign.common import card, task_line
from views.campaign.forms import progress_form
from views.campaign.task_editor import battle_form, task_form

KEY = "cb"


@page("campaign_board", title="nav.campaign_board")
def render(actor: User) -> None:
    everything = context.query(queries.board, actor=actor)
    battles = {b.id: f"{b.code} {b.title}" for b in everything}
    units = {u.id: u.name for u in context.query(structure.list_units, actor=actor,
                                                   include_inactive=False)}
    a, b, c = st.columns(3)
    battle_id = a.selectbox(t("campaign_ui.battle"), [None, *battles], key=f"{KEY}_battle",
                            format_func=lambda i: t("common.all") if i is None else battles[i],
                            placeholder=t("common.all"))
    unit_id = b.selectbox(t("campaign_ui.unit"), [None, *units], key=f"{KEY}_unit",
                          format_func=lambda i: t("common.all") if i is None else units[i],
                          placeholder=t("common.all"))
    statuses = c.multiselect(t("campaign_ui.status"), list(Schedule), key=f"{KEY}_status",
                             format_func=lambda s: t(f"schedule.status.{s}"),
                             placeholder=t("common.all"))
    filtered = battle_id is not None or unit_id is not None or statuses
    # Unfiltered, the board already read is the one to show: not the same rows twice a run.
    shown = context.query(queries.board, actor=actor, battle_id=battle_id, unit_id=unit_id,
                          statuses=frozenset(statuses) or None) if filtered else everything
    tasks = {r.id: r for battle in shown for r in battle.tasks}
    if can(actor, "campaign.manage"):
        left, right = st.columns(2)
        with left.expander(t("campaign_ui.new_task")):
            task_form(actor, everything)
        with right.expander(t("campaign_ui.new_battle")):
            battle_form(actor)
    if not tasks:
        st.info(t("campaign_ui.no_tasks"))
    else:
        _open(actor, tasks, everything)  # at the top: the card opens where the reader is
    for battle in shown:
        st.subheader(f"{plain(battle.code)} {plain(battle.title)}")
        if not battle.tasks:
            st.caption(t("campaign_ui.battle_empty"))
            continue
        counts = Counter(r.status.schedule for r in battle.tasks)
        st.caption(" · ".join(f"{t(f'schedule.status.{s}')} {counts[s]}"
                              for s in Schedule if counts[s]))
        for row in battle.tasks:
            task_line(row)


def _open(actor: User, tasks: dict, everything) -> None:
    picked = st.selectbox(t("campaign_ui.open_task"), list(tasks), key=f"{KEY}_pick",
                          index=None, placeholder=t("campaign_ui.open_task_hint"),
                          format_func=lambda i: f"{tasks[i].code} {tasks[i].title}")
    if picked is None:
        return
    detail = context.query(queries.task_detail, actor=actor, task_id=picked)
    with st.container(border=True):
        card(detail)
        if can(actor, "campaign.report"):  # the office, for the lead unit
            with st.expander(t("campaign_ui.report_for_lead", unit=plain(detail.row.lead_unit))):
                progress_form(actor, detail)
        if can(actor, "campaign.manage"):
            with st.expander(t("campaign_ui.edit_task")):
                task_form(actor, everything, detail)
