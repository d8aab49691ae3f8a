"""The open instructions about a unit, at the top of its liaison's start page."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.core.permissions import can
from services.instructions import queries
from ui import context
from ui.context import t
from views.instructions.common import show

SHOWN = 5


def open_instructions(actor: User) -> None:
    if not can(actor, "instruction.view"):
        return
    count = context.query(queries.count_open, actor=actor)
    if not count:
        return
    st.warning(t("instructions_ui.unit_banner", n=count))
    rows = context.query(queries.list_instructions, actor=actor, status=queries.OPEN,
                         limit=SHOWN)
    for row in rows:
        with st.container(border=True):
            show(row, actor)
    if count > SHOWN:
        st.caption(t("instructions_ui.more", n=count - SHOWN))
