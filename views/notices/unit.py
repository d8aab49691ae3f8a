"""On a liaison's start page: the notices issued to its unit in the last 30 days, each a
button that opens it (the liaison reads the extract about its unit when the office sent
extracts)."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from db.models import NoticeStatus, User
from db.timeutil import utcnow
from services.notices import queries
from ui import context, links
from ui.context import local_time, t
from ui.text import plain

RECENT = timedelta(days=30)


def recent_notices(actor: User) -> None:
    since = utcnow() - RECENT
    rows = [r for r in context.query(queries.list_notices, actor=actor,
                                     status=NoticeStatus.ISSUED)
            if r.issued_at and r.issued_at >= since]
    if not rows:
        return
    with st.container(border=True):
        st.markdown(f"**{t('notices_ui.unit_recent', n=len(rows))}**")
        for row in rows:
            label = t("notices_ui.unit_open", number=plain(row.number or ""),
                      day=local_time(row.issued_at, "%Y-%m-%d"), title=plain(row.title))
            if st.button(label, key=f"ut_notice_{row.id}", icon=":material/campaign:"):
                links.go("notices", id=row.id)
