"""One instruction as every page shows it: what it is about, the leader's words, who gave
it and when, and how the office handled it. Everything typed is escaped (ui.text.plain)."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.core.permissions import can
from services.instructions.queries import InstructionRow
from services.instructions.targets import COMPLAINT, FINDING, Target
from ui import links
from ui.context import local_time, t
from ui.text import plain


def about(target: Target) -> str:
    """What the instruction is about, as Markdown-safe text; a complaint by its number,
    category, unit and day received only (never who complained)."""
    unit = plain(target.unit or "—")
    day = target.day.isoformat() if target.day else "—"
    if target.kind == COMPLAINT:
        return t("instructions_ui.about_complaint", id=target.id,
                 category=plain(target.category or "—"), unit=unit, day=day)
    if target.kind == FINDING:
        category = t(f"category.{target.category}") if target.category else "—"
        severity = t(f"severity.{target.severity}") if target.severity else "—"
        return t("instructions_ui.about_finding", id=target.id, category=plain(category),
                 severity=severity, unit=unit, day=day)
    return t("instructions_ui.about_task", code=plain(target.code or str(target.id)),
             title=plain(target.title), unit=unit)


def show(row: InstructionRow, reader: User, *, with_target: bool = True) -> None:
    """The instruction's lines, in the caller's container, as `reader` (the page's signed-in
    user, loaded once per run by the caller) may act on them."""
    status = t(f"instruction_status.{row.status}")
    head = f"**{status}**" + (f" · {about(row.target)}" if with_target else "")
    st.markdown(head)
    st.markdown(plain(row.text))
    # The office acts on the complaint itself: its page, opened at this complaint.
    opens = with_target and row.target.kind == COMPLAINT and can(reader, "complaint.view")
    if opens and st.button(t("instructions_ui.open_complaint"), key=f"instr_open_{row.id}",
                           icon=":material/open_in_new:"):
        links.go("complaints", id=row.target.id)
    st.caption(t("instructions_ui.given", who=plain(row.given_by),
                 at=local_time(row.given_at)))
    if not row.open:
        st.caption(t("instructions_ui.handled", who=plain(row.handled_by or "—"),
                     at=local_time(row.handled_at), note=plain(row.handled_note)))
