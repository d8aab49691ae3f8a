"""Export of exactly the listed complaints, as the reader may see them (masked for every
role but the office and administrators), with progress while the file is written."""

from __future__ import annotations

import io

import streamlit as st

from db.models import ComplaintChannel, ComplaintStatus, Satisfaction, User
from services.complaints import export
from services.complaints.queries import Filters
from services.core import clock
from ui import context
from ui.context import t

FORMATS = {"csv": (export.export_csv, "text/csv"),
           "xlsx": (export.export_xlsx,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
READY = "cx_ready"


def labels() -> export.Labels:
    return export.Labels(
        headers={k: t(f"complaint_export.header.{k}") for k in export.COLUMNS},
        channels={c: t(f"complaint_channel.{c}") for c in ComplaintChannel},
        statuses={s: t(f"complaint_status.{s}") for s in ComplaintStatus},
        satisfactions={s: t(f"satisfaction.{s}") for s in Satisfaction},
        yes=t("complaint_export.yes"), no=t("complaint_export.no"),
        anonymous=t("complaint_export.anonymous"),
        sources={"manual": t("complaint_export.manual")},
    )


def buttons(actor: User, filters: Filters) -> None:
    left, right, _ = st.columns([1, 1, 3])
    for column, kind in zip((left, right), FORMATS, strict=True):
        if column.button(t(f"complaints_ui.export_{kind}"), key=f"cx_{kind}"):
            _write(actor, filters, kind)
    ready = st.session_state.get(READY)
    if ready and ready[0] == filters:
        _filters, kind, data, name = ready
        st.download_button(t("complaints_ui.download", name=name), data=data, file_name=name,
                           mime=FORMATS[kind][1], key="cx_download", type="primary")


def _write(actor: User, filters: Filters, kind: str) -> None:
    write, _mime = FORMATS[kind]
    bar = st.progress(0.0, text=t("complaints_ui.exporting"))

    def progress(done: int, total: int) -> None:
        bar.progress(min(1.0, done / max(total, 1)),
                     text=t("complaints_ui.exporting_n", done=done, total=total))

    out = io.BytesIO()
    rows = context.query(write, out, actor=actor, filters=filters, labels=labels(),
                         progress=progress)
    context.run(export.record_export, actor=actor, rows=rows, kind=kind, filters=filters)
    name = t("complaint_export.file_name", date=clock.today().isoformat()) + f".{kind}"
    st.session_state[READY] = (filters, kind, out.getvalue(), name)
    bar.empty()
