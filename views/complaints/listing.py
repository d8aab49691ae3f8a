"""投诉台账: every complaint the reader may see, filtered (the filters live in the URL),
sorted and paged in the database; picking a row opens it below with what the reader's
role can do with it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from db.models import User
from services.complaints import queries
from services.complaints.queries import SORTS
from ui import context, paging, widgets
from ui.context import local_time, t
from ui.feedback import reported
from ui.page import page
from views.complaints import actions, exports, filters
from views.complaints.common import card, complainant, flags, number

LIST = "cl"


@page("complaints", title="nav.complaints")
def render(actor: User) -> None:
    chosen = filters.widgets(actor)
    sort, descending = filters.sort_from_url()
    # A caller on the phone gives their number: open it without hunting through the list.
    wanted = st.number_input(t("complaints_ui.open_number"), min_value=0,
                             max_value=2**31 - 1, step=1, value=0, key=f"{LIST}_open")
    if wanted:
        st.query_params["id"] = str(int(wanted))
    sort, descending = widgets.sort_picker(
        LIST, SORTS, sort, descending, label=t("complaints_ui.sort"),
        option=lambda k: t(f"complaints_ui.sort_{k}"),
        descending_label=t("complaints_ui.newest_first"))
    filters.to_url(chosen, sort, descending)
    # Counting stops past the cap: a clerk with more matches narrows the filters.
    total = context.query(queries.count_complaints, actor=actor, filters=chosen,
                          cap=queries.LIST_COUNT_CAP)
    more = total > queries.LIST_COUNT_CAP
    st.caption(t("complaint_export.count_more", count=queries.LIST_COUNT_CAP) if more
               else t("complaints_ui.count", n=total))
    picked = None
    if total:
        offset = paging.offset(LIST, total, filters=(chosen, sort, descending))
        rows = context.query(queries.list_complaints, actor=actor, filters=chosen, sort=sort,
                             descending=descending, offset=offset, limit=paging.PAGE_SIZE)
        picked = _table(rows)
        paging.controls(LIST, total)
        exports.buttons(actor, chosen)
    else:
        st.info(t("complaints_ui.none"))
    # The opened complaint is in the URL too (?id=12), so a link opens it for a colleague.
    if picked is not None:
        st.query_params["id"] = str(picked)
    elif st.query_params.get("id", "").isdigit():
        picked = int(st.query_params["id"])
    if picked is not None:
        with reported():  # a number that is not there, or not the reader's to see
            detail = context.query(queries.get_complaint, actor=actor, complaint_id=picked)
            with st.container(border=True):
                card(detail)
                actions.for_office(actor, detail)


def _table(rows: list[queries.ComplaintRow]) -> int | None:
    frame = pd.DataFrame({
        "number": [number(r) for r in rows],
        "received": [local_time(r.received_at) for r in rows],
        "channel": [t(f"complaint_channel.{r.channel}") for r in rows],
        "unit": [r.unit or "—" for r in rows],
        "category": [r.category for r in rows],
        "status": [t(f"complaint_status.{r.status}") for r in rows],
        "deadline": [r.deadline.isoformat() for r in rows],
        "flags": [flags(r) for r in rows],
        "complainant": [complainant(r) for r in rows],
        "content": [r.content[:80] for r in rows],
    })
    labels = {col: t(f"complaints_ui.col_{col}") for col in frame.columns}
    event = st.dataframe(
        frame, hide_index=True, key=f"{LIST}_table", on_select="rerun",
        selection_mode="single-row", width="stretch",
        column_config={col: st.column_config.TextColumn(label) for col, label in labels.items()},
    )
    selected = event.selection.rows if event is not None else []
    return rows[selected[0]].id if selected else None
