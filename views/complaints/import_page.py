"""The office's import of hotline exports: upload, encoding (detected, can be overridden),
column mapping (guessed or saved, editable, savable by name), a dry run listing every bad
row, names the city does not know mapped to close matches, then the import with a progress
bar and a cancel button, and the report to download.

Cancelling: a click on "cancel" makes Streamlit stop the running script at its next
progress update; the import's unit of work is left uncommitted and rolls back, so nothing of
the file stays. A cancel asked before the first chunk is seen by the import's own check."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import streamlit as st

from db.models import ComplaintChannel, User
from services.complaints import register as complaint_register
from services.core import clock
from services.core.errors import DomainError
from services.core.permissions import can
from services.imports import complaint_report, encodings
from services.imports import complaints as complaint_import
from services.imports import mapping as mappings
from services.org import structure as org
from ui import context
from ui.context import t
from ui.page import page
from ui.text import plain
from views.complaints.import_mapping import mapping_step
from views.complaints.import_text import NONE, VALUES, describe, say
from views.complaints.import_text import label as _t

MAX_MB = complaint_import.MAX_BYTES // (1024 * 1024)
AUTO = "auto"
CHECKED, RESULT = "ci_checked", "ci_result"
CANCEL = "ci_cancel_requested"


@page("complaint_import", title="nav.complaint_import")
def render(actor: User) -> None:
    st.caption(_t("help"))
    upload = st.file_uploader(_t("file"), type=["csv", "txt", "xlsx"], key="ci_file",
                              max_upload_size=MAX_MB)
    if upload is None:
        return
    content = upload.getvalue()
    choice = st.selectbox(_t("encoding"), [AUTO, *encodings.CHOICES], key="ci_encoding",
                          format_func=lambda c: _t("encoding_auto") if c == AUTO
                          else _t(f"enc.{c}"))
    encoding = None if choice == AUTO else choice
    try:
        peek = complaint_import.peek(upload.name, content, encoding=encoding)
    except DomainError as err:
        st.error(say(err))
        return
    st.caption(_t("encoding_detected", encoding=_t(f"enc.{peek.encoding or 'xlsx'}")))
    st.caption(_t("header_at", line=peek.header_line, columns=len(peek.header)))
    st.dataframe(pd.DataFrame(peek.sample, columns=peek.header), hide_index=True)

    mapping, source = mapping_step(actor, peek.header)
    create_in = _units_option(actor)
    job = dict(filename=upload.name, source=content, mapping=mapping, source_name=source,
               encoding=encoding, create_units_in=create_in, unit_actor=actor)
    signature = _signature(content, mapping, encoding, source, create_in)

    st.subheader(_t("step_check"))
    if st.button(_t("check"), key="ci_check"):
        st.session_state.pop(RESULT, None)
        try:
            report = context.uow().dry_run(complaint_import.import_complaints, actor=actor,
                                           **job)
        except DomainError as err:
            st.error(say(err))
            return
        st.session_state[CHECKED] = (signature, report)
    checked = st.session_state.get(CHECKED)
    if checked is None:
        _show_result()
        return
    if checked[0] != signature:
        st.info(_t("stale"))
        # Mapping one unknown name changes the mapping; the other names of the last check
        # stay on screen so that the clerk maps them all before checking again.
        _values_step(actor, checked[1])
        return
    report = checked[1]
    counts = report.summary()  # numbers only
    st.write(_t("dry_counts", **counts))
    _show_rows(report)
    _values_step(actor, report)
    _import_step(actor, report, job)


def _units_option(actor: User) -> int | None:
    if not can(actor, "org.manage"):
        st.caption(_t("create_units_needs_admin"))
        return None
    if not st.checkbox(_t("create_units"), key="ci_create_units"):
        return None
    places = {d.id: d.name for d in context.query(org.list_districts, actor=actor)}
    return st.selectbox(_t("create_units_district"), list(places), key="ci_units_district",
                        format_func=places.get)


def _signature(content: bytes, mapping: mappings.Mapping, *parts) -> str:
    digest = hashlib.sha256(content)
    digest.update(json.dumps([mapping.to_json(), *parts], sort_keys=True,
                             ensure_ascii=False).encode())
    return digest.hexdigest()


# --- report and values ---------------------------------------------------------------------


def _show_rows(report) -> None:
    if report.rows:
        labels = complaint_report.labels(lambda key: t(key))
        # A data frame cell is not Markdown: names from the file are shown as they are.
        st.dataframe(report.frame(describe(), labels), hide_index=True)


def _values_step(actor: User, report) -> None:
    unknown = {f: c for f, c in report.unknown.items() if c}
    if not unknown:
        return
    st.subheader(_t("values_title"))
    st.caption(_t("values_help"))
    choices = {
        "unit": [u.name for u in context.query(org.list_units, actor=actor,
                                               include_inactive=False)],
        "district": [d.name for d in context.query(org.list_districts, actor=actor)],
        "category": [c.name for c in context.query(complaint_register.list_categories,
                                                   actor=actor)],
        "channel": [c.value for c in ComplaintChannel],
    }
    for name, counts in unknown.items():
        for raw, count in counts.most_common():
            close = mappings.suggest(raw, choices[name]) if name != "channel" else []
            options = [NONE, *close, *(c for c in choices[name] if c not in close)]
            key = f"ci_val_{name}_{hashlib.md5(raw.encode()).hexdigest()[:10]}"
            st.selectbox(
                _t("value_label", field=_t(f"field.{name}"), value=plain(raw), count=count),
                options, key=key, on_change=_remember_value, args=(name, raw, key),
                format_func=lambda c, n=name: (_t("value_keep") if not c else
                                               _t(f"channel.{c}") if n == "channel" else c))


def _remember_value(name: str, raw: str, key: str) -> None:
    chosen = st.session_state.get(key)
    table = st.session_state.setdefault(VALUES, {}).setdefault(name, {})
    if chosen:
        table[raw] = chosen
    else:
        table.pop(raw, None)


# --- import --------------------------------------------------------------------------------


def _request_cancel() -> None:
    st.session_state[CANCEL] = True
    context.flash("warning", "complaint_import.cancelled")


def _import_step(actor: User, report, job: dict) -> None:
    cancel_asked = st.session_state.pop(CANCEL, False)
    rows = report.counts[complaint_report.CREATED] + report.counts[complaint_report.UPDATED]
    if rows and st.button(_t("go", rows=rows), key="ci_go", type="primary"):
        cancel = st.empty()
        cancel.button(_t("cancel"), key="ci_cancel", on_click=_request_cancel)
        total = max(report.total, 1)
        bar = st.progress(0.0, text=_t("progress", rows=0, total=total))
        try:
            result = context.run(
                complaint_import.import_complaints, actor=actor, **job,
                progress=lambda n: bar.progress(min(n / total, 1.0),
                                                text=_t("progress", rows=n, total=total)),
                cancelled=lambda: cancel_asked,
            )
        except complaint_import.ImportCancelled:
            st.warning(_t("cancelled"))
            return
        except DomainError as err:
            st.error(say(err))
            return
        finally:
            cancel.empty()  # nothing left to cancel
        st.session_state[RESULT] = result
        # The rows exist now: the check's counts ("nothing written yet") and its import
        # button are gone, and the page shows what was done.
        st.session_state.pop(CHECKED, None)
        st.rerun()


def _show_result() -> None:
    result = st.session_state.get(RESULT)
    if result is None:
        return
    counts = result.summary()  # numbers only
    st.success(_t("done", **counts))
    labels = complaint_report.labels(lambda key: t(key))
    st.download_button(_t("download"), data=result.to_csv(describe(), labels),
                       file_name=_t("report_file", date=clock.today().isoformat()),
                       mime="text/csv",
                       key="ci_download")
