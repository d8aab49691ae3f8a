"""问题台账: every finding the reader may see, from visits and from complaints, filtered (the
filters live in the URL), sorted and paged in the database. Picked rows take the bulk
actions (views/findings/register_actions.py); one picked row shows its first photo and where
it came from; the filtered rows export as XLSX or CSV (views/findings/register_export.py)."""

from __future__ import annotations

import base64

import pandas as pd
import streamlit as st

from db.models import User
from services.findings import register
from services.findings import register_export as export_service
from ui import context, paging, widgets
from ui.context import local_time, t
from ui.page import page
from ui.photo_views import thumbnails
from ui.text import plain
from views.findings import register_actions, register_export
from views.findings import register_filters as filters

LIST = "fr"
THUMBS = f"{LIST}_thumbs"
THUMBS_KEPT = 1000  # about 4 MB of small JPEGs in a session at most


@page("findings_register", title="nav.findings_register")
def render(actor: User) -> None:
    chosen = filters.widgets(actor)
    sort, descending = filters.sort_from_url()
    sort, descending = widgets.sort_picker(
        LIST, register.SORTS, sort, descending, label=t("register_ui.sort"),
        option=lambda k: t(f"register_ui.sort_{k}"), descending_label=t("register_ui.descending"))
    filters.to_url(chosen, sort, descending)
    # Counting stops past the cap: a reader with more matches narrows the filters.
    total = context.query(register.count_register, actor=actor, filters=chosen,
                          cap=register.COUNT_CAP)
    more = total > register.COUNT_CAP
    st.caption(t("register_ui.count_more", count=f"{register.COUNT_CAP:,}") if more
               else t("register_ui.count", n=total))
    if not total:
        st.info(t("register_ui.none"))
        return
    register_export.render(actor, chosen, sort, descending)
    offset = paging.offset(LIST, total, filters=(chosen, sort, descending))
    rows = context.query(register.list_register, actor=actor, filters=chosen, sort=sort,
                         descending=descending, offset=offset, limit=paging.PAGE_SIZE)
    picked = _table(rows, _thumbnails(actor, rows))
    paging.controls(LIST, total)
    if len(picked) == 1:
        _detail(picked[0])
    register_actions.render(actor, picked)


def _kind(row: register.RegisterRow) -> str:
    if row.visit_kind == register.FROM_COMPLAINT:
        return t("register_ui.from_complaint")
    return t(f"kind_inspection.{row.visit_kind}")


def _flags(row: register.RegisterRow) -> str:
    return " · ".join(t(f"register_ui.flag_{name}")
                      for name in ("overdue", "reopened") if getattr(row, name))


def _table(rows: list[register.RegisterRow],
           thumbs: dict[int, str | None]) -> list[register.RegisterRow]:
    frame = pd.DataFrame({
        "id": [r.id for r in rows],
        "thumb": [thumbs.get(r.id) for r in rows],
        "found": [local_time(r.found_at) for r in rows],
        "unit": [r.unit for r in rows],
        "district": [r.district or t("register_ui.city_level") for r in rows],
        "kind": [_kind(r) for r in rows],
        "category": [t(f"category.{r.category}") for r in rows],
        "severity": [t(f"severity.{r.severity}") for r in rows],
        "status": [t(f"finding_status.{r.status}") for r in rows],
        "deadline": [r.deadline.isoformat() if r.deadline else "—" for r in rows],
        "flags": [_flags(r) for r in rows],
        "photos": [r.photo_count for r in rows],
        "description": [r.description[:80] for r in rows],
    })
    config = {col: st.column_config.TextColumn(t(f"register_ui.col_{col}"))
              for col in frame.columns}
    config["id"] = st.column_config.NumberColumn(t("register_ui.col_id"), format="%d")
    config["photos"] = st.column_config.NumberColumn(t("register_ui.col_photos"))
    config["thumb"] = st.column_config.ImageColumn(t("register_ui.col_thumb"), width="small")
    event = st.dataframe(frame, hide_index=True, key=f"{LIST}_table", on_select="rerun",
                         selection_mode="multi-row", width="stretch", column_config=config)
    selected = event.selection.rows if event is not None else []
    # A selection kept from a longer page may name rows this page no longer has.
    return [rows[i] for i in selected if isinstance(i, int) and 0 <= i < len(rows)]


def _thumbnails(actor: User, rows: list[register.RegisterRow]) -> dict[int, str | None]:
    """Finding id -> its first photo as a data URI. A photo's thumbnail never changes, so
    the session keeps those made (for the photos of rows this reader was shown) and a rerun
    (a row ticked, the next page) makes only the new ones."""
    made = st.session_state.setdefault(THUMBS, {})
    new = [r for r in rows if r.thumbnail is not None and r.thumbnail.id not in made]
    if new:
        if len(made) + len(new) > THUMBS_KEPT:
            made.clear()
        got = context.query(export_service.list_thumbnails, actor=actor, rows=new)
        made.update({r.thumbnail.id: _data_uri(got.get(r.id)) for r in new})
    return {r.id: made.get(r.thumbnail.id) for r in rows if r.thumbnail is not None}


def _data_uri(jpeg: bytes | None) -> str | None:
    """A thumbnail inside the table's data (the grid shows an image URL or a data URI)."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode() if jpeg else None


def _detail(row: register.RegisterRow) -> None:
    """The picked finding: what was found, where, and its first photo."""
    with st.container(border=True):
        st.subheader(t("register_ui.picked", id=row.id, unit=plain(row.unit)))
        st.caption(" · ".join(part for part in (
            _kind(row), local_time(row.found_at), t(f"finding_status.{row.status}"),
            _flags(row), t("register_ui.photo_count", n=row.photo_count)) if part))
        st.markdown(plain(row.description))
        thumbnails([row.thumbnail] if row.thumbnail else [], key=f"{LIST}_photo")
