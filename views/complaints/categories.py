"""投诉类别: the office keeps the list of categories and the days a unit has to answer
each. A category in use is retired, never deleted."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.complaints import register as complaints
from ui import context
from ui.context import t
from ui.feedback import saving
from ui.page import page
from ui.widgets import seen_version


@page("complaint_categories", title="nav.complaint_categories")
def render(actor: User) -> None:
    for category in context.query(complaints.list_categories, actor=actor,
                                  include_inactive=True):
        key = f"cc_{category.id}"
        version = seen_version(key, category.version)
        with st.form(key):
            a, b, c, d = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
            name = a.text_input(t("field.category_name"), value=category.name,
                                key=f"{key}_name")
            days = b.number_input(t("field.deadline_days"), min_value=1, max_value=365,
                                  value=category.deadline_days, key=f"{key}_days")
            active = c.checkbox(t("field.active"), value=category.active, key=f"{key}_active")
            if d.form_submit_button(t("common.save")):
                with saving(key):
                    context.run(complaints.update_category, actor=actor,
                                category_id=category.id, version=version, name=name,
                                deadline_days=int(days), active=active)
    with st.form("cc_new"):
        st.markdown(f"**{t('complaints_ui.new_category')}**")
        a, b, c = st.columns([3, 1, 1], vertical_alignment="bottom")
        name = a.text_input(t("field.category_name"), key="cc_new_name")
        days = b.number_input(t("field.deadline_days"), min_value=1, max_value=365, value=15,
                              key="cc_new_days")
        if c.form_submit_button(t("common.add")):
            with saving("cc_new"):
                context.run(complaints.create_category, actor=actor, name=name,
                            deadline_days=int(days))
