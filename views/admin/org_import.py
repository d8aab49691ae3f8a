"""The unit import tab of the organisation page: a CSV or Excel file, a preview of every
row (the import itself, rolled back), then the import of the valid rows."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from services.imports import units as unit_import
from ui import context
from ui.context import t
from ui.feedback import message_text

PREVIEW = "unit_import_preview"
ROUND = "unit_import_round"


def render_import(actor) -> None:
    st.caption(t("import.help"))
    # A new key after an import empties the uploader: the page is ready for the next file
    # instead of previewing the imported one again (where every row now "exists").
    round_ = st.session_state.setdefault(ROUND, 0)
    upload = st.file_uploader(t("import.file"), type=["csv", "xlsx"],
                              key=f"unit_import_file_{round_}")
    if upload is None:
        return
    content = upload.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    cached = st.session_state.get(PREVIEW)
    if cached is None or cached[0] != digest:
        # The preview is the import itself, rolled back: it cannot promise what the import
        # won't do. Kept for this file, so other clicks on the page do not read it again.
        with st.spinner(t("import.previewing")):
            preview = context.uow().dry_run(
                unit_import.import_units, actor=actor, filename=upload.name, content=content
            )
        st.session_state[PREVIEW] = (digest, preview)
    else:
        preview = cached[1]
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
        st.session_state.pop(PREVIEW, None)
        st.session_state[ROUND] = round_ + 1
        context.flash("success", "import.done", created=done.created, skipped=done.invalid)
        st.rerun()


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
