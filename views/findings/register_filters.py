"""The findings register's filters, kept in the page's URL so that a link shows the same
list to a colleague: ?status=rectifying&overdue=1&district=3&from=2026-11-01&sort=deadline.asc
(services/findings/register.RegisterFilters reads and writes them; a malformed value in a
hand-edited link is ignored)."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.fieldwork.visits import CATEGORIES
from services.findings import register
from services.org import structure
from ui import context, links
from ui.context import t
from ui.widgets import choice_or_all, optional_day
from views.findings import saved_filters

PAGE = "findings_register"
PREFIX = "fr_"
DEFAULT_SORT = "found"
# The keys of the sort picker above the list (ui.widgets.sort_picker of the list "fr").
SORT_KEYS = (f"{PREFIX}sort", f"{PREFIX}desc")
_FLAGS = ("overdue", "reopened", "has_photos", "circulated")


def _owned() -> tuple[str, ...]:
    """Every URL parameter the register owns: the filters' and the sort's."""
    return (*register.QUERY_PARAMS, register.SORT_PARAM)


def _sort_of(query) -> tuple[str, bool]:
    return register.parse_sort(query.get(register.SORT_PARAM)) or (DEFAULT_SORT, True)


def sort_from_url() -> tuple[str, bool]:
    return _sort_of(st.query_params)


def to_url(filters: register.RegisterFilters, sort: str, descending: bool) -> None:
    wanted = filters.to_query()
    if sort != DEFAULT_SORT or not descending:
        wanted[register.SORT_PARAM] = register.format_sort(sort, descending)
    links.sync_query(_owned(), wanted)


def _seed() -> None:
    """The URL's values become the widgets' starting values, once per visit of the page."""
    if st.session_state.get(f"{PREFIX}seeded"):
        return
    chosen = register.RegisterFilters.from_query(st.query_params.to_dict())
    for field, value in vars(chosen).items():
        if value is not None:
            st.session_state[PREFIX + field] = value
    st.session_state[f"{PREFIX}seeded"] = True


def _apply(query: dict[str, str]) -> None:
    """A saved filter, exactly: each filter takes its saved value or none (whatever was
    chosen before), the sort too, and the URL says the same; then the page runs again."""
    chosen = register.RegisterFilters.from_query(query)
    for field, value in vars(chosen).items():
        st.session_state[PREFIX + field] = value
    sort, descending = _sort_of(query)
    st.session_state[SORT_KEYS[0]], st.session_state[SORT_KEYS[1]] = sort, descending
    st.session_state[f"{PREFIX}seeded"] = True
    to_url(chosen, sort, descending)
    st.rerun()


def widgets(actor: User) -> register.RegisterFilters:
    # The list as last shown (the URL is written after the filters, every run) is what
    # "save" keeps; a saved filter picked here is applied before any filter is drawn.
    shown = {key: st.query_params[key] for key in _owned() if key in st.query_params}
    picked = saved_filters.render(actor, PAGE, shown)
    if picked is not None:
        _apply(picked)
    _seed()
    units = {u.id: u.name for u in context.query(structure.list_units, actor=actor)}
    places = {d.id: "　" * d.depth + d.name
              for d in context.query(structure.list_districts, actor=actor)}
    industries = {i.id: i.name for i in context.query(structure.list_industries, actor=actor)}
    kinds = {k: t("register_ui.from_complaint") if k == register.FROM_COMPLAINT
             else t(f"kind_inspection.{k}") for k in register.VISIT_KINDS}
    values = {}
    with st.expander(t("register_ui.filters"), expanded=True):
        a, b, c, d = st.columns(4)
        values["found_from"] = _day(a, "register_ui.from", "found_from")
        values["found_to"] = _day(b, "register_ui.to", "found_to")
        values["status"] = _choice(c, "register_ui.status", register.STATUSES, "status",
                                   lambda v: t(f"finding_status.{v}"))
        values["severity"] = _choice(d, "field.severity", register.SEVERITIES, "severity",
                                     lambda v: t(f"severity.{v}"))
        a, b, c, d = st.columns(4)
        values["district_id"] = _choice(a, "field.district", list(places), "district_id",
                                        places.get)
        values["unit_id"] = _choice(b, "field.unit", list(units), "unit_id", units.get)
        values["industry_id"] = _choice(c, "field.industry", list(industries), "industry_id",
                                        industries.get)
        values["category"] = _choice(d, "field.category", CATEGORIES, "category",
                                     lambda v: t(f"category.{v}"))
        columns = st.columns(5)
        values["visit_kind"] = _choice(columns[0], "register_ui.visit_kind", list(kinds),
                                       "visit_kind", kinds.get)
        for column, field in zip(columns[1:], _FLAGS, strict=True):
            values[field] = _choice(column, f"register_ui.{field}", (True, False), field,
                                    lambda v: t("register_ui.yes" if v else "register_ui.no"))
    return register.RegisterFilters(**values)


def _choice(column, label: str, options, field: str, fmt):
    return choice_or_all(column, t(label), options, key=PREFIX + field, fmt=fmt,
                         all_text=t("common.all"))


def _day(column, label: str, field: str):
    return optional_day(column, t(label), key=PREFIX + field)
