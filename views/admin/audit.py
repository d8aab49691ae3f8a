"""The audit log: filter, read, export as CSV."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from db.models import User
from services.core import audit_log as audit
from services.core import clock
from services.identity import users
from ui import context
from ui.context import local_time, t
from ui.page import page


@page("admin_audit", title="audit.title")
def render(actor: User) -> None:
    people = {
        u.id: f"{u.username} · {u.display_name}"
        for u in context.query(users.list_users, actor=actor)
    }
    c1, c2, c3, c4 = st.columns(4)
    user_id = c1.selectbox(
        t("audit.user"),
        [None, *people],
        key="audit_user",
        placeholder=t("common.all"),
        format_func=lambda i: t("common.all") if i is None else people[i],
    )
    action = c2.selectbox(
        t("audit.action"),
        [None, *context.query(audit.list_actions, actor=actor)],
        key="audit_action",
        placeholder=t("common.all"),
        format_func=lambda a: t("common.all") if a is None else t(f"audit_action.{a}"),
    )
    entity = c3.selectbox(
        t("audit.entity"),
        [None, *context.query(audit.list_entities, actor=actor)],
        key="audit_entity",
        placeholder=t("common.all"),
        format_func=lambda e: t("common.all") if e is None else t(f"audit_entity.{e}"),
    )
    today = clock.today()
    span = c4.date_input(
        t("audit.dates"), value=(today - timedelta(days=30), today), key="audit_dates"
    )
    start, end = (span + (None, None))[:2] if isinstance(span, tuple) else (span, span)
    filters = dict(user_id=user_id, action=action, entity=entity, date_from=start,
                   date_to=end)
    frame = context.query(audit.search, actor=actor, limit=audit.MAX_ROWS, **filters)
    frame["at"] = frame["at"].map(
        lambda v: local_time(v, "%Y-%m-%d %H:%M:%S")
    )
    frame["action"] = frame["action"].map(lambda a: t(f"audit_action.{a}"))
    frame["entity"] = frame["entity"].map(lambda e: t(f"audit_entity.{e}"))
    shown = frame.rename(columns={c: t(f"audit.col.{c}") for c in frame.columns})
    st.caption(t("audit.count", count=len(frame), max=audit.MAX_ROWS))
    if len(frame) >= audit.MAX_ROWS:
        total = context.query(audit.count, actor=actor, **filters)
        if total > len(frame):
            st.warning(t("audit.capped", total=total, shown=len(frame)))
    st.dataframe(shown, hide_index=True)
    st.download_button(
        t("audit.export"),
        data=audit.to_csv(shown),
        file_name="audit.csv",
        mime="text/csv",
        key="audit_export",
    )

