"""Leaders' instructions (领导批示), on SQLite and PostgreSQL: a leader gives one on what it
may read, the office and the unit concerned see it, the office marks it handled; nobody
else gives or handles one, a double click gives one, and a complainant is never named."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlmodel import select

from db.models import AuditEvent, Instruction, Role
from services.complaints import workflow
from services.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from services.dashboard import workbench
from services.findings import from_complaint
from services.instructions import queries, write
from tests.conftest import at_once, count_rows
from tests.factories import make_complaint, make_visit
from tests.service.test_audit import assert_audit_labels

NAME, PHONE = "张三丰", "13812341234"
WORDS = "请市效能办督促限期整改"


def give(uow, leader, kind, target_id, text=WORDS, key=None):
    return uow.run(write.give, actor=leader, kind=kind, target_id=target_id, text=text,
                   client_key=key or uuid.uuid4().hex)


def listed(uow, actor, **kw):
    return uow.query(queries.list_instructions, actor=actor, **kw)


@pytest.fixture
def complaint(uow, campaign):
    """A complaint about the task's lead unit, with the caller's name and phone."""
    return make_complaint(uow, office=campaign["office"], unit=campaign["lead"], name=NAME,
                          phone=PHONE)


@pytest.fixture
def confirmed_finding(uow, campaign, complaint):
    """A finding at the lead unit the office opened from the complaint: confirmed at once."""
    office = campaign["office"]
    uow.run(workflow.assign, actor=office, complaint_id=complaint.id, version=None,
            unit_id=campaign["lead"].id)
    return uow.run(from_complaint.open_from_complaint, actor=office,
                   complaint_id=complaint.id, category="attitude", description="态度生硬")


def test_a_leader_gives_the_office_sees_it_open_and_marks_it_handled(uow, campaign, complaint):
    c = campaign
    given = give(uow, c["leader"], "complaint", complaint.id)
    assert (given.status, given.unit_id, given.given_by) == ("open", c["lead"].id, c["leader"].id)
    [row] = listed(uow, c["office"], status="open")
    assert (row.text, row.given_by, row.unit) == (WORDS, "Leader1", "市供电公司")
    assert (row.target.kind, row.target.id, row.target.unit) == ("complaint", complaint.id,
                                                                  "市供电公司")
    assert row.target.category == "服务态度差" and row.target.day is not None
    assert uow.query(queries.count_open, actor=c["office"]) == 1
    assert uow.query(workbench.workbench, actor=c["office"]).instructions_open == 1

    done = uow.run(write.handle, actor=c["office"], instruction_id=given.id,
                   note="已约谈单位负责人，限三日内整改", version=row.version)
    assert (done.status, done.handled_by, done.version) == ("handled", c["office"].id, 2)
    assert listed(uow, c["office"], status="open") == []
    [row] = listed(uow, c["leader"], status="handled")
    assert (row.handled_by, row.handled_note) == ("Office", "已约谈单位负责人，限三日内整改")
    assert uow.query(workbench.workbench, actor=c["office"]).instructions_open == 0


def test_open_ones_come_first_then_the_newest(uow, campaign, complaint):
    c = campaign
    first = give(uow, c["leader"], "complaint", complaint.id, text="第一条")
    give(uow, c["leader"], "task", c["task"].id, text="第二条")
    give(uow, c["leader"], "task", c["task"].id, text="第三条")
    uow.run(write.handle, actor=c["office"], instruction_id=first.id, note="已办", version=1)
    texts = [r.text for r in listed(uow, c["office"])]
    assert texts == ["第三条", "第二条", "第一条"]
    newest = give(uow, c["leader"], "complaint", complaint.id, text="第四条")
    assert [r.id for r in listed(uow, c["office"])][0] == newest.id
    # A form being filled in on the handled one keeps it on the open list.
    assert first.id not in {r.id for r in listed(uow, c["office"], status="open")}
    kept = listed(uow, c["office"], status="open", keep={first.id})
    assert [r.text for r in kept] == ["第四条", "第三条", "第二条", "第一条"]


def test_the_units_concerned_see_it_and_another_unit_does_not(uow, campaign, complaint):
    c = campaign
    uow.run(workflow.assign, actor=c["office"], complaint_id=complaint.id, version=None,
            unit_id=c["lead"].id)  # sent to it: the lead unit may read it
    on_task = give(uow, c["leader"], "task", c["task"].id, text="任务批示")
    on_complaint = give(uow, c["leader"], "complaint", complaint.id, text="投诉批示")
    assert on_task.unit_id == c["lead"].id  # the task's lead unit
    seen = {who: {r.id for r in listed(uow, c[who])}
            for who in ("lead_liaison", "co_liaison", "resp_liaison", "other_liaison")}
    assert seen["lead_liaison"] == {on_task.id, on_complaint.id}
    # The task's other units see what is said about the task, not the lead's complaint.
    assert seen["co_liaison"] == seen["resp_liaison"] == {on_task.id}
    assert seen["other_liaison"] == set()
    assert uow.query(queries.count_open, actor=c["other_liaison"]) == 0
    assert uow.query(queries.count_open, actor=c["co_liaison"]) == 1
    on = uow.query(queries.on_target, actor=c["other_liaison"], kind="task",
                   target_id=c["task"].id)
    assert on == []
    [row] = uow.query(queries.on_target, actor=c["co_liaison"], kind="task",
                      target_id=c["task"].id)
    assert (row.target.code, row.target.title, row.target.unit) == ("B4-T2", "供电服务提速",
                                                                     "市供电公司")


@pytest.mark.parametrize("who", ["office", "admin", "inspector", "lead_liaison"])
def test_only_a_leader_gives_an_instruction(uow, campaign, complaint, who):
    with pytest.raises(PermissionDenied):
        give(uow, campaign[who], "complaint", complaint.id)
    assert count_rows(uow, Instruction) == 0


@pytest.mark.parametrize("who", ["leader", "admin", "lead_liaison"])
def test_only_the_office_marks_it_handled(uow, campaign, complaint, who):
    given = give(uow, campaign["leader"], "complaint", complaint.id)
    with pytest.raises(PermissionDenied):
        uow.run(write.handle, actor=campaign[who], instruction_id=given.id, note="办了",
                version=given.version)


def test_an_inspector_reads_no_instructions(uow, campaign, complaint):
    give(uow, campaign["leader"], "complaint", complaint.id)
    with pytest.raises(PermissionDenied):
        listed(uow, campaign["inspector"])


def test_a_leader_instructs_on_a_confirmed_finding_not_on_an_unconfirmed_one(
        uow, campaign, checklist, confirmed_finding):
    c = campaign
    given = give(uow, c["leader"], "finding", confirmed_finding.id)
    assert given.unit_id == c["lead"].id
    [row] = listed(uow, c["lead_liaison"])
    assert (row.target.category, row.target.unit) == ("attitude", "市供电公司")
    _, [draft] = make_visit(uow, inspector=c["inspector"], unit=c["outsider"],
                            template=checklist, findings=[dict(description="未公示")],
                            submit=True)  # submitted, waiting for the office's review
    with pytest.raises(NotFound):
        give(uow, c["leader"], "finding", draft.id)


@pytest.mark.parametrize(("kind", "target_id"), [("complaint", 9999), ("finding", 9999),
                                                 ("task", 9999)])
def test_an_unknown_target_is_not_found(uow, campaign, kind, target_id):
    with pytest.raises(NotFound):
        give(uow, campaign["leader"], kind, target_id)


@pytest.mark.parametrize(("kind", "text", "key"), [
    ("notice", WORDS, "instruction.bad_kind"), ("complaint", "   ", "error.required"),
    ("complaint", "字" * 1001, "error.too_long")])
def test_a_bad_kind_or_text_is_refused(uow, campaign, complaint, kind, text, key):
    with pytest.raises(ValidationFailed) as err:
        give(uow, campaign["leader"], kind, complaint.id, text=text)
    assert err.value.message_key == key
    assert count_rows(uow, Instruction) == 0


def test_a_double_submit_gives_one_instruction(uow, campaign, complaint):
    leader = campaign["leader"]
    first = give(uow, leader, "complaint", complaint.id, key="k-1")
    again = give(uow, leader, "complaint", complaint.id, key="k-1")
    raced = at_once([lambda: give(uow, leader, "task", campaign["task"].id, key="k-2")] * 2)
    assert first.id == again.id
    assert not any(isinstance(r, Exception) for r in raced), raced
    assert raced[0].id == raced[1].id
    assert count_rows(uow, Instruction) == 2
    # The same key for another record is refused, not answered with the first one.
    with pytest.raises(Conflict):
        give(uow, leader, "task", campaign["task"].id, key="k-1")


def test_a_stale_handle_and_a_second_handle_are_refused(uow, campaign, complaint):
    c = campaign
    given = give(uow, c["leader"], "complaint", complaint.id)
    uow.run(write.handle, actor=c["office"], instruction_id=given.id, note="已督办",
            version=given.version)
    with pytest.raises(Conflict) as stale:
        uow.run(write.handle, actor=c["office"], instruction_id=given.id, note="再办",
                version=given.version)
    assert stale.value.message_key == "error.stale_edit"
    with pytest.raises(Conflict) as twice:
        uow.run(write.handle, actor=c["office"], instruction_id=given.id, note="再办",
                version=given.version + 1)
    assert twice.value.message_key == "instruction.already_handled"
    [row] = listed(uow, c["office"])
    assert row.handled_note == "已督办"


def test_a_leader_may_list_only_its_own(uow, campaign, complaint, make_user):
    c = campaign
    other = make_user("leader2", Role.LEADER)
    mine = give(uow, c["leader"], "complaint", complaint.id)
    theirs = give(uow, other, "task", c["task"].id)
    assert {r.id for r in listed(uow, c["leader"])} == {mine.id, theirs.id}
    assert [r.id for r in listed(uow, c["leader"], mine=True)] == [mine.id]


def test_audit_rows_are_written_and_name_no_complainant(uow, campaign, complaint):
    c = campaign
    given = give(uow, c["leader"], "complaint", complaint.id)
    uow.run(write.handle, actor=c["office"], instruction_id=given.id, note="已督办", version=1)
    with uow.read() as r:
        events = r.session.exec(select(AuditEvent).where(AuditEvent.entity == "instruction")
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["instruction.give", "instruction.handle"]
    assert [e.actor_id for e in events] == [c["leader"].id, c["office"].id]
    logged = json.dumps([[e.before, e.after] for e in events], ensure_ascii=False)
    assert WORDS in logged and NAME not in logged and PHONE not in logged
    rows = listed(uow, c["leader"])
    assert NAME not in repr(rows) and PHONE not in repr(rows)
    assert_audit_labels(uow)
