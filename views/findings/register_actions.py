"""The register's bulk actions on the picked rows: extend the deadline with a reason, urge
the units (催办), add them to a notice. Each action is its own small module with its own
form, shown to whoever may take it; the services check capability and scope for every
finding named. A new action is one more entry in SECTIONS."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.findings import register
from ui.context import t
from views.findings import bulk_extend, bulk_urge
from views.notices import mark

SECTIONS = (bulk_extend.render, bulk_urge.render, mark.render)


def render(actor: User, picked: list[register.RegisterRow]) -> None:
    if not picked:
        st.caption(t("register_ui.pick_hint"))
        return
    st.caption(t("register_ui.picked_n", n=len(picked)))
    for section in SECTIONS:
        section(actor, picked)
