"""What the complaint pages share: labels, the complainant line and a complaint's card with
its history. Everything typed by a user goes through plain()."""

from __future__ import annotations

import streamlit as st

from services.complaints import attachments
from services.complaints.queries import ComplaintDetail, ComplaintRow
from services.core.permissions import can
from services.findings import from_complaint
from ui import context
from ui.context import local_time, t
from ui.text import plain
from views.complaints.attachment_views import share_editor, show


def number(row: ComplaintRow) -> str:
    return t("complaints_ui.number", id=row.id)


def complainant(row: ComplaintRow) -> str:
    """Plain text (for tables): masked for every reader but the office and admin."""
    who = row.identity
    if who.anonymous:
        return t("complaints_ui.anonymous")
    return " · ".join(part for part in (who.name, who.phone, who.address) if part)


def flags(row: ComplaintRow) -> str:
    marks = []
    if row.overdue:
        marks.append(t("complaints_ui.flag_overdue"))
    if row.sign_late:
        marks.append(t("complaints_ui.flag_sign_late"))
    if row.escalated:
        marks.append(t("complaints_ui.flag_escalated",
                       level=t(f"escalation.{row.escalation_level}")))
    if row.duplicate_of_id:
        marks.append(t("complaints_ui.flag_duplicate", id=row.duplicate_of_id))
    return " · ".join(marks)


def card(detail: ComplaintDetail) -> None:
    """The complaint as registered, and everything that happened to it since."""
    row = detail.row
    files = context.query(attachments.for_complaint, actor=context.current_user(),
                          complaint_id=row.id)
    st.subheader(t("complaints_ui.card_title", number=number(row),
                   status=t(f"complaint_status.{row.status}")))
    marks = flags(row)
    if marks:
        st.markdown(f":red[**{marks}**]")
    st.markdown(t(
        "complaints_ui.card_meta", channel=t(f"complaint_channel.{row.channel}"),
        received=local_time(row.received_at), category=plain(row.category),
        unit=plain(row.unit or t("complaints_ui.no_unit")),
        district=plain(row.district or "—"), deadline=row.deadline.isoformat(),
    ))
    st.markdown(t("complaints_ui.card_complainant", who=plain(complainant(row))))
    finding = context.query(from_complaint.finding_of, actor=context.current_user(),
                            complaint_id=row.id)
    if finding is not None:
        st.markdown(t("complaints_ui.finding_line", id=finding.id,
                      status=t(f"finding_status.{finding.status}"),
                      deadline=finding.deadline or "—"))
    with st.container(border=True):
        st.markdown(plain(row.content))
        show(files.complaint, key=f"cf_{row.id}")
        reader = context.current_user()
        if can(reader, "complaint.manage") and can(reader, "complaint.identity"):
            share_editor(reader, row.id, files.complaint, key=f"cf_{row.id}_share")
    for answer in detail.replies:
        with st.container(border=True):
            st.markdown(t("complaints_ui.reply_head", unit=plain(answer.unit),
                          by=plain(answer.by), at=local_time(answer.at)))
            st.markdown(t("common.label_value", label=t("field.action_taken"),
                          value=plain(answer.action_taken)))
            st.markdown(t("common.label_value", label=t("field.result"),
                          value=plain(answer.result)))
            show(files.replies.get(answer.id), key=f"cf_{row.id}_r{answer.id}")
    for visit in detail.follow_ups:
        st.markdown(t("complaints_ui.follow_up_line", at=local_time(visit.at),
                      satisfaction=t(f"satisfaction.{visit.satisfaction}"),
                      method=t(f"contact_method.{visit.method}"),
                      note=plain(visit.note) or "—"))
    for request in detail.extensions:
        decision = request.decision or "pending"
        st.markdown(t("complaints_ui.extension_line", at=local_time(request.requested_at),
                      to=request.new_deadline.isoformat(), reason=plain(request.reason),
                      decision=t(f"extension_decision.{decision}"),
                      note=plain(request.decision_note) or "—"))
    with st.expander(t("complaints_ui.history", n=len(detail.log))):
        for step in detail.log:
            frm = t(f"complaint_status.{step.from_status}") if step.from_status else "—"
            st.markdown(t("complaints_ui.history_line", at=local_time(step.at), frm=frm,
                          to=t(f"complaint_status.{step.to_status}"),
                          who=plain(step.actor or t("complaints_ui.system")),
                          note=plain(step.note) or ""))
