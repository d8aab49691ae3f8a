"""The complaint list's filters, kept in the page's URL so that a link shows the same list
to a colleague: ?status=assigned&overdue=1&district=3&from=2026-11-01"""

from __future__ import annotations

from datetime import date

import streamlit as st

from db.models import ComplaintChannel, ComplaintStatus, Satisfaction, User
from services.complaints import register as complaints
from services.complaints.queries import SORTS, Filters
from services.org import structure
from ui import context, links
from ui.context import t
from ui.widgets import choice_or_all, optional_day

# URL parameter -> (Filters field, how to read it)
_INT, _TEXT, _DAY, _FLAG = int, str, date.fromisoformat, lambda v: v == "1"
PARAMS = {
    "from": ("received_from", _DAY), "to": ("received_to", _DAY),
    "channel": ("channel", _TEXT), "district": ("district_id", _INT),
    "unit": ("unit_id", _INT), "industry": ("industry_id", _INT),
    "category": ("category_id", _INT), "status": ("status", _TEXT),
    "overdue": ("overdue", _FLAG), "escalated": ("escalated", _FLAG),
    "satisfaction": ("satisfaction", _TEXT), "dup": ("include_duplicates", _FLAG),
}
PREFIX = "cf_"


def from_url() -> dict:
    """The filters the URL asks for; a malformed value is ignored, never an error page."""
    values = {}
    for param, (field, read) in PARAMS.items():
        raw = st.query_params.get(param)
        if raw in (None, ""):
            continue
        try:
            values[field] = read(raw)
        except ValueError:
            continue
    return values


def to_url(filters: Filters, sort: str, descending: bool) -> None:
    wanted = {}
    for param, (field, _) in PARAMS.items():
        value = getattr(filters, field)
        if value in (None, False, ""):
            continue
        wanted[param] = "1" if value is True else str(value)
    if sort != "received" or not descending:
        wanted["sort"] = sort + ("" if descending else ".asc")
    # "id" (the opened complaint) is not the list's: the list is filtered around it.
    links.sync_query([*PARAMS, "sort"], wanted)


def sort_from_url() -> tuple[str, bool]:
    raw = st.query_params.get("sort", "received")
    key, _, order = raw.partition(".")
    return (key if key in SORTS else "received"), order != "asc"


def _seed(values: dict) -> None:
    """The URL's values become the widgets' starting values, once per visit of the page."""
    if st.session_state.get(f"{PREFIX}seeded"):
        return
    for field, value in values.items():
        st.session_state[PREFIX + field] = value
    st.session_state[f"{PREFIX}seeded"] = True


def widgets(actor: User) -> Filters:
    _seed(from_url())
    units = {u.id: u.name for u in context.query(structure.list_units, actor=actor)}
    places = {d.id: "　" * d.depth + d.name
              for d in context.query(structure.list_districts, actor=actor)}
    industries = {i.id: i.name for i in context.query(structure.list_industries, actor=actor)}
    categories = {c.id: c.name for c in context.query(complaints.list_categories, actor=actor,
                                                        include_inactive=True)}
    with st.expander(t("complaints_ui.filters"), expanded=True):
        a, b, c, d = st.columns(4)
        received_from = _day(a, "complaints_ui.from", "received_from")
        received_to = _day(b, "complaints_ui.to", "received_to")
        status = _choice(c, "complaints_ui.status", list(ComplaintStatus), "status",
                         lambda v: t(f"complaint_status.{v}"))
        channel = _choice(d, "field.channel", list(ComplaintChannel), "channel",
                          lambda v: t(f"complaint_channel.{v}"))
        a, b, c, d = st.columns(4)
        district_id = _choice(a, "field.district", list(places), "district_id", places.get)
        unit_id = _choice(b, "field.complaint_unit", list(units), "unit_id", units.get)
        industry_id = _choice(c, "field.industry", list(industries), "industry_id",
                              industries.get)
        category_id = _choice(d, "field.complaint_category", list(categories), "category_id",
                              categories.get)
        a, b, c, d = st.columns(4)
        satisfaction = _choice(a, "field.satisfaction", list(Satisfaction), "satisfaction",
                               lambda v: t(f"satisfaction.{v}"))
        overdue = b.checkbox(t("complaints_ui.only_overdue"), key=PREFIX + "overdue")
        escalated = c.checkbox(t("complaints_ui.only_escalated"), key=PREFIX + "escalated")
        include_duplicates = d.checkbox(t("complaints_ui.with_duplicates"),
                                        key=PREFIX + "include_duplicates")
    return Filters(
        received_from=received_from, received_to=received_to, channel=channel,
        district_id=district_id, unit_id=unit_id, industry_id=industry_id,
        category_id=category_id, status=status, overdue=True if overdue else None,
        escalated=True if escalated else None, satisfaction=satisfaction,
        include_duplicates=include_duplicates,
    )


def _choice(column, label: str, options, field: str, fmt):
    return choice_or_all(column, t(label), options, key=PREFIX + field, fmt=fmt,
                         all_text=t("complaints_ui.all"))


def _day(column, label: str, field: str):
    return optional_day(column, t(label), key=PREFIX + field)
