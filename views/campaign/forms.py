"""The monthly report form (the lead unit, or the office for it) and the contribution note
(a co-unit or responsible unit). A month already reported opens as an edit of that report,
saved against the version first shown, so two people never overwrite each other unseen."""

from __future__ import annotations

from datetime import date

import streamlit as st

from db.models import User
from services.campaign import calendar, progress
from services.campaign.queries import TaskDetail
from services.core import clock
from services.photos import attachments
from ui import context
from ui.attachments import uploader
from ui.context import t
from ui.feedback import saving
from ui.widgets import next_round, round_of, seen_version

MONTHS_BACK = 12


def months(detail: TaskDetail, today: date) -> list[date]:
    """The months a report may be on, newest first: this one back to the task's start."""
    first = max(detail.row.start_date.replace(day=1), date(today.year - 1, today.month, 1))
    out, month = [], first
    while month <= today.replace(day=1):
        out.append(month)
        month = calendar.next_month(month)
    return list(reversed(out))[:MONTHS_BACK]


def progress_form(actor: User, detail: TaskDetail) -> None:
    today = clock.today()
    choices = months(detail, today)
    if not choices:
        return
    reported = {r.month: r for r in detail.reports}
    # The month that is due first: the newest without a report, else this month.
    missing = [m for m in choices[1:] if m not in reported]
    key = f"cp_{detail.row.id}"
    month = st.selectbox(t("campaign_ui.month"), choices, key=f"{key}_month",
                         index=choices.index(missing[0]) if missing else 0,
                         format_func=lambda m: m.strftime("%Y-%m") + (
                             t("campaign_ui.month_reported") if m in reported else ""))
    existing = reported.get(month)
    # A new round of keys after each save: the uploader then starts empty in the browser too.
    rounds = f"{key}_round"
    form = f"{key}_{month:%Y%m}_r{round_of(rounds)}"
    version = seen_version(form, existing.version) if existing else None
    with st.form(form):
        heading = "campaign_ui.edit_report" if existing else "campaign_ui.new_report"
        st.markdown(f"**{t(heading, month=month.strftime('%Y-%m'))}**")
        # A new month starts from the month before's percent (not the latest: a month filled
        # in late must not start above the months after it).
        before = [r.percent for r in detail.reports if r.month < month]
        percent = st.number_input(t("campaign_ui.percent"), min_value=0, max_value=100, step=1,
                                  value=existing.percent if existing else
                                  (before[0] if before else 0), key=f"{form}_percent")
        texts = {}
        for name, height in (("done", 100), ("problems", 70), ("next_steps", 70)):
            texts[name] = st.text_area(t(f"campaign_ui.{name}"), key=f"{form}_{name}",
                                       value=getattr(existing, name) if existing else "",
                                       height=height, max_chars=progress.TEXT_MAX)
        st.caption(t("campaign_ui.behind_hint"))
        for name in ("explanation", "measures"):
            texts[name] = st.text_area(t(f"campaign_ui.{name}"), key=f"{form}_{name}",
                                       value=getattr(existing, name) if existing else "",
                                       height=70, max_chars=progress.TEXT_MAX)
        drop = st.text_input(t("campaign_ui.drop_reason"), key=f"{form}_drop",
                             value=existing.drop_reason if existing else "",
                             help=t("campaign_ui.drop_hint"))
        files = uploader(f"{form}_files")
        if st.form_submit_button(t("campaign_ui.submit_report"), type="primary"):
            with saving(form, "campaign_ui.report_saved", then=lambda: next_round(rounds)):
                # Checked before the transaction: a bad file is named and the form kept.
                prepared = attachments.prepare(files)
                context.run(progress.submit_progress, actor=actor, task_id=detail.row.id,
                            month=month, percent=int(percent), drop_reason=drop,
                            version=version, attachments=prepared, **texts)


def note_form(actor: User, detail: TaskDetail) -> None:
    choices = months(detail, clock.today())
    if not choices:
        return
    # The month the lead unit is reporting now (last month, due on the 5th) comes first.
    default = choices[1] if len(choices) > 1 else choices[0]
    month = st.selectbox(t("campaign_ui.note_month"), choices, index=choices.index(default),
                         key=f"cn_{detail.row.id}_month", format_func=lambda m: m.strftime("%Y-%m"))
    mine = next((n for n in detail.notes if n.unit_id == actor.unit_id and n.month == month),
                None)
    form = f"cn_{detail.row.id}_{month:%Y%m}"
    version = seen_version(form, mine.version) if mine else None
    with st.form(form):
        st.markdown(f"**{t('campaign_ui.note_title', month=month.strftime('%Y-%m'))}**")
        text = st.text_area(t("campaign_ui.note"), key=f"{form}_text",
                            value=mine.text if mine else "", max_chars=progress.TEXT_MAX)
        if st.form_submit_button(t("campaign_ui.save_note"), type="primary"):
            with saving(form, "campaign_ui.note_saved"):
                context.run(progress.write_contribution, actor=actor, task_id=detail.row.id,
                            month=month, text=text, version=version)

