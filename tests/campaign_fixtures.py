"""A small campaign for the tests: one battle, one task led by the power company with a
co-unit and a responsible unit, four milestones over 2026, and the users around it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from db.models import Role
from services.campaign import tasks
from services.campaign.tasks import MilestoneInput
from tests.factories import make_district, make_unit

MILESTONES = [MilestoneInput("方案制定", date(2026, 3, 31), 20),
              MilestoneInput("全面推开", date(2026, 6, 30), 20),
              MilestoneInput("中期评估", date(2026, 11, 30), 20),
              MilestoneInput("验收总结", date(2026, 12, 31), 40)]


def noon(day: date) -> datetime:
    """Midday in the city (UTC+8) on `day`, as a stored UTC moment."""
    return datetime(day.year, day.month, day.day, 4, 0, tzinfo=UTC)


@pytest.fixture
def campaign(uow, admin, office, make_user):
    xg = make_district(uow, actor=admin, name="雄关区")
    lead = make_unit(uow, actor=admin, name="市供电公司", district=xg)
    co = make_unit(uow, actor=admin, name="市政务服务中心", district=xg)
    responsible = make_unit(uow, actor=admin, name="雄关区人民政府办公室", district=xg)
    outsider = make_unit(uow, actor=admin, name="市第一中学", district=xg)
    battle = uow.run(tasks.save_battle, actor=office, code="B4", title="行业作风攻坚战")
    task = uow.run(tasks.save_task, actor=office, battle_id=battle.id, code="B4-T2",
                   title="供电服务提速", target="办电时间压缩一半", start_date=date(2026, 1, 1),
                   due_date=date(2026, 12, 31), lead_unit_id=lead.id, co_unit_ids=[co.id],
                   responsible_unit_ids=[responsible.id], milestones=MILESTONES)
    return dict(
        office=office, admin=admin, battle=battle, task=task, lead=lead, co=co,
        responsible=responsible, outsider=outsider,
        leader=make_user("leader1", Role.LEADER),
        inspector=make_user("insp9", Role.INSPECTOR),
        lead_liaison=make_user("liaison_gdj", Role.UNIT, unit_id=lead.id),
        co_liaison=make_user("liaison_zwzx", Role.UNIT, unit_id=co.id),
        resp_liaison=make_user("liaison_xg", Role.UNIT, unit_id=responsible.id),
        other_liaison=make_user("liaison_school", Role.UNIT, unit_id=outsider.id),
    )
