"""The register's bulk actions on the picked rows: for now, add them to a notice (加入通报).
Each action is its own small form; the services check capability and scope for every finding
named."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.findings import register
from ui.context import t
from views.notices import mark


def render(actor: User, picked: list[register.RegisterRow]) -> None:
    if not picked:
        st.caption(t("register_ui.pick_hint"))
        return
    st.caption(t("register_ui.picked_n", n=len(picked)))
    with st.expander(t("register_ui.action_notice"), icon=":material/campaign:"):
        mark.render(actor, [(row.id, row.status) for row in picked])
