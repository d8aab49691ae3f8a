"""投诉办理: a unit's liaison sees the complaints sent to the unit, what is due and overdue
first, and signs for, answers, returns them or asks for more time."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.complaints import lifecycle, queries
from services.complaints.queries import Filters
from ui import context
from ui.context import t
from ui.page import page
from ui.text import plain
from views.complaints import actions
from views.complaints.common import card, flags, number

PICK = "ci_pick"
PICK_DONE = "ci_pick_done"
EXCERPT = 40


@page("complaint_inbox", title="nav.complaint_inbox", tablet=True)
def render(actor: User) -> None:
    waiting = [r for status in (lifecycle.REOPENED, lifecycle.ASSIGNED, lifecycle.SIGNED)
               for r in context.query(queries.list_complaints, actor=actor,
                                      filters=Filters(status=status, include_duplicates=True),
                                      sort="deadline", descending=False, limit=200)]
    waiting.sort(key=lambda r: (not r.overdue, r.deadline))
    overdue = sum(r.overdue for r in waiting)
    todo, done = st.tabs([t("complaints_ui.inbox_todo", n=len(waiting), overdue=overdue),
                          t("complaints_ui.inbox_done")])
    with todo:
        if not waiting:
            st.success(t("complaints_ui.inbox_empty"))
        else:
            _pick_and_act(actor, waiting)
    with done:
        answered = [r for status in (lifecycle.REPLIED, lifecycle.CLOSED)
                    for r in context.query(queries.list_complaints, actor=actor, limit=50,
                                           filters=Filters(status=status,
                                                           include_duplicates=True))]
        if not answered:
            st.info(t("complaints_ui.inbox_done_empty"))
        else:
            # Read only: what the unit answered, and how the complainant judged it.
            detail = _pick(actor, answered, PICK_DONE)
            with st.container(border=True):
                card(detail)


def _pick_and_act(actor: User, rows: list[queries.ComplaintRow]) -> None:
    detail = _pick(actor, rows, PICK)
    with st.container(border=True):
        card(detail)
        actions.for_unit(actor, detail)


def _pick(actor: User, rows: list[queries.ComplaintRow], key: str) -> queries.ComplaintDetail:
    by_id = {r.id: r for r in rows}
    ids = list(by_id)
    # The choice is kept by complaint, not by position: signing for one re-sorts the list,
    # and the liaison must stay on the complaint they are answering.
    remembered = st.session_state.get(key)
    picked = st.radio(
        t("complaints_ui.pick"), ids, index=ids.index(remembered) if remembered in ids else 0,
        format_func=lambda i: _line(by_id[i]), key=f"{key}_radio",
    )
    st.session_state[key] = picked
    return context.query(queries.get_complaint, actor=actor, complaint_id=picked)


def _line(row: queries.ComplaintRow) -> str:
    """One choice of the list, as Markdown: the category and the start of the text are what a
    liaison recognises a complaint by."""
    return t("complaints_ui.inbox_line", number=number(row),
             status=t(f"complaint_status.{row.status}"), category=plain(row.category),
             deadline=row.deadline.isoformat(), flags=flags(row) or "",
             content=plain(row.content[:EXCERPT]))
