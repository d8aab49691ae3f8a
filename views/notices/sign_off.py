"""On a leader's dashboard: how many notices wait for their sign-off (签发), with a button
to that list. A leader starts on the dashboard, and nothing else there says a notice waits."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.core.permissions import can
from services.notices import queries, rules
from ui import context, links
from ui.context import t


def awaiting_sign_off(actor: User) -> None:
    if not can(actor, "notice.sign"):
        return
    waiting = context.query(queries.count_by_status, actor=actor).get(rules.AWAITING, 0)
    if not waiting:
        return
    with st.container(border=True):
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.markdown(f"**{t('notices_ui.awaiting_you', n=waiting)}**")
        if button.button(t("notices_ui.open_awaiting"), key="dash_notices_awaiting",
                         icon=":material/approval:", type="primary", width="stretch"):
            links.go("notices", status=rules.AWAITING.value)
