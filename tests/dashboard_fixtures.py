"""A small city whose dashboard figures are worked out by hand (tests/service/
test_dashboard.py says each answer and why). Rows are written directly, with exact times:
what is tested is the counting, not how the records came to be.

Today is 2026-11-26; the period is 2026-11-01..26, the previous one 2026-10-06..31.
Places: 雄关区 A (population 100,000) with the town 新城镇 under it; 镜铁区 B (no
population set); 长城区 C (no records at all). Units: uA (A, industry 供电), uA1 (the
town, 供水), uB (B, 供电)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from db.models import (
    Battle,
    ChecklistTemplate,
    Complaint,
    ComplaintCategory,
    ComplaintFollowUp,
    District,
    Finding,
    Industry,
    Inspection,
    Milestone,
    ProgressReport,
    Rectification,
    Role,
    Task,
    Unit,
)
from services.dashboard.period import Period
from services.dashboard.scope import Filters

TODAY = date(2026, 11, 26)
PERIOD = Period(date(2026, 11, 1), TODAY)


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment on the city's wall clock (UTC+8), stored as UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.fixture
def city(uow, office, make_user):
    with uow:
        s = uow.session
        a = District(name="雄关区", kind="district", population=100_000)
        b = District(name="镜铁区", kind="district")
        c = District(name="长城区", kind="district", population=50_000)
        s.add_all([a, b, c])
        s.flush()
        town = District(name="新城镇", kind="town", parent_id=a.id)
        power, water = Industry(name="供电"), Industry(name="供水")
        s.add_all([town, power, water])
        s.flush()
        ua = Unit(name="雄关区供电所", district_id=a.id, industry_id=power.id)
        ua1 = Unit(name="新城镇供水站", district_id=town.id, industry_id=water.id)
        ub = Unit(name="镜铁区供电所", district_id=b.id, industry_id=power.id)
        cat1, cat2 = ComplaintCategory(name="测试类别一"), ComplaintCategory(name="测试类别二")
        tpl = ChecklistTemplate(name="测试检查表")
        s.add_all([ua, ua1, ub, cat1, cat2, tpl])
        s.flush()
        ids = dict(a=a.id, b=b.id, c=c.id, town=town.id, power=power.id, water=water.id,
                   ua=ua.id, ua1=ua1.id, ub=ub.id, cat1=cat1.id, cat2=cat2.id)

        def complaint(key, unit, place, channel, received, deadline, **kw):
            row = Complaint(channel=channel, received_at=received, unit_id=unit,
                            district_id=place, category_id=kw.pop("category", cat1.id),
                            content=f"测试投诉{key}", deadline=deadline,
                            complainant_name="张三", complainant_phone="13900001111", **kw)
            s.add(row)
            s.flush()
            ids[key] = row.id
            return row

        complaint("c1", ua.id, a.id, "phone", local(d(11, 2), 10), d(11, 10), escalated=True,
                  status="closed", sent_to_unit_id=ua.id, assigned_at=local(d(11, 2), 15),
                  replied_at=local(d(11, 9)), closed_at=local(d(11, 12)),
                  satisfaction="satisfied")
        # 01:00 on 11-03 in the city is still 11-02 in UTC: counted on the city's day.
        complaint("c2", ua1.id, town.id, "hotline", local(d(11, 3), 1), d(11, 20),
                  status="closed", sent_to_unit_id=ua1.id, assigned_at=local(d(11, 3)),
                  replied_at=local(d(11, 21)),
                  closed_at=local(d(11, 22)), satisfaction="basically", category=cat2.id)
        complaint("c3", ub.id, b.id, "phone", local(d(11, 20)), d(11, 25), status="assigned",
                  assigned_at=local(d(11, 20), 16), sent_to_unit_id=ub.id)
        complaint("c4", ua.id, a.id, "phone", local(d(11, 5)), d(11, 15),
                  duplicate_of_id=ids["c1"])
        complaint("c5", ua.id, a.id, "online", local(d(10, 10)), d(10, 20), status="closed",
                  sent_to_unit_id=ua.id,
                  assigned_at=local(d(10, 10)), replied_at=local(d(10, 19)),
                  closed_at=local(d(10, 25)), satisfaction="basically")
        complaint("c6", None, b.id, "letter", local(d(11, 25)), d(12, 5))
        complaint("c9", ua.id, a.id, "phone", local(d(11, 15)), d(12, 1))
        # Follow-up calls: c2's first one found the matter unsolved (reopened), the second
        # closed it; October's call on c5 was basically satisfied.
        for key, day, result in (("c1", d(11, 12), "satisfied"), ("c2", d(11, 21), "unsatisfied"),
                                 ("c2", d(11, 22), "basically"), ("c5", d(10, 25), "basically")):
            s.add(ComplaintFollowUp(complaint_id=ids[key], by=office.id, at=local(day),
                                    satisfaction=result, method="phone"))

        def visit(key, unit, day, status):
            row = Inspection(client_key=key, unit_id=unit, kind="open", template_id=tpl.id,
                             inspector_id=office.id, visited_at=local(day), status=status)
            s.add(row)
            s.flush()
            ids[key] = row.id
            return row

        i1 = visit("i1", ua.id, d(11, 3), "submitted")
        i2 = visit("i2", ub.id, d(11, 10), "reviewed")
        i3 = visit("i3", ua1.id, d(10, 15), "reviewed")
        visit("i4", ua.id, d(11, 4), "draft")

        def finding(key, visit_row, status, created, deadline=None, reported=None):
            row = Finding(client_key=key, inspection_id=visit_row.id, unit_id=visit_row.unit_id,
                          category="首问责任制", description=f"问题{key}", status=status,
                          created_at=local(created), deadline=deadline,
                          confirmed_at=local(created + timedelta(days=1))
                          if status not in ("draft", "open", "rejected") else None)
            s.add(row)
            s.flush()
            ids[key] = row.id
            if reported:
                s.add(Rectification(client_key=f"r{key}", finding_id=row.id,
                                    submitted_by=office.id, text="已整改",
                                    submitted_at=local(reported)))
            return row

        finding("f1", i1, "rectifying", d(11, 3), d(11, 15))
        finding("f2", i1, "verified", d(11, 3), d(11, 20), reported=d(11, 18))
        finding("f3", i2, "reported", d(11, 10), d(11, 12), reported=d(11, 14))
        finding("f4", i2, "open", d(11, 10))
        finding("f5", i3, "verified", d(10, 15), d(10, 25), reported=d(10, 24))
        finding("f6", i2, "rejected", d(11, 10))
        finding("f8", i1, "rectifying", d(11, 3), d(11, 30))

        battle = Battle(code="B1", title="作风攻坚战")
        s.add(battle)
        s.flush()
        t1 = Task(battle_id=battle.id, code="B1-T1", title="窗口服务提速", start_date=d(1, 1),
                  due_date=d(12, 31), lead_unit_id=ua.id)
        t2 = Task(battle_id=battle.id, code="B1-T2", title="供电报装提速", start_date=d(1, 1),
                  due_date=d(10, 31), lead_unit_id=ub.id)
        s.add_all([t1, t2])
        s.flush()
        ids.update(t1=t1.id, t2=t2.id)
        s.add_all([
            Milestone(task_id=t1.id, title="半年", due_date=d(6, 30), weight=50),
            Milestone(task_id=t1.id, title="年底", due_date=d(12, 31), weight=50),
            Milestone(task_id=t2.id, title="完成", due_date=d(10, 31), weight=100),
            ProgressReport(task_id=t1.id, month=d(9, 1), percent=50, done="推进",
                           submitted_by=office.id, submitted_at=local(d(10, 3))),
            ProgressReport(task_id=t1.id, month=d(10, 1), percent=60, done="推进",
                           submitted_by=office.id, submitted_at=local(d(11, 4))),
            ProgressReport(task_id=t2.id, month=d(9, 1), percent=80, done="推进",
                           submitted_by=office.id, submitted_at=local(d(10, 10))),
        ])
        uow.commit()
    ids["leader"] = make_user("leader_dash", Role.LEADER)
    ids["inspector_b"] = make_user("insp_b", Role.INSPECTOR, district_id=ids["b"])
    ids["liaison_a"] = make_user("liaison_a", Role.UNIT, unit_id=ids["ua"])
    ids["office"] = office
    return ids


def filters(**kw) -> Filters:
    return Filters(period=kw.pop("period", PERIOD), **kw)
