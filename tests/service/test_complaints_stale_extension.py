"""Attack: an extension request outlives the unit that asked for it. Unit A asks for more
time, then returns the complaint; the office sends it to unit B. A's request is still
pending: it blocks B from asking ("one request at a time") and, if the office grants it,
moves B's deadline on A's reason."""

from __future__ import annotations

from datetime import timedelta

from db.models import Role
from services.complaints import workflow
from services.core import clock
from services.core.errors import ValidationFailed
from tests.factories import make_complaint, make_district, make_unit


def test_a_returned_complaints_extension_request_does_not_follow_it_to_the_next_unit(
        uow, admin, office, make_user):
    xg = make_district(uow, actor=admin, name="雄关区")
    a = make_unit(uow, actor=admin, name="峪泉供电所", district=xg)
    b = make_unit(uow, actor=admin, name="镜铁区实验小学", district=xg)
    la = make_user("la", Role.UNIT, unit_id=a.id)
    lb = make_user("lb", Role.UNIT, unit_id=b.id)
    c = make_complaint(uow, office=office, unit=a)
    uow.run(workflow.assign, actor=office, complaint_id=c.id, version=None, unit_id=a.id)
    uow.run(workflow.ask_extension, actor=la, complaint_id=c.id, reason="A 需要时间",
            new_deadline=c.deadline + timedelta(days=30))
    uow.run(workflow.return_to_office, actor=la, complaint_id=c.id, reason="不归我管")
    uow.run(workflow.assign, actor=office, complaint_id=c.id, version=None, unit_id=b.id,
            deadline=clock.today() + timedelta(days=5))
    try:
        uow.run(workflow.ask_extension, actor=lb, complaint_id=c.id, reason="B 需要时间",
                new_deadline=clock.today() + timedelta(days=10))
    except ValidationFailed as err:
        raise AssertionError(f"unit B cannot ask: {err.message_key}") from err
