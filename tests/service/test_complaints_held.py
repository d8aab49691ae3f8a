# ruff: noqa: B023  (each lambda is called in the iteration that made it)
"""What held under attack (these pass): roles and scope checked by the services
themselves, races on one complaint, audit masked."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import AuditEvent, Complaint, ComplaintStatusChange, Role
from db.timeutil import utcnow
from services.complaints import duplicates, export, queries, routing, workflow
from services.complaints import register as complaint_register
from services.core.errors import DomainError, NotFound, PermissionDenied
from services.imports import complaints as complaint_import
from services.imports import mapping as mappings
from services.imports import saved_mappings
from tests.conftest import at_once, count_rows
from tests.factories import complaint_categories, make_complaint, make_district, make_unit


@pytest.fixture
def w(uow, admin, office, make_user):
    xg = make_district(uow, actor=admin, name="雄关区")
    jt = make_district(uow, actor=admin, name="镜铁区")
    a = make_unit(uow, actor=admin, name="峪泉供电所", district=xg)
    b = make_unit(uow, actor=admin, name="镜铁区实验小学", district=jt)
    return dict(office=office, admin=admin, a=a, b=b,
                leader=make_user("ld", Role.LEADER),
                insp=make_user("ij", Role.INSPECTOR, district_id=jt.id),
                la=make_user("la", Role.UNIT, unit_id=a.id),
                lb=make_user("lb", Role.UNIT, unit_id=b.id))


def test_wrong_roles_are_refused_by_every_write_and_identity_service(uow, w):
    c = make_complaint(uow, office=w["office"], unit=w["a"])
    cats = complaint_categories(uow, w["office"])
    for who in ("leader", "insp", "la", "lb"):
        actor = w[who]
        calls = [
            lambda: uow.run(workflow.assign, actor=actor, complaint_id=c.id, version=None,
                            unit_id=w["a"].id),
            lambda: uow.run(workflow.close_directly, actor=actor, complaint_id=c.id,
                            version=None, note="x"),
            lambda: uow.run(duplicates.link, actor=actor, complaint_id=c.id, version=None,
                            original_id=None),
            lambda: uow.query(duplicates.suggest, actor=actor, received_at=utcnow(),
                              content="x", phone="13812341234"),
            lambda: uow.query(queries.earlier_by_phone, actor=actor, phone="13812341234"),
            lambda: uow.run(complaint_register.register_complaint, actor=actor,
                            client_key="k", channel="phone", received_at=utcnow(),
                            category_id=cats["其他"], content="x", complainant_name="n"),
            lambda: uow.run(complaint_register.create_category, actor=actor, name="x",
                            deadline_days=3),
            lambda: uow.query(saved_mappings.list_mappings, actor=actor),
            lambda: uow.run(routing.train_routing, actor=actor),
            lambda: uow.query(routing.suggest_routing, actor=actor, text="停电"),
            lambda: uow.run(complaint_import.import_complaints, actor=actor, filename="a.csv",
                            source=b"a,b\n", mapping=mappings.Mapping(), source_name="x"),
        ]
        for call in calls:
            with pytest.raises(PermissionDenied):
                call()


def test_units_and_inspectors_out_of_scope_get_not_found(uow, w):
    c = make_complaint(uow, office=w["office"], unit=w["a"])
    # not yet sent: the unit concerned does not see it either
    for actor in (w["la"], w["lb"], w["insp"]):
        with pytest.raises(NotFound):
            uow.query(queries.get_complaint, actor=actor, complaint_id=c.id)
    uow.run(workflow.assign, actor=w["office"], complaint_id=c.id, version=None,
            unit_id=w["a"].id)
    for call in (workflow.sign, ):
        with pytest.raises(NotFound):
            uow.run(call, actor=w["lb"], complaint_id=c.id)
    with pytest.raises(NotFound):
        uow.run(workflow.reply, actor=w["lb"], complaint_id=c.id, action_taken="x", result="y")
    with pytest.raises(NotFound):
        uow.run(workflow.return_to_office, actor=w["lb"], complaint_id=c.id, reason="x")
    with pytest.raises(NotFound):
        uow.query(queries.get_complaint, actor=w["insp"], complaint_id=c.id)
    from services.complaints.queries import Filters
    assert uow.query(queries.list_complaints, actor=w["lb"],
                     filters=Filters(unit_id=w["a"].id, include_duplicates=True)) == []
    buf = io.BytesIO()
    labels = export.Labels({}, {}, {}, {}, "y", "n", "anon")
    uow.query(export.export_csv, buf, actor=w["la"], labels=labels)
    text = buf.getvalue().decode("utf-8-sig")
    assert "13812341234" not in text and "张三丰" not in text and "新华路" not in text


def test_two_clerks_assign_at_once_one_wins(uow, w):
    c = make_complaint(uow, office=w["office"], unit=w["a"])
    results = at_once([
        lambda: uow.run(workflow.assign, actor=w["office"], complaint_id=c.id, version=None,
                        unit_id=w["a"].id),
        lambda: uow.run(workflow.assign, actor=w["office"], complaint_id=c.id, version=None,
                        unit_id=w["b"].id),
    ])
    assert sum(isinstance(r, DomainError) for r in results) == 1, results
    assert count_rows(uow, ComplaintStatusChange,
                      ComplaintStatusChange.to_status == "assigned") == 1


def test_reply_and_return_at_once_one_wins(uow, w):
    c = make_complaint(uow, office=w["office"], unit=w["a"])
    uow.run(workflow.assign, actor=w["office"], complaint_id=c.id, version=None,
            unit_id=w["a"].id)
    results = at_once([
        lambda: uow.run(workflow.reply, actor=w["la"], complaint_id=c.id, action_taken="x",
                        result="y"),
        lambda: uow.run(workflow.return_to_office, actor=w["la"], complaint_id=c.id,
                        reason="r"),
    ])
    assert sum(isinstance(r, DomainError) for r in results) == 1, results


def test_double_register_at_once_is_one(uow, w):
    cats = complaint_categories(uow, w["office"])
    args = dict(actor=w["office"], client_key="same", channel="phone",
                received_at=utcnow() - timedelta(minutes=5), category_id=cats["其他"],
                content="x", complainant_name="n")
    results = at_once([lambda: uow.run(complaint_register.register_complaint, **args)] * 2)
    assert not any(isinstance(r, Exception) for r in results), results
    assert count_rows(uow, Complaint) == 1


def test_audit_rows_about_complaints_hold_no_full_identity(uow, w):
    c = make_complaint(uow, office=w["office"], unit=w["a"])
    uow.run(workflow.assign, actor=w["office"], complaint_id=c.id, version=None,
            unit_id=w["a"].id)
    with uow.read() as r:
        rows = r.session.exec(select(AuditEvent)).all()
    blob = " ".join(f"{e.before} {e.after}" for e in rows)
    assert "13812341234" not in blob and "张三丰" not in blob and "新华路" not in blob
