"""Checklist templates (检查表): the office and administrators keep the questions the
inspectors answer on a visit: sections, items, answer types, photo evidence on failure."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from db.models import User
from services.fieldwork import checklists
from ui import context
from ui.context import t
from ui.feedback import saving
from ui.page import page
from ui.text import plain
from ui.widgets import seen_version

PICK_KEY = "cl_pick"
NEXT_PICK_KEY = "cl_pick_next"  # the template to show after a save (set before the select box)
ROW_PX, MAX_EDITOR_PX = 35, 1200
COLUMNS = ("id", "position", "section", "text", "answer_type", "photo_required_on_fail")


@page("checklists", title="checklist.title", tablet=True)
def render(actor: User) -> None:
    templates = context.query(checklists.list_templates, actor=actor)
    _overview(templates)

    by_id = {tv.id: tv for tv in templates}
    if NEXT_PICK_KEY in st.session_state:
        st.session_state[PICK_KEY] = st.session_state.pop(NEXT_PICK_KEY)
    pick = st.selectbox(
        t("checklist.pick"), [*by_id, None], key=PICK_KEY,
        format_func=lambda i: t("checklist.new") if i is None else _label(by_id[i]),
    )
    _editor(actor, by_id.get(pick))


def _label(view: checklists.TemplateView) -> str:
    return view.name if view.active else f"{view.name}（{t('checklist.inactive')}）"


def _overview(templates: list[checklists.TemplateView]) -> None:
    if not templates:
        st.info(t("checklist.none"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                "name": [tv.name for tv in templates],
                "description": [tv.description for tv in templates],
                "sections": [len(tv.sections()) for tv in templates],
                "items": [len(tv.items) for tv in templates],
                "active": [tv.active for tv in templates],
            }
        ),
        hide_index=True,
        key="cl_table",
        column_config={
            "name": st.column_config.TextColumn(t("field.name")),
            "description": st.column_config.TextColumn(t("field.description_short")),
            "sections": st.column_config.NumberColumn(t("checklist.sections")),
            "items": st.column_config.NumberColumn(t("checklist.items")),
            "active": st.column_config.CheckboxColumn(t("field.active")),
        },
    )


# --- editor ---------------------------------------------------------------------------------


def _items_frame(view: checklists.TemplateView | None) -> pd.DataFrame:
    items = view.items if view else ()
    return pd.DataFrame(
        {
            "id": pd.Series([i.id for i in items], dtype="Int64"),
            "position": pd.Series(range(1, len(items) + 1), dtype="Int64"),
            "section": pd.Series([i.section for i in items], dtype="object"),
            "text": pd.Series([i.text for i in items], dtype="object"),
            "answer_type": pd.Series([i.answer_type for i in items], dtype="object"),
            "photo_required_on_fail": pd.Series(
                [bool(i.photo_required_on_fail) for i in items], dtype="bool"
            ),
        },
        columns=list(COLUMNS),
    )


def _column_config() -> dict:
    return {
        "id": None,  # hidden, kept: an existing item keeps its id (and its past answers)
        "position": st.column_config.NumberColumn(
            t("checklist.position"), help=t("checklist.position_help"), min_value=1, step=1,
            width="small",
        ),
        "section": st.column_config.TextColumn(
            t("field.section"), help=t("checklist.section_help"), max_chars=100,
        ),
        "text": st.column_config.TextColumn(t("field.item_text"), max_chars=300),
        "answer_type": st.column_config.SelectboxColumn(
            t("field.answer_type"), options=list(checklists.ANSWER_TYPES),
            format_func=lambda a: t("answer_type." + a), default="yes_no", required=True,
        ),
        "photo_required_on_fail": st.column_config.CheckboxColumn(
            t("checklist.photo_on_fail"), help=t("checklist.photo_on_fail_help"), default=False,
        ),
    }


def _editor(actor, view: checklists.TemplateView | None) -> None:
    k = f"cl_t{view.id}_" if view else "cl_new_"
    version = seen_version(k, view.version) if view else None
    st.subheader(t("checklist.edit", name=plain(view.name)) if view else t("checklist.new"))
    with st.form(f"{k}form"):
        name = st.text_input(t("field.name"), value=view.name if view else "", key=f"{k}name",
                             max_chars=100)
        description = st.text_area(t("field.description_short"),
                                   value=view.description if view else "", key=f"{k}desc",
                                   max_chars=500)
        active = st.checkbox(t("field.active"), value=view.active if view else True,
                             key=f"{k}active", help=t("checklist.active_help"))
        st.caption(t("checklist.editor_help"))
        frame = _items_frame(view)
        edited = st.data_editor(
            frame, key=f"{k}items", num_rows="dynamic", hide_index=True,
            column_config=_column_config(), width="stretch",
            height=min(ROW_PX * (len(frame) + 2) + 3, MAX_EDITOR_PX),  # all rows, no scrolling
        )
        submitted = st.form_submit_button(
            t("common.save") if view else t("checklist.create"), type="primary", width="stretch"
        )
    if not submitted:
        return
    with saving(k):
        saved = context.run(
            checklists.save_template, actor=actor, name=name, description=description,
            items=_item_specs(edited), active=active,
            template_id=view.id if view else None, version=version,
        )
        st.session_state[NEXT_PICK_KEY] = saved.id


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NA or (isinstance(value, str) and not value.strip())


def _item_specs(frame: pd.DataFrame) -> list[checklists.ItemSpec]:
    """The editor's rows as items, in the order of their numbers (new rows without a number
    stay where they were added). A row with no section takes the one above it; rows left
    completely empty are dropped."""
    rows = []
    for n, row in enumerate(frame.to_dict("records")):
        if _blank(row.get("section")) and _blank(row.get("text")):
            continue
        position = row.get("position")
        order = float("inf") if _blank(position) else float(position)
        rows.append((order, n, row))
    rows.sort(key=lambda r: (r[0], r[1]))
    specs, section = [], ""
    for _, _, row in rows:
        if not _blank(row.get("section")):
            section = str(row["section"]).strip()
        answer_type, photo, item_id = (
            row.get("answer_type"), row.get("photo_required_on_fail"), row.get("id")
        )
        specs.append(
            checklists.ItemSpec(
                section=section,
                text="" if _blank(row.get("text")) else str(row["text"]),
                answer_type="yes_no" if _blank(answer_type) else str(answer_type),
                photo_required_on_fail=False if _blank(photo) else bool(photo),
                id=None if _blank(item_id) else int(item_id),
            )
        )
    return specs

