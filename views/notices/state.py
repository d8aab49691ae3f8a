"""What the notices page keeps between runs: a new notice being composed (its kind and the
findings picked in the register for it)."""

from __future__ import annotations

import streamlit as st

from db.models import NoticeKind
from ui.widgets import forget_form

NEW = "notice_new"


def start_new(kind: str, finding_ids: list[int]) -> None:
    """Called by the register's "add to a notice": the form opens with these findings."""
    forget_new()
    st.session_state[NEW] = {"kind": kind, "finding_ids": sorted(set(finding_ids))}


def new() -> dict | None:
    """The pick waiting for the form, when it is one: a kind and a list of finding ids."""
    pending = st.session_state.get(NEW)
    if not isinstance(pending, dict) or pending.get("kind") not in set(NoticeKind):
        return None
    ids = pending.get("finding_ids")
    if not isinstance(ids, list | tuple):
        return None
    return {"kind": pending["kind"], "finding_ids": [
        i for i in ids if isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31]}


def forget_new() -> None:
    pending = new()
    st.session_state.pop(NEW, None)
    if pending:
        forget_form(new_form_key(pending["kind"]))


def new_form_key(kind: str) -> str:
    return f"nn_{kind}"
