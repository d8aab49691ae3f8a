"""The second tab of verification: every confirmed finding with its deadline and whether it
is overdue, filtered by status, paged on the server."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from db.models import User
from services.findings import queries as finding_queries
from services.findings import status as finding_status
from ui import context, paging
from ui.context import t
from views.findings.source import source

# Confirmed statuses in the order of a finding's life.
CONFIRMED = (
    finding_status.RECTIFYING,
    finding_status.REOPENED,
    finding_status.REPORTED,
    finding_status.VERIFIED,
)


def render_confirmed(actor: User) -> None:
    chosen = st.multiselect(
        t("verify.status_filter"), CONFIRMED, default=list(CONFIRMED), key="vf_all_status",
        placeholder=t("common.choose_many"),
        format_func=lambda s: t("finding_status." + s),
    )
    overdue_only = st.toggle(t("verify.overdue_only"), key="vf_all_overdue")
    statuses = tuple(chosen) or CONFIRMED
    total, overdue = context.query(finding_queries.count_cases, actor=actor, statuses=statuses,
                                   overdue_only=overdue_only)
    left, right = st.columns(2)
    left.metric(t("verify.total"), total)
    right.metric(t("verify.overdue_total"), overdue)
    offset = paging.offset("vf_all", total, filters=(statuses, overdue_only))
    cases = context.query(finding_queries.list_cases, actor=actor, statuses=statuses,
                          overdue_only=overdue_only, offset=offset, limit=paging.PAGE_SIZE)
    if not cases:
        st.info(t("verify.none_match"))
        return
    paging.controls("vf_all", total)
    st.dataframe(
        pd.DataFrame(
            {
                "unit": [c.unit for c in cases],
                "category": [t("category." + c.category) for c in cases],
                "severity": [t("severity." + c.severity) for c in cases],
                "status": [t("finding_status." + c.status) for c in cases],
                "deadline": [c.deadline for c in cases],
                "overdue": [c.overdue for c in cases],
                "reports": [len(c.rectifications) for c in cases],
                "source": [source(c) for c in cases],
                "description": [c.description for c in cases],
            }
        ),
        hide_index=True,
        key="vf_all_table",
        column_config={
            "unit": st.column_config.TextColumn(t("review.unit")),
            "category": st.column_config.TextColumn(t("field.category")),
            "severity": st.column_config.TextColumn(t("field.severity")),
            "description": st.column_config.TextColumn(t("field.description")),
            "status": st.column_config.TextColumn(t("verify.status")),
            "deadline": st.column_config.DateColumn(t("field.deadline"), format="YYYY-MM-DD"),
            "overdue": st.column_config.CheckboxColumn(t("verify.overdue")),
            "source": st.column_config.TextColumn(t("finding_source.column")),
            "reports": st.column_config.NumberColumn(t("verify.reports")),
        },
    )

