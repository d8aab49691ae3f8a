"""Export of exactly the register's filtered rows, in the chosen order, as the reader may
see them (services/findings/register_export.py), with progress while the file is built and
a download button once it is ready. The export is audited."""

from __future__ import annotations

import io

import streamlit as st

from db.models import User
from services.core import clock
from services.findings import register
from services.findings import register_export as export
from ui import context
from ui.context import t
from ui.feedback import reported

FORMATS = {"csv": (export.export_csv, "text/csv"),
           "xlsx": (export.export_xlsx,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
READY = "frx_ready"


def render(actor: User, filters: register.RegisterFilters, sort: str, descending: bool) -> None:
    chosen = (filters, sort, descending)
    left, right, _ = st.columns([1, 2, 2])
    for column, kind in zip((left, right), FORMATS, strict=True):
        if column.button(t(f"register_export.{kind}"), key=f"frx_{kind}"):
            with reported():
                _build(actor, chosen, kind)
    ready = st.session_state.get(READY)
    if ready and ready[0] == chosen:  # a file of other filters is not offered for these
        _chosen, kind, data, name, rows = ready
        st.caption(t("register_export.ready", n=rows))
        st.download_button(t("register_export.download", name=name), data=data, file_name=name,
                           mime=FORMATS[kind][1], key="frx_download", type="primary")


def _build(actor: User, chosen: tuple, kind: str) -> None:
    filters, sort, descending = chosen
    write, _mime = FORMATS[kind]
    bar = st.progress(0.0, text=t("register_export.stage_rows", percent=0))

    def progress(fraction: float, stage: str) -> None:
        fraction = min(1.0, max(0.0, fraction))
        bar.progress(fraction, text=t(f"register_export.stage_{stage}",
                                      percent=round(100 * fraction)))

    out = io.BytesIO()
    try:
        rows = context.query(write, out, actor=actor, filters=filters, sort=sort,
                             descending=descending, translate=t, progress=progress)
    finally:
        bar.empty()
    context.run(export.record_export, actor=actor, rows=rows, kind=kind, filters=filters,
                sort=sort, descending=descending)
    name = t("register_export.file_name", date=clock.today().isoformat()) + f".{kind}"
    st.session_state[READY] = (chosen, kind, out.getvalue(), name, rows)
