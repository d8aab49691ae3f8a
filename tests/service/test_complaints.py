"""Complaints: the register, every move of the lifecycle (allowed and refused), who reads
what, the complainant masked for every role but the office and administrators, duplicates
and the list filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import AuditEvent, Complaint, ComplaintStatusChange, Role
from db.timeutil import utcnow
from services.complaints import duplicates, queries, workflow
from services.complaints import register as complaint_register
from services.complaints.queries import Filters
from services.core import clock
from services.core.audit_log import search as audit_search
from services.core.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from tests.conftest import count_rows
from tests.factories import complaint_categories, make_complaint, make_district, make_unit

NAME, PHONE, ADDRESS = "张三丰", "13812341234", "雄关区新华路12号"


@dataclass
class City:
    office: object
    admin: object
    leader: object
    inspector: object  # scoped to 镜铁区
    liaison: object  # of the power station (雄关区)
    other_liaison: object  # of the school (镜铁区)
    power: object
    school: object
    xiongguan: object
    jingtie: object


@pytest.fixture
def city(uow, admin, office, make_user) -> City:
    xiongguan = make_district(uow, actor=admin, name="雄关区")
    jingtie = make_district(uow, actor=admin, name="镜铁区")
    town = make_district(uow, actor=admin, name="峪泉镇", kind="town", parent=xiongguan)
    power = make_unit(uow, actor=admin, name="峪泉供电所", district=town)
    school = make_unit(uow, actor=admin, name="镜铁区实验小学", district=jingtie)
    return City(
        office, admin, make_user("leader1", Role.LEADER),
        make_user("insp_jt", Role.INSPECTOR, district_id=jingtie.id),
        make_user("liaison_power", Role.UNIT, unit_id=power.id),
        make_user("liaison_school", Role.UNIT, unit_id=school.id),
        power, school, xiongguan, jingtie,
    )


def _detail(uow, actor, complaint):
    return uow.query(queries.get_complaint, actor=actor, complaint_id=complaint.id)


def _statuses(uow, complaint) -> list[str]:
    with uow.read() as r:
        return list(r.session.exec(
            select(ComplaintStatusChange.to_status)
            .where(ComplaintStatusChange.complaint_id == complaint.id)
            .order_by(ComplaintStatusChange.id)))


def _assign(uow, city, complaint, unit=None):
    version = _detail(uow, city.office, complaint).row.version
    return uow.run(workflow.assign, actor=city.office, complaint_id=complaint.id,
                   version=version, unit_id=(unit or city.power).id)


# --- register ------------------------------------------------------------------------------


def test_a_registered_complaint_gets_the_category_deadline_and_its_place(uow, city):
    received = utcnow() - timedelta(hours=2)
    complaint = make_complaint(uow, office=city.office, unit=city.power, received_at=received)
    assert complaint.status == "received"
    assert complaint.deadline == clock.local_date(received) + timedelta(days=10)  # 服务态度差
    assert complaint.district_id == city.power.district_id  # the unit's town
    assert complaint.phone_digits == PHONE
    assert _statuses(uow, complaint) == ["received"]


def test_saving_twice_with_one_key_registers_once(uow, city):
    categories = complaint_categories(uow, city.office)
    args = dict(actor=city.office, client_key="form-1", channel="letter",
                received_at=utcnow(), category_id=categories["乱收费"], content="乱收费",
                complainant_name="李四")
    first = uow.run(complaint_register.register_complaint, **args)
    again = uow.run(complaint_register.register_complaint, **args)
    assert first.id == again.id
    assert count_rows(uow, Complaint) == 1


@pytest.mark.parametrize(("change", "key"), [
    (dict(channel="fax"), "complaint.channel_unknown"),
    (dict(complainant_name="", complainant_phone=""), "complaint.complainant_required"),
    (dict(complainant_phone="12ab"), "complaint.phone_invalid"),
    (dict(content="  "), "error.required"),
    (dict(escalated=True), "complaint.escalation_level_required"),
    (dict(received_at=utcnow() + timedelta(days=1)), "complaint.received_in_future"),
])
def test_bad_register_input_gets_a_clear_message(uow, city, change, key):
    categories = complaint_categories(uow, city.office)
    args = dict(actor=city.office, client_key="k", channel="phone", received_at=utcnow(),
                category_id=categories["其他"], content="内容", complainant_name="王五")
    with pytest.raises(ValidationFailed) as err:
        uow.run(complaint_register.register_complaint, **(args | change))
    assert err.value.message_key == key
    assert count_rows(uow, Complaint) == 0


def test_an_anonymous_complaint_keeps_no_identity(uow, city):
    complaint = make_complaint(uow, office=city.office, anonymous=True)
    assert (complaint.complainant_name, complaint.complainant_phone,
            complaint.complainant_address) == ("", "", "")


@pytest.mark.parametrize("role", ["leader", "inspector", "liaison"])
def test_only_the_office_registers(uow, city, role):
    with pytest.raises(PermissionDenied):
        make_complaint(uow, office=getattr(city, role))


# --- lifecycle -----------------------------------------------------------------------------


def test_the_whole_way_from_received_to_closed(uow, city):
    complaint = make_complaint(uow, office=city.office)
    _assign(uow, city, complaint)
    uow.run(workflow.sign, actor=city.liaison, complaint_id=complaint.id)
    uow.run(workflow.sign, actor=city.liaison, complaint_id=complaint.id)  # a double tap
    uow.run(workflow.reply, actor=city.liaison, complaint_id=complaint.id,
            action_taken="约谈当事人并批评教育", result="已向投诉人道歉")
    version = _detail(uow, city.office, complaint).row.version
    uow.run(workflow.follow_up, actor=city.office, complaint_id=complaint.id, version=version,
            satisfaction="satisfied", method="phone")
    detail = _detail(uow, city.office, complaint)
    assert detail.row.status == "closed" and detail.row.satisfaction == "satisfied"
    assert _statuses(uow, complaint) == ["received", "assigned", "signed", "replied", "closed"]
    assert [r.action_taken for r in detail.replies] == ["约谈当事人并批评教育"]
    assert [f.method for f in detail.follow_ups] == ["phone"]


def test_unsatisfied_reopens_to_the_unit_with_the_reason(uow, city):
    complaint = make_complaint(uow, office=city.office)
    _assign(uow, city, complaint)
    uow.run(workflow.reply, actor=city.liaison, complaint_id=complaint.id,
            action_taken="已处理", result="已解决")
    version = _detail(uow, city.office, complaint).row.version
    with pytest.raises(ValidationFailed):  # the reason is required
        uow.run(workflow.follow_up, actor=city.office, complaint_id=complaint.id,
                version=version, satisfaction="unsatisfied", method="phone")
    uow.run(workflow.follow_up, actor=city.office, complaint_id=complaint.id, version=version,
            satisfaction="unsatisfied", method="visit", note="问题没有解决")
    detail = _detail(uow, city.liaison, complaint)
    assert detail.row.status == "reopened"
    assert detail.log[-1].note == "问题没有解决"  # the liaison reads why
    uow.run(workflow.reply, actor=city.liaison, complaint_id=complaint.id,
            action_taken="重新办理", result="已办结")
    assert _detail(uow, city.office, complaint).row.status == "replied"


def test_a_returned_complaint_is_reassigned_and_leaves_the_first_unit(uow, city):
    complaint = make_complaint(uow, office=city.office)
    _assign(uow, city, complaint)
    with pytest.raises(ValidationFailed):
        uow.run(workflow.return_to_office, actor=city.liaison, complaint_id=complaint.id,
                reason=" ")
    uow.run(workflow.return_to_office, actor=city.liaison, complaint_id=complaint.id,
            reason="不属于本单位职责")
    assert _detail(uow, city.office, complaint).row.status == "returned"
    with pytest.raises(NotFound):
        _detail(uow, city.liaison, complaint)
    _assign(uow, city, complaint, unit=city.school)
    assert _detail(uow, city.other_liaison, complaint).row.unit == "镜铁区实验小学"
    assert _statuses(uow, complaint) == ["received", "assigned", "returned", "assigned"]


@pytest.mark.parametrize("move", ["follow_up", "close_on_assigned", "reply_unassigned"])
def test_moves_the_lifecycle_does_not_allow_are_refused(uow, city, move):
    complaint = make_complaint(uow, office=city.office)
    if move == "reply_unassigned":
        # Not yet sent to the unit: the unit does not even see it.
        with pytest.raises(NotFound):
            uow.run(workflow.reply, actor=city.liaison, complaint_id=complaint.id,
                    action_taken="x", result="y")
        return
    _assign(uow, city, complaint)
    version = _detail(uow, city.office, complaint).row.version
    with pytest.raises(InvalidTransition) as err:
        if move == "follow_up":
            uow.run(workflow.follow_up, actor=city.office, complaint_id=complaint.id,
                    version=version, satisfaction="satisfied", method="phone")
        else:
            uow.run(workflow.close_directly, actor=city.office, complaint_id=complaint.id,
                    version=version, note="已电话解释")
    assert err.value.message_key == "complaint.bad_transition"
    assert err.value.params == {"frm": "assigned",
                                "to": "closed"}


def test_two_clerks_on_one_complaint_the_second_is_told(uow, city):
    complaint = make_complaint(uow, office=city.office)
    version = _detail(uow, city.office, complaint).row.version
    uow.run(workflow.assign, actor=city.office, complaint_id=complaint.id, version=version,
            unit_id=city.power.id)
    with pytest.raises(Conflict):
        uow.run(workflow.assign, actor=city.office, complaint_id=complaint.id,
                version=version, unit_id=city.school.id)


def test_an_extension_is_asked_once_and_granted_or_refused(uow, city):
    complaint = make_complaint(uow, office=city.office)
    _assign(uow, city, complaint)
    deadline = _detail(uow, city.office, complaint).row.deadline
    with pytest.raises(ValidationFailed):
        uow.run(workflow.ask_extension, actor=city.liaison, complaint_id=complaint.id,
                reason="需要现场核实", new_deadline=deadline)
    request = uow.run(workflow.ask_extension, actor=city.liaison, complaint_id=complaint.id,
                      reason="需要现场核实", new_deadline=deadline + timedelta(days=7))
    with pytest.raises(ValidationFailed) as err:
        uow.run(workflow.ask_extension, actor=city.liaison, complaint_id=complaint.id,
                reason="再延", new_deadline=deadline + timedelta(days=9))
    assert err.value.message_key == "complaint.extension_pending"
    with pytest.raises(PermissionDenied):
        uow.run(workflow.decide_extension, actor=city.liaison, extension_id=request.id,
                grant=True)
    uow.run(workflow.decide_extension, actor=city.office, extension_id=request.id, grant=True)
    assert _detail(uow, city.office, complaint).row.deadline == deadline + timedelta(days=7)
    second = uow.run(workflow.ask_extension, actor=city.liaison, complaint_id=complaint.id,
                     reason="再延", new_deadline=deadline + timedelta(days=9))
    with pytest.raises(ValidationFailed):  # a refusal says why
        uow.run(workflow.decide_extension, actor=city.office, extension_id=second.id,
                grant=False)
    uow.run(workflow.decide_extension, actor=city.office, extension_id=second.id, grant=False,
            note="期限已足够")
    detail = _detail(uow, city.liaison, complaint)
    assert detail.row.deadline == deadline + timedelta(days=7)
    assert [e.decision for e in detail.extensions] == ["granted", "refused"]


def test_another_units_liaison_can_do_nothing_with_it(uow, city):
    complaint = make_complaint(uow, office=city.office)
    _assign(uow, city, complaint)
    for call, kw in [(workflow.sign, {}),
                     (workflow.reply, dict(action_taken="x", result="y")),
                     (workflow.return_to_office, dict(reason="x")),
                     (workflow.ask_extension, dict(reason="x", new_deadline=clock.today()
                                                   + timedelta(days=60)))]:
        with pytest.raises(NotFound):
            uow.run(call, actor=city.other_liaison, complaint_id=complaint.id, **kw)
    with pytest.raises(NotFound):
        _detail(uow, city.other_liaison, complaint)


# --- who sees what, and the complainant masked -----------------------------------------------


@pytest.mark.parametrize(("role", "full"), [
    ("office", True), ("admin", True), ("leader", False), ("liaison", False),
])
def test_the_complainant_is_shown_in_full_only_to_office_and_admin(uow, city, role, full):
    complaint = make_complaint(uow, office=city.office, unit=city.power)
    _assign(uow, city, complaint)
    actor = getattr(city, role)
    [row] = uow.query(queries.list_complaints, actor=actor)
    shown = (row.identity.name, row.identity.phone, row.identity.address)
    if full:
        assert shown == (NAME, PHONE, ADDRESS)
    else:
        # The address: only the complaint's own place (the power station's town).
        assert shown == ("张*", "138****1234", "峪泉镇***")
    assert _detail(uow, actor, complaint).row.identity == row.identity


def test_no_one_but_office_and_admin_can_look_a_caller_up(uow, city):
    make_complaint(uow, office=city.office, unit=city.power)
    assert len(uow.query(queries.earlier_by_phone, actor=city.office, phone="138 1234 1234")) == 1
    for actor in (city.leader, city.inspector, city.liaison):
        with pytest.raises(PermissionDenied):
            uow.query(queries.earlier_by_phone, actor=actor, phone=PHONE)


def test_the_audit_log_keeps_the_complainant_masked(uow, city):
    complaint = make_complaint(uow, office=city.office, unit=city.power)
    version = _detail(uow, city.office, complaint).row.version
    categories = complaint_categories(uow, city.office)
    uow.run(complaint_register.update_complaint, actor=city.office, complaint_id=complaint.id,
            version=version, channel="phone", received_at=complaint.received_at,
            anonymous=False, complainant_name="张三", complainant_phone="13900001111",
            complainant_address="雄关区建设路1号", unit_id=city.power.id, district_id=None,
            category_id=categories["工作不到位"], content="改正后的内容", escalated=False,
            escalation_level="none")
    log = uow.query(audit_search, actor=city.admin, entity="complaint").to_csv()
    for secret in (NAME, PHONE, "新华路", "张三,", "13900001111", "建设路"):
        assert secret not in log
    with uow.read() as r:
        events = r.session.exec(select(AuditEvent).where(AuditEvent.entity == "complaint"))
        copies = [d for e in events for d in (e.before, e.after) if d]
    assert {d["complainant_phone"] for d in copies} == {"138****1234", "139****1111"}


def test_an_inspector_sees_complaints_of_their_district_only(uow, city):
    in_scope = make_complaint(uow, office=city.office, unit=city.school)
    make_complaint(uow, office=city.office, unit=city.power)
    placeless = make_complaint(uow, office=city.office, district_id=city.jingtie.id)
    rows = uow.query(queries.list_complaints, actor=city.inspector)
    assert {r.id for r in rows} == {in_scope.id, placeless.id}
    assert all(r.identity.masked for r in rows)


# --- duplicates and lists ------------------------------------------------------------------


def test_possible_duplicates_by_phone_and_by_similar_content(uow, city):
    first = make_complaint(uow, office=city.office, unit=city.power,
                           content="供电所营业厅工作人员态度恶劣，办理过户时多次推诿，让我来回跑了三趟")
    make_complaint(uow, office=city.office, unit=city.power, phone="13999999999",
                   content="学校乱收费，要求家长缴纳资料费200元")
    by_phone = uow.query(duplicates.suggest, actor=city.office, received_at=utcnow(),
                         content="别的事", phone="+86 138-1234-1234")
    assert [s.complaint_id for s in by_phone] == [first.id]
    by_text = uow.query(duplicates.suggest, actor=city.office, received_at=utcnow(),
                        phone="13700000000", unit_id=city.power.id,
                        content="营业厅办理过户，工作人员推诿，来回跑了三次，态度很差")
    assert [s.complaint_id for s in by_text] == [first.id]
    assert by_text[0].similarity >= duplicates.SIMILAR


def test_a_linked_duplicate_leaves_the_counts_unless_asked(uow, city):
    original = make_complaint(uow, office=city.office, unit=city.power)
    copy = make_complaint(uow, office=city.office, unit=city.power)
    third = make_complaint(uow, office=city.office, unit=city.power)
    uow.run(duplicates.link, actor=city.office, complaint_id=copy.id,
            version=_detail(uow, city.office, copy).row.version, original_id=original.id)
    # Linking to a copy links to its original.
    uow.run(duplicates.link, actor=city.office, complaint_id=third.id,
            version=_detail(uow, city.office, third).row.version, original_id=copy.id)
    assert _detail(uow, city.office, third).row.duplicate_of_id == original.id
    assert uow.query(queries.count_complaints, actor=city.office) == 1
    assert uow.query(queries.count_complaints, actor=city.office,
                     filters=Filters(include_duplicates=True)) == 3
    with pytest.raises(ValidationFailed):
        uow.run(duplicates.link, actor=city.office, complaint_id=original.id,
                version=_detail(uow, city.office, original).row.version, original_id=third.id)


def test_list_filters_page_and_sort_in_the_database(uow, city):
    long_ago = utcnow() - timedelta(days=40)
    old = make_complaint(uow, office=city.office, unit=city.power, received_at=long_ago,
                         escalated=True, escalation_level="province")
    _assign(uow, city, old)  # its deadline passed long ago: overdue
    for n in range(4):
        make_complaint(uow, office=city.office, unit=city.school, channel="letter",
                       received_at=utcnow() - timedelta(hours=n + 1))
    count = lambda **f: uow.query(queries.count_complaints, actor=city.office,
                                  filters=Filters(**f))
    assert count() == 5
    assert count(overdue=True) == 1 and count(escalated=True) == 1
    assert count(district_id=city.xiongguan.id) == 1  # the power station is in its town
    assert count(channel="letter") == 4
    assert count(received_from=clock.today() - timedelta(days=7)) == 4
    page = uow.query(queries.list_complaints, actor=city.office, sort="received",
                     descending=False, offset=0, limit=2)
    assert [r.id for r in page][0] == old.id and page[0].overdue and page[0].escalated
    with pytest.raises(ValidationFailed):
        uow.query(queries.list_complaints, actor=city.office, sort="content; drop table")


def test_the_office_plans_a_focused_supervision_from_a_complaint(uow, city):
    from services.fieldwork import plans
    from tests.factories import make_template

    complaint = make_complaint(uow, office=city.office, unit=city.power)
    tpl = make_template(uow, actor=city.office)
    today = clock.today()
    args = dict(actor=city.office, kind="focused", window_start=today,
                window_end=today + timedelta(days=7), template_id=tpl.id,
                inspector_ids=[city.inspector.id], complaint_id=complaint.id)
    plan = uow.run(plans.save_plan, unit_id=city.power.id, **args)
    assert (plan.complaint_id, plan.kind) == (complaint.id, "focused")
    with pytest.raises(ValidationFailed) as err:
        uow.run(plans.save_plan, unit_id=city.school.id, **args)
    assert err.value.message_key == "plan.complaint_other_unit"
