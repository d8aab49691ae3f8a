"""The dashboard's filters, kept in the URL so that a link reproduces the view:
?p=quarter&district=3&industry=2, or ?p=custom&from=2026-01-01&to=2026-03-31.
A malformed value falls back to the default, never an error page."""

from __future__ import annotations

from datetime import date

import streamlit as st

from db.models import Role, User
from services.dashboard.period import Period, Preset, preset
from services.dashboard.scope import Filters
from services.org import structure
from ui import context, links, widgets
from ui.context import t

DEFAULT = Preset.MONTH
KEYS = ("p", "from", "to", "district", "industry")


# The earliest day a custom period may start: before it there are no records, and a year
# like 0001 would leave no room for the previous period (a date before date.min).
EARLIEST = date(2000, 1, 1)


def an_id(raw: object) -> int | None:
    """A record's id from a URL or a chart's selection, or None: anything but a whole
    number that fits the database's integer ids (a crafted 10**20 would make the query
    fail, not find nothing)."""
    try:
        value = int(str(raw))
    except ValueError:
        return None
    return value if 0 < value < 2**31 else None


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def from_url(today: date) -> tuple[Preset, Filters]:
    q = st.query_params
    try:
        which = Preset(q.get("p", DEFAULT))
    except ValueError:
        which = DEFAULT
    start, end = _day(q.get("from")), _day(q.get("to"))
    if start and end:  # within the days a dashboard can show: from EARLIEST to today
        start, end = max(start, EARLIEST), min(end, today)
    if which == Preset.CUSTOM and start and end and start <= end:
        period = Period(start, end)
    else:
        which = DEFAULT if which == Preset.CUSTOM else which
        period = preset(which, today)
    return which, Filters(period, an_id(q.get("district")), an_id(q.get("industry")))


def to_url(which: Preset, filters: Filters) -> None:
    wanted = {"p": str(which)}
    if which == Preset.CUSTOM:
        wanted |= {"from": filters.period.start.isoformat(), "to": filters.period.end.isoformat()}
    if filters.district_id:
        wanted["district"] = str(filters.district_id)
    if filters.industry_id:
        wanted["industry"] = str(filters.industry_id)
    links.sync_query(KEYS, wanted)


def widgets_row(actor: User, today: date) -> tuple[Filters, str]:
    """The filters as chosen, and in words (the place and the industry) for the deck."""
    which, current = from_url(today)
    rows = context.query(structure.list_districts, actor=actor, include_inactive=False)
    mine = _own_places(actor, rows)
    places = {d.id: "　" * d.depth + d.name for d in rows
              if d.depth <= 1 and (mine is None or d.id in mine)}
    industries = {i.id: i.name for i in context.query(structure.list_industries, actor=actor,
                                                        include_inactive=False)}
    a, b, c, d = st.columns([2, 3, 2, 2])
    which = Preset(a.selectbox(t("dash.period"), list(Preset), index=list(Preset).index(which),
                               format_func=lambda p: t(f"dash.preset.{p}"), key="dash_p"))
    period = preset(which, today) if which != Preset.CUSTOM else current.period
    if which == Preset.CUSTOM:
        picked = b.date_input(t("dash.range"), value=(current.period.start, current.period.end),
                              min_value=EARLIEST, max_value=today, key="dash_range",
                              format="YYYY-MM-DD")
        if isinstance(picked, tuple) and len(picked) == 2:
            period = Period(*picked)
    else:
        b.text_input(t("dash.range"), f"{period.start} ~ {period.end}", disabled=True,
                     key=f"dash_range_{which}")
    with c:
        district = widgets.optional_select(
            t("field.district"), places, current.district_id, key="dash_district",
            none_label=t("dash.all_city") if mine is None else t("dash.my_scope"))
    with d:
        industry = widgets.optional_select(t("field.industry"), industries,
                                           current.industry_id, key="dash_industry",
                                           none_label=t("dash.all_industries"))
    chosen = Filters(period, district, industry)
    to_url(which, chosen)
    where = " · ".join([
        places[district].strip("　") if district in places else
        (t("dash.all_city") if mine is None else t("dash.my_scope")),
        industries.get(industry, t("dash.all_industries"))])
    return chosen, where


def _own_places(actor: User, rows) -> set[int] | None:
    """An inspector with a district works there: the choice is its places, and "all" means
    their scope, not the city. None: the whole city."""
    if actor.role != Role.INSPECTOR or actor.district_id is None:
        return None
    mine, grew = {actor.district_id}, True
    while grew:
        more = {r.id for r in rows if r.parent_id in mine} - mine
        mine |= more
        grew = bool(more)
    return mine
