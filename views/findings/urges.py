"""效能办催办 on a liaison's start page: the office's reminders about the unit's findings
that still wait for it, the latest per finding, with its deadline and the office's note."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.core.permissions import can
from services.findings import urging
from ui import context
from ui.context import local_time, t
from ui.text import plain


def open_urges(actor: User) -> None:
    if not can(actor, "rectification.submit") or actor.unit_id is None:
        return
    rows = context.query(urging.open_urges_for_unit, actor=actor, unit_id=actor.unit_id)
    if not rows:
        return
    with st.container(border=True, key="unit_urges"):
        st.warning(t("bulk_ui.open_title"), icon=":material/notifications_active:")
        for row in rows:
            st.markdown(t("bulk_ui.open_line", id=row.finding_id,
                          description=plain(row.description)))
            meta = t("bulk_ui.open_meta", when=local_time(row.urged_at),
                     deadline=row.deadline.isoformat() if row.deadline else "—",
                     overdue=t("bulk_ui.open_overdue") if row.overdue else "", times=row.times)
            if row.note:
                meta += " · " + t("bulk_ui.open_note", note=plain(row.note))
            st.caption(meta)
