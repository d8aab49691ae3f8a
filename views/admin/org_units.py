"""The units tab of the organisation page: search, list, add, edit, deactivate."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.org import structure as org
from ui import context
from ui.context import t
from ui.feedback import saving
from ui.widgets import optional_select, seen_version


def render_units(actor) -> None:
    search = st.text_input(t("org.search_units"), key="unit_search")
    rows = context.query(org.list_units, actor=actor, search=search)
    st.dataframe(
        pd.DataFrame(
            {
                t("field.name"): [r.name for r in rows],
                t("field.district"): [r.district or t("org.city_level") for r in rows],
                t("field.industry"): [r.industry or "" for r in rows],
                t("field.supervisor"): [r.supervisor or "" for r in rows],
                t("field.first_responsible"): [r.first_responsible for r in rows],
                t("field.active"): [r.active for r in rows],
            }
        ),
        hide_index=True,
    )
    districts = {d.id: d.name for d in context.query(org.list_districts, actor=actor)}
    industries = {i.id: i.name for i in context.query(org.list_industries, actor=actor)}
    all_units = {u.id: u.name for u in context.query(org.list_units, actor=actor)}

    with st.expander(t("org.add_unit")):
        _unit_form(actor, "ua", None, districts, industries, all_units)
    if rows:
        by_id = {r.id: r for r in rows}
        pick = st.selectbox(
            t("org.edit_unit"), list(by_id), key="ue_pick", format_func=lambda i: by_id[i].name
        )
        row = by_id[pick]
        _unit_form(
            actor,
            f"ue_{row.id}",
            row,
            districts,
            industries,
            {i: n for i, n in all_units.items() if i != row.id},
        )
        label = t("common.deactivate") if row.active else t("common.reactivate")
        if st.button(label, key=f"ue_{row.id}_{row.version}_toggle"):
            with saving(f"ue_{row.id}"):
                context.run(org.set_unit_active, actor=actor, unit_id=row.id, active=not row.active
                )


def _unit_form(actor, k: str, row: org.UnitRow | None, districts, industries, units) -> None:
    version = seen_version(k, row.version) if row else None
    with st.form(f"{k}_form", clear_on_submit=row is None):
        name = st.text_input(t("field.name"), value=row.name if row else "", key=f"{k}_name")
        district = optional_select(
            t("field.district"),
            districts,
            row.district_id if row else None,
            key=f"{k}_district",
            none_label=t("org.city_level"),
        )
        industry = optional_select(
            t("field.industry"),
            industries,
            row.industry_id if row else None,
            key=f"{k}_industry",
            none_label=t("common.none"),
        )
        supervisor = optional_select(
            t("field.supervisor"),
            units,
            row.supervisor_id if row else None,
            key=f"{k}_supervisor",
            none_label=t("common.none"),
        )
        responsible = st.text_input(
            t("field.first_responsible"),
            value=row.first_responsible if row else "",
            key=f"{k}_resp",
        )
        if not st.form_submit_button(t("common.save") if row else t("common.add"), type="primary"):
            return
    with saving(k):
        fields = dict(
            name=name,
            district_id=district,
            industry_id=industry,
            supervisor_id=supervisor,
            first_responsible=responsible,
        )
        if row is None:
            context.run(org.create_unit, actor=actor, **fields)
        else:
            context.run(org.update_unit, actor=actor, unit_id=row.id, version=version, **fields
            )
