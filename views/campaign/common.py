"""What the campaign pages share: a task's line on the board (progress bar, traffic light,
the sentence that explains it) and its card with milestones, reports and notes."""

from __future__ import annotations

import streamlit as st

from services.campaign import files as campaign_files
from services.campaign.queries import TaskDetail, TaskRow
from ui import context
from ui.attachments import show
from ui.context import local_time, t
from ui.text import plain

BADGE = {"green": "green", "yellow": "orange", "red": "red", "blue": "blue"}


def light(row: TaskRow) -> str:
    """The traffic light as a Markdown badge, its word from the catalog."""
    return f":{BADGE[row.status.light]}-badge[{t(f'schedule.status.{row.status.schedule}')}]"


def sentence(row: TaskRow) -> str:
    return t(row.status.key, **row.status.params)


def task_line(row: TaskRow) -> None:
    with st.container(border=True):
        top, badge = st.columns([4, 1])
        top.markdown(f"**{plain(row.code)}** {plain(row.title)}")
        badge.markdown(light(row))
        st.progress((row.percent or 0) / 100,
                    text=t("campaign_ui.progress", percent=row.percent or 0,
                           month=row.reported_month.strftime("%Y-%m") if row.reported_month
                           else t("campaign_ui.no_report")))
        st.caption(t("campaign_ui.line_meta", sentence=sentence(row), lead=plain(row.lead_unit),
                     helpers=plain("、".join(row.helpers)) or "—",
                     due=row.due_date.isoformat()))


def card(detail: TaskDetail) -> None:
    row = detail.row
    st.subheader(f"{plain(row.code)} {plain(row.title)}")
    st.markdown(light(row) + " " + sentence(row))
    if detail.target:
        st.markdown(t("common.label_value", label=t("campaign_ui.target"),
                      value=plain(detail.target)))
    roles = {"co": t("campaign_ui.role_co"), "responsible": t("campaign_ui.role_responsible")}
    st.caption(t("campaign_ui.units", lead=plain(row.lead_unit), others="、".join(
        t("campaign_ui.unit_role", unit=plain(name), role=roles.get(role, role))
        for _, name, role in detail.units) or "—"))
    if detail.milestones:
        st.dataframe({
            t("campaign_ui.milestone"): [m.title for m in detail.milestones],
            t("campaign_ui.milestone_due"): [m.due.isoformat() for m in detail.milestones],
            t("campaign_ui.milestone_weight"): [m.weight for m in detail.milestones],
        }, hide_index=True)
    files = context.query(campaign_files.of_reports, actor=context.current_user(),
                          report_ids=[r.id for r in detail.reports])
    for report in detail.reports:
        late = f" · :red-badge[{t('campaign_ui.late')}]" if report.late else ""
        edited = t("campaign_ui.edited", n=report.revisions) if report.revisions else ""
        with st.expander(t("campaign_ui.report_head", month=report.month.strftime("%Y-%m"),
                           percent=report.percent) + late, expanded=report is detail.reports[0]):
            st.caption(t("campaign_ui.report_by", by=plain(report.by),
                         at=local_time(report.submitted_at)) + edited)
            for label, value in (("done", report.done), ("problems", report.problems),
                                 ("next_steps", report.next_steps),
                                 ("explanation", report.explanation),
                                 ("measures", report.measures),
                                 ("drop_reason", report.drop_reason)):
                if value:
                    st.markdown(t("common.label_value", label=t(f"campaign_ui.{label}"),
                                  value=plain(value)))
            show(files.get(report.id), key=f"crf_{report.id}",
                 fetch_photo=campaign_files.photo_bytes,
                 fetch_document=campaign_files.document_bytes)
            before = [v for v in detail.revisions if v.report_id == report.id]
            if before and st.toggle(t("campaign_ui.show_edits", n=len(before)),
                                    key=f"crv_{report.id}"):
                for v in reversed(before):  # the latest edit first
                    st.caption(t("campaign_ui.revision_line", at=local_time(v.at),
                                 by=plain(v.by), percent=v.percent, done=plain(v.done)))
            notes = [n for n in detail.notes if n.month == report.month]
            for note in notes:
                st.markdown(t("campaign_ui.note_line", unit=plain(note.unit),
                              role=roles.get(note.role, note.role), text=plain(note.text)))
    orphan = [n for n in detail.notes if n.month not in {r.month for r in detail.reports}]
    for note in orphan:
        st.markdown(t("campaign_ui.note_line_month", month=note.month.strftime("%Y-%m"),
                      unit=plain(note.unit), role=roles.get(note.role, note.role),
                      text=plain(note.text)))
