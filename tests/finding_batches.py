"""Confirmed findings at two units, for the register's bulk actions (extend, urge).

    unit A (雄关区): a1 due today+5, a2 due today+10 (both being rectified), a_open (submitted,
                    not reviewed yet)
    unit B (镜铁区): b1 due today+5 (being rectified)
Liaisons: liaison_a (with an e-mail address), liaison_b (without one); and a leader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from db.models import Finding, Role, User
from services.core import clock
from tests.factories import confirm, make_district, make_unit, make_visit


@dataclass
class Batches:
    office: User
    inspector: User
    leader: User
    admin: User
    liaison_a: User
    liaison_b: User
    unit_a: int
    unit_b: int
    a1: Finding
    a2: Finding
    a_open: Finding
    b1: Finding
    today: date


def make_batches(uow, *, make_user, admin, office, inspector, checklist) -> Batches:
    today = clock.today()
    xiong = make_district(uow, actor=admin, name="雄关区")
    jing = make_district(uow, actor=admin, name="镜铁区")
    unit_a = make_unit(uow, actor=admin, name="A市供电公司", district=xiong)
    unit_b = make_unit(uow, actor=admin, name="B市供水公司", district=jing)
    liaison_a = make_user("liaison_a", Role.UNIT, unit_id=unit_a.id, email="a@example.gov.cn")
    liaison_b = make_user("liaison_b", Role.UNIT, unit_id=unit_b.id)
    _, (a1, a2, a_open) = make_visit(
        uow, inspector=inspector, unit=unit_a, template=checklist, submit=True,
        findings=[dict(description="窗口无人值守"), dict(description="未执行一次性告知"),
                  dict(description="着装不规范")])
    _, (b1,) = make_visit(uow, inspector=inspector, unit=unit_b, template=checklist,
                          submit=True, findings=[dict(description="排队超过一小时")])
    a1 = confirm(uow, actor=office, finding=a1, deadline=today + timedelta(days=5))
    a2 = confirm(uow, actor=office, finding=a2, deadline=today + timedelta(days=10))
    b1 = confirm(uow, actor=office, finding=b1, deadline=today + timedelta(days=5))
    return Batches(office=office, inspector=inspector, leader=make_user("leader1", Role.LEADER),
                   admin=admin, liaison_a=liaison_a, liaison_b=liaison_b, unit_a=unit_a.id,
                   unit_b=unit_b.id, a1=a1, a2=a2, a_open=a_open, b1=b1, today=today)
