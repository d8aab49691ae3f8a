"""What waits for a unit's liaison, said at the top of their pages: complaints sent to the
unit and findings to rectify, each with how many are overdue."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.complaints import queries as complaint_queries
from services.core.permissions import can
from services.findings import queries as finding_queries
from services.findings import status as finding_status
from ui import context
from ui.context import t

AWAITING = tuple(sorted(finding_status.AWAITING_UNIT))


def complaints_waiting(actor: User) -> None:
    if not can(actor, "complaint.handle"):
        return
    owed, overdue = context.query(complaint_queries.waiting_for_unit, actor=actor)
    if owed:
        show = st.warning if overdue else st.info
        show(t("complaints_ui.waiting_banner", n=owed, overdue=overdue))


def waiting_banners(actor: User) -> None:
    """The liaison's start page: complaints, then findings to rectify."""
    complaints_waiting(actor)
    if not can(actor, "rectification.submit"):
        return
    owed, overdue = context.query(finding_queries.count_cases, actor=actor, statuses=AWAITING)
    if owed:
        show = st.warning if overdue else st.info
        show(t("rectify.waiting_banner", n=owed, overdue=overdue))
