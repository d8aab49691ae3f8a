"""What the office can start from a complaint about a unit: a finding the unit must rectify
(with the complaint linked), or a focused supervision (重点督察) of the unit by inspectors."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from db.models import InspectionKind, Severity, User
from services.complaints import lifecycle
from services.complaints.queries import ComplaintDetail
from services.core import clock
from services.core.permissions import can
from services.fieldwork import checklists, plans
from services.fieldwork.visits import CATEGORIES
from services.findings import from_complaint
from services.findings.review import default_deadline
from ui import context
from ui.context import t
from ui.feedback import saving


def follow_through(actor: User, detail: ComplaintDetail, key: str) -> None:
    opened = context.query(from_complaint.finding_of, actor=actor, complaint_id=detail.row.id)
    # One finding per complaint (its line is on the card); none for a copy or while no unit
    # has the complaint.
    with_unit = detail.row.status not in (lifecycle.RECEIVED, lifecycle.RETURNED)
    if (can(actor, "finding.review") and opened is None and with_unit
            and not detail.row.duplicate_of_id):
        _finding(actor, detail, key)
    if can(actor, "plan.manage"):
        _plan(actor, detail, key)


def _finding(actor: User, detail: ComplaintDetail, key: str) -> None:
    row = detail.row
    with st.expander(t("complaints_ui.open_finding")), st.form(f"{key}_finding"):
        category = st.selectbox(t("field.category"), CATEGORIES, key=f"{key}_f_category",
                                format_func=lambda c: t(f"category.{c}"))
        severity = st.segmented_control(t("field.severity"), list(Severity),
                                        default=Severity.GENERAL, key=f"{key}_f_severity",
                                        format_func=lambda v: t(f"severity.{v}"))
        description = st.text_area(t("field.description"), value=row.content,
                                   key=f"{key}_f_text", max_chars=4000)
        deadline = st.date_input(t("field.deadline"), value=None, min_value=clock.today(),
                                 key=f"{key}_f_deadline",
                                 # Inside a form the help is not redrawn when the severity
                                 # changes: it names the default of each.
                                 help=t("complaints_ui.finding_deadline_help",
                                        default=" · ".join(
                                            f"{t(f'severity.{v}')} {default_deadline(v)}"
                                            for v in Severity)))
        if st.form_submit_button(t("complaints_ui.open_finding_save")):
            with saving(f"{key}_f", "complaints_ui.finding_opened"):
                context.run(from_complaint.open_from_complaint, actor=actor,
                            complaint_id=row.id, category=category,
                            severity=severity or Severity.GENERAL, description=description,
                            deadline=deadline)


def _plan(actor: User, detail: ComplaintDetail, key: str) -> None:
    """重点督察: an unannounced look at the unit complained about, by chosen inspectors."""
    templates = {tpl.id: tpl.name for tpl in context.query(
        checklists.list_templates, actor=actor, active_only=True)}
    inspectors = dict(context.query(plans.list_inspectors, actor=actor))
    with st.expander(t("complaints_ui.plan_focused")), st.form(f"{key}_plan"):
        today = clock.today()
        window = st.date_input(t("field.window"), value=(today, today + timedelta(days=7)),
                               key=f"{key}_window")
        template_id = st.selectbox(t("field.template"), list(templates), key=f"{key}_tpl",
                                   format_func=templates.get)
        chosen = st.multiselect(t("field.inspectors"), list(inspectors), key=f"{key}_insp",
                                placeholder=t("common.choose_many"),
                                format_func=inspectors.get)
        if st.form_submit_button(t("complaints_ui.plan_save")):
            start, end = (tuple(window) + (None, None))[:2]
            with saving(f"{key}_plan", "complaints_ui.planned"):
                context.run(plans.save_plan, actor=actor, unit_id=detail.row.unit_id,
                            kind=InspectionKind.FOCUSED, window_start=start,
                            window_end=end or start, template_id=template_id,
                            inspector_ids=chosen, complaint_id=detail.row.id,
                            note=t("complaints_ui.plan_note", number=detail.row.id))
