"""One visit, on a tablet: checklist, findings with photos, summary, submit.

Every answer and every finding is saved on the server as soon as it is given, so a reload
or a dropped connection loses nothing; the visit reopens from "Today"."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.core.errors import DomainError
from services.fieldwork import checklists, visit_view
from services.fieldwork import visits as inspections
from ui import context
from ui.context import local_time, t
from ui.feedback import error_text, reported
from ui.links import go
from ui.page import page
from ui.photo_views import thumbnails
from ui.text import plain
from views.fieldwork import visit_findings

ANSWERS = (checklists.YES, checklists.NO, checklists.NOT_APPLICABLE)


@page("inspect_visit", title="visit.title", tablet=True)
def render(actor: User) -> None:
    visit_id = _visit_id(actor)
    if visit_id is None:
        st.info(t("visit.none_open"))
        if st.button(t("nav.inspect_today"), key="visit_to_today", width="stretch"):
            go("inspect_today")
        return
    try:
        view = context.query(visit_view.get_visit, actor=actor, inspection_id=visit_id)
    except DomainError as err:
        st.error(error_text(err))
        return
    st.caption(t("visit.header", unit=plain(view.unit), kind=t("kind_inspection." + view.kind),
                 status=t("visit_status." + view.status),
                 when=local_time(view.visited_at)))
    if view.status != inspections.DRAFT:
        _read_only(view)
        return
    st.caption(t("visit.autosave"))
    answers = _checklist(actor, view)
    visit_findings.findings(actor, view, answers)
    _summary(actor, view)
    _submit(actor, view)


def _visit_id(actor) -> int | None:
    raw = st.query_params.get("visit")
    if raw and raw.isascii() and raw.isdigit():  # "²" is a digit to Python, not to int()
        return int(raw)
    drafts = context.query(visit_view.list_drafts, actor=actor)
    if drafts:
        st.query_params["visit"] = str(drafts[0].id)
        return drafts[0].id
    return None


# --- checklist ------------------------------------------------------------------------------


def _checklist(actor, view: visit_view.VisitView) -> dict[int, str]:
    """Shows every item and saves what changed since the last run; returns current answers."""
    current: dict[int, str] = {}
    for section, items in view.template.sections():
        st.subheader(plain(section))
        for item in items:
            current[item.id] = _answer_widget(view, item)
    changed = {i: v for i, v in current.items() if v != view.answers.get(i, "")}
    if changed:
        with reported():
            context.run(inspections.save_answers, actor=actor, inspection_id=view.id,
                                     answers=changed)
    return current


def _answer_widget(view: visit_view.VisitView, item) -> str:
    stored = view.answers.get(item.id, "")
    key = f"ans_{view.id}_{item.id}"
    label = plain(item.text)  # a widget label is Markdown too
    if item.answer_type == "yes_no":
        value = st.segmented_control(
            label, ANSWERS, default=stored or None, key=key,
            format_func=lambda a: t("answer." + a),
        )
        if value == checklists.NO and item.photo_required_on_fail:
            st.caption(t("visit.photo_required_hint"))
        return value or ""
    if item.answer_type == "number":
        number = st.number_input(label, value=float(stored) if stored else None,
                                 min_value=0.0, step=1.0, format="%g", key=key)
        if number is None:
            return ""
        return str(int(number)) if number.is_integer() else repr(number)
    return st.text_input(label, value=stored, key=key, max_chars=1000)


# --- summary and submit ---------------------------------------------------------------------


def _summary(actor, view) -> None:
    st.subheader(t("field.summary"))
    summary = st.text_area(t("field.summary"), value=view.summary, key=f"summary_{view.id}",
                           label_visibility="collapsed", max_chars=4000)
    if summary != view.summary:
        with reported():
            context.run(inspections.save_details, actor=actor, inspection_id=view.id,
                                     summary=summary)


def _submit(actor, view) -> None:
    if st.button(t("visit.submit"), key=f"submit_{view.id}", type="primary", width="stretch"):
        with reported():
            context.run(inspections.submit_visit, actor=actor, inspection_id=view.id)
            context.flash("success", "visit.submitted", unit=view.unit)
            go("inspect_today")
    with st.popover(t("visit.discard"), width="stretch"):
        st.write(t("visit.discard_confirm", unit=plain(view.unit)))
        if st.button(t("visit.discard"), key=f"discard_{view.id}", type="primary"):
            with reported():
                context.run(inspections.discard_draft, actor=actor, inspection_id=view.id)
                context.flash("info", "visit.discarded", unit=view.unit)
                go("inspect_today")


def _read_only(view: visit_view.VisitView) -> None:
    st.info(t("visit.read_only"))
    for section, items in view.template.sections():
        st.subheader(plain(section))
        for item in items:
            value = view.answers.get(item.id, "")
            shown = (t("answer." + value) if item.answer_type == "yes_no" and value
                     else plain(value))
            st.markdown(f"- {plain(item.text)}：**{shown or '—'}**")
    st.subheader(t("visit.findings"))
    for n, f in enumerate(view.findings, start=1):
        with st.container(border=True):
            st.markdown(f"**{t('visit.finding_n', n=n)}** · {t('category.' + f.category)} · "
                        f"{t('severity.' + f.severity)} · {t('finding_status.' + f.status)}")
            st.markdown(plain(f.description))
            thumbnails(f.photos, key=f"ro_{f.id}")
    if view.summary:
        st.subheader(t("field.summary"))
        st.markdown(plain(view.summary))

