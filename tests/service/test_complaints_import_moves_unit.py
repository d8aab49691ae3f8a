"""Attack: a re-imported hotline row moves a complaint the office has already sent to
another unit, without the workflow (no assign, no log row), so the complaint reaches a
unit the office never sent it to (here: the one that returned it) and leaves the unit
that is working on it."""

from __future__ import annotations

from sqlmodel import select

from db.models import Complaint, ComplaintStatusChange, Role
from services.complaints import queries, workflow
from services.complaints import register as complaint_register
from services.imports import complaints as complaint_import
from services.imports import mapping as mappings
from tests import hotline_files as files
from tests.factories import make_complaint, make_district, make_unit


def _rows(unit):
    d = files.day(2)
    return [files.HEADER,
            ["GD100", f"{d:%Y-%m-%d} 09:30", "12345", "张三", "13812341234", unit, "雄关区",
             "服务态度差", "窗口人员态度生硬"]]


def test_reimport_does_not_move_an_assigned_complaint_to_another_unit(uow, admin, office,
                                                                      make_user):
    xg = make_district(uow, actor=admin, name="雄关区")
    power = make_unit(uow, actor=admin, name="峪泉供电所", district=xg)
    school = make_unit(uow, actor=admin, name="镜铁区实验小学", district=xg)
    power_liaison = make_user("lp", Role.UNIT, unit_id=power.id)
    school_liaison = make_user("ls", Role.UNIT, unit_id=school.id)

    def run_import():
        return uow.run(complaint_import.import_complaints, actor=office, filename="a.csv",
                       source=files.csv_bytes(_rows("峪泉供电所"), "utf-8"),
                       mapping=mappings.guess(files.HEADER), source_name="12345")

    run_import()
    with uow.read() as r:
        c = r.session.exec(select(Complaint)).one()
    # misrouted by the hotline: sent to power, returned, the office sends it to the school
    uow.run(workflow.assign, actor=office, complaint_id=c.id, version=None, unit_id=power.id)
    uow.run(workflow.return_to_office, actor=power_liaison, complaint_id=c.id,
            reason="不是我单位的事")
    uow.run(workflow.assign, actor=office, complaint_id=c.id, version=None, unit_id=school.id)
    uow.run(workflow.sign, actor=school_liaison, complaint_id=c.id)

    report = run_import()  # tomorrow's export from the hotline still names the power station
    print(report.summary(), report.rows)

    with uow.read() as r:
        c = r.session.get(Complaint, c.id)
        log = r.session.exec(select(ComplaintStatusChange.to_status).where(
            ComplaintStatusChange.complaint_id == c.id)).all()
    school_sees = [row.id for row in uow.query(queries.list_complaints, actor=school_liaison)]
    power_sees = [row.id for row in uow.query(queries.list_complaints, actor=power_liaison)]
    assert (c.unit_id, c.status) == (school.id, "signed"), (c.unit_id, c.status, log)
    assert school_sees == [c.id] and power_sees == []


def test_the_office_correction_does_not_move_a_signed_complaint_without_a_log_row(
        uow, admin, office, make_user):
    xg = make_district(uow, actor=admin, name="雄关区")
    power = make_unit(uow, actor=admin, name="峪泉供电所", district=xg)
    school = make_unit(uow, actor=admin, name="镜铁区实验小学", district=xg)
    power_liaison = make_user("lp", Role.UNIT, unit_id=power.id)
    c = make_complaint(uow, office=office, unit=power)
    uow.run(workflow.assign, actor=office, complaint_id=c.id, version=None, unit_id=power.id)
    uow.run(workflow.sign, actor=power_liaison, complaint_id=c.id)
    with uow.read() as r:
        c = r.session.get(Complaint, c.id)
    form = dict(channel=c.channel, received_at=c.received_at.replace(tzinfo=c.received_at.tzinfo
                or __import__("datetime").timezone.utc),
                anonymous=False, complainant_name=c.complainant_name,
                complainant_phone=c.complainant_phone,
                complainant_address=c.complainant_address, unit_id=school.id,
                district_id=None, category_id=c.category_id, content=c.content,
                escalated=False, escalation_level="none")
    try:
        uow.run(complaint_register.update_complaint, actor=office, complaint_id=c.id,
                version=c.version, **form)
    except Exception as exc:  # refusing is the right answer
        print("refused:", exc)
        return
    with uow.read() as r:
        after = r.session.get(Complaint, c.id)
    # a signed complaint silently belongs to a unit that never had it sent, status "signed"
    assert after.unit_id == power.id, (after.unit_id, after.status)
