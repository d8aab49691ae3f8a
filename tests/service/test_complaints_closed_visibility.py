"""Attack: visibility.complaint_filter lets a unit read every complaint naming it whose
status is in AT_UNIT, and AT_UNIT includes "closed". A complaint the office closed itself
(close_directly, from received or returned) was never sent to the unit, or was returned
by it; yet once closed the unit reads it (content, masked complainant, office notes)."""

from __future__ import annotations

import pytest

from db.models import Role
from services.complaints import queries, workflow
from services.core.errors import NotFound
from tests.factories import make_complaint, make_district, make_unit


@pytest.fixture
def w(uow, admin, office, make_user):
    xg = make_district(uow, actor=admin, name="雄关区")
    a = make_unit(uow, actor=admin, name="峪泉供电所", district=xg)
    return office, a, make_user("la", Role.UNIT, unit_id=a.id)


def test_a_complaint_closed_by_the_office_before_sending_stays_hidden_from_the_unit(uow, w):
    office, a, la = w
    c = make_complaint(uow, office=office, unit=a, content="举报供电所某某收红包")
    uow.run(workflow.close_directly, actor=office, complaint_id=c.id, version=None,
            note="已电话解释，内部核查中")
    with pytest.raises(NotFound):
        uow.query(queries.get_complaint, actor=la, complaint_id=c.id)


def test_a_returned_then_closed_complaint_stays_hidden_from_the_unit(uow, w):
    office, a, la = w
    c = make_complaint(uow, office=office, unit=a)
    uow.run(workflow.assign, actor=office, complaint_id=c.id, version=None, unit_id=a.id)
    uow.run(workflow.return_to_office, actor=la, complaint_id=c.id, reason="不归我管")
    uow.run(workflow.close_directly, actor=office, complaint_id=c.id, version=None,
            note="转交其他渠道")
    with pytest.raises(NotFound):
        uow.query(queries.get_complaint, actor=la, complaint_id=c.id)
