"""领导批示: the instructions a user may read. The office marks an open one handled, with a
note on what it did (saved against the version it saw: a stale form reloads with a
message); a leader may look at only its own; a unit's liaison reads those about its unit."""

from __future__ import annotations

import re

import streamlit as st

from db.models import User
from services.core.permissions import can
from services.instructions import queries, write
from services.instructions.queries import InstructionRow
from ui import context
from ui.context import t
from ui.feedback import saving
from ui.page import page
from ui.widgets import seen_version
from views.instructions.common import show

KEY = "in"
TYPED = re.compile(rf"{KEY}_h(\d+)_note")
FILTERS = ("open", "handled", "all")


@page("instructions", title="nav.instructions")
def render(actor: User) -> None:
    wanted = st.query_params.get("status")
    status = st.segmented_control(
        t("instructions_ui.filter"), FILTERS, key=f"{KEY}_status",
        default=wanted if wanted in FILTERS else "open",
        format_func=lambda s: t("common.all") if s == "all" else t(f"instruction_status.{s}"))
    status = status or "all"
    if st.query_params.get("status") != status:
        st.query_params["status"] = status
    mine = can(actor, "instruction.give") and st.toggle(t("instructions_ui.mine"),
                                                        key=f"{KEY}_mine")
    # A note being typed keeps its instruction (and form) on the list even when someone
    # else handles it meanwhile: saving then says so and reloads, instead of dropping it.
    typed = {int(m[1]) for k, v in st.session_state.items()
             if v and (m := TYPED.fullmatch(str(k)))}
    rows = context.query(queries.list_instructions, actor=actor,
                         status=None if status == "all" else status, mine=mine, keep=typed)
    if not rows:
        st.info(t("instructions_ui.none"))
        return
    for row in rows:
        with st.container(border=True):
            show(row, actor)
            if (row.open or row.id in typed) and can(actor, "instruction.handle"):
                _handle_form(actor, row)


def _handle_form(actor: User, row: InstructionRow) -> None:
    form = f"{KEY}_h{row.id}"
    version = seen_version(form, row.version)
    with st.expander(t("instructions_ui.mark_handled")), st.form(form):
        note = st.text_area(t("field.instruction_note"), key=f"{form}_note",
                            max_chars=write.NOTE_MAX, height=70)
        if st.form_submit_button(t("instructions_ui.mark_handled"), type="primary"):
            with saving(form, "instructions_ui.handled_saved"):
                context.run(write.handle, actor=actor, instruction_id=row.id, note=note,
                            version=version)
