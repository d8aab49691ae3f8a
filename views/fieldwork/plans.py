"""Unannounced-visit plans (暗访计划): the office plans which unit is visited, when, with
which checklist and by which inspectors; a planned visit can be edited or cancelled."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from db.models import User
from services.core import clock
from services.fieldwork import checklists
from services.fieldwork import plans as visit_plans
from services.org import structure as org
from ui import context
from ui.context import t
from ui.feedback import saving
from ui.page import page
from ui.text import plain
from ui.widgets import seen_version

NEW = "plan_new_"  # key prefix of the "new plan" form (forgotten after a save)
FILTERS = ("all", visit_plans.PLANNED, visit_plans.DONE, visit_plans.CANCELLED)
DEFAULT_KIND = "unannounced"
DEFAULT_DAYS = 7


@page("visit_plans", title="plan.title", tablet=True)
def render(actor: User) -> None:
    st.caption(t("plan.confidential"))

    plans = context.query(visit_plans.list_plans, actor=actor)
    inspectors = _inspector_choices(actor)
    templates = {
        tv.id: tv.name for tv in context.query(
            checklists.list_templates, actor=actor, active_only=True)
    }

    _plan_list(plans)
    with st.expander(t("plan.create"), expanded=not plans):
        _create_form(actor, templates, inspectors)
    planned = [p for p in plans if p.status == visit_plans.PLANNED]
    if planned:
        st.subheader(t("plan.edit"))
        _edit(actor, planned, templates, inspectors)


def _inspector_choices(actor) -> dict[int, str]:
    """Active inspectors a plan can be assigned to (id -> name)."""
    return dict(context.query(visit_plans.list_inspectors, actor=actor))


def _today() -> date:
    return clock.today()


def _join(names) -> str:
    return ("、" if context.language() == "zh-CN" else ", ").join(names)


def _kind_label(kind: str) -> str:
    return t("kind_inspection." + kind)


# --- list -----------------------------------------------------------------------------------


def _plan_list(plans: list[visit_plans.PlanRow]) -> None:
    status = st.segmented_control(
        t("plan.filter"), FILTERS, default="all", key="plan_filter",
        format_func=lambda s: t("common.all") if s == "all" else t("plan_status." + s),
    ) or "all"
    shown = [p for p in plans if status == "all" or p.status == status]
    if not shown:
        st.info(t("plan.none"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                "unit": [p.unit for p in shown],
                "kind": [_kind_label(p.kind) for p in shown],
                "start": [p.window_start for p in shown],
                "end": [p.window_end for p in shown],
                "template": [p.template for p in shown],
                "inspectors": [_join(p.inspector_names) for p in shown],
                "status": [t("plan_status." + p.status) for p in shown],
                "note": [p.note for p in shown],
            }
        ),
        hide_index=True,
        key="plan_table",
        column_config={
            "unit": st.column_config.TextColumn(t("review.unit")),
            "kind": st.column_config.TextColumn(t("review.kind")),
            "start": st.column_config.DateColumn(t("plan.window_start"), format="YYYY-MM-DD"),
            "end": st.column_config.DateColumn(t("plan.window_end"), format="YYYY-MM-DD"),
            "template": st.column_config.TextColumn(t("field.template")),
            "inspectors": st.column_config.TextColumn(t("field.inspectors")),
            "status": st.column_config.TextColumn(t("plan.status")),
            "note": st.column_config.TextColumn(t("field.note")),
        },
    )


# --- create ---------------------------------------------------------------------------------


def _create_form(actor, templates: dict[int, str], inspectors: dict[int, str]) -> None:
    if not templates:
        st.warning(t("plan.no_templates"))
        return
    search = st.text_input(t("plan.unit_search"), key=f"{NEW}search",
                           placeholder=t("plan.unit_search_hint"))
    units = {
        u.id: u.name
        for u in context.query(org.list_units, actor=actor, include_inactive=False,
                                search=search)
    }
    if not units:
        st.caption(t("plan.no_units"))
    with st.form(f"{NEW}form"):
        values = _fields(NEW, units, templates, inspectors, None)
        submitted = st.form_submit_button(t("plan.create"), type="primary", width="stretch")
    if submitted:
        _save(actor, NEW, values, success_key="plan.created")


def _fields(k: str, units, templates, inspectors, plan: visit_plans.PlanRow | None) -> dict:
    """The plan's fields; `plan` None for a new one. Returns the entered values."""
    unit_ids = list(units)
    unit_id = st.selectbox(
        t("review.unit"), unit_ids, key=f"{k}unit", format_func=units.__getitem__,
        index=_index(unit_ids, plan.unit_id if plan else None),
        placeholder=t("plan.pick_unit"),
    )
    kind = st.segmented_control(
        t("review.kind"), visit_plans.KINDS, key=f"{k}kind", format_func=_kind_label,
        default=plan.kind if plan else DEFAULT_KIND,
    )
    today = _today()
    left, right = st.columns(2)
    start = left.date_input(t("plan.window_start"), key=f"{k}start",
                            value=plan.window_start if plan else today)
    end = right.date_input(t("plan.window_end"), key=f"{k}end",
                           value=plan.window_end if plan else today + timedelta(DEFAULT_DAYS))
    template_ids = list(templates)
    template_id = st.selectbox(
        t("field.template"), template_ids, key=f"{k}template", format_func=templates.get,
        index=_index(template_ids, plan.template_id if plan else None),
    )
    chosen = st.multiselect(
        t("field.inspectors"), list(inspectors), key=f"{k}inspectors",
        format_func=inspectors.get,
        default=[i for i in plan.inspector_ids if i in inspectors] if plan else [],
        placeholder=t("plan.pick_inspectors"),
    )
    note = st.text_area(t("field.note"), key=f"{k}note", value=plan.note if plan else "",
                        max_chars=500)
    return {
        "unit_id": unit_id, "kind": kind or DEFAULT_KIND, "window_start": start,
        "window_end": end, "template_id": template_id, "inspector_ids": chosen, "note": note,
    }


def _index(ids: list[int], current: int | None) -> int | None:
    if not ids:
        return None
    return ids.index(current) if current in ids else 0


def _save(actor, k: str, values: dict, *, success_key: str, plan_id: int | None = None,
          version: int | None = None) -> None:
    if values["unit_id"] is None:
        st.error(t("inspection.unit_required"))
        return
    if values["template_id"] is None:
        st.error(t("plan.template_missing"))
        return
    with saving(k, success_key):
        context.run(visit_plans.save_plan, actor=actor, plan_id=plan_id, version=version,
                              **values)


# --- edit and cancel ------------------------------------------------------------------------


def _edit(actor, planned: list[visit_plans.PlanRow], templates, inspectors) -> None:
    by_id = {p.id: p for p in planned}
    pick = st.selectbox(
        t("plan.pick"), list(by_id), key="plan_pick",
        format_func=lambda i: f"{by_id[i].unit} · {_kind_label(by_id[i].kind)} · "
                              f"{by_id[i].window_start} ~ {by_id[i].window_end}",
    )
    plan = by_id[pick]
    k = f"plan_e{plan.id}_"
    version = seen_version(k, plan.version)
    units = {
        u.id: u.name
        for u in context.query(org.list_units, actor=actor, include_inactive=False)
    }
    units.setdefault(plan.unit_id, plan.unit)  # a unit deactivated since: shown, refused on save
    templates = {**templates}
    templates.setdefault(plan.template_id, plan.template)
    with st.form(f"{k}form"):
        values = _fields(k, units, templates, inspectors, plan)
        saved = st.form_submit_button(t("common.save"), type="primary", width="stretch")
    if saved:
        _save(actor, k, values, success_key="common.saved", plan_id=plan.id, version=version)

    with st.popover(t("plan.cancel"), width="stretch", key=f"{k}cancel_pop"):
        st.write(t("plan.cancel_confirm", unit=plain(plan.unit)))
        if st.button(t("plan.cancel"), key=f"{k}cancel", type="primary", width="stretch"):
            with saving(k, "plan.cancelled"):
                context.run(visit_plans.cancel_plan, actor=actor, plan_id=plan.id, version=version
                )

