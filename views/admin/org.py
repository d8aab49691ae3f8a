"""Administration of the organisation: places (tree), industries; the units and the unit
import are tabs of their own modules (org_units, org_import)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from db.models import User
from services.org import structure as org
from ui import context
from ui.context import t
from ui.feedback import saving
from ui.page import page
from ui.widgets import optional_select, seen_version
from views.admin import org_import, org_units

INDENT = "\u3000\u3000"  # full-width spaces indent the tree in a table cell


@page("admin_org", title="org.title")
def render(actor: User) -> None:
    places, industries, units, importer = st.tabs(
        [t("org.tab_places"), t("org.tab_industries"), t("org.tab_units"), t("org.tab_import")]
    )
    with places:
        _places(actor)
    with industries:
        _industries(actor)
    with units:
        org_units.render_units(actor)
    with importer:
        org_import.render_import(actor)


# --- places ---------------------------------------------------------------------------


def _places(actor) -> None:
    rows = context.query(org.list_districts, actor=actor)
    st.dataframe(
        pd.DataFrame(
            {
                t("field.name"): [INDENT * r.depth + r.name for r in rows],
                t("field.kind"): [t("kind." + r.kind) for r in rows],
                t("field.active"): [r.active for r in rows],
            }
        ),
        hide_index=True,
    )
    names = {r.id: r.name for r in rows}
    with st.expander(t("org.add_place")), st.form("place_add", clear_on_submit=True):
        name = st.text_input(t("field.name"), key="pa_name")
        kind = st.selectbox(
            t("field.kind"), org.PLACE_KINDS, key="pa_kind", format_func=lambda k: t("kind." + k)
        )
        parent = optional_select(
            t("field.parent"), names, None, key="pa_parent", none_label=t("org.city_level")
        )
        if st.form_submit_button(t("common.add"), type="primary"):
            with saving("pa"):
                context.run(org.create_district, actor=actor, name=name, kind=kind, parent_id=parent
                )

    if not rows:
        return
    by_id = {r.id: r for r in rows}
    pick = st.selectbox(
        t("org.edit_place"),
        list(by_id),
        key="pe_pick",
        format_func=lambda i: INDENT * by_id[i].depth + by_id[i].name,
    )
    row = by_id[pick]
    k = f"pe_{row.id}"
    version = seen_version(k, row.version)
    with st.form(f"{k}_form"):
        name = st.text_input(t("field.name"), value=row.name, key=f"{k}_name")
        parent = optional_select(
            t("field.parent"),
            {i: n for i, n in names.items() if i != row.id},
            row.parent_id,
            key=f"{k}_parent",
            none_label=t("org.city_level"),
        )
        population = st.number_input(t("field.population"), value=row.population,
                                     min_value=1, step=1000, key=f"{k}_population",
                                     placeholder=t("org.population_unset"),
                                     help=t("org.population_help"))
        if st.form_submit_button(t("common.save"), type="primary"):
            with saving(k):
                context.run(org.update_district,
                    actor=actor,
                    district_id=row.id,
                    version=version,
                    name=name,
                    parent_id=parent,
                    population=int(population) if population else None,
                )

    label = t("common.deactivate") if row.active else t("common.reactivate")
    if st.button(label, key=f"{k}_toggle"):
        with saving(k):
            context.run(
                org.set_district_active, actor=actor, district_id=row.id, active=not row.active
            )


# --- industries -----------------------------------------------------------------------


def _industries(actor) -> None:
    rows = context.query(org.list_industries, actor=actor)
    st.dataframe(
        pd.DataFrame(
            {t("field.name"): [r.name for r in rows], t("field.active"): [r.active for r in rows]}
        ),
        hide_index=True,
    )
    with st.form("industry_add", clear_on_submit=True):
        name = st.text_input(t("org.new_industry"), key="ia_name")
        if st.form_submit_button(t("common.add"), type="primary"):
            with saving("ia"):
                context.run(org.create_industry, actor=actor, name=name)

    if not rows:
        return
    by_id = {r.id: r for r in rows}
    pick = st.selectbox(
        t("org.edit_industry"), list(by_id), key="ie_pick", format_func=lambda i: by_id[i].name
    )
    row = by_id[pick]
    k = f"ie_{row.id}"
    version = seen_version(k, row.version)
    with st.form(f"{k}_form"):
        name = st.text_input(t("field.name"), value=row.name, key=f"{k}_name")
        active = st.checkbox(t("field.active"), value=row.active, key=f"{k}_active")
        if st.form_submit_button(t("common.save"), type="primary"):
            with saving(k):
                context.run(org.update_industry,
                    actor=actor,
                    industry_id=row.id,
                    version=version,
                    name=name,
                    active=active,
                )
