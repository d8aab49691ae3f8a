"""报送日历: units × months, each cell on time, late, missing or not due yet, with each
unit's count of late and missing reports; below, what is due soon or overdue, exportable to
XLSX for the office's reminders. Two more tabs: who has submitted the special report (lead
units, 12-10) and the annual work report (every unit, 12-31)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from db.models import User, WorkReportKind
from services.campaign import files as campaign_files
from services.campaign import reporting, work_reports
from services.campaign.calendar import Timeliness
from services.core import clock
from services.core.spreadsheet import to_xlsx
from ui import context
from ui.attachments import show
from ui.context import local_time, t
from ui.page import page
from ui.text import plain

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@page("report_calendar", title="nav.report_calendar")
def render(actor: User) -> None:
    today = clock.today()
    year = st.selectbox(t("campaign_ui.year"), [today.year, today.year - 1], key="rc_year")
    monthly, *yearly = st.tabs([t("campaign_ui.tab_monthly"),
                                *(t(f"campaign_ui.tab_{k}") for k in WorkReportKind)])
    with monthly:
        _monthly(actor, year, today)
    for tab, kind in zip(yearly, WorkReportKind, strict=True):
        with tab:
            _yearly(actor, kind, year, today)


def _yearly(actor: User, kind: str, year: int, today: date) -> None:
    rows = context.query(work_reports.states, actor=actor, kind=kind, year=year, today=today)
    if not rows:
        st.info(t("campaign_ui.no_tasks"))
        return
    counts = {m: sum(r.timeliness == m for r in rows) for m in Timeliness}
    st.caption(t("campaign_ui.yearly_counts", due=rows[0].due.isoformat(),
                 **{m.value: n for m, n in counts.items()}))
    table = pd.DataFrame({
        t("campaign_ui.unit"): [r.unit for r in rows],
        t("campaign_ui.report_status"): [t(f"work_report_status.{r.status or 'none'}")
                                         for r in rows],
        t("campaign_ui.status"): [t(f"timeliness.{r.timeliness}") for r in rows],
        t("campaign_ui.submitted_on"): [r.submitted_on.isoformat() if r.submitted_on else ""
                                        for r in rows],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(t("campaign_ui.export_due"), data=to_xlsx(table),
                       file_name=t(f"campaign_ui.{kind}_file", year=year),
                       mime=XLSX, key=f"rc_export_{kind}", on_click="ignore")
    _read(actor, kind, year, [r for r in rows if r.status == "submitted"])


def _read(actor: User, kind: str, year: int, rows) -> None:
    """The office reads what a unit submitted: its text, explanation, measures and files."""
    if not rows:
        return
    by_unit = {r.unit_id: r for r in rows}
    picked = st.selectbox(t("campaign_ui.read_report"), list(by_unit), index=None,
                          key=f"rc_read_{kind}", format_func=lambda u: by_unit[u].unit,
                          placeholder=t("campaign_ui.read_report_hint"))
    if picked is None:
        return
    report = by_unit[picked].report
    with st.container(border=True):
        st.caption(t("work_report.submitted_on", at=local_time(report.submitted_at)))
        st.markdown(plain(report.text))
        for label, value in (("explanation", report.explanation),
                             ("measures", report.measures)):
            if value:
                st.markdown(t("common.label_value", label=t(f"field.{label}"),
                              value=plain(value)))
        files = context.query(campaign_files.of_work_report, actor=actor, report_id=report.id)
        show(files, key=f"rcf_{report.id}", fetch_photo=campaign_files.photo_bytes,
             fetch_document=campaign_files.document_bytes)


def _mark(timeliness: Timeliness) -> str:
    # Words, not emoji: a PC without a colour-emoji font shows every emoji as the same box.
    return t(f"timeliness_short.{timeliness}")


def _monthly(actor: User, year: int, today: date) -> None:
    # Last year's months judged today: a December never sent is missing, not "not due".
    owed = context.query(reporting.owed_reports, actor=actor, today=today,
                         first_month=date(year, 1, 1), last_month=date(year, 12, 1))
    if not owed:
        st.info(t("campaign_ui.no_tasks"))
        return
    st.caption(t("campaign_ui.calendar_legend", **{k.value: _mark(k) for k in Timeliness}))
    rows = reporting.report_calendar(owed)
    months = sorted({r.month for r in owed})
    frame = pd.DataFrame(
        [[row.unit, *[_mark(row.months[m]) if m in row.months else "" for m in months],
          row.late, row.missing] for row in rows],
        columns=[t("campaign_ui.unit"), *[m.strftime("%m") for m in months],
                 t("campaign_ui.late_n"), t("campaign_ui.missing_n")])
    st.dataframe(frame, hide_index=True, width="stretch")

    st.subheader(t("campaign_ui.due_title"))
    due = reporting.due_soon_and_overdue(owed, today)
    if not due:
        st.success(t("campaign_ui.nothing_due"))
        return
    table = pd.DataFrame({
        t("campaign_ui.unit"): [r.unit for r in due],
        t("campaign_ui.task"): [r.task for r in due],
        t("campaign_ui.month"): [r.month.strftime("%Y-%m") for r in due],
        t("campaign_ui.due"): [r.due.isoformat() for r in due],
        # Due today is not late yet, but it is the day to chase it.
        t("campaign_ui.status"): [t("timeliness.due_today") if r.due == today and
                                  r.timeliness == Timeliness.PENDING
                                  else t(f"timeliness.{r.timeliness}") for r in due],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(t("campaign_ui.export_due"), data=to_xlsx(table),
                       file_name=t("campaign_ui.due_file", date=today.isoformat()),
                       mime=XLSX, key="rc_export", on_click="ignore")
