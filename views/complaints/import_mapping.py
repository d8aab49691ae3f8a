"""The column-mapping step of the hotline import: each field picks a column of the file
(guessed from the header, or a saved mapping loaded by name), the defaults for rows that leave
channel or category empty, and saving the result under a name for next month's file."""

from __future__ import annotations

import streamlit as st

from db.models import ComplaintChannel, User
from services.complaints import register as complaint_register
from services.core.errors import DomainError
from services.imports import mapping as mappings
from services.imports import saved_mappings
from ui import context
from ui.text import plain
from views.complaints.import_text import NONE, VALUES, say
from views.complaints.import_text import label as _t


def mapping_step(actor: User, header: list[str]) -> tuple[mappings.Mapping, str]:
    st.subheader(_t("step_mapping"))
    names = context.query(saved_mappings.list_mappings, actor=actor)
    saved = st.selectbox(_t("saved"), [NONE, *names], key="ci_saved",
                         format_func=lambda n: n or _t("guessed"))
    base = (context.query(saved_mappings.load_mapping, actor=actor, name=saved) if saved
            else mappings.guess(header))
    columns: dict[str, str] = {}
    grid = st.columns(3)
    for n, name in enumerate(mappings.FIELDS):
        label = _t(f"field.{name}")
        if name in mappings.REQUIRED:
            label = _t("required", field=label)
        options = [NONE, *header]
        current = base.columns.get(name, NONE)
        with grid[n % 3]:
            chosen = st.selectbox(label, options, key=f"ci_col_{saved}_{name}",
                                  index=options.index(current) if current in options else 0,
                                  format_func=lambda c: c or _t("not_mapped"))
        if chosen:
            columns[name] = chosen
    channels = [c.value for c in ComplaintChannel]
    categories = [c.name for c in context.query(complaint_register.list_categories,
                                                actor=actor)]
    left, middle, right = st.columns(3)
    default_channel = base.defaults.get("channel", mappings.DEFAULTS["channel"])
    default_category = base.defaults.get("category", mappings.DEFAULTS["category"])
    with left:
        source = st.text_input(_t("source"), value="12345", key="ci_source")
    with middle:
        channel = st.selectbox(_t("default_channel"), channels, key=f"ci_dch_{saved}",
                               index=_index(channels, default_channel),
                               format_func=lambda c: _t(f"channel.{c}"))
    with right:
        category = st.selectbox(_t("default_category"), [NONE, *categories],
                                key=f"ci_dcat_{saved}",
                                index=_index([NONE, *categories], default_category))
    values = {f: dict(v) for f, v in base.values.items()}
    for name, chosen in st.session_state.get(VALUES, {}).items():
        values.setdefault(name, {}).update(chosen)
    defaults = {"channel": channel} | ({"category": category} if category else {})
    mapping = mappings.Mapping(columns=columns, values=values, defaults=defaults)
    _save_step(actor, mapping)
    return mapping, source


def _save_step(actor: User, mapping: mappings.Mapping) -> None:
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        name = st.text_input(_t("save_name"), key="ci_map_name")
    with right:
        save = st.button(_t("save"), key="ci_save")
    if save:
        try:
            context.run(saved_mappings.save_mapping, actor=actor, name=name, mapping=mapping)
        except DomainError as err:
            st.error(say(err))
        else:
            st.success(_t("saved_ok", name=plain(name.strip())))



def _index(options: list[str], value: str) -> int:
    return options.index(value) if value in options else 0
