"""Rectification tracking (services/findings/tracking.py), worked out by hand.

Rows are written directly with exact times (as in tests/dashboard_fixtures.py): what is
tested is the counting, not how the records came to be. Today is Thursday 2026-11-26 (city
time, UTC+8); its ISO week runs Monday 11-23 to Sunday 11-29. Places: 雄关区 A, 镜铁区 B.
Units: uA and uA2 (A), uB (B). "rep" are the unit's reports (city time), "reopened" the
status log's reopen rows; the deadline is the finding's latest.

    key           unit  status      deadline     rep                  reopened
    on_time       uA    verified    10-10        10-10 23:30
    late_minutes  uA    verified    10-10        10-11 00:30 (UTC: still 10-10)
    late          uA    reported    11-01        11-03
    sun_before    uA    rectifying  11-22 (Sun before this week)
    mon           uA    rectifying  11-23 (this Monday)
    reported_wk   uA    reported    11-25        11-24
    relate        uA    verified    09-20        09-01, 09-25         09-05
    last_year     uA    verified    2025-12-20   2025-12-30           2025-12-10
    open          uA    open        (none: not confirmed yet)
    sun           uA2   reopened    11-29 (this Sunday)  11-18        11-20
    early         uA2   verified    12-15        11-20
    reopen_late   uA2   reopened    11-10        10-20                10-25, 11-01 00:30
    reopen_fixed  uA2   verified    10-20        10-01, 10-18         10-05
    b_week        uB    rectifying  11-27
    next_mon      uB    rectifying  11-30 (next Monday)
    b_on_time     uB    verified    06-30        06-29
    b_overdue     uB    rectifying  11-01

On-time in 2026: uA 2 of 7 (on_time, reported_wk; late_minutes, late and relate reported
late, sun_before and mon overdue; last_year is 2025's); uA2 2 of 3 (early and reopen_fixed;
reopen_late waits past its new deadline although its first report came before it; sun is
not due yet); uB 1 of 2 (b_week and next_mon are not due yet).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from db.models import District, Finding, FindingStatusChange, Rectification, Role, Unit
from services.core.errors import PermissionDenied
from services.dashboard.period import Period
from services.findings import tracking

TODAY = date(2026, 11, 26)
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment on the city's wall clock (UTC+8), stored as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


# key: (unit, status, deadline, reports, reopens)
FINDINGS = {
    "on_time": ("ua", "verified", d(10, 10), [local(d(10, 10), 23, 30)], []),
    "late_minutes": ("ua", "verified", d(10, 10), [local(d(10, 11), 0, 30)], []),
    "late": ("ua", "reported", d(11, 1), [local(d(11, 3))], []),
    "sun_before": ("ua", "rectifying", d(11, 22), [], []),
    "mon": ("ua", "rectifying", d(11, 23), [], []),
    "reported_wk": ("ua", "reported", d(11, 25), [local(d(11, 24))], []),
    "relate": ("ua", "verified", d(9, 20), [local(d(9, 1)), local(d(9, 25))],
               [local(d(9, 5))]),
    "last_year": ("ua", "verified", d(12, 20, 2025), [local(d(12, 30, 2025))],
                  [local(d(12, 10, 2025))]),
    "open": ("ua", "open", None, [], []),
    "sun": ("ua2", "reopened", d(11, 29), [local(d(11, 18))], [local(d(11, 20))]),
    "early": ("ua2", "verified", d(12, 15), [local(d(11, 20))], []),
    "reopen_late": ("ua2", "reopened", d(11, 10), [local(d(10, 20))],
                    [local(d(10, 25)), local(d(11, 1), 0, 30)]),
    "reopen_fixed": ("ua2", "verified", d(10, 20), [local(d(10, 1)), local(d(10, 18))],
                     [local(d(10, 5))]),
    "b_week": ("ub", "rectifying", d(11, 27), [], []),
    "next_mon": ("ub", "rectifying", d(11, 30), [], []),
    "b_on_time": ("ub", "verified", d(6, 30), [local(d(6, 29))], []),
    "b_overdue": ("ub", "rectifying", d(11, 1), [], []),
}


@pytest.fixture
def city(uow, office, make_user):
    with uow:
        s = uow.session
        a, b = District(name="雄关区", kind="district"), District(name="镜铁区", kind="district")
        s.add_all([a, b])
        s.flush()
        units = dict(ua=Unit(name="雄关区供电所", district_id=a.id),
                     ua2=Unit(name="雄关区供水站", district_id=a.id),
                     ub=Unit(name="镜铁区供电所", district_id=b.id))
        s.add_all(units.values())
        s.flush()
        ids = {name: unit.id for name, unit in units.items()} | dict(a=a.id, b=b.id)
        for key, (unit, status, deadline, reports, reopens) in FINDINGS.items():
            row = Finding(client_key=key, unit_id=units[unit].id, category="other",
                          description=f"问题{key}", status=status, deadline=deadline,
                          created_at=local(d(1, 5, 2025)),
                          confirmed_at=None if status == "open" else local(d(1, 6, 2025)))
            s.add(row)
            s.flush()
            ids[key] = row.id
            for k, at in enumerate(reports):
                s.add(Rectification(client_key=f"{key}{k}", finding_id=row.id,
                                    submitted_by=office.id, text="已整改", submitted_at=at))
            for at in reopens:
                s.add(FindingStatusChange(finding_id=row.id, from_status="reported",
                                          to_status="reopened", at=at))
        uow.commit()
    ids["office"] = office
    ids["leader"] = make_user("leader_t", Role.LEADER)
    ids["inspector_a"] = make_user("insp_a", Role.INSPECTOR, district_id=ids["a"])
    ids["liaison"] = make_user("liaison_a", Role.UNIT, unit_id=ids["ua"])
    return ids


def keys(city, rows) -> list[str]:
    names = {v: k for k, v in city.items() if k in FINDINGS}
    return [names[r.id] for r in rows]


def test_due_this_week_runs_monday_to_sunday_and_lists_only_what_waits(uow, city):
    due = uow.query(tracking.due_this_week, actor=city["office"], today=TODAY)
    assert due.week == Period(d(11, 23), d(11, 29))
    # Not the Sunday before, not next Monday, not the one already reported.
    assert keys(city, due.rows) == ["mon", "b_week", "sun"]
    assert (due.total, due.overdue) == (3, 1)
    assert [r.overdue for r in due.rows] == [True, False, False]


@pytest.mark.parametrize(("today", "expected"), [
    (d(11, 23), ["mon", "b_week", "sun"]),  # a Monday: its own week
    (d(11, 29), ["mon", "b_week", "sun"]),  # a Sunday: still the same week
    (d(11, 30), ["next_mon"]),  # the next Monday starts the next week
])
def test_the_week_follows_today(uow, city, today, expected):
    due = uow.query(tracking.due_this_week, actor=city["office"], today=today)
    assert keys(city, due.rows) == expected


def test_overdue_by_unit_worst_first(uow, city):
    rows = uow.query(tracking.overdue_by_unit, actor=city["office"], today=TODAY)
    assert [(r.unit_id, r.overdue, r.oldest_deadline, r.oldest_days) for r in rows] == [
        (city["ua"], 2, d(11, 22), 4),
        # One each: the older deadline first.
        (city["ub"], 1, d(11, 1), 25),
        (city["ua2"], 1, d(11, 10), 16),
    ]
    assert rows[0].unit == "雄关区供电所" and rows[0].district == "雄关区"


def test_reopened_now_and_within_the_period(uow, city):
    got = uow.query(tracking.reopened, actor=city["office"], period=YEAR, today=TODAY)
    assert keys(city, (r.finding for r in got.current)) == ["sun", "reopen_late"]
    assert keys(city, (r.finding for r in got.in_period)) == [
        "sun", "reopen_late", "reopen_fixed", "relate"]  # last_year's reopen was in 2025
    assert (got.current_total, got.in_period_total) == (2, 4)
    late = got.current[1]
    assert (late.times, late.in_period, late.last_reopened_at) == (2, 2, local(d(11, 1), 0, 30))
    assert late.finding.overdue and not got.current[0].finding.overdue


def test_a_reopen_counts_on_the_citys_day(uow, city):
    """reopen_late's second reopen at 00:30 on 11-01 city time is 10-31 in UTC."""
    november = Period(d(11, 1), d(11, 30))
    got = uow.query(tracking.reopened, actor=city["office"], period=november, today=TODAY)
    assert [(k, r.in_period) for k, r in zip(keys(city, (r.finding for r in got.in_period)),
                                             got.in_period, strict=True)] == [
        ("sun", 1), ("reopen_late", 1)]
    october = Period(d(10, 1), d(10, 31))
    got = uow.query(tracking.reopened, actor=city["office"], period=october, today=TODAY)
    assert keys(city, (r.finding for r in got.in_period)) == ["reopen_late", "reopen_fixed"]
    assert got.current_total == 2  # what is reopened now does not depend on the period


def _rates(result) -> list[tuple]:
    return [(u.unit_id, u.measured, u.on_time, u.reported_late, u.overdue) for u in result.units]


def test_on_time_rate_by_unit_over_the_year(uow, city):
    got = uow.query(tracking.on_time_by_unit, actor=city["office"], period=YEAR, today=TODAY)
    assert _rates(got) == [
        (city["ua"], 7, 2, 3, 2),  # 29 %
        (city["ub"], 2, 1, 0, 1),  # 50 %
        (city["ua2"], 3, 2, 0, 1),  # 67 %
    ]
    assert (got.measured, got.on_time) == (12, 5)
    assert got.units[0].rate == pytest.approx(2 / 7)


def test_on_time_rate_over_other_periods(uow, city):
    october = Period(d(10, 1), d(10, 31))
    got = uow.query(tracking.on_time_by_unit, actor=city["office"], period=october, today=TODAY)
    # 23:30 on the deadline's day is on time, 00:30 the next day late (though the same UTC
    # day); reopen_fixed's latest report met its new deadline. uB had nothing due.
    assert _rates(got) == [(city["ua"], 2, 1, 1, 0), (city["ua2"], 1, 1, 0, 0)]
    got = uow.query(tracking.on_time_by_unit, actor=city["office"],
                    period=Period(d(1, 1, 2025), d(12, 31, 2025)), today=TODAY)
    assert _rates(got) == [(city["ua"], 1, 0, 1, 0)]


def test_the_default_period_is_this_year(uow, city):
    assert tracking.this_year(TODAY) == YEAR
    got = uow.query(tracking.on_time_by_unit, actor=city["office"], today=TODAY)
    assert got.period == tracking.this_year()
    nothing = Period(d(1, 1, 2024), d(12, 31, 2024))
    got = uow.query(tracking.on_time_by_unit, actor=city["office"], period=nothing,
                    today=TODAY)
    assert got.units == () and got.rate is None


def test_an_inspector_with_a_district_sees_only_its_units(uow, city):
    actor = city["inspector_a"]
    due = uow.query(tracking.due_this_week, actor=actor, today=TODAY)
    assert keys(city, due.rows) == ["mon", "sun"]
    assert [r.unit_id for r in uow.query(tracking.overdue_by_unit, actor=actor,
                                         today=TODAY)] == [city["ua"], city["ua2"]]
    got = uow.query(tracking.on_time_by_unit, actor=actor, period=YEAR, today=TODAY)
    assert {u.unit_id for u in got.units} == {city["ua"], city["ua2"]}
    assert (got.measured, got.on_time) == (10, 4)


def test_a_leader_reads_the_same_confirmed_findings_as_the_office(uow, city):
    for fn in (tracking.due_this_week, tracking.overdue_by_unit):
        assert (uow.query(fn, actor=city["leader"], today=TODAY)
                == uow.query(fn, actor=city["office"], today=TODAY))
    for fn in (tracking.reopened, tracking.on_time_by_unit):
        assert (uow.query(fn, actor=city["leader"], period=YEAR, today=TODAY)
                == uow.query(fn, actor=city["office"], period=YEAR, today=TODAY))


def test_a_finding_not_yet_confirmed_is_tracked_nowhere(uow, city):
    """Even with a deadline set on it (as a hand-edited row might have)."""
    with uow:
        row = uow.session.get(Finding, city["open"])
        row.deadline = d(11, 24)
        uow.session.add(row)
        uow.commit()
    for who in ("office", "leader"):
        due = uow.query(tracking.due_this_week, actor=city[who], today=TODAY)
        assert "open" not in keys(city, due.rows)
        got = uow.query(tracking.on_time_by_unit, actor=city[who], period=YEAR, today=TODAY)
        assert got.measured == 12


@pytest.mark.parametrize("fn", [tracking.due_this_week, tracking.overdue_by_unit,
                                tracking.reopened, tracking.on_time_by_unit])
def test_a_units_liaison_is_refused(uow, city, fn):
    with pytest.raises(PermissionDenied):
        uow.query(fn, actor=city["liaison"], today=TODAY)
