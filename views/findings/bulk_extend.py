"""延期: the office moves the rectification deadline of the picked findings to a later day,
with a reason that is logged per finding. All or nothing (services/findings/deadlines.py)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import streamlit as st

from db.models import User
from services.core import clock
from services.core.permissions import can
from services.findings import deadlines, register
from ui import context
from ui.context import local_time, t
from ui.feedback import reported
from ui.text import plain
from ui.widgets import forget_form, next_round, round_of

KEY = "fr_extend"
ROUNDS = f"{KEY}_round"


def render(actor: User, picked: list[register.RegisterRow]) -> None:
    if not can(actor, "finding.review"):
        return
    with st.expander(t("bulk_ui.extend"), icon=":material/event_upcoming:"):
        if len(picked) == 1:
            _history(actor, picked[0].id)
        # A new round of keys after each extension: the form starts empty and the next
        # request gets a client key of its own; until then a double click sends the same.
        form = f"{KEY}_r{round_of(ROUNDS)}"
        client_key = st.session_state.setdefault(f"{form}_client_key", uuid.uuid4().hex)
        with st.form(form):
            day = st.date_input(t("bulk_ui.new_deadline"), key=f"{form}_date",
                                value=clock.today() + timedelta(days=7))
            reason = st.text_area(t("bulk_ui.reason"), key=f"{form}_reason", height=80,
                                  max_chars=deadlines.REASON_MAX)
            sent = st.form_submit_button(t("bulk_ui.extend_submit", n=len(picked)),
                                         type="primary")
        if not sent:
            return
        if day is None:
            st.error(t("error.required", field=t("bulk_ui.new_deadline")))
            return
        with reported():
            done = context.run(deadlines.extend_deadlines, actor=actor,
                               finding_ids=[r.id for r in picked], new_deadline=day,
                               reason=reason, client_key=client_key)
            forget_form(form)
            next_round(ROUNDS)
            context.flash("success", "bulk_ui.extended", n=len(done), date=day)
            st.rerun()


def _history(actor: User, finding_id: int) -> None:
    rows = context.query(deadlines.deadline_history, actor=actor, finding_id=finding_id)
    if not rows:
        return
    st.caption(t("bulk_ui.history", id=finding_id))
    for row in rows:
        st.caption(t("bulk_ui.history_line", when=local_time(row.at), who=plain(row.actor),
                     frm=row.from_deadline.isoformat() if row.from_deadline else "—",
                     to=row.to_deadline.isoformat(), reason=plain(row.reason)))
