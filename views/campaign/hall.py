"""进驻方案: which units are in the government service hall, pending or missing; the office
asks units to move in and approves or returns their plans. A unit's own plan is written on
its start page (hall_form)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from db.models import User
from services.campaign import hall_plans
from services.core.permissions import can
from services.org import structure
from ui import context
from ui.context import local_time, t
from ui.feedback import saving
from ui.page import page
from ui.text import plain
from ui.widgets import next_round, round_of, seen_version

ASK_ROUND = "hp_ask_round"


@page("hall_plans", title="nav.hall_plans")
def render(actor: User) -> None:
    rows = context.query(hall_plans.overview, actor=actor)
    a, b, c = st.columns(3)
    for column, state in zip((a, b, c), ("in", "pending", "missing"), strict=True):
        column.metric(t(f"hall_ui.state_{state}"), sum(r.state == state for r in rows))
    if can(actor, "campaign.manage"):
        _ask(actor, {r.unit_id for r in rows})
    if not rows:
        st.info(t("hall_ui.none"))
        return
    st.dataframe(pd.DataFrame({
        t("campaign_ui.unit"): [r.unit for r in rows],
        t("hall_ui.status"): [t(f"hall_plan_status.{r.status}") for r in rows],
        t("hall_ui.items_n"): [len(r.approval_items) for r in rows],
        t("hall_ui.submitted_at"): [local_time(r.submitted_at) for r in rows],
        t("field.hall_comment"): [r.office_comment for r in rows],
    }), hide_index=True, width="stretch")
    by_id = {r.id: r for r in rows if r.status != "required"}
    if not by_id:
        return
    # Plans waiting for a decision come first.
    ids = sorted(by_id, key=lambda i: (by_id[i].status != "submitted", by_id[i].unit))
    picked = st.selectbox(t("hall_ui.open"), ids, key="hp_pick",
                          format_func=lambda i: f"{by_id[i].unit} · "
                          f"{t(f'hall_plan_status.{by_id[i].status}')}")
    _plan(actor, by_id[picked])


def _ask(actor: User, have: set[int]) -> None:
    units = {u.id: u.name for u in context.query(structure.list_units, actor=actor,
                                                   include_inactive=False)
             if u.id not in have}
    # New keys after each request: the browser would keep the units just asked selected,
    # though they are no longer among the choices.
    form = f"hp_ask_r{round_of(ASK_ROUND)}"
    with st.form(form, border=False):
        chosen = st.multiselect(t("hall_ui.ask"), list(units), key=f"{form}_units",
                                format_func=lambda i: units.get(i, "—"),
                                placeholder=t("common.choose_many"))
        if st.form_submit_button(t("hall_ui.ask_save")):
            with saving(form, "hall_ui.asked", then=lambda: next_round(ASK_ROUND)):
                context.run(hall_plans.require_units, actor=actor, unit_ids=chosen)


def _plan(actor: User, row: hall_plans.PlanRow) -> None:
    with st.container(border=True):
        st.subheader(plain(row.unit))
        st.markdown(t("common.label_value", label=t("field.hall_items"),
                      value=plain("；".join(row.approval_items)) or "—"))
        st.markdown(t("common.label_value", label=t("field.hall_rules"),
                      value=plain(row.rules) or "—"))
        st.markdown(t("common.label_value", label=t("field.hall_staffing"),
                      value=plain(row.staffing) or "—"))
        log = context.query(hall_plans.history, actor=actor, plan_id=row.id)
        with st.expander(t("hall_ui.history", n=len(log))):
            for step in log:
                frm = t(f"hall_plan_status.{step.from_status}") if step.from_status else "—"
                st.caption(t("hall_ui.history_line", at=local_time(step.at), frm=frm,
                             to=t(f"hall_plan_status.{step.to_status}"),
                             who=plain(step.actor or "—"), note=plain(step.note)))
        if row.status != "submitted" or not can(actor, "campaign.manage"):
            return
        form = f"hp_{row.id}"
        version = seen_version(form, row.version)
        with st.form(form):
            comment = st.text_area(t("field.hall_comment"), key=f"{form}_comment")
            left, right = st.columns(2)
            approve = left.form_submit_button(t("hall_ui.approve"), type="primary")
            back = right.form_submit_button(t("hall_ui.return"))
        if approve or back:
            with saving(form, "hall_ui.approved" if approve else "hall_ui.returned"):
                context.run(hall_plans.decide, actor=actor, plan_id=row.id, approve=approve,
                            comment=comment, version=version)
