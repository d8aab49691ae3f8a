"""A unit's special and annual work reports on its start page: the draft kept as typed,
then submitted once; the explanation and measures when its tasks are behind."""

from __future__ import annotations

import streamlit as st

from db.models import User, WorkReportKind
from services.campaign import files as campaign_files
from services.campaign import work_reports
from services.campaign.calendar import Timeliness
from services.core import clock
from services.photos import attachments
from ui import context
from ui.attachments import show, uploader
from ui.context import local_time, t
from ui.feedback import saving
from ui.text import plain
from ui.widgets import next_round, round_of, seen_version

NEAR_DAYS = 30


def work_reports_section(actor: User) -> None:
    today = clock.today()
    this_year, last_year = work_reports.years_open(today)
    # One reading of the unit's tasks for every form below (each asks the same question).
    behind = context.query(work_reports.behind_tasks, unit_id=actor.unit_id, today=today)
    for kind in WorkReportKind:
        # Last year's report stays here until it is sent (in January it is still owed).
        last = context.query(work_reports.mine, actor=actor, kind=kind, year=last_year)
        if last is not None and last.status != "submitted":
            _one(actor, kind, last_year, last, behind)
        state = context.query(work_reports.mine, actor=actor, kind=kind, year=this_year)
        if state is not None:
            _one(actor, kind, this_year, state, behind)


def _one(actor: User, kind: str, year: int, state, behind: list[str]) -> None:
    title = t(f"work_report.{kind}", year=year, due=state.due.isoformat())
    report = state.report
    # Open only when it is near: a tablet's start page should show this month's work first.
    near = (state.due - clock.today()).days <= NEAR_DAYS
    with st.expander(title, expanded=state.status != "submitted" and near):
        files = context.query(campaign_files.of_work_report, actor=actor,
                              report_id=report.id) if report else None
        if state.status == "submitted":
            late = state.timeliness == Timeliness.LATE
            st.success(t("work_report.submitted_on", at=local_time(report.submitted_at))
                       + (t("work_report.late") if late else ""))
            st.markdown(plain(report.text))
            _files(files, kind, year)
            return
        _files(files, kind, year)  # what the draft carries already: not to attach it twice
        if state.timeliness == Timeliness.MISSING:
            st.warning(t("work_report.overdue", due=state.due.isoformat()))
        rounds = f"wr_{kind}_{year}_round"
        form = f"wr_{kind}_{year}_r{round_of(rounds)}"
        version = seen_version(form, report.version) if report else None
        with st.form(form):
            text = st.text_area(t("field.report_text"), key=f"{form}_text", height=220,
                                value=report.text if report else "",
                                max_chars=work_reports.TEXT_MAX)
            explanation = measures = ""
            if behind:  # only a unit behind on a task it leads owes these
                st.caption(t("work_report.behind", tasks=plain("、".join(behind))))
                explanation = st.text_area(t("field.explanation"), key=f"{form}_expl",
                                           value=report.explanation if report else "")
                measures = st.text_area(t("field.measures"), key=f"{form}_meas",
                                        value=report.measures if report else "")
            files = uploader(f"{form}_files")
            left, right = st.columns(2)
            draft = left.form_submit_button(t("work_report.save_draft"))
            submit = right.form_submit_button(t("work_report.submit"), type="primary")
        if draft or submit:
            done = "work_report.submitted" if submit else "work_report.draft_saved"
            with saving(form, done, then=lambda: next_round(rounds)):
                context.run(work_reports.save, actor=actor, kind=kind, year=year, text=text,
                            explanation=explanation, measures=measures, submit=submit,
                            version=version, attachments=attachments.prepare(files))


def _files(files, kind: str, year: int) -> None:
    if files is not None and (files.photos or files.documents):
        show(files, key=f"wrf_{kind}_{year}", fetch_photo=campaign_files.photo_bytes,
             fetch_document=campaign_files.document_bytes)
