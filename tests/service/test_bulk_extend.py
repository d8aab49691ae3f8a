"""Extending the deadline of picked findings (services/findings/deadlines.py): the office
only, findings waiting for their unit, a later day with a reason, logged per finding, all or
nothing, and a double click extends once."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from db.models import AuditEvent, Finding, FindingDeadlineChange
from services.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from services.findings import deadlines
from tests.conftest import at_once, count_rows
from tests.factories import make_draft, make_finding, report
from tests.finding_batches import make_batches
from tests.service.test_audit import assert_audit_labels


@pytest.fixture
def w(uow, make_user, admin, office, inspector, checklist):
    return make_batches(uow, make_user=make_user, admin=admin, office=office,
                        inspector=inspector, checklist=checklist)


def extend(uow, w, ids, *, actor=None, days=20, reason="单位申请，设备到货需时", key=None, **kw):
    return uow.run(deadlines.extend_deadlines, actor=actor or w.office, finding_ids=ids,
                   new_deadline=w.today + timedelta(days=days), reason=reason,
                   client_key=key or uuid.uuid4().hex, **kw)


def deadlines_of(uow, *findings):
    with uow.read() as r:
        return [r.session.get(Finding, f.id).deadline for f in findings]


def test_the_office_extends_several_findings_with_a_logged_reason(uow, w):
    done = extend(uow, w, [w.a1.id, w.b1.id], days=20)
    new = w.today + timedelta(days=20)
    assert sorted(f.id for f in done) == sorted([w.a1.id, w.b1.id])
    assert deadlines_of(uow, w.a1, w.b1, w.a2) == [new, new, w.today + timedelta(days=10)]
    with uow.read() as r:
        log = r.session.exec(select(FindingDeadlineChange)
                             .order_by(FindingDeadlineChange.finding_id)).all()
        events = r.session.exec(select(AuditEvent).where(AuditEvent.action == "finding.extend")
                                .order_by(AuditEvent.entity_id)).all()
        versions = [r.session.get(Finding, f.id).version for f in (w.a1, w.b1)]
    assert [(c.finding_id, c.from_deadline, c.to_deadline, c.reason, c.actor_id) for c in log] == [
        (w.a1.id, w.today + timedelta(days=5), new, "单位申请，设备到货需时", w.office.id),
        (w.b1.id, w.today + timedelta(days=5), new, "单位申请，设备到货需时", w.office.id)]
    assert_audit_labels(uow)  # the audit page names the action in both languages
    assert [e.entity_id for e in events] == [w.a1.id, w.b1.id]
    assert events[0].before["deadline"] == (w.today + timedelta(days=5)).isoformat()
    assert events[0].after["deadline"] == new.isoformat()
    assert events[0].after["reason"] == "单位申请，设备到货需时"
    assert versions == [w.a1.version + 1, w.b1.version + 1]
    history = uow.query(deadlines.deadline_history, actor=w.office, finding_id=w.a1.id)
    assert [(h.from_deadline, h.to_deadline, h.actor) for h in history] == [
        (w.today + timedelta(days=5), new, "Office")]


@pytest.mark.parametrize("who", ["leader", "inspector", "liaison_a", "admin"])
def test_only_the_office_may_extend(uow, w, who):
    with pytest.raises(PermissionDenied):
        extend(uow, w, [w.a1.id], actor=getattr(w, who))
    assert deadlines_of(uow, w.a1) == [w.today + timedelta(days=5)]
    assert count_rows(uow, FindingDeadlineChange) == 0


def test_one_finding_not_waiting_for_its_unit_refuses_the_whole_batch_by_name(uow, w):
    with pytest.raises(ValidationFailed) as err:
        extend(uow, w, [w.a1.id, w.a_open.id, w.b1.id])
    assert err.value.message_key == "finding.batch_not_waiting"
    assert err.value.params["ids"] == [w.a_open.id]
    report(uow, actor=w.liaison_b, finding=w.b1)  # the unit says it is fixed: not waiting
    with pytest.raises(ValidationFailed) as err:
        extend(uow, w, [w.a1.id, w.b1.id])
    assert err.value.params["ids"] == [w.b1.id]
    assert deadlines_of(uow, w.a1) == [w.today + timedelta(days=5)]
    assert count_rows(uow, FindingDeadlineChange) == 0


def test_the_new_day_is_later_than_each_current_deadline_and_not_past(uow, w):
    with pytest.raises(ValidationFailed) as err:
        extend(uow, w, [w.a1.id, w.a2.id, w.b1.id], days=10)  # a2 is due that day already
    assert (err.value.message_key, err.value.params["ids"]) == (
        "finding.extend_not_later", [w.a2.id])
    with pytest.raises(ValidationFailed) as err:
        extend(uow, w, [w.a1.id], days=-1)
    assert err.value.message_key == "finding.extend_past"
    with pytest.raises(ValidationFailed) as err:
        extend(uow, w, [w.a1.id], days=deadlines.MAX_DAYS_AHEAD)
    assert err.value.message_key == "finding.extend_too_far"
    assert deadlines_of(uow, w.a1, w.a2, w.b1) == [
        w.today + timedelta(days=5), w.today + timedelta(days=10), w.today + timedelta(days=5)]


@pytest.mark.parametrize("reason, key", [("", "error.required"), ("   \n", "error.required"),
                                         ("长" * 501, "error.too_long")])
def test_a_reason_is_required_and_bounded(uow, w, reason, key):
    with pytest.raises(ValidationFailed) as err:
        extend(uow, w, [w.a1.id], reason=reason)
    assert (err.value.message_key, err.value.params["field"]) == (key, "reason")
    assert deadlines_of(uow, w.a1) == [w.today + timedelta(days=5)]


def test_nothing_picked_unknown_or_unseen_findings_are_refused(uow, w, checklist):
    with pytest.raises(ValidationFailed):
        extend(uow, w, [])
    with pytest.raises(NotFound):
        extend(uow, w, [w.a1.id, 987654])
    # A draft still on an inspector's tablet is not the office's to see.
    draft = make_draft(uow, inspector=w.inspector, unit=w.unit_a, template=checklist)
    hidden = make_finding(uow, inspector=w.inspector, visit=draft)
    with pytest.raises(NotFound):
        extend(uow, w, [w.a1.id, hidden.id])
    assert deadlines_of(uow, w.a1) == [w.today + timedelta(days=5)]


def test_a_double_click_extends_once_and_a_reused_key_is_refused(uow, w):
    first = extend(uow, w, [w.a1.id, w.b1.id], key="k-1")
    again = extend(uow, w, [w.b1.id, w.a1.id], key="k-1")
    assert {f.id for f in again} == {f.id for f in first}
    assert count_rows(uow, FindingDeadlineChange) == 2
    with pytest.raises(Conflict):
        extend(uow, w, [w.a2.id], key="k-1")  # the same key for another request
    with pytest.raises(Conflict):
        extend(uow, w, [w.a1.id, w.b1.id], key="k-1", days=30)
    assert count_rows(uow, FindingDeadlineChange) == 2


def test_two_submits_at_the_same_moment_extend_once(uow, w):
    results = at_once([lambda: extend(uow, w, [w.a1.id, w.b1.id], key="same")] * 2)
    assert not [r for r in results if isinstance(r, Exception)]
    assert count_rows(uow, FindingDeadlineChange) == 2


def test_a_version_seen_before_someone_else_changed_it_is_refused(uow, w):
    extend(uow, w, [w.a1.id], days=15)
    with pytest.raises(Conflict) as err:
        extend(uow, w, [w.a1.id, w.b1.id], days=20, versions={w.a1.id: w.a1.version})
    assert err.value.message_key == "error.stale_edit"
    assert deadlines_of(uow, w.b1) == [w.today + timedelta(days=5)]


def test_a_liaison_reads_the_extensions_of_its_own_findings_only(uow, w):
    extend(uow, w, [w.a1.id])
    assert len(uow.query(deadlines.deadline_history, actor=w.liaison_a,
                         finding_id=w.a1.id)) == 1
    with pytest.raises(NotFound):
        uow.query(deadlines.deadline_history, actor=w.liaison_b, finding_id=w.a1.id)
