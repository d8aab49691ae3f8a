"""The findings register's query side (services/findings/register.py): each filter alone and
combined, paging over every sort, who sees what, and filters read back from a URL.

Rows are written directly with exact times (as in tests/dashboard_fixtures.py): what is
tested is the selection, not how the records came to be. Today is 2026-11-26 (UTC+8).
Places: 雄关区 A > 新城镇 (town) > 新城社区 (community); 镜铁区 B. Units (named so their
order is the same under any collation): A… (A, 供电), B… (the community, 供水), C… (B, 供电),
D… (city level, 供水). Found on the city's days:

    f1  A open visit    11-03 00:30  rectifying  due 11-20  overdue      severe   discipline
    f2  A open visit    11-03 00:30  verified    due 11-30  reopened once         attitude
    f3  B unannounced   11-10        reopened    due 11-25  overdue, 2 photos     efficiency
    f4  C spot check    11-20        open        (no deadline), 1 photo           discipline
    f5  D focused       10-15        rectifying  due 12-10                        other
    f6  C complaint     11-25        rectifying  due 12-01  (no visit)            publicity
    f7  C spot check    11-20        rejected                                     other
    f8  A open visit    11-04        draft (nobody's: not in the register yet)  other
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import func, select

from db.models import (
    ChecklistTemplate,
    Complaint,
    ComplaintCategory,
    District,
    Finding,
    FindingStatusChange,
    Industry,
    Inspection,
    Photo,
    Role,
    Unit,
)
from services.core.errors import PermissionDenied, ValidationFailed
from services.findings import register
from services.findings.register import RegisterFilters

TODAY = date(2026, 11, 26)
ALL = {"f1", "f2", "f3", "f4", "f5", "f6", "f7"}  # every submitted finding


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment on the city's wall clock (UTC+8), stored as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def d(month: int, day: int) -> date:
    return date(2026, month, day)


@pytest.fixture
def reg(uow, office, make_user):
    author = make_user("insp_author", Role.INSPECTOR)
    with uow:
        s = uow.session
        a, b = District(name="雄关区", kind="district"), District(name="镜铁区", kind="district")
        power, water = Industry(name="供电"), Industry(name="供水")
        s.add_all([a, b, power, water])
        s.flush()
        town = District(name="新城镇", kind="town", parent_id=a.id)
        s.add(town)
        s.flush()
        community = District(name="新城社区", kind="community", parent_id=town.id)
        s.add(community)
        s.flush()
        ua = Unit(name="A雄关区供电所", district_id=a.id, industry_id=power.id)
        ucomm = Unit(name="B新城社区供水站", district_id=community.id, industry_id=water.id)
        ub = Unit(name="C镜铁区供电所", district_id=b.id, industry_id=power.id)
        ucity = Unit(name="D市供水公司", industry_id=water.id)
        tpl, cat = ChecklistTemplate(name="测试检查表"), ComplaintCategory(name="测试类别")
        s.add_all([ua, ucomm, ub, ucity, tpl, cat])
        s.flush()
        ids = dict(a=a.id, b=b.id, town=town.id, community=community.id, power=power.id,
                   water=water.id, ua=ua.id, ucomm=ucomm.id, ub=ub.id, ucity=ucity.id)
        complaint = Complaint(channel="phone", received_at=local(d(11, 24)), unit_id=ub.id,
                              district_id=b.id, category_id=cat.id, content="测试投诉",
                              deadline=d(12, 1), complainant_name="张三",
                              complainant_phone="13900001111")
        s.add(complaint)
        s.flush()
        ids["complaint"] = complaint.id

        def visit(unit, kind, at, status="submitted"):
            row = Inspection(client_key=f"v{unit.id}{kind}{status}", unit_id=unit.id, kind=kind,
                             template_id=tpl.id, inspector_id=author.id, visited_at=at,
                             status=status)
            s.add(row)
            s.flush()
            return row

        i_a = visit(ua, "open", local(d(11, 3), 0, 30))
        i_c = visit(ucomm, "unannounced", local(d(11, 10)))
        i_b = visit(ub, "spot_check", local(d(11, 20)))
        i_city = visit(ucity, "focused", local(d(10, 15)))
        i_draft = visit(ua, "open", local(d(11, 4)), status="draft")

        def finding(key, unit, at, status, deadline=None, *, inspection=None, log=(),
                    photos=0, severity="general", category="other", **kw):
            row = Finding(client_key=key, inspection_id=inspection.id if inspection else None,
                          unit_id=unit.id, category=category, severity=severity,
                          description=f"问题{key}", status=status, deadline=deadline,
                          created_at=at, **kw)
            s.add(row)
            s.flush()
            ids[key] = row.id
            for k, to in enumerate(log):
                s.add(FindingStatusChange(finding_id=row.id, to_status=to,
                                          at=at + timedelta(days=k)))
            for k in range(photos):
                s.add(Photo(sha256=f"{key}{k}".ljust(64, "0"), original_key=f"o/{key}{k}",
                            display_key=f"d/{key}{k}", thumb_key=f"t/{key}{k}",
                            mime="image/jpeg", size_bytes=100, width=40, height=30,
                            gps_lat=39.8, gps_lon=98.3, finding_id=row.id,
                            uploaded_by=author.id))
            return row

        finding("f1", ua, local(d(11, 3), 9), "rectifying", d(11, 20), inspection=i_a,
                severity="severe", category="discipline", log=("open", "rectifying"))
        finding("f2", ua, local(d(11, 3), 9), "verified", d(11, 30), inspection=i_a,
                category="attitude",
                log=("open", "rectifying", "reported", "reopened", "reported", "verified"))
        finding("f3", ucomm, local(d(11, 10)), "reopened", d(11, 25), inspection=i_c,
                severity="serious", category="efficiency", photos=2,
                log=("open", "rectifying", "reported", "reopened"))
        finding("f4", ub, local(d(11, 20)), "open", inspection=i_b, photos=1,
                category="discipline")
        finding("f5", ucity, local(d(10, 15)), "rectifying", d(12, 10), inspection=i_city)
        finding("f6", ub, local(d(11, 25), 9), "rectifying", d(12, 1), category="publicity",
                complaint_id=complaint.id)
        finding("f7", ub, local(d(11, 20)), "rejected", inspection=i_b)
        finding("f8", ua, local(d(11, 4)), "draft", inspection=i_draft)
        uow.commit()
    ids["office"], ids["author"] = office, author
    ids["admin"] = make_user("root", Role.ADMIN)
    ids["leader"] = make_user("leader1", Role.LEADER)
    ids["insp_a"] = make_user("insp_a", Role.INSPECTOR, district_id=ids["a"])
    ids["insp_b"] = make_user("insp_b", Role.INSPECTOR, district_id=ids["b"])
    ids["liaison_a"] = make_user("liaison_a", Role.UNIT, unit_id=ids["ua"])
    ids["liaison_b"] = make_user("liaison_b", Role.UNIT, unit_id=ids["ub"])
    return ids


def _listed(uow, reg, actor=None, **filters) -> list[register.RegisterRow]:
    return uow.query(register.list_register, actor=actor or reg["office"],
                     filters=RegisterFilters(**filters), limit=register.MAX_PAGE, today=TODAY)


def _keys(uow, reg, actor=None, **filters) -> set[str]:
    """The fixture keys of what the list shows, checked against what the count says."""
    names = {v: k for k, v in reg.items() if isinstance(v, int) and k.startswith("f")}
    rows = _listed(uow, reg, actor, **filters)
    count = uow.query(register.count_register, actor=actor or reg["office"],
                      filters=RegisterFilters(**filters), today=TODAY)
    assert count == len(rows)
    return {names[r.id] for r in rows}


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, ALL),
    # Found on the city's day: 00:30 on 11-03 in the city is still 11-02 in UTC.
    ({"found_from": d(11, 3), "found_to": d(11, 3)}, {"f1", "f2"}),
    ({"found_to": d(11, 2)}, {"f5"}),
    ({"found_from": d(11, 25)}, {"f6"}),  # opened from a complaint: found when opened
    # A district with its town and the community under the town.
    ({"district_id": "a"}, {"f1", "f2", "f3"}),
    ({"district_id": "town"}, {"f3"}),
    ({"district_id": "b"}, {"f4", "f6", "f7"}),
    ({"unit_id": "ub"}, {"f4", "f6", "f7"}),
    ({"industry_id": "power"}, {"f1", "f2", "f4", "f6", "f7"}),
    ({"industry_id": "water"}, {"f3", "f5"}),
    ({"visit_kind": "open"}, {"f1", "f2"}),
    ({"visit_kind": "unannounced"}, {"f3"}),
    ({"visit_kind": "spot_check"}, {"f4", "f7"}),
    ({"visit_kind": "focused"}, {"f5"}),
    ({"visit_kind": "complaint"}, {"f6"}),
    ({"category": "discipline"}, {"f1", "f4"}),
    ({"severity": "severe"}, {"f1"}),
    ({"severity": "serious"}, {"f3"}),
    ({"status": "rectifying"}, {"f1", "f5", "f6"}),
    ({"status": "draft"}, set()),  # the author's draft is not the office's to see
    # Waiting for the unit past the deadline: f2's passed deadline does not count (closed).
    ({"overdue": True}, {"f1", "f3"}),
    ({"overdue": False}, ALL - {"f1", "f3"}),
    ({"reopened": True}, {"f2", "f3"}),  # f2 was reopened once and is verified since
    ({"reopened": False}, ALL - {"f2", "f3"}),
    ({"has_photos": True}, {"f3", "f4"}),
    ({"has_photos": False}, ALL - {"f3", "f4"}),
    # Combined: every condition holds.
    ({"district_id": "a", "overdue": True}, {"f1", "f3"}),
    ({"district_id": "a", "overdue": True, "has_photos": True}, {"f3"}),
    ({"industry_id": "power", "status": "rectifying"}, {"f1", "f6"}),
    ({"visit_kind": "complaint", "district_id": "b", "overdue": False}, {"f6"}),
    ({"found_from": d(11, 3), "found_to": d(11, 20), "reopened": True,
      "industry_id": "water"}, {"f3"}),
    ({"unit_id": "ua", "district_id": "b"}, set()),
])
def test_each_filter_alone_and_combined(uow, reg, filters, expected):
    named = {k: reg[v] if k.endswith("_id") else v for k, v in filters.items()}
    assert _keys(uow, reg, **named) == expected


def test_circulated_filter_follows_issued_notices(uow, reg):
    """Issuing a notice stamps its findings (services/notices/workflow.issue); the register
    filters on that stamp both ways."""
    with uow:
        for key in ("f1", "f4"):
            finding = uow.session.get(Finding, reg[key])
            finding.circulated_at = datetime(2026, 11, 24, 2, tzinfo=UTC)
            uow.session.add(finding)
        uow.commit()
    assert _keys(uow, reg, circulated=True) == {"f1", "f4"}
    assert _keys(uow, reg, circulated=False) == ALL - {"f1", "f4"}
    assert _keys(uow, reg, circulated=True, district_id=reg["a"]) == {"f1"}


def test_a_row_has_what_the_list_shows(uow, reg):
    rows = {r.id: r for r in _listed(uow, reg)}
    f3 = rows[reg["f3"]]
    assert (f3.unit, f3.district, f3.visit_kind, f3.category, f3.severity, f3.status) == (
        "B新城社区供水站", "新城社区", "unannounced", "efficiency", "serious", "reopened")
    assert (f3.description, f3.deadline, f3.overdue, f3.reopened) == (
        "问题f3", d(11, 25), True, True)
    assert f3.found_at == local(d(11, 10))
    assert f3.photo_count == 2
    with uow.read() as r:
        first = r.session.exec(select(func.min(Photo.id)).where(Photo.finding_id == f3.id)).one()
    assert f3.thumbnail.id == first
    assert (f3.thumbnail.gps_lat, f3.thumbnail.gps_lon) == (None, None)  # no place in lists
    f6 = rows[reg["f6"]]
    assert (f6.visit_kind, f6.inspection_id, f6.complaint_id) == (
        "complaint", None, reg["complaint"])
    assert f6.found_at == local(d(11, 25), 9)
    assert (f6.photo_count, f6.thumbnail, f6.overdue, f6.reopened) == (0, None, False, False)
    assert rows[reg["f5"]].district is None  # a city-level unit
    assert rows[reg["f4"]].deadline is None and rows[reg["f4"]].photo_count == 1


def test_photos_of_a_page_are_read_in_one_query(uow, reg, engine):
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement.lower())

    event.listen(engine, "before_cursor_execute", seen)
    try:
        rows = _listed(uow, reg)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert sum(r.photo_count for r in rows) == 3
    assert len([s for s in statements if "photo" in s]) == 1


@pytest.mark.parametrize(("role", "expected"), [
    ("office", ALL),
    ("admin", ALL),
    ("author", ALL),  # a city-wide inspector: their own draft is not in the register yet
    ("insp_a", {"f1", "f2", "f3"}),  # 雄关区 with its town and community
    ("insp_b", {"f4", "f6", "f7"}),
    ("leader", {"f1", "f2", "f3", "f5", "f6"}),  # confirmed only
    ("liaison_a", {"f1", "f2"}),  # its own unit's confirmed ones
    ("liaison_b", {"f6"}),  # f4 is not confirmed, f7 was rejected
])
def test_each_role_sees_what_finding_filter_allows(uow, reg, role, expected):
    assert _keys(uow, reg, reg[role]) == expected
    # Filters narrow what the reader sees; they never widen it.
    assert _keys(uow, reg, reg[role], status="open") == expected & {"f4"}


def test_the_register_refuses_a_deactivated_account(uow, reg):
    gone = reg["leader"]
    gone.active = False  # as the signed-in user reads once the account is switched off
    with pytest.raises(PermissionDenied):
        uow.query(register.list_register, actor=gone)
    with pytest.raises(PermissionDenied):
        uow.query(register.count_register, actor=gone)


def test_the_count_stops_past_its_cap(uow, reg):
    count = lambda cap: uow.query(register.count_register, actor=reg["office"],  # noqa: E731
                                  today=TODAY, cap=cap)
    assert count(3) == 4  # "more than 3"
    assert count(7) == 7
    assert count(None) == 7
    assert uow.query(register.count_register, actor=reg["office"], today=TODAY) == 7
    assert register.COUNT_CAP == 10_000  # the default: "10,000+" as the complaint list says


@pytest.fixture
def many(uow, reg):
    """27 more findings at the four units: found at three moments (ties), deadlines on
    three days or none, every severity and several statuses, so each sort has ties."""
    with uow:
        s = uow.session
        visits = [s.get(Inspection, s.get(Finding, reg[k]).inspection_id)
                  for k in ("f1", "f3", "f4", "f5")]
        statuses = ("open", "rectifying", "reported", "reopened", "verified")
        for k in range(27):
            at = visits[k % 4]
            s.add(Finding(client_key=f"m{k}", inspection_id=at.id, unit_id=at.unit_id,
                          category="other", severity=register.SEVERITIES[k % 3],
                          description=f"批量{k}", status=statuses[k % 5],
                          deadline=None if k % 5 == 0 else d(12, 1 + k % 3),
                          created_at=at.visited_at))
        uow.commit()
    return reg


def _expected(rows: list[register.RegisterRow], sort: str, descending: bool):
    """The order the register promises, worked out in Python: by the key, then the id, in
    the same direction; no deadline last either way."""
    key = {
        "found": lambda r: r.found_at,
        "deadline": lambda r: r.deadline or date.min,
        "unit": lambda r: r.unit,
        "severity": lambda r: register.SEVERITIES.index(r.severity),
        "status": lambda r: register.STATUSES.index(r.status),
    }[sort]
    ordered = sorted(rows, key=lambda r: (key(r), r.id), reverse=descending)
    if sort == "deadline":
        ordered.sort(key=lambda r: r.deadline is None)  # stable: keeps the order within
    return [r.id for r in ordered]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", list(register.SORTS))
def test_paging_a_sorted_list_yields_every_row_once_in_order(uow, many, sort, descending):
    office, page = many["office"], 4
    listed = []
    for offset in range(0, 200, page):  # bounded: a list that ignored the offset never ends
        rows = uow.query(register.list_register, actor=office, sort=sort,
                         descending=descending, offset=offset, limit=page, today=TODAY)
        if not rows:
            break
        assert len(rows) <= page
        listed += rows
    ids = [r.id for r in listed]
    assert len(ids) == len(set(ids)) == 7 + 27
    assert ids == _expected(listed, sort, descending)


def test_paging_is_checked(uow, reg):
    office = reg["office"]
    for bad in ({"sort": "description"}, {"limit": 0}, {"limit": register.MAX_PAGE + 1},
                {"offset": -1}):
        with pytest.raises(ValidationFailed):
            uow.query(register.list_register, actor=office, **bad)
    assert uow.query(register.list_register, actor=office, offset=7, today=TODAY) == []


def test_filters_go_to_the_url_and_back():
    full = RegisterFilters(found_from=d(11, 1), found_to=d(11, 26), district_id=3, unit_id=4,
                           industry_id=5, visit_kind="complaint", category="discipline",
                           severity="severe", status="reopened", overdue=True, reopened=False,
                           has_photos=True, circulated=False)
    query = full.to_query()
    assert all(isinstance(v, str) for v in query.values())
    assert query["from"] == "2026-11-01" and query["overdue"] == "1"
    assert RegisterFilters.from_query(query) == full
    assert RegisterFilters().to_query() == {}
    assert RegisterFilters.from_query({}) == RegisterFilters()


@pytest.mark.parametrize("params", [
    {"from": "2026-13-01", "to": "yesterday", "district": "abc", "unit": "0",
     "industry": "1e3", "kind": "<script>", "category": "", "severity": "SEVERE",
     "status": "closed", "overdue": "yes", "reopened": "2", "photos": "true"},
    {"from": "2026-11-01T00:00", "to": "2026-02-30", "unit": "-4", "district": "3.5",
     "industry": "99999999999", "kind": "Open"},
    {"unit": "١٢", "district": "²", "from": "", "to": " "},  # digits, but not ours
    {"unit": None, "district": 7, "from": date(2026, 11, 1), "overdue": True, "kind": []},
    {"unknown": "1", "photos": ["x"]},
])
def test_malformed_query_values_are_ignored(params):
    assert RegisterFilters.from_query(params) == RegisterFilters()


def test_a_query_keeps_what_is_well_formed_beside_what_is_not():
    got = RegisterFilters.from_query({"unit": " 12 ", "district": "x", "photos": ["1", "0"],
                                      "kind": "spot_check", "to": "2026-11-30"})
    assert got == RegisterFilters(unit_id=12, has_photos=False, visit_kind="spot_check",
                                  found_to=d(11, 30))
    for junk in (None, "unit=3", ["unit", "3"], 42):
        assert RegisterFilters.from_query(junk) == RegisterFilters()
