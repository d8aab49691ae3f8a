"""A unit's plan for moving into the service hall, on its start page: shown once the office
has asked for it (or the unit started one); the office's comments when it came back."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.campaign import hall_plans
from ui import context
from ui.context import t
from ui.feedback import saving
from ui.text import plain
from ui.widgets import seen_version


def hall_section(actor: User) -> None:
    plan = context.query(hall_plans.mine, actor=actor)
    if plan is None:
        return
    label = t("hall_ui.mine", status=t(f"hall_plan_status.{plan.status}"))
    with st.expander(label, expanded=plan.status in ("required", "returned")):
        if plan.office_comment:
            (st.warning if plan.status == "returned" else st.info)(
                t("hall_ui.comment", text=plain(plan.office_comment)))
        if plan.status in ("submitted", "approved"):
            st.markdown(plain("；".join(plan.approval_items)))
            return
        form = f"hf_{plan.unit_id}"
        version = seen_version(form, plan.version)
        with st.form(form):
            items = st.text_area(t("field.hall_items"), key=f"{form}_items",
                                 value="\n".join(plan.approval_items),
                                 help=t("hall_ui.items_help"), height=150)
            rules = st.text_area(t("field.hall_rules"), key=f"{form}_rules", value=plan.rules)
            staffing = st.text_input(t("field.hall_staffing"), key=f"{form}_staffing",
                                     value=plan.staffing)
            left, right = st.columns(2)
            draft = left.form_submit_button(t("work_report.save_draft"))
            submit = right.form_submit_button(t("hall_ui.submit"), type="primary")
        if draft or submit:
            with saving(form, "hall_ui.submitted" if submit else "work_report.draft_saved"):
                context.run(hall_plans.save_plan, actor=actor,
                            approval_items=items.splitlines(), rules=rules, staffing=staffing,
                            submit=submit, version=version)
