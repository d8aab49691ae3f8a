"""本单位任务: a liaison's start page. What waits for the unit (leaders' open instructions,
reports due and late, complaints, findings to rectify), the tasks it leads (with the monthly
report form) and those it helps with (with the contribution note)."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.campaign import queries, reporting
from services.campaign.calendar import Timeliness
from services.core import clock
from ui import context
from ui.context import t
from ui.page import page
from ui.text import plain
from views.campaign.common import card, task_line
from views.campaign.forms import note_form, progress_form
from views.campaign.hall_form import hall_section
from views.campaign.work_report_form import work_reports_section
from views.dashboard.unit_figures import unit_figures
from views.findings.urges import open_urges
from views.findings.waiting import waiting_banners
from views.instructions.unit import open_instructions
from views.notices.unit import recent_notices

KEY = "ut"


@page("unit_tasks", title="nav.unit_tasks", tablet=True)
def render(actor: User) -> None:
    open_instructions(actor)  # leaders' instructions about the unit come first
    unit_figures(actor)
    waiting_banners(actor)
    open_urges(actor)  # the office's reminders (催办) about findings still to rectify
    recent_notices(actor)
    today = clock.today()
    owed = context.query(reporting.owed_reports, actor=actor, unit_id=actor.unit_id)
    due = reporting.due_soon_and_overdue(owed, today)
    late = [r for r in owed if r.timeliness == Timeliness.LATE]
    left, right = st.columns(2)
    left.metric(t("campaign_ui.reports_due"), len(due))
    right.metric(t("campaign_ui.reports_late"), len(late))
    for r in due:
        kind = "missing" if r.timeliness == Timeliness.MISSING else "due"
        (st.warning if kind == "missing" else st.info)(t(
            f"campaign_ui.owed_{kind}", task=plain(r.task), month=r.month.strftime("%Y-%m"),
            due=r.due.isoformat()))
    work_reports_section(actor)
    hall_section(actor)
    battles = context.query(queries.board, actor=actor, unit_id=actor.unit_id)
    tasks = {row.id: row for b in battles for row in b.tasks}
    if not tasks:
        st.info(t("campaign_ui.no_unit_tasks"))
        return
    for row in tasks.values():
        task_line(row)
    # The tasks the unit leads first: their monthly report is the unit's to write.
    ids = sorted(tasks, key=lambda i: (tasks[i].lead_unit_id != actor.unit_id, tasks[i].code))
    picked = st.radio(t("campaign_ui.open_task"), ids, key=f"{KEY}_pick",
                      format_func=lambda i: t("campaign_ui.task_choice", code=plain(tasks[i].code),
                                              title=plain(tasks[i].title),
                                              role=t("campaign_ui.role_lead")
                                              if tasks[i].lead_unit_id == actor.unit_id
                                              else t("campaign_ui.role_helper")))
    detail = context.query(queries.task_detail, actor=actor, task_id=picked)
    with st.container(border=True):
        card(detail)
        if detail.row.lead_unit_id == actor.unit_id:
            progress_form(actor, detail)
        elif any(unit_id == actor.unit_id for unit_id, _, _ in detail.units):
            note_form(actor, detail)
