"""One notice: its preview (what the Word document prints), the .docx, its log, and what
the reader may do with it next: the office edits a draft, submits it and issues it once
signed, records its publication to the media or starts a correction; a leader signs off or
returns it with comments."""

from __future__ import annotations

import uuid

import streamlit as st

from db.models import User
from services.core import clock
from services.core.permissions import can
from services.notices import compose, export, queries, rules, workflow
from services.notices.document import NoticeText, render_docx
from ui import context, links
from ui.context import local_time, t
from ui.feedback import reported, saving
from ui.text import plain
from ui.widgets import seen_version
from views.notices import compose_form, preview


def render(actor: User, notice_id: int) -> None:
    rendered = context.query(export.render, actor=actor, notice_id=notice_id)
    view, notice = rendered.view, rendered.view.notice
    st.subheader(plain(notice.title))
    st.caption(" · ".join(part for part in (
        t(f"notice_kind.{notice.kind}"), t(f"notice_status.{notice.status}"),
        view.number or t("notices_ui.unnumbered"),
        t("notices_ui.signed_by", name=plain(view.signed_by),
          at=local_time(notice.signed_at)) if view.signed_by else "",
        t("notices_ui.published_on", day=notice.published_on.isoformat())
        if notice.published_to_media and notice.published_on else "") if part))
    if rendered.missing_photos:
        st.warning(t("notices_ui.photos_missing", n=len(rendered.missing_photos)))
    returned = [row for row in view.log if row.to_status == rules.DRAFT and row.note]
    if notice.status == rules.DRAFT and returned:
        st.warning(t("notices_ui.returned_with", who=plain(returned[-1].actor or "—"),
                     comments=plain(returned[-1].note)))
    _download(view, rendered.text)
    _actions(actor, view)
    preview.show(rendered.text)
    _log(view)


def _download(view: queries.NoticeView, text: NoticeText) -> None:
    name = (view.number or t("notices_ui.draft_file")) + ".docx"
    # Built when clicked, not on every run of the page.
    st.download_button(t("notices_ui.download"), lambda: render_docx(text), file_name=name,
                       icon=":material/download:", key=f"nd_{view.notice.id}",
                       mime="application/vnd.openxmlformats-officedocument."
                            "wordprocessingml.document")


def _actions(actor: User, view: queries.NoticeView) -> None:
    notice = view.notice
    form = f"na_{notice.id}"
    version = seen_version(form, notice.version)
    office, leader = can(actor, "notice.compose"), can(actor, "notice.sign")
    if office and notice.status == rules.DRAFT:
        with st.expander(t("notices_ui.edit"), icon=":material/edit:"):
            held = context.query(lambda uow: compose.content_of(uow, notice))
            compose_form.edit_form(actor, notice.id, notice.version, held)
        # Submitting sends the saved draft: edits still in the form would be lost unseen.
        unsaved = compose_form.has_unsaved_edits(notice.id, held)
        if unsaved:
            st.warning(t("notices_ui.unsaved_first"))
        if st.button(t("notices_ui.submit"), type="primary", key=f"{form}_submit",
                     disabled=unsaved):
            with saving(form, "notices_ui.submitted"):
                context.run(workflow.submit, actor=actor, notice_id=notice.id, version=version)
    if leader and notice.status == rules.AWAITING:
        _sign_or_return(actor, form, version, notice.id)
    if office and notice.status == rules.SIGNED:
        st.info(t("notices_ui.ready_to_issue"))
        if st.button(t("notices_ui.issue"), type="primary", key=f"{form}_issue"):
            with saving(form, "notices_ui.issued"):
                context.run(workflow.issue, actor=actor, notice_id=notice.id, version=version)
    if office and notice.status in (rules.AWAITING, rules.SIGNED) and st.button(
            t("notices_ui.withdraw"), key=f"{form}_withdraw", icon=":material/undo:",
            help=t("notices_ui.withdraw_help")):
        with saving(form, "notices_ui.withdrawn"):
            context.run(workflow.withdraw, actor=actor, notice_id=notice.id, version=version)
    if office and notice.status == rules.ISSUED:
        _after_issue(actor, form, notice)


def _sign_or_return(actor: User, form: str, version: int, notice_id: int) -> None:
    left, right = st.columns(2)
    if left.button(t("notices_ui.sign"), type="primary", key=f"{form}_sign",
                   icon=":material/approval:"):
        with saving(form, "notices_ui.signed"):
            context.run(workflow.sign, actor=actor, notice_id=notice_id, version=version)
    with right.popover(t("notices_ui.return"), icon=":material/undo:"):
        comments = st.text_area(t("field.notice_comments"), key=f"{form}_comments",
                                max_chars=workflow.NOTE_MAX)
        if st.button(t("notices_ui.return_confirm"), key=f"{form}_return"):
            # A returned notice is a draft again, which a leader does not read: back to
            # the list rather than "no such notice" under the success message.
            with saving(form, "notices_ui.returned", then=_to_list):
                context.run(workflow.return_to_draft, actor=actor, notice_id=notice_id,
                            version=version, comments=comments)


def _to_list() -> None:
    st.query_params.pop("id", None)


def _after_issue(actor: User, form: str, notice) -> None:
    # Once the publication is recorded, the correction button stands alone on the left.
    left, right = st.columns(2) if not notice.published_to_media else (None, st.container())
    if left is not None:
        with left.popover(t("notices_ui.publish"), icon=":material/newspaper:"):
            day = st.date_input(t("notices_ui.published_day"), value=clock.today(),
                                key=f"{form}_pubday", max_value=clock.today(),
                                min_value=clock.local_date(notice.issued_at))
            if st.button(t("notices_ui.publish_confirm"), key=f"{form}_publish"):
                with saving(form, "notices_ui.published"):
                    context.run(workflow.publish, actor=actor, notice_id=notice.id, on=day)
    key = st.session_state.setdefault(f"{form}_correction_key", uuid.uuid4().hex)
    if right.button(t("notices_ui.correct"), key=f"{form}_correct", icon=":material/edit_note:"):
        with reported():
            made = context.run(workflow.correct, actor=actor, notice_id=notice.id,
                               client_key=key)
            links.go("notices", id=made.id)


def _log(view: queries.NoticeView) -> None:
    if not view.log:  # a liaison reads no history
        return
    with st.expander(t("notices_ui.log"), icon=":material/history:"):
        for row in view.log:
            st.markdown(t("notices_ui.log_line", at=local_time(row.at),
                          who=plain(row.actor or "—"),
                          to=t(f"notice_status.{row.to_status}")))
            if row.note:
                st.caption(plain(row.note))
