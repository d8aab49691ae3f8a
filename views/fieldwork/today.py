"""The inspector's "Today": assigned unannounced-visit plans, drafts, an unplanned visit."""

from __future__ import annotations

import uuid

import streamlit as st

from db.models import User
from services.core import clock
from services.fieldwork import checklists, picker, visit_view
from services.fieldwork import plans as visit_plans
from services.fieldwork import visits as inspections
from ui import context
from ui.context import local_time, t
from ui.feedback import reported
from ui.links import go
from ui.page import page
from ui.text import plain

NEW_VISIT_KEY = "today_new_visit_key"


@page("inspect_today", title="today.title", tablet=True)
def render(actor: User) -> None:
    _plans(actor)
    _drafts(actor)
    _unplanned(actor)


def _plans(actor) -> None:
    st.subheader(t("today.plans"))
    plans = context.query(visit_plans.list_plans, actor=actor, status=visit_plans.PLANNED)
    if not plans:
        st.caption(t("today.no_plans"))
    for plan in plans:
        with st.container(border=True):
            st.markdown(f"**{plain(plan.unit)}** · {t('kind_inspection.' + plan.kind)}")
            st.caption(t("today.plan_window", start=plan.window_start, end=plan.window_end,
                         template=plain(plan.template)))
            if plan.window_end < clock.today():
                st.warning(t("today.plan_late", end=plan.window_end))
            if plan.note:
                st.caption(plain(plan.note))
            if st.button(t("today.start_plan"), key=f"today_plan_{plan.id}", type="primary",
                         width="stretch"):
                with reported():
                    # One key per plan and inspector: a second tap opens the same draft.
                    insp = context.run(
                        inspections.start_visit, actor=actor,
                        client_key=f"plan-{plan.id}-{actor.id}",
                        plan_id=plan.id,
                    )
                    go("inspect_visit", visit=insp.id)


def _drafts(actor) -> None:
    st.subheader(t("today.drafts"))
    drafts = context.query(visit_view.list_drafts, actor=actor)
    if not drafts:
        st.caption(t("today.no_drafts"))
    for d in drafts:
        with st.container(border=True):
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.markdown(f"**{plain(d.unit)}** · {t('kind_inspection.' + d.kind)}")
            saved = local_time(d.updated_at, "%m-%d %H:%M")
            left.caption(t("today.draft_saved", when=saved, findings=d.findings))
            if right.button(t("today.continue"), key=f"today_draft_{d.id}", width="stretch"):
                go("inspect_visit", visit=d.id)


def _unplanned(actor) -> None:
    st.subheader(t("today.unplanned"))

    # Only units this inspector may visit (their district, or assigned by a plan).
    recent = context.query(picker.recent_units, actor=actor)
    query = st.text_input(t("today.unit_search"), key="today_unit_search",
                          placeholder=t("today.unit_search_hint"))
    units = dict(context.query(
        picker.units_to_visit, actor=actor, search=query)) if query.strip() else {}
    choices = {i: n for i, n in recent if not query.strip() or i in units} | units
    templates = {tv.id: tv.name for tv in context.query(checklists.list_templates, actor=actor,
                                                                     active_only=True)}
    if not choices:
        st.caption(t("today.type_unit"))
        return
    unit_id = st.selectbox(t("field.unit"), list(choices), format_func=choices.__getitem__,
                           key="today_unit")
    kind = st.segmented_control(
        t("field.kind"), list(visit_plans.KINDS), default="open", key="today_kind",
        format_func=lambda k: t("kind_inspection." + k),
    )
    if not templates:
        st.warning(t("today.no_templates"))
        return
    template_id = st.selectbox(t("field.template"), list(templates),
                               format_func=templates.__getitem__, key="today_template")
    # The key is made once and kept until the draft exists: a double tap or a retry after
    # a time-out starts one visit, not two.
    client_key = st.session_state.setdefault(NEW_VISIT_KEY, uuid.uuid4().hex)
    if st.button(t("today.start_unplanned"), key="today_start", type="primary", width="stretch"):
        with reported():
            insp = context.run(inspections.start_visit, actor=actor, client_key=client_key,
                                           unit_id=unit_id, kind=kind or "open",
                                           template_id=template_id)
            st.session_state.pop(NEW_VISIT_KEY, None)
            go("inspect_visit", visit=insp.id)


