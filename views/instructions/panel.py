"""The instructions on one complaint, finding or task, for embedding in a drill-down row:

    from views.instructions.panel import render_panel
    render_panel(actor, "complaint", complaint.id, key=f"dd_c_{complaint.id}")

Shows the instructions the actor may read on that record and, for a leader, a small form
to give one. `key` must be unique on the page (one per row)."""

from __future__ import annotations

import uuid

import streamlit as st

from db.models import User
from services.core.permissions import can
from services.instructions import queries, write
from ui import context
from ui.context import t
from ui.feedback import saving
from ui.widgets import next_round, round_of
from views.instructions.common import show


def render_panel(actor: User, kind: str, target_id: int, *, key: str) -> None:
    if not can(actor, "instruction.view"):
        return
    rows = context.query(queries.on_target, actor=actor, kind=kind, target_id=target_id)
    st.markdown(f"**{t('instructions_ui.panel_title')}**")
    if not rows:
        st.caption(t("instructions_ui.none_on_target"))
    for row in rows:
        with st.container(border=True):
            show(row, actor, with_target=False)
    if can(actor, "instruction.give"):
        _give_form(actor, kind, target_id, key=key)


def _give_form(actor: User, kind: str, target_id: int, *, key: str) -> None:
    # A new round of keys after each save: the text area starts empty in the browser too,
    # and the next instruction gets a client key of its own. Until then a double click or
    # a retry sends the same key, and the service gives one instruction.
    rounds = f"{key}_round"
    form = f"{key}_r{round_of(rounds)}"
    client_key = st.session_state.setdefault(f"{form}_client_key", uuid.uuid4().hex)
    with st.form(form):
        text = st.text_area(t("field.instruction_text"), key=f"{form}_text",
                            placeholder=t("instructions_ui.placeholder"),
                            max_chars=write.TEXT_MAX, height=80)
        if st.form_submit_button(t("instructions_ui.give"), type="primary"):
            with saving(form, "instructions_ui.given_saved", then=lambda: next_round(rounds)):
                context.run(write.give, actor=actor, kind=kind, target_id=target_id,
                            text=text, client_key=client_key)
