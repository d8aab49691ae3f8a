"""投诉登记: the office registers a complaint at a PC, keyboard first. No form block: the
caller's earlier complaints appear as the phone number is typed, and possible duplicates
as the content and unit are filled in."""

from __future__ import annotations

import uuid
from datetime import datetime

import streamlit as st

from db.models import ComplaintChannel, EscalationLevel, User
from db.timeutil import utcnow
from services.complaints import attachments, duplicates, queries
from services.complaints import register as complaints
from services.complaints.routing import suggest_routing
from services.core import clock
from services.org import structure
from ui import context
from ui.context import local_time, t
from ui.feedback import reported
from ui.page import page
from ui.text import plain
from ui.widgets import forget_form, next_round, optional_select, round_of
from views.complaints.attachment_views import share_picker, uploader
from views.complaints.common import number

ROUND = "cr_round"


def _form() -> str:
    """The form's key prefix: a new one after each registration, so that every widget,
    the file uploader included, starts empty for the next caller (deleting a widget's
    state is not enough for the browser to forget a chosen file)."""
    return f"cr{round_of(ROUND)}"


@page("complaint_register", title="nav.complaint_register")
def render(actor: User) -> None:
    key = st.session_state.setdefault(f"{_form()}_client_key", uuid.uuid4().hex)
    categories = {c.id: c for c in context.query(complaints.list_categories, actor=actor)}
    unit_rows = context.query(structure.list_units, actor=actor, include_inactive=False)
    units = {u.id: u.name for u in unit_rows}
    city_level = {u.id for u in unit_rows if u.district_id is None}
    places = {d.id: "　" * d.depth + d.name
              for d in context.query(structure.list_districts, actor=actor,
                                     include_inactive=False)}
    left, middle, right = st.columns([2, 1, 1])
    channel = left.segmented_control(
        t("field.channel"), list(ComplaintChannel), key=f"{_form()}_channel",
        format_func=lambda c: t(f"complaint_channel.{c}"), default=ComplaintChannel.PHONE)
    now = clock.local(utcnow())
    # Left as shown, the time received is the moment of saving: the form may have been open
    # for a while (the next caller on the line). Changed, it is what the clerk typed.
    shown = st.session_state.setdefault(
        f"{_form()}_shown_at", (now.date(), now.time().replace(second=0, microsecond=0)))
    day = middle.date_input(t("field.received_at"), value=shown[0], key=f"{_form()}_day",
                            max_value=now.date())
    at = right.time_input(t("complaints_ui.received_time"), value=shown[1],
                          key=f"{_form()}_time", step=60,
                          help=t("complaints_ui.received_now_help"))
    received_at = (utcnow() if (day, at) == shown
                   else clock.from_wall_clock(datetime.combine(day, at)))

    anonymous = st.checkbox(t("complaints_ui.anonymous_box"), key=f"{_form()}_anonymous")
    a, b, c = st.columns([1, 1, 2])
    name = a.text_input(t("field.complainant_name"), key=f"{_form()}_name", disabled=anonymous)
    phone = b.text_input(t("field.complainant_phone"), key=f"{_form()}_phone",
                         disabled=anonymous)
    address = c.text_input(t("field.complainant_address"), key=f"{_form()}_address",
                           disabled=anonymous)
    if phone and not anonymous:
        _earlier(actor, phone)

    left, right = st.columns(2)
    with left:
        unit_id = optional_select(t("field.complaint_unit"), units, None,
                                  key=f"{_form()}_unit", none_label=t("complaints_ui.no_unit"))
    with right:
        district_id = optional_select(t("field.district"), places, None,
                                      key=f"{_form()}_district",
                                      none_label=t("complaints_ui.district_from_unit"))
        if unit_id in city_level and district_id is None:
            # A city-level unit has no place of its own: the complaint would have none, and
            # no district's figures would count it.
            st.caption(t("complaints_ui.city_unit_no_place"))
    # No category chosen in advance: a hurried clerk would leave the first one, and the
    # volumes by category would lie.
    category_id = st.selectbox(t("field.complaint_category"), list(categories), index=None,
                               key=f"{_form()}_category",
                               format_func=lambda i: categories[i].name,
                               placeholder=t("complaints_ui.pick_category"))
    content = st.text_area(t("field.content"), key=f"{_form()}_content", height=140,
                           max_chars=4000)
    if content.strip():
        _routing(actor, content, units)
    if content.strip() and (phone or unit_id):
        _possible_duplicates(actor, received_at, content, phone, unit_id)

    left, right = st.columns([1, 2])
    escalated = left.checkbox(t("complaints_ui.escalated_box"), key=f"{_form()}_escalated")
    levels = [v for v in EscalationLevel if v != EscalationLevel.NONE]
    level = right.selectbox(t("field.escalation_level"), levels, key=f"{_form()}_level",
                            format_func=lambda v: t(f"escalation.{v}"), disabled=not escalated)
    category = categories.get(category_id)
    default_deadline = complaints.default_deadline(received_at, category) if category else None
    deadline = st.date_input(t("field.complaint_deadline"), value=None, key=f"{_form()}_deadline",
                             help=t("complaints_ui.deadline_help",
                                    default=default_deadline or "—"))
    files = uploader(f"{_form()}_files")
    shared = share_picker(files, key=f"{_form()}_shared")
    if st.button(t("complaints_ui.register"), type="primary", key=f"{_form()}_save"):
        with reported():
            # Checked and decoded before the transaction; a bad file keeps the form.
            prepared = attachments.prepare(files, shared=shared)
            saved = context.run(
                complaints.register_complaint, actor=actor, client_key=key, channel=channel,
                received_at=received_at, anonymous=anonymous, complainant_name=name,
                complainant_phone=phone, complainant_address=address, unit_id=unit_id,
                district_id=district_id, category_id=category_id, content=content,
                escalated=escalated,
                escalation_level=level if escalated else EscalationLevel.NONE,
                deadline=deadline, attachments=prepared,
            )
            forget_form(_form())
            next_round(ROUND)
            context.flash("success", "complaints_ui.registered", id=saved.id)
            st.rerun()


def _earlier(actor: User, phone: str) -> None:
    rows = context.query(queries.earlier_by_phone, actor=actor, phone=phone)
    if not rows:
        return
    with st.container(border=True):
        st.markdown(t("complaints_ui.earlier", n=len(rows)))
        for row in rows[:5]:
            st.markdown(t("complaints_ui.earlier_line", number=number(row),
                          at=local_time(row.received_at), unit=plain(row.unit or "—"),
                          status=t(f"complaint_status.{row.status}"),
                          content=plain(row.content[:60])))


def _possible_duplicates(actor: User, received_at, content: str, phone: str,
                         unit_id: int | None) -> None:
    found = context.query(duplicates.suggest, actor=actor, received_at=received_at,
                          content=content, phone=phone, unit_id=unit_id)
    if not found:
        return
    with st.container(border=True):
        st.markdown(t("complaints_ui.possible_duplicates", n=len(found)))
        for s in found:
            why = (t("complaints_ui.same_phone") if s.same_phone
                   else t("complaints_ui.similar", score=round(s.similarity)))
            st.markdown(t("complaints_ui.duplicate_line", id=s.complaint_id, why=why,
                          at=local_time(s.received_at), content=plain(s.content[:60])))


def _routing(actor: User, content: str, units: dict[int, str]) -> None:
    """The model's three likeliest units and category for this text; the office decides."""
    routing = context.query(suggest_routing, actor=actor, text=content)
    if routing.reason:
        why = routing.reason  # a catalog key of the service's, not typed text
        st.caption(t(f"complaint_routing.reason.{why}"))
        return
    with st.container(border=True):
        st.markdown(f"**{t('complaint_routing.suggested')}**")
        columns = st.columns(len(routing.units) + 1)
        for column, guess in zip(columns, routing.units, strict=False):
            if guess.unit_id in units:
                column.button(t("complaints_ui.use_unit", name=plain(guess.name),
                                score=round(guess.score * 100)),
                              key=f"{_form()}_route_{guess.unit_id}", on_click=_choose,
                              args=(f"{_form()}_unit", guess.unit_id))
        if routing.category is not None:
            columns[-1].button(t("complaints_ui.use_category",
                                 name=plain(routing.category.name)),
                               key=f"{_form()}_route_category", on_click=_choose,
                               args=(f"{_form()}_category", routing.category.category_id))


def _choose(key: str, value: int) -> None:
    # Runs before the next run builds the widgets, so the select box shows the choice.
    st.session_state[key] = value
