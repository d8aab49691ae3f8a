"""The office's editor of battles and tasks: a task is saved whole (its units and weighted
milestones with it) against the version first shown, or refused with the reason."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from db.models import User
from services.campaign import tasks
from services.campaign.queries import BattleRow, TaskDetail
from services.campaign.tasks import MilestoneInput
from services.core import clock
from services.org import structure
from ui import context
from ui.context import t
from ui.feedback import saving
from ui.widgets import seen_version


def battle_form(actor: User) -> None:
    with st.form("ce_battle", border=False):
        left, right = st.columns([1, 3])
        code = left.text_input(t("field.code"), key="ce_battle_code", max_chars=20)
        title = right.text_input(t("field.title"), key="ce_battle_title", max_chars=100)
        if st.form_submit_button(t("campaign_ui.add_battle")):
            with saving("ce_battle", "campaign_ui.battle_saved"):
                context.run(tasks.save_battle, actor=actor, code=code, title=title)


def task_form(actor: User, battles: list[BattleRow], detail: TaskDetail | None = None) -> None:
    units = {u.id: u.name for u in context.query(structure.list_units, actor=actor,
                                                   include_inactive=False)}
    names = {b.id: f"{b.code} {b.title}" for b in battles}
    row = detail.row if detail else None
    form = f"ce_task_{row.id if row else 'new'}"
    version = seen_version(form, row.version) if row else None
    helpers = {role: [u for u, _, r in detail.units if r == role] for role in
               ("co", "responsible")} if detail else {"co": [], "responsible": []}
    today = clock.today()
    with st.form(form):
        battle_id = st.selectbox(t("campaign_ui.battle"), list(names), key=f"{form}_battle",
                                 index=list(names).index(row.battle_id) if row else None,
                                 format_func=names.get, placeholder=t("campaign_ui.pick_battle"))
        left, right = st.columns([1, 3])
        code = left.text_input(t("field.code"), value=row.code if row else "",
                               key=f"{form}_code", max_chars=20)
        title = right.text_input(t("field.title"), value=row.title if row else "",
                                 key=f"{form}_title", max_chars=200)
        target = st.text_area(t("field.target"), value=detail.target if detail else "",
                              key=f"{form}_target", max_chars=2000, height=70)
        left, right = st.columns(2)
        # A new task starts today: from January it would owe every month since.
        start = left.date_input(t("campaign_ui.start"), key=f"{form}_start",
                                value=row.start_date if row else today)
        due = right.date_input(t("field.due_date"), key=f"{form}_due",
                               value=row.due_date if row else date(today.year, 12, 31))
        lead = st.selectbox(t("field.lead_unit"), list(units), key=f"{form}_lead",
                            index=list(units).index(row.lead_unit_id)
                            if row and row.lead_unit_id in units else None,
                            format_func=units.get, placeholder=t("campaign_ui.pick_lead"))
        co = st.multiselect(t("field.co_units"), list(units), default=helpers["co"],
                            key=f"{form}_co", format_func=units.get,
                            placeholder=t("common.choose_many"))
        responsible = st.multiselect(t("field.responsible_units"), list(units),
                                     default=helpers["responsible"], key=f"{form}_resp",
                                     format_func=units.get, placeholder=t("common.choose_many"))
        st.caption(t("campaign_ui.milestones_help"))
        marks = st.data_editor(
            _frame(detail),
            num_rows="dynamic", key=f"{form}_marks", hide_index=True,
            column_config={
                "title": st.column_config.TextColumn(t("campaign_ui.milestone"), max_chars=200),
                "due": st.column_config.DateColumn(t("campaign_ui.milestone_due"),
                                                   format="YYYY-MM-DD"),
                "weight": st.column_config.NumberColumn(t("campaign_ui.milestone_weight"),
                                                        min_value=1, max_value=100, step=1),
            })
        if st.form_submit_button(t("campaign_ui.save_task"), type="primary"):
            with saving(form, "campaign_ui.task_saved"):
                context.run(tasks.save_task, actor=actor, battle_id=battle_id, code=code,
                            title=title, target=target, start_date=start, due_date=due,
                            lead_unit_id=lead, co_unit_ids=co,
                            responsible_unit_ids=responsible, milestones=_marks(marks),
                            task_id=row.id if row else None, version=version)


def _frame(detail: TaskDetail | None) -> pd.DataFrame:
    """The milestones as the editor's table, typed even when empty (a column without rows
    would be read as numbers, and the date column refused)."""
    marks = detail.milestones if detail else ()
    return pd.DataFrame({
        "title": pd.Series([m.title for m in marks], dtype="string"),
        "due": pd.to_datetime(pd.Series([m.due for m in marks], dtype="object")),
        "weight": pd.Series([m.weight for m in marks], dtype="Int64"),
    })


def _marks(frame: pd.DataFrame) -> list[MilestoneInput]:
    """The editor's rows as milestones; a row left half empty is refused by the service
    (no title) rather than dropped silently."""
    out = []
    for rec in frame.to_dict("records"):
        if all(pd.isna(v) or v == "" for v in rec.values()):
            continue  # an empty row the editor added
        due = rec.get("due")
        if isinstance(due, pd.Timestamp):
            due = due.date()
        weight = rec.get("weight")
        out.append(MilestoneInput(
            "" if pd.isna(rec.get("title")) else str(rec["title"]),
            due if isinstance(due, date) and not pd.isna(due) else date.min,
            int(weight) if not pd.isna(weight) else 0))
    return out
