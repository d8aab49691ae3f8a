"""Review of submitted inspections (问题审核): the office confirms each finding with a
rectification deadline (限期整改), or rejects it with a reason."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from db.models import User
from services.core import clock
from services.fieldwork import visit_view
from services.findings import review
from services.findings import status as finding_status
from ui import context
from ui.context import local_time, t
from ui.feedback import saving
from ui.page import page
from ui.photo_views import thumbnails
from ui.text import plain
from ui.widgets import forget_form, seen_version

PICK_KEY = "rv_pick"


@page("review", title="review.title", tablet=True)
def render(actor: User) -> None:
    pending = context.query(review.list_pending, actor=actor)
    if not pending:
        st.success(t("review.nothing_pending"))
        return
    _pending_table(pending)
    by_id = {p.id: p for p in pending}
    pick = st.selectbox(
        t("review.pick"), list(by_id), key=PICK_KEY,
        # No live count in the label: Streamlit knows an option by its label, and a label
        # that changes after a decision made the next tap land on another visit.
        format_func=lambda i: t("review.pick_label", unit=by_id[i].unit,
                                kind=t("kind_inspection." + by_id[i].kind),
                                when=local_time(by_id[i].visited_at)),
    )
    row = by_id[pick]
    view = context.query(visit_view.get_visit, actor=actor, inspection_id=row.id)
    _header(view, row)
    _answers(view)
    _findings(actor, view)



def _pending_table(pending: list[review.PendingInspection]) -> None:
    st.dataframe(
        pd.DataFrame(
            {
                "unit": [p.unit for p in pending],
                "kind": [t("kind_inspection." + p.kind) for p in pending],
                "inspector": [p.inspector for p in pending],
                "visited": [local_time(p.visited_at) for p in pending],
                "submitted": [local_time(p.submitted_at) for p in pending],
                "open": [p.open_findings for p in pending],
            }
        ),
        hide_index=True,
        key="rv_table",
        column_config={
            "unit": st.column_config.TextColumn(t("review.unit")),
            "kind": st.column_config.TextColumn(t("review.kind")),
            "inspector": st.column_config.TextColumn(t("review.inspector")),
            "visited": st.column_config.TextColumn(t("review.visited_at")),
            "submitted": st.column_config.TextColumn(t("review.submitted_at")),
            "open": st.column_config.NumberColumn(t("review.open_findings")),
        },
    )


def _header(view: visit_view.VisitView, row: review.PendingInspection) -> None:
    with st.container(border=True):
        st.subheader(plain(view.unit))
        st.markdown(
            t("review.header", kind=t("kind_inspection." + view.kind),
              inspector=plain(row.inspector), when=local_time(view.visited_at),
              submitted=local_time(row.submitted_at), template=plain(view.template.name))
        )
        if view.plan_id is not None:
            st.caption(t("review.from_plan"))
        st.markdown(f"**{t('field.summary')}**")
        st.markdown(plain(view.summary) or t("common.none"))


def _answers(view: visit_view.VisitView) -> None:
    failing = {i.id for i in view.failing_items()}
    label = t("review.answers", failing=len(failing))
    with st.expander(label, expanded=bool(failing)):
        for section, items in view.template.sections():
            st.markdown(f"**{plain(section)}**")
            lines = []
            for item in items:
                value = view.answers.get(item.id, "")
                shown = (t("answer." + value) if item.answer_type == "yes_no" and value
                         else plain(value))
                if item.id in failing:
                    lines.append(f"- :red[**✗ {plain(item.text)}：{shown}**]")
                else:
                    lines.append(f"- {plain(item.text)}：{shown or '—'}")
            st.markdown("\n".join(lines))


def _findings(actor, view: visit_view.VisitView) -> None:
    st.subheader(t("review.findings", n=len(view.findings)))
    if not view.findings:
        st.info(t("review.no_findings"))
        return
    items = {i.id: i for i in view.template.items}
    for n, finding in enumerate(view.findings, start=1):
        with st.container(border=True):
            _finding(actor, finding, n, items)


def _finding(actor, f: visit_view.FindingView, n: int, items: dict) -> None:
    st.markdown(
        f"**{t('review.finding_n', n=n)}** · {t('category.' + f.category)} · "
        f"{_severity_badge(f.severity)} · {t('finding_status.' + f.status)}"
    )
    if f.item_id in items:
        st.caption(t("review.from_item", item=plain(items[f.item_id].text)))
    st.markdown(plain(f.description))
    if f.responsible_person:
        st.caption(t("review.responsible", name=plain(f.responsible_person)))
    k = f"rv_f{f.id}_"
    thumbnails(f.photos, key=f"{k}thumbs")
    if f.photos and st.toggle(t("review.show_large"), key=f"{k}large"):
        thumbnails(f.photos, key=f"{k}display", large=True)
    if f.status != finding_status.OPEN:
        if f.deadline:
            st.caption(t("review.deadline_set", date=f.deadline))
        if f"{k}__version" in st.session_state:
            # This user had it open for a decision, and someone else decided first: a click
            # on the buttons that are gone now did nothing, and this says so.
            st.warning(t("review.decided_meanwhile",
                         status=t("finding_status." + f.status)))
            forget_form(k)
        return
    _decide(actor, f, k)


def _severity_badge(severity: str) -> str:
    color = {"general": "blue", "serious": "orange", "severe": "red"}.get(severity, "gray")
    return f":{color}-badge[{t('severity.' + severity)}]"


def _decide(actor, f: visit_view.FindingView, k: str) -> None:
    version = seen_version(k, f.version)
    confirm_col, reject_col = st.columns(2)
    with confirm_col:
        deadline = st.date_input(
            t("field.deadline"), value=review.default_deadline(f.severity),
            min_value=clock.today(), key=f"{k}deadline",
            help=t("review.deadline_help"),
        )
        note = st.text_input(t("review.confirm_note"), key=f"{k}note", max_chars=2000)
        if st.button(t("review.confirm"), key=f"{k}confirm", type="primary", width="stretch"):
            with saving(k, "review.confirmed"):
                context.run(review.confirm_finding, actor=actor, finding_id=f.id,
                                       version=version, deadline=deadline, note=note)
    with reject_col:
        reason = st.text_area(t("review.reject_reason"), key=f"{k}reason", max_chars=2000,
                              placeholder=t("review.reject_reason_hint"))
        if st.button(t("review.reject"), key=f"{k}reject", width="stretch"):
            with saving(k, "review.rejected"):
                context.run(review.reject_finding, actor=actor, finding_id=f.id,
                                      reason=reason, version=version)

