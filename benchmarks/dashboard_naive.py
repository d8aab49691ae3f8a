"""The naive baseline for `manage.py bench dashboard`: the dashboard's figures computed the
way one would without the database's help, by reading the rows into pandas and
aggregating there. Same definitions as services/dashboard (the complaint count is checked
against it), so the two are timed on the same work."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Engine

from config import get_settings
from services.dashboard.scope import Filters

COMPLAINTS = ("SELECT id, received_at, channel, unit_id, district_id, category_id, escalated, "
              "duplicate_of_id, deadline, assigned_at, replied_at, closed_at, satisfaction, "
              "status FROM complaint")
FINDINGS = "SELECT id, unit_id, status, created_at, deadline, confirmed_at FROM finding"
VISITS = "SELECT unit_id, visited_at, status FROM inspection"
RECTIFICATIONS = "SELECT finding_id, submitted_at FROM rectification"
FOLLOW_UPS = "SELECT complaint_id, at, satisfaction FROM complaint_follow_up"


def _local(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, utc=True, format="ISO8601").dt.tz_convert(
        get_settings().zone)


def _day(series: pd.Series) -> pd.Series:
    return _local(series).dt.tz_localize(None).dt.normalize()


def _within(days: pd.Series, start: date, end: date) -> pd.Series:
    return (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))


def _subtree(places: pd.DataFrame, top: int) -> set[int]:
    found, frontier = {top}, {top}
    while frontier:
        frontier = set(places.loc[places.parent_id.isin(frontier), "id"]) - found
        found |= frontier
    return found


def compute(engine: Engine, filters: Filters, today: date) -> dict:
    with engine.connect() as conn:
        c = pd.read_sql(COMPLAINTS, conn)
        f = pd.read_sql(FINDINGS, conn)
        v = pd.read_sql(VISITS, conn)
        r = pd.read_sql(RECTIFICATIONS, conn)
        calls = pd.read_sql(FOLLOW_UPS, conn)
        units = pd.read_sql("SELECT id, district_id, industry_id FROM unit", conn)
        places = pd.read_sql("SELECT id, parent_id FROM district", conn)
    cur, prev = filters.period, filters.period.previous()
    c = c[c.duplicate_of_id.isna()]
    keep_units = units
    if filters.district_id:
        inside = _subtree(places, filters.district_id)
        c = c[c.district_id.isin(inside)]
        keep_units = keep_units[keep_units.district_id.isin(inside)]
    if filters.industry_id:
        keep_units = keep_units[keep_units.industry_id == filters.industry_id]
        c = c[c.unit_id.isin(keep_units.id)]
    f = f[f.unit_id.isin(keep_units.id)]
    v = v[v.unit_id.isin(keep_units.id)]
    calls = calls[calls.complaint_id.isin(c.id)]
    received = _day(c.received_at)
    deadline = pd.to_datetime(c.deadline)
    out: dict = {}
    for name, p in (("cur", cur), ("prev", prev)):
        got = _within(received, p.start, p.end)
        due = c.assigned_at.notna() & _within(deadline, p.start, p.end) & (
            deadline < pd.Timestamp(today))
        in_time = c.replied_at.notna() & (_day(c.replied_at.fillna(c.received_at)) <= deadline)
        called = _within(_day(calls["at"]), p.start, p.end)
        out[name] = dict(complaints=int(got.sum()), escalated=int((got & (c.escalated == 1)
                                                                     ).sum()),
                         due=int(due.sum()), on_time=int((due & in_time).sum()),
                         followed=int(called.sum()),
                         pleased=int((called & calls.satisfaction.isin(
                             ["satisfied", "basically"])).sum()))
        seen = _within(_day(v.visited_at), p.start, p.end) & v.status.isin(
            ["submitted", "reviewed"])
        out[name]["inspections"] = int(seen.sum())
    now = c[_within(received, cur.start, cur.end)]
    grain = "D" if cur.days <= 62 else ("W-SUN" if cur.days <= 400 else "M")
    out["volume"] = now.groupby([_day(now.received_at).dt.to_period(grain), "channel"]).size()
    out["top_units"] = now.groupby("unit_id").size().nlargest(10)
    by_unit = units.set_index("id").district_id
    out["districts"] = now.groupby("district_id").size()
    fd = _day(f.created_at)
    found = f[_within(fd, cur.start, cur.end) & ~f.status.isin(["draft", "rejected"])]
    out["pipeline"] = found.status.value_counts()
    out["top_findings"] = found.groupby("unit_id").size().nlargest(10)
    out["findings_by_district"] = found.groupby(found.unit_id.map(by_unit)).size()
    first = r.assign(day=_day(r.submitted_at)).groupby("finding_id").day.min()
    fdl = pd.to_datetime(f.deadline)
    due = f[_within(fdl, cur.start, cur.end) & (fdl < pd.Timestamp(today)) &
            f.confirmed_at.notna()]
    out["rect_due"] = len(due)
    out["rect_on_time"] = int((due.id.map(first) <= pd.to_datetime(due.deadline)).sum())
    end = cur.as_of(today)
    window = c[_within(received, end - timedelta(days=62), end)]
    weeks = ((pd.Timestamp(end) - _day(window.received_at)).dt.days // 7)
    out["spikes"] = window.groupby(["category_id", weeks]).size().unstack(fill_value=0)
    out["spikes_units"] = window.groupby(["unit_id", weeks]).size().unstack(fill_value=0)
    return out
