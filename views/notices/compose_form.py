"""The office's notice form: a new draft (from the register's picked findings, chosen
units and reasons, or a period's figures) or a draft's edit. Saved against the version it
was opened on, so an edit made meanwhile is not overwritten unseen; a new draft carries a
client key, so a double click makes one."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import streamlit as st

from db.models import NoticeKind, User
from services.core import clock
from services.notices import compose, queries
from services.notices.compose import Content
from services.org import structure
from ui import context, links
from ui.context import t
from ui.feedback import reported, saving
from ui.text import plain
from ui.widgets import forget_form, seen_version
from views.notices import state

# A criticism's rectification deadline unless the office picks another.
DEADLINE = timedelta(days=15)
REQUIREMENTS = {
    NoticeKind.CRITICISM: "field.notice_requirements",
    NoticeKind.COMMENDATION: "notices_ui.requirements_commendation",
    NoticeKind.SITUATION: "notices_ui.requirements_situation",
}


def _widget_values(form: str, content: Content) -> dict[str, object]:
    """Widget key -> the value it shows for this content (multiselects take lists)."""
    values: dict[str, object] = {}
    for name, value in vars(content).items():
        if name == "reasons":
            values |= {f"{form}_reason_{unit_id}": why for unit_id, why in value.items()}
        elif name != "kind":
            values[f"{form}_{name}"] = list(value) if isinstance(value, tuple) else value
    return values


def _seeded(form: str) -> bool:
    return bool(st.session_state.get(f"{form}__seeded"))


def _seed(form: str, content: Content) -> None:
    """The form's widgets start at the stored (or suggested) content, once."""
    if _seeded(form):
        return
    st.session_state.update(_widget_values(form, content))
    st.session_state[f"{form}__seeded"] = True


def new_form(actor: User, kind: str, finding_ids: list[int]) -> None:
    form = state.new_form_key(kind)
    if not _seeded(form):  # the suggestions are worked out once, not on every run
        _seed(form, _suggested(actor, form, kind, finding_ids))
    if left_out := st.session_state.get(f"{form}__left_out"):  # not confirmed (or not theirs)
        st.warning(t("notices_ui.picked_left_out", n=left_out))
    typed = _fields(actor, form, kind)
    key = st.session_state.setdefault(f"{form}_client_key", uuid.uuid4().hex)
    if st.button(t("notices_ui.save_draft"), type="primary", key=f"{form}_save"):
        with reported():
            made = context.run(compose.create_draft, actor=actor, client_key=key, **typed)
            forget_form(form)
            state.forget_new()
            context.flash("success", "notices_ui.draft_saved")
            links.go("notices", id=made.id)


def _suggested(actor: User, form: str, kind: str, finding_ids: list[int]) -> Content:
    """What a new notice of this kind starts with: the office edits it, never types it all.
    Only the picked findings that are confirmed and the actor's go in (the number left out
    is kept for the form's warning)."""
    usable = context.query(queries.finding_labels, actor=actor, finding_ids=finding_ids)
    st.session_state[f"{form}__left_out"] = len(set(finding_ids) - set(usable))
    units = sorted(context.query(queries.finding_units, actor=actor, finding_ids=sorted(usable)))
    criticism = kind == NoticeKind.CRITICISM
    start, end = last_month(clock.today()) if kind == NoticeKind.SITUATION else (None, None)
    return Content(kind=kind, title=_suggested_title(actor, units) if criticism else "",
                   unit_ids=tuple(units), finding_ids=tuple(sorted(usable)),
                   opening=t(f"notices_ui.opening_{kind}"),
                   requirements=t(f"notices_ui.requirements_text_{kind}"),
                   rectification_deadline=clock.today() + DEADLINE if criticism else None,
                   period_from=start, period_to=end)


def has_unsaved_edits(notice_id: int, held: Content) -> bool:
    """The edit form holds values other than the stored draft's."""
    form = f"ne_{notice_id}"
    if not _seeded(form):
        return False
    return any(key in st.session_state and st.session_state[key] != value
               for key, value in _widget_values(form, held).items())


def edit_form(actor: User, notice_id: int, version: int, held: Content) -> None:
    form = f"ne_{notice_id}"
    version = seen_version(form, version)
    _seed(form, held)
    typed = _fields(actor, form, held.kind)
    if st.button(t("notices_ui.save_draft"), type="primary", key=f"{form}_save"):
        # The page's other buttons (submit) saw the old version: they start anew too.
        with saving(form, "notices_ui.draft_saved",
                    then=lambda: forget_form(f"na_{notice_id}")):
            context.run(compose.update_draft, actor=actor, notice_id=notice_id,
                        version=version, **typed)


def _suggested_title(actor: User, unit_ids: list[int]) -> str:
    """A criticism opened from the register starts with a title in the usual form, naming
    its unit (or the first and how many): "关于市供电公司效能问题的通报"."""
    if not unit_ids:
        return ""
    names = sorted(u.name for u in context.query(structure.list_units, actor=actor,
                                                  include_inactive=False) if u.id in unit_ids)
    if not names:
        return ""
    title = t("notices_ui.title_one", unit=names[0]) if len(names) == 1 \
        else t("notices_ui.title_many", unit=names[0], n=len(names))
    return title if len(title) <= compose.TITLE_MAX else ""


def _fields(actor: User, form: str, kind: str) -> dict:
    units = {u.id: u.name for u in context.query(structure.list_units, actor=actor,
                                                 include_inactive=False)}
    typed: dict = {"kind": kind}
    typed["title"] = st.text_input(t("field.notice_title"), key=f"{form}_title",
                                   max_chars=compose.TITLE_MAX,
                                   placeholder=t("notices_ui.title_placeholder"))
    typed["unit_ids"] = st.multiselect(t("field.notice_recipients"), list(units),
                                       key=f"{form}_unit_ids", format_func=units.get,
                                       placeholder=t("common.choose_many"))
    if kind != NoticeKind.COMMENDATION:
        held = st.session_state.get(f"{form}_finding_ids", [])
        labels = context.query(queries.finding_labels, actor=actor, finding_ids=held)
        typed["finding_ids"] = st.multiselect(
            t("field.notice_findings"), list(labels), key=f"{form}_finding_ids",
            format_func=labels.get, help=t("notices_ui.findings_help"),
            placeholder=t("common.choose_many"))
    else:
        typed["reasons"] = {u: st.text_input(t("notices_ui.reason_for", unit=plain(units.get(u))),
                                             key=f"{form}_reason_{u}",
                                             max_chars=compose.REASON_MAX)
                            for u in typed["unit_ids"]}
    if kind == NoticeKind.SITUATION:
        left, right = st.columns(2)
        typed["period_from"] = _day(left, "notices_ui.period_from", f"{form}_period_from")
        typed["period_to"] = _day(right, "notices_ui.period_to", f"{form}_period_to")
    typed["opening"] = st.text_area(t("field.notice_opening"), key=f"{form}_opening",
                                    max_chars=compose.TEXT_MAX, height=100)
    # Named as the document heads it (整改要求, 希望与要求, 下一步工作要求); only a
    # criticism sets a rectification deadline.
    typed["requirements"] = st.text_area(t(REQUIREMENTS[NoticeKind(kind)]),
                                         key=f"{form}_requirements",
                                         max_chars=compose.TEXT_MAX, height=100,
                                         help=t("notices_ui.one_per_line"))
    left, right = st.columns(2)
    typed["rectification_deadline"] = _day(left, "notices_ui.deadline",
                                           f"{form}_rectification_deadline") \
        if kind == NoticeKind.CRITICISM else None
    typed["printing_date"] = _day(right if kind == NoticeKind.CRITICISM else left,
                                  "notices_ui.printing_date", f"{form}_printing_date")
    with st.expander(t("notices_ui.more_parts")):
        typed["attachments"] = st.text_area(t("field.notice_attachments"),
                                            key=f"{form}_attachments", height=70,
                                            max_chars=compose.ATTACHMENTS_MAX,
                                            help=t("notices_ui.one_per_line"))
        typed["cc"] = st.text_input(t("field.notice_cc"), key=f"{form}_cc",
                                    max_chars=compose.CC_MAX, help=t("notices_ui.cc_help"))
        typed["printing_office"] = st.text_input(t("field.notice_printing_office"),
                                                 key=f"{form}_printing_office",
                                                 max_chars=compose.OFFICE_MAX)
        typed["with_photos"] = st.checkbox(t("notices_ui.with_photos"),
                                           key=f"{form}_with_photos")
        typed["send_extracts"] = st.checkbox(t("notices_ui.send_extracts"),
                                             key=f"{form}_send_extracts",
                                             help=t("notices_ui.send_extracts_help"))
    return typed


def last_month(today: date) -> tuple[date, date]:
    """A situation report's usual period: the whole month before this one."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def _day(column, label: str, key: str) -> date | None:
    if key in st.session_state:
        return column.date_input(t(label), key=key)
    return column.date_input(t(label), value=None, key=key)
