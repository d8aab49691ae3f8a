"""A finding the office opens from a complaint: no visit, sent to the unit complained about,
rectified and verified like any other; one per complaint; only the office opens it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from db.migrate import downgrade_to, upgrade_to_head
from db.models import Finding, Role
from services.complaints import workflow
from services.core import clock
from services.core.errors import NotFound, PermissionDenied, ValidationFailed
from services.findings import from_complaint, queries, rectification
from services.findings import status as finding_status
from tests.conftest import at_once, count_rows
from tests.factories import make_complaint, make_district, make_unit


def _sent(uow, office, complaint, unit):
    uow.run(workflow.assign, actor=office, complaint_id=complaint.id, version=None,
            unit_id=unit.id)
    return complaint


@pytest.fixture
def city(uow, admin, office, make_user):
    xg = make_district(uow, actor=admin, name="雄关区")
    jt = make_district(uow, actor=admin, name="镜铁区")
    power = make_unit(uow, actor=admin, name="峪泉供电所", district=xg)
    return dict(
        office=office, power=power,
        liaison=make_user("liaison_power", Role.UNIT, unit_id=power.id),
        leader=make_user("leader1", Role.LEADER),
        inspector=make_user("insp_jt", Role.INSPECTOR, district_id=jt.id),
        complaint=_sent(uow, office, make_complaint(uow, office=office, unit=power), power),
    )


def _open(uow, actor, complaint, **kw):
    return uow.run(from_complaint.open_from_complaint, actor=actor, complaint_id=complaint.id,
                   category=kw.pop("category", "attitude"),
                   description=kw.pop("description", "窗口人员态度生硬（来自投诉）"), **kw)


def test_the_unit_rectifies_it_and_the_office_verifies_it(uow, city):
    finding = _open(uow, city["office"], city["complaint"], severity="serious")
    assert (finding.inspection_id, finding.unit_id) == (None, city["power"].id)
    assert finding.status == finding_status.RECTIFYING and finding.confirmed_at is not None
    assert finding.complaint_id == city["complaint"].id and finding.deadline > clock.today()
    [case] = uow.query(queries.list_cases, actor=city["liaison"], finding_id=finding.id)
    assert case.visited_at is not None  # the list shows when it was opened
    uow.run(rectification.submit_rectification, actor=city["liaison"], finding_id=finding.id,
            client_key=uuid.uuid4().hex, text="已对窗口人员批评教育")
    done = uow.run(rectification.verify, actor=city["office"], finding_id=finding.id,
                   accept=True)
    assert done.status == finding_status.VERIFIED
    [case] = uow.query(queries.list_cases, actor=city["office"], finding_id=finding.id)
    assert [h.to_status for h in case.history] == [
        "draft", "open", "rectifying", "reported", "verified"]
    # The leader reads it among the confirmed findings; an inspector of another district not.
    assert uow.query(queries.count_cases, actor=city["leader"], finding_id=finding.id)[0] == 1
    assert uow.query(queries.count_cases, actor=city["inspector"],
                     finding_id=finding.id)[0] == 0


def test_opening_twice_even_at_once_gives_one_finding(uow, city):
    calls = [lambda: _open(uow, city["office"], city["complaint"]) for _ in range(4)]
    ids = {f.id for f in at_once(calls)}
    assert len(ids) == 1 and count_rows(uow, Finding) == 1


@pytest.mark.parametrize("who", ["liaison", "leader", "inspector"])
def test_only_the_office_opens_one(uow, city, who):
    with pytest.raises(PermissionDenied):
        _open(uow, city[who], city["complaint"])
    assert count_rows(uow, Finding) == 0


def test_a_complaint_not_with_a_unit_or_a_bad_value_is_refused(uow, city, admin):
    not_sent = make_complaint(uow, office=city["office"], unit=city["power"])
    returned = _sent(uow, city["office"], make_complaint(uow, office=city["office"]),
                     city["power"])
    uow.run(workflow.return_to_office, actor=city["liaison"], complaint_id=returned.id,
            reason="不属本单位职责")
    for complaint in (not_sent, returned):
        with pytest.raises(ValidationFailed) as refused:
            _open(uow, city["office"], complaint)
        assert refused.value.message_key == "finding.complaint_needs_unit"
    with pytest.raises(ValidationFailed):
        _open(uow, city["office"], city["complaint"], category="not-a-category")
    with pytest.raises(ValidationFailed):
        _open(uow, city["office"], city["complaint"],
              deadline=clock.today() - timedelta(days=1))
    with pytest.raises(NotFound):
        uow.run(from_complaint.open_from_complaint, actor=city["office"], complaint_id=99999,
                category="attitude", description="x")
    assert count_rows(uow, Finding) == 0


def test_0008_refuses_to_go_down_over_a_finding_without_a_visit(engine, uow, city):
    downgrade_to(engine, "0007")  # nothing opened yet: down and up again
    upgrade_to_head(engine)
    _open(uow, city["office"], city["complaint"])
    with pytest.raises(RuntimeError, match="opened from complaints"):
        downgrade_to(engine, "0007")
    assert uow.query(lambda u: u.session.exec(select(Finding.complaint_id)).one()) == (
        city["complaint"].id)


def test_once_the_first_unit_has_reported_the_complaint_is_not_reassigned(uow, city, admin):
    finding = _open(uow, city["office"], city["complaint"])
    uow.run(rectification.submit_rectification, actor=city["liaison"], finding_id=finding.id,
            client_key=uuid.uuid4().hex, text="已整改")
    uow.run(workflow.return_to_office, actor=city["liaison"], complaint_id=city["complaint"].id,
            reason="不属本单位职责")
    water = make_unit(uow, actor=admin, name="雄关区供水公司")
    with pytest.raises(ValidationFailed) as refused:
        uow.run(workflow.assign, actor=city["office"], complaint_id=city["complaint"].id,
                version=None, unit_id=water.id)
    assert refused.value.message_key == "finding.complaint_finding_reported"
