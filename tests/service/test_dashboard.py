"""Every dashboard figure against tests/dashboard_fixtures.py, worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from services.core.errors import PermissionDenied
from services.dashboard import charts, districts, kpis, snapshot
from services.dashboard.period import Granularity, Period
from tests.dashboard_fixtures import PERIOD, TODAY, filters, local


def figures(uow, actor, **kw) -> dict:
    rows = uow.query(kpis.kpis, actor=actor, filters=filters(**kw), today=TODAY)
    return {k.key: (k.value, k.previous) for k in rows}


def test_kpis_for_the_office(uow, city) -> None:
    got = figures(uow, city["office"])
    # c1 c2 c3 c6 c9 received in November (c4 is a linked duplicate of c1); c5 in October.
    assert got["complaints"] == (5, 1)
    assert got["escalations"] == (1, 0)
    # Sent to a unit, deadline passed in the period: c1 (on time), c2 (replied a day late),
    # c3 (no reply yet: late). October: c5 on time.
    assert got["reply_on_time"] == (pytest.approx(1 / 3), 1.0)
    # Follow-up calls in the period: c1 satisfied; c2 unsatisfied (reopened), then basically
    # satisfied. October: c5 basically satisfied.
    assert got["satisfaction"] == (pytest.approx(2 / 3), 1.0)
    # i1, i2 done in November (i4 is a draft); i3 in October.
    assert got["inspections"] == (2, 1)
    # Found in November and not closed: f1 f8 rectifying, f3 reported, f4 open.
    assert got["open_findings"] == (4, 0)
    # Deadline passed in November: f1 (waiting, overdue), f2 (reported 11-18, due 11-20),
    # f3 (reported 11-14, due 11-12: late though no longer overdue). October: f5 on time.
    assert got["overdue_rectifications"] == (1, 0)
    assert got["rectification_on_time"] == (pytest.approx(1 / 3), 1.0)
    # T1 is on track (60 % against 50 %); T2 passed its due date at 80 %. On 10-31 T2 was
    # still within its due date but 20 points behind its milestone: behind.
    assert got["tasks_on_track"] == (1, 1)
    assert got["tasks_behind"] == (0, 1)
    assert got["tasks_overdue"] == (1, 0)
    # October's reports were due 11-05: T1's came 11-04, T2's never. September's were due
    # 10-05, before the previous period began.
    assert got["reports_late"] == (1, 0)


def test_a_leader_counts_confirmed_findings_only(uow, city) -> None:
    got = figures(uow, city["leader"])
    assert got["open_findings"] == (3, 0)  # f4 is not confirmed yet
    assert got["complaints"] == (5, 1)


def test_filters_by_district_and_industry(uow, city) -> None:
    b = figures(uow, city["office"], district_id=city["b"])
    assert b["complaints"] == (2, 0)  # c3, and c6 that names only the place
    assert b["inspections"] == (1, 0)
    assert b["tasks_overdue"] == (1, 0) and b["tasks_on_track"] == (0, 0)
    town = figures(uow, city["office"], district_id=city["a"])  # with its town
    assert town["complaints"] == (3, 1)
    water = figures(uow, city["office"], industry_id=city["water"])
    assert water["complaints"] == (1, 0)  # c2; c6 names no unit
    assert water["inspections"] == (0, 1)


def test_an_empty_period_and_a_district_with_no_data(uow, city) -> None:
    empty = figures(uow, city["office"], period=Period(date(2020, 1, 1), date(2020, 1, 31)))
    assert empty["complaints"] == (0, 0)
    assert empty["reply_on_time"] == (None, None)  # nothing due: no rate, not 0 %
    assert empty["rectification_on_time"] == (None, None)
    c = figures(uow, city["office"], district_id=city["c"])
    assert c["complaints"] == (0, 0) and c["inspections"] == (0, 0)


def test_scope_of_an_inspector_and_a_liaison(uow, city) -> None:
    b = figures(uow, city["inspector_b"])
    assert b["complaints"] == (2, 0)  # their district only
    assert "tasks_on_track" not in b  # tasks are the campaign's readers'
    a = figures(uow, city["liaison_a"])
    assert a["complaints"] == (1, 1)  # c1 sent to their unit (c9 the office holds); c5 before
    assert a["open_findings"] == (2, 0)  # f1 f8 confirmed and open


def test_volume_by_channel_on_the_citys_days(uow, city) -> None:
    grain, points = uow.query(charts.volume, actor=city["office"], filters=filters())
    assert grain == Granularity.DAY
    assert {(p.bucket, p.channel, p.complaints) for p in points} == {
        (date(2026, 11, 2), "phone", 1), (date(2026, 11, 3), "hotline", 1),
        (date(2026, 11, 15), "phone", 1), (date(2026, 11, 20), "phone", 1),
        (date(2026, 11, 25), "letter", 1)}


def test_volume_across_a_year_boundary_by_week_and_by_month(uow, city) -> None:
    def add(moment):
        from db.models import Complaint
        with uow:
            uow.session.add(Complaint(channel="phone", received_at=moment,
                                      district_id=city["a"], category_id=city["cat1"],
                                      content="跨年", deadline=date(2026, 1, 10)))
            uow.commit()
    add(local(date(2025, 12, 31), 23, 30))  # 15:30 UTC the same day
    add(local(date(2026, 1, 1), 0, 30))  # 16:30 UTC on 12-31: the city's new year
    daily = Period(date(2025, 12, 1), date(2026, 1, 31))
    _, points = uow.query(charts.volume, actor=city["office"], filters=filters(period=daily))
    assert [(p.bucket, p.complaints) for p in points] == [
        (date(2025, 12, 31), 1), (date(2026, 1, 1), 1)]
    weekly = Period(date(2025, 11, 1), date(2026, 2, 28))
    grain, points = uow.query(charts.volume, actor=city["office"], filters=filters(
        period=weekly))
    assert grain == Granularity.WEEK
    assert [(p.bucket, p.complaints) for p in points] == [(date(2025, 12, 29), 2)]
    monthly = Period(date(2025, 1, 1), date(2026, 6, 30))
    grain, points = uow.query(charts.volume, actor=city["office"], filters=filters(
        period=monthly))
    assert grain == Granularity.MONTH
    assert [(p.bucket, p.complaints) for p in points] == [
        (date(2025, 12, 1), 1), (date(2026, 1, 1), 1)]


def test_top_units_and_pipeline(uow, city) -> None:
    office = city["office"]
    top = uow.query(charts.top_units, actor=office, filters=filters())
    assert [(u.unit_id, u.count) for u in top] == [
        (city["ua"], 2), (city["ua1"], 1), (city["ub"], 1)]
    top = uow.query(charts.top_units, actor=office, filters=filters(), what="findings")
    assert [(u.unit_id, u.count) for u in top] == [(city["ua"], 3), (city["ub"], 2)]
    stages = uow.query(charts.pipeline, actor=office, filters=filters())
    assert [(s.stage, s.count) for s in stages] == [
        ("found", 5), ("confirmed", 4), ("rectifying", 2), ("reported", 1), ("verified", 1)]


def test_district_comparison(uow, city) -> None:
    rows = {r.district: r for r in uow.query(
        districts.compare, actor=city["office"], filters=filters(), today=TODAY)}
    assert set(rows) == {"雄关区", "镜铁区", "长城区"}  # the town counts within 雄关区
    a, b, c = rows["雄关区"], rows["镜铁区"], rows["长城区"]
    assert a.measure("complaints_per_10k") == pytest.approx(0.3)  # 3 per 100,000
    assert a.measure("findings_per_inspection") == 3.0  # f1 f2 f8 on i1
    assert a.measure("rectification_on_time") == 0.5  # f2 on time, f1 late
    assert a.measure("overdue_items") == 1.0  # f1
    assert a.measure("report_timeliness") == 1.0  # T1's October report
    assert b.measure("complaints_per_10k") is None  # no population set
    assert b.complaints == 2 and b.measure("findings_per_inspection") == 2.0
    assert b.measure("rectification_on_time") == 0.0
    assert b.measure("overdue_items") == 1.0  # c3's answer is overdue
    assert b.measure("report_timeliness") == 0.0
    assert c.complaints == 0 and c.measure("complaints_per_10k") == 0.0
    assert all(c.measure(m) is None for m in ("findings_per_inspection",
                                               "rectification_on_time", "report_timeliness"))


def test_who_may_not_see_the_dashboard(uow, city) -> None:
    from db.models import Role, User
    no_unit = User(id=999, username="x", display_name="x", role=Role.UNIT, active=True)
    gone = User(id=998, username="y", display_name="y", role=Role.LEADER, active=False)
    for actor in (no_unit, gone):
        with pytest.raises(PermissionDenied):
            uow.query(snapshot.compute, actor=actor, filters=filters(), today=TODAY)


def test_the_snapshot_holds_everything_and_no_identity(uow, city) -> None:
    board = uow.query(snapshot.compute, actor=city["office"], filters=filters(), today=TODAY)
    assert len(board.kpis) == 12 and len(board.tasks) == 2 and len(board.districts) == 3
    assert "张三" not in repr(board) and "13900001111" not in repr(board)
    assert board.filters.period == PERIOD


def test_the_administrator_sets_a_population_and_the_comparison_uses_it(uow, city, admin):
    from db.models import District
    from services.core.errors import ValidationFailed
    from services.org import structure

    def update(population):
        place = uow.query(lambda tx: tx.session.get(District, city["b"]))
        return uow.run(structure.update_district, actor=admin, district_id=place.id,
                       version=place.version, name=place.name, parent_id=None,
                       population=population)
    for bad in (0, -5, 10**9):
        with pytest.raises(ValidationFailed):
            update(bad)
    update(40_000)
    rows = {r.district: r for r in uow.query(
        districts.compare, actor=city["office"], filters=filters(), today=TODAY)}
    assert rows["镜铁区"].measure("complaints_per_10k") == pytest.approx(0.5)  # 2 per 40,000
    update(None)
    rows = {r.district: r for r in uow.query(
        districts.compare, actor=city["office"], filters=filters(), today=TODAY)}
    assert rows["镜铁区"].measure("complaints_per_10k") is None


def test_a_past_period_judges_tasks_by_the_report_on_its_last_month(uow, city) -> None:
    # September: T1's September report came on 10-03 (50 %, its 06-30 milestone asks 50);
    # T2 had no milestone due yet. Both on schedule, though neither report had come in by
    # 09-30.
    september = Period(date(2026, 9, 1), date(2026, 9, 30))
    got = figures(uow, city["office"], period=september)
    assert got["tasks_on_track"][0] == 2 and got["tasks_behind"][0] == 0
