"""通报: the notices a reader may see. The office drafts (from the register's picked
findings, or new), submits for sign-off and issues; a leader signs off or returns with
comments; a unit's liaison reads the issued notices addressed to its unit. ?id= opens one,
?status= filters the list (the workbench's tiles link here)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from db.models import NoticeKind, User
from services.core.errors import NotFound
from services.core.permissions import can
from services.notices import queries
from ui import context
from ui.context import local_time, t
from ui.page import page
from views.notices import compose_form, detail, state

KEY = "nt"


@page("notices", title="nav.notices")
def render(actor: User) -> None:
    raw = st.query_params.get("id", "")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**31:
        if st.button(t("notices_ui.back"), key=f"{KEY}_back", icon=":material/arrow_back:"):
            del st.query_params["id"]
            st.rerun()
        try:
            detail.render(actor, int(raw))
        except NotFound:
            st.warning(t("notices_ui.not_found"))
        return
    if can(actor, "notice.compose"):
        _new(actor)
    _list(actor)


def _new(actor: User) -> None:
    pending = state.new()
    kinds = [k.value for k in NoticeKind]
    with st.expander(t("notices_ui.new"), expanded=pending is not None,
                     icon=":material/edit_document:"):
        kind = st.segmented_control(
            t("field.notice_kind"), kinds, key=f"{KEY}_kind",
            default=pending["kind"] if pending else NoticeKind.CRITICISM,
            format_func=lambda k: t(f"notice_kind.{k}")) or NoticeKind.CRITICISM
        if kind == NoticeKind.CRITICISM and not (pending and pending["finding_ids"]):
            st.info(t("notices_ui.pick_in_register"))
        picked = pending["finding_ids"] if pending and pending["kind"] == kind else []
        compose_form.new_form(actor, kind, picked)


def _list(actor: User) -> None:
    # Only the statuses this reader can see: a leader never reads drafts, a liaison only
    # issued notices (no filter at all).
    shown = queries.visible_statuses(actor)
    statuses = ("all", *shown) if len(shown) > 1 else ("all",)
    wanted = st.query_params.get("status", "all")
    status = "all"
    if len(statuses) > 1:
        status = st.segmented_control(
            t("notices_ui.filter"), statuses, key=f"{KEY}_status",
            default=wanted if wanted in statuses else "all",
            format_func=lambda s: t("common.all") if s == "all" else t(f"notice_status.{s}"))
        status = status or "all"
    if st.query_params.get("status", "all") != status:
        st.query_params["status"] = status
    rows = context.query(queries.list_notices, actor=actor,
                         status=None if status == "all" else status)
    if not rows:
        st.info(t("notices_ui.none"))
        return
    frame = pd.DataFrame({
        "number": [r.number or "—" for r in rows],
        "kind": [t(f"notice_kind.{r.kind}") for r in rows],
        "title": [r.title for r in rows],
        "status": [t(f"notice_status.{r.status}") for r in rows],
        "created": [local_time(r.created_at) for r in rows],
        "issued": [local_time(r.issued_at) if r.issued_at else "—" for r in rows],
    })
    st.caption(t("notices_ui.open_hint"))
    config = {c: st.column_config.TextColumn(t(f"notices_ui.col_{c}")) for c in frame.columns}
    event = st.dataframe(frame, hide_index=True, key=f"{KEY}_table", on_select="rerun",
                         selection_mode="single-row", width="stretch", column_config=config)
    picked = event.selection.rows if event is not None else []
    if picked and 0 <= picked[0] < len(rows):
        st.query_params["id"] = str(rows[picked[0]].id)
        st.rerun()
