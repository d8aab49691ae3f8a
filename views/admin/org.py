"""Administration of the organisation: places (tree), industries, units, unit import."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.imports import units as unit_import
from services.org import structure as org
from ui import context
from ui.context import t
from ui.feedback import message_text, saving
from ui.widgets import optional_select, seen_version

INDENT = "\u3000\u3000"  # full-width spaces indent the tree in a table cell


def render() -> None:
    actor = context.current_user()
    st.title(t("org.title"))
    context.show_flash()
    places, industries, units, importer = st.tabs(
        [t("org.tab_places"), t("org.tab_industries"), t("org.tab_units"), t("org.tab_import")]
    )
    with places:
        _places(actor)
    with industries:
        _industries(actor)
    with units:
        _units(actor)
    with importer:
        _import(actor)


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
        if st.form_submit_button(t("common.save"), type="primary"):
            with saving(k):
                context.run(org.update_district,
                    actor=actor,
                    district_id=row.id,
                    version=version,
                    name=name,
                    parent_id=parent,
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


# --- units ----------------------------------------------------------------------------


def _units(actor) -> None:
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


# --- import ---------------------------------------------------------------------------


def _import(actor) -> None:
    st.caption(t("import.help"))
    upload = st.file_uploader(t("import.file"), type=["csv", "xlsx"], key="unit_import_file")
    if upload is None:
        return
    content = upload.getvalue()
    # The preview is the import itself, rolled back: it cannot promise what the import won't do.
    preview = context.uow().dry_run(
        unit_import.import_units, actor=actor, filename=upload.name, content=content
    )
    if _show_report(preview):
        return
    if preview.valid == 0:
        return
    if st.button(t("import.confirm", count=preview.valid), type="primary", key="unit_import_go"):
        bar = st.progress(0.0, text=t("import.progress"))
        done = context.run(
            unit_import.import_units,
            actor=actor,
            filename=upload.name,
            content=content,
            progress=lambda i, n: bar.progress(i / max(n, 1), text=t("import.progress")),
        )
        st.success(t("import.done", created=done.created, skipped=done.invalid))


def _show_report(report: unit_import.ImportReport) -> bool:
    """Shows file problems or the per-row preview; True when the file could not be read."""
    for issue in report.file_issues:
        st.error(message_text(issue.key, issue.params))
    if report.file_issues:
        return True
    st.write(
        t("import.summary", valid=report.valid, invalid=report.invalid, empty=report.skipped_empty)
    )
    st.dataframe(
        pd.DataFrame(
            {
                t("import.line"): [r.line for r in report.rows],
                t("field.name"): [r.values["name"] for r in report.rows],
                t("field.district"): [r.values["district"] for r in report.rows],
                t("field.industry"): [r.values["industry"] for r in report.rows],
                t("field.supervisor"): [r.values["supervisor"] for r in report.rows],
                t("field.first_responsible"): [r.values["first_responsible"] for r in report.rows],
                t("import.result"): [_row_result(r) for r in report.rows],
            }
        ),
        hide_index=True,
    )
    return False


def _row_result(row: unit_import.ImportRow) -> str:
    if row.ok:
        return "✅"
    # A data frame cell is not Markdown: the names in the message stay as typed.
    return "❌ " + "；".join(message_text(i.key, i.params, markdown=False) for i in row.issues)

