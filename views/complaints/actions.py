"""What a reader can do with an opened complaint, by role: the office assigns, follows up,
closes, decides on extensions and links duplicates; a unit's liaison signs for, answers,
returns or asks for more time. The services check everything again; these forms only show
what the role and the status offer."""

from __future__ import annotations

import streamlit as st

from db.models import ContactMethod, Satisfaction, User
from services.complaints import attachments, duplicates, lifecycle, workflow
from services.complaints.queries import ComplaintDetail
from services.core.permissions import can
from services.org import structure
from ui import context
from ui.context import t
from ui.feedback import saving
from ui.widgets import seen_version
from views.complaints.attachment_views import uploader
from views.complaints.follow_through import follow_through


def for_office(actor: User, detail: ComplaintDetail) -> None:
    if not can(actor, "complaint.manage"):
        return
    row = detail.row
    key = f"co_{row.id}"
    version = seen_version(key, row.version)
    if row.status in (lifecycle.RECEIVED, lifecycle.RETURNED):
        _assign(actor, detail, key, version)
        _close(actor, row.id, key, version)
    if row.status == lifecycle.REPLIED:
        _follow_up(actor, row.id, key, version)
    pending = [e for e in detail.extensions if e.decision is None]
    if pending:
        _decide(actor, pending[0], key)
    if row.status != lifecycle.CLOSED:
        _link(actor, detail, key, version)
    if row.unit_id is not None:
        follow_through(actor, detail, key)


def _assign(actor: User, detail: ComplaintDetail, key: str, version: int) -> None:
    units = {u.id: u.name for u in context.query(structure.list_units, actor=actor,
                                                   include_inactive=False)}
    current = detail.row.unit_id if detail.row.status == lifecycle.RECEIVED else None
    with st.form(f"{key}_assign"):
        st.markdown(f"**{t('complaints_ui.assign')}**")
        ids = list(units)
        unit_id = st.selectbox(t("field.complaint_unit"), ids, key=f"{key}_unit",
                               index=ids.index(current) if current in ids else None,
                               format_func=units.get,
                               placeholder=t("complaints_ui.pick_unit"))
        deadline = st.date_input(t("field.complaint_deadline"), value=detail.row.deadline,
                                 key=f"{key}_deadline")
        note = st.text_input(t("field.note"), key=f"{key}_assign_note")
        if st.form_submit_button(t("complaints_ui.assign"), type="primary"):
            with saving(key, "complaints_ui.assigned"):
                context.run(workflow.assign, actor=actor, complaint_id=detail.row.id,
                            version=version, unit_id=unit_id, deadline=deadline, note=note)


def _close(actor: User, complaint_id: int, key: str, version: int) -> None:
    with st.form(f"{key}_close"):
        note = st.text_input(t("complaints_ui.close_note"), key=f"{key}_close_note")
        if st.form_submit_button(t("complaints_ui.close")):
            with saving(key, "complaints_ui.closed"):
                context.run(workflow.close_directly, actor=actor, complaint_id=complaint_id,
                            version=version, note=note)


def _follow_up(actor: User, complaint_id: int, key: str, version: int) -> None:
    with st.form(f"{key}_follow"):
        st.markdown(f"**{t('complaints_ui.follow_up')}**")
        satisfaction = st.radio(t("field.satisfaction"), list(Satisfaction), index=None,
                                horizontal=True, key=f"{key}_satisfaction",
                                format_func=lambda v: t(f"satisfaction.{v}"))
        method = st.selectbox(t("field.method"), list(ContactMethod), key=f"{key}_method",
                              format_func=lambda v: t(f"contact_method.{v}"))
        note = st.text_area(t("complaints_ui.follow_note"), key=f"{key}_follow_note")
        if st.form_submit_button(t("complaints_ui.save_follow_up"), type="primary"):
            with saving(key, "complaints_ui.followed_up"):
                context.run(workflow.follow_up, actor=actor, complaint_id=complaint_id,
                            version=version, satisfaction=satisfaction, method=method,
                            note=note)


def _decide(actor: User, request, key: str) -> None:
    with st.form(f"{key}_decide"):
        st.markdown(t("complaints_ui.extension_pending", to=request.new_deadline.isoformat()))
        note = st.text_input(t("complaints_ui.decision_note"), key=f"{key}_decision_note")
        grant, refuse = st.columns(2)
        granted = grant.form_submit_button(t("complaints_ui.grant"), type="primary")
        refused = refuse.form_submit_button(t("complaints_ui.refuse"))
        if granted or refused:
            with saving(key, "complaints_ui.decided"):
                context.run(workflow.decide_extension, actor=actor, extension_id=request.id,
                            grant=granted, note=note)


def _link(actor: User, detail: ComplaintDetail, key: str, version: int) -> None:
    with st.form(f"{key}_link"):
        original = st.number_input(t("complaints_ui.duplicate_of"), min_value=0, step=1,
                                   value=detail.row.duplicate_of_id or 0, key=f"{key}_orig",
                                   help=t("complaints_ui.duplicate_help"))
        if st.form_submit_button(t("complaints_ui.save_duplicate")):
            with saving(key):
                context.run(duplicates.link, actor=actor, complaint_id=detail.row.id,
                            version=version, original_id=int(original) or None)


def for_unit(actor: User, detail: ComplaintDetail) -> None:
    row = detail.row
    if not can(actor, "complaint.handle") or row.status not in lifecycle.AWAITING_UNIT:
        return
    key = f"cu_{row.id}"
    if row.status == lifecycle.ASSIGNED and st.button(
            t("complaints_ui.sign"), type="primary", key=f"{key}_sign"):
        with saving(key, "complaints_ui.signed"):
            context.run(workflow.sign, actor=actor, complaint_id=row.id)
    reply, back, more = st.tabs([t("complaints_ui.reply"), t("complaints_ui.return"),
                                 t("complaints_ui.ask_extension")])
    with reply, st.form(f"{key}_reply"):
        action_taken = st.text_area(t("field.action_taken"), key=f"{key}_action")
        result = st.text_area(t("field.result"), key=f"{key}_result")
        files = uploader(f"{key}_files")
        if st.form_submit_button(t("complaints_ui.send_reply"), type="primary"):
            with saving(key, "complaints_ui.replied"):
                # Checked and decoded before the transaction; a bad file keeps the form.
                prepared = attachments.prepare(files)
                context.run(workflow.reply, actor=actor, complaint_id=row.id,
                            action_taken=action_taken, result=result, attachments=prepared)
    with back, st.form(f"{key}_return"):
        reason = st.text_area(t("field.reason"), key=f"{key}_return_reason")
        if st.form_submit_button(t("complaints_ui.send_return")):
            with saving(key, "complaints_ui.returned"):
                context.run(workflow.return_to_office, actor=actor, complaint_id=row.id,
                            reason=reason)
    with more, st.form(f"{key}_extension"):
        new_deadline = st.date_input(t("field.new_deadline"), value=None, key=f"{key}_to")
        reason = st.text_area(t("field.reason"), key=f"{key}_ext_reason")
        if st.form_submit_button(t("complaints_ui.send_extension")):
            with saving(key, "complaints_ui.extension_asked"):
                context.run(workflow.ask_extension, actor=actor, complaint_id=row.id,
                            reason=reason, new_deadline=new_deadline)
