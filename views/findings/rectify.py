"""The unit liaison's rectification page: confirmed findings of my unit, deadlines, and the
report of what was fixed, with photos."""

from __future__ import annotations

import uuid

import pandas as pd
import streamlit as st

from db.models import User
from services.core.errors import DomainError
from services.findings import queries as finding_queries
from services.findings import rectification
from services.findings import status as finding_status
from ui import context, paging
from ui.context import local_time, t
from ui.feedback import error_text
from ui.page import page
from ui.photo_views import PHOTO_TYPES, thumbnails
from ui.text import plain
from views.findings.source import source
from views.findings.waiting import complaints_waiting

AWAITING = tuple(sorted(finding_status.AWAITING_UNIT))
REPORTED = (finding_status.REPORTED,)
VERIFIED = (finding_status.VERIFIED,)


@page("rectify", title="rectify.title", tablet=True)
def render(actor: User) -> None:
    complaints_waiting(actor)
    # A unit's open and reported findings are few and shown whole; the closed ones grow
    # all year, so they are counted and paged in the database.
    todo = context.query(finding_queries.list_cases, actor=actor, statuses=AWAITING)
    waiting = context.query(finding_queries.list_cases, actor=actor, statuses=REPORTED)
    closed, _ = context.query(finding_queries.count_cases, actor=actor, statuses=VERIFIED)
    overdue = sum(c.overdue for c in todo)
    a, b, c_ = st.columns(3)
    a.metric(t("rectify.todo"), len(todo), delta=t("rectify.overdue_n", n=overdue) if overdue
             else None, delta_color="inverse", delta_arrow="off")
    b.metric(t("rectify.waiting"), len(waiting))
    c_.metric(t("rectify.closed"), closed)
    tab_todo, tab_waiting, tab_closed = st.tabs(
        [t("rectify.todo"), t("rectify.waiting"), t("rectify.closed")]
    )
    with tab_todo:
        if not todo:
            st.success(t("rectify.nothing_to_do"))
        for case in todo:
            _case(actor, case, with_form=True)
    with tab_waiting:
        for case in waiting:
            _case(actor, case)
    with tab_closed:
        # Closed cases only as a list: a year of them with photos would make every tap slow.
        _closed_table(actor, closed)


def _case(actor, case: finding_queries.FindingCase, *, with_form: bool = False) -> None:
    with st.container(border=True):
        badge = f" · :red[**{t('rectify.overdue')}**]" if case.overdue else ""
        st.markdown(f"**{t('category.' + case.category)}** · {t('severity.' + case.severity)}"
                    f" · {t('finding_status.' + case.status)}{badge}")
        st.caption(source(case) + (" · " + t("rectify.deadline", date=case.deadline)
                                   if case.deadline else ""))
        st.markdown(plain(case.description))
        thumbnails(case.photos, key=f"rc_{case.id}")
        for rect in case.rectifications:
            with st.expander(t("rectify.report_of", when=local_time(rect.submitted_at),
                               who=plain(rect.submitted_by))):
                st.markdown(plain(rect.text))
                thumbnails(rect.photos, key=f"rr_{rect.id}")
                if rect.outcome:
                    st.caption(t("finding_status." + rect.outcome)
                               + (f"：{plain(rect.verify_note)}" if rect.verify_note else ""))
        if with_form:
            _report_form(actor, case)


def _closed_table(actor, total: int) -> None:
    offset = paging.offset("rc_closed", total)
    cases = context.query(finding_queries.list_cases, actor=actor, statuses=VERIFIED,
                          offset=offset, limit=paging.PAGE_SIZE)
    if not cases:
        return
    paging.controls("rc_closed", total)
    st.dataframe(
        pd.DataFrame(
            {
                t("finding_source.column"): [source(c) for c in cases],
                t("field.category"): [t("category." + c.category) for c in cases],
                t("field.severity"): [t("severity." + c.severity) for c in cases],
                t("field.description"): [c.description for c in cases],
                t("field.deadline"): [c.deadline for c in cases],
                t("rectify.reports"): [len(c.rectifications) for c in cases],
            }
        ),
        hide_index=True,
    )


def _report_form(actor, case) -> None:
    # Kept until the report is stored: a double tap or a retry sends the same key.
    key_name = f"rect_key_{case.id}"
    client_key = st.session_state.setdefault(key_name, uuid.uuid4().hex)
    with st.form(f"rect_form_{case.id}"):
        text = st.text_area(t("rectify.what_was_done"), key=f"rect_text_{case.id}",
                            max_chars=4000)
        files = st.file_uploader(t("rectify.photos"), type=PHOTO_TYPES,
                                 accept_multiple_files=True, key=f"rect_files_{case.id}")
        sent = st.form_submit_button(t("rectify.submit"), type="primary", width="stretch")
    if not sent:
        return
    files = files or []
    try:
        context.run(
            rectification.submit_rectification, actor=actor, finding_id=case.id,
            client_key=client_key, text=text, photo_files=[f.getvalue() for f in files],
        )
    except DomainError as err:
        # The form keeps the text and the files: replace the one photo and send again.
        position = err.params.get("position")
        prefix = f"{plain(files[position - 1].name)}: " if position else ""
        st.error(prefix + error_text(err))
        return
    st.session_state.pop(key_name, None)
    context.flash("success", "rectify.submitted")
    st.rerun()
