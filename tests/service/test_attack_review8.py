"""What the eighth attack review found, each pinned: a finding's complaint linked as a copy,
an extension decided after the answer, a deadline asked for the past, a double answer or
return, and the hotline import read again (only what the hotline changed is updated, the
office's corrections and routing stay), units created only for rows that import, a huge
cell and old Mac line endings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import Complaint, ComplaintReply, Finding, Role, Unit
from db.timeutil import utcnow
from services.complaints import duplicates, workflow
from services.complaints import register as complaint_register
from services.core import clock
from services.core.errors import ValidationFailed
from services.findings import from_complaint
from services.imports import complaints as complaint_import
from services.imports import mapping as mappings
from tests import hotline_files as files
from tests.conftest import count_rows
from tests.factories import complaint_categories, make_complaint, make_district, make_unit


@pytest.fixture
def city(uow, admin, office, make_user):
    xg = make_district(uow, actor=admin, name="雄关区")
    power = make_unit(uow, actor=admin, name="峪泉供电所", district=xg)
    return dict(admin=admin, office=office, xg=xg, power=power,
                liaison=make_user("liaison_power", Role.UNIT, unit_id=power.id))


def _sent(uow, city, **kw):
    c = make_complaint(uow, office=city["office"], unit=city["power"], **kw)
    uow.run(workflow.assign, actor=city["office"], complaint_id=c.id, version=None,
            unit_id=city["power"].id)
    return c


def test_a_complaint_with_a_finding_is_not_linked_as_a_copy(uow, city):
    first, second = _sent(uow, city), _sent(uow, city, phone="13900001111")
    finding = uow.run(from_complaint.open_from_complaint, actor=city["office"],
                      complaint_id=second.id, category="attitude", description="态度生硬")
    with pytest.raises(ValidationFailed) as refused:
        uow.run(duplicates.link, actor=city["office"], complaint_id=second.id, version=None,
                original_id=first.id)
    assert refused.value.message_key == "complaint.has_finding"
    assert refused.value.params["finding"] == finding.id
    assert count_rows(uow, Finding) == 1


def test_an_answer_ends_a_pending_request_for_more_time(uow, city):
    c = _sent(uow, city)
    with uow.read() as r:
        deadline = r.session.get(Complaint, c.id).deadline
    request = uow.run(workflow.ask_extension, actor=city["liaison"], complaint_id=c.id,
                      reason="需要协调", new_deadline=deadline + timedelta(days=30))
    uow.run(workflow.reply, actor=city["liaison"], complaint_id=c.id, action_taken="已处理",
            result="已解决")
    uow.run(workflow.follow_up, actor=city["office"], complaint_id=c.id, version=None,
            satisfaction="satisfied", method="phone")
    with pytest.raises(ValidationFailed) as refused:
        uow.run(workflow.decide_extension, actor=city["office"], extension_id=request.id,
                grant=True)
    assert refused.value.message_key == "complaint.extension_decided"  # withdrawn by the answer
    with uow.read() as r:
        assert r.session.get(Complaint, c.id).deadline == deadline


def test_more_time_cannot_end_in_the_past(uow, city):
    c = _sent(uow, city, received_at=utcnow() - timedelta(days=40))
    with pytest.raises(ValidationFailed) as refused:
        uow.run(workflow.ask_extension, actor=city["liaison"], complaint_id=c.id,
                reason="需要协调", new_deadline=clock.today() - timedelta(days=1))
    assert refused.value.message_key == "complaint.extension_past"


def test_an_answer_or_a_return_sent_twice_is_taken_once(uow, city):
    c = _sent(uow, city)
    kw = dict(actor=city["liaison"], complaint_id=c.id, action_taken="已约谈", result="已致歉")
    first = uow.run(workflow.reply, **kw)
    assert uow.run(workflow.reply, **kw).id == first.id
    assert count_rows(uow, ComplaintReply) == 1
    other = _sent(uow, city, phone="13900002222")
    uow.run(workflow.return_to_office, actor=city["liaison"], complaint_id=other.id,
            reason="不是我单位")
    again = uow.run(workflow.return_to_office, actor=city["liaison"], complaint_id=other.id,
                    reason="不是我单位")
    assert again.status == "returned"


# --- the hotline import read again --------------------------------------------------------


def _row(eid, unit="峪泉供电所", category="服务态度差", phone="13812341234",
         content="窗口人员态度生硬"):
    d = files.day(2)
    return [eid, f"{d:%Y-%m-%d} 09:30", "12345", "张三", phone, unit, "雄关区", category,
            content]


def _import(uow, city, rows, **kw):
    return uow.run(complaint_import.import_complaints, actor=kw.pop("actor", city["office"]),
                   filename="a.csv", source=kw.pop("content", None)
                   or files.csv_bytes([files.HEADER, *rows], "utf-8"),
                   mapping=mappings.guess(files.HEADER), source_name="12345", **kw)


def _only(uow):
    with uow.read() as r:
        return r.session.exec(select(Complaint)).one()


def test_the_same_file_again_leaves_a_complaint_the_office_routed(uow, city):
    row = _row("GD900", unit="")
    assert _import(uow, city, [row]).ok
    c = _only(uow)
    uow.run(workflow.assign, actor=city["office"], complaint_id=c.id, version=None,
            unit_id=city["power"].id)
    again = _import(uow, city, [row])
    assert again.ok and again.summary()["unchanged"] == 1
    assert _only(uow).unit_id == city["power"].id


def test_the_same_file_again_keeps_the_offices_corrections(uow, city):
    row = _row("GD903")
    _import(uow, city, [row])
    c = _only(uow)
    cats = complaint_categories(uow, city["office"])
    form = {k: getattr(c, k) for k in (
        "channel", "received_at", "anonymous", "complainant_name", "complainant_address",
        "unit_id", "district_id", "content", "escalated", "escalation_level")}
    uow.run(complaint_register.update_complaint, actor=city["office"], complaint_id=c.id,
            version=c.version, **(form | {"category_id": cats["办事拖拉"],
                                          "complainant_phone": "13812349999"}))
    assert _import(uow, city, [row]).summary()["unchanged"] == 1
    after = _only(uow)
    assert (after.category_id, after.complainant_phone) == (cats["办事拖拉"], "13812349999")
    # The hotline then corrects the text: that field changes, the clerk's stay.
    changed = _import(uow, city, [_row("GD903", content="窗口人员态度生硬，多次推诿")])
    assert changed.summary()["updated"] == 1
    after = _only(uow)
    assert after.content == "窗口人员态度生硬，多次推诿"
    assert (after.category_id, after.complainant_phone) == (cats["办事拖拉"], "13812349999")
    assert after.import_digests and "13812341234" not in str(after.import_digests)


def test_a_unit_is_created_only_for_a_row_that_imports(uow, city):
    rows = [_row("GD901", unit="峪泉供电所所", category="不存在的类别"),
            _row("GD902", unit="新单位甲", phone="123"),
            _row("GD904", unit="新单位乙")]
    report = _import(uow, city, rows, create_units_in=city["xg"].id, unit_actor=city["admin"])
    assert (report.counts["failed"], report.counts["created"]) == (2, 1)
    with uow.read() as r:
        names = set(r.session.exec(select(Unit.name)).all())
        imported = r.session.exec(select(Complaint)).one()
    assert "新单位乙" in names and not {"峪泉供电所所", "新单位甲"} & names
    assert report.created_units == ["新单位乙"]
    assert imported.district_id == city["xg"].id


def test_one_huge_cell_fails_its_row_and_the_others_import(uow, city):
    report = _import(uow, city, [_row("GD910"), _row("GD911", content="长" * 200_000)])
    assert (report.counts["created"], report.counts["failed"]) == (1, 1)
    [failed] = [r for r in report.rows if r.outcome == "failed"]
    assert failed.key == "error.too_long"


def test_old_mac_line_endings_are_read(uow, city):
    rows = [files.HEADER, _row("GD920"), _row("GD921", phone="13812340000")]
    content = "\r".join(",".join(r) for r in rows).encode("utf-8") + b"\r"
    report = _import(uow, city, [], content=content)
    assert report.summary()["created"] == 2 and report.ok
