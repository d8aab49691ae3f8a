"""Client keys: a double tap, two tabs or a retry racing the original make one record, and
every one of those requests is answered with it; a key sent again for something else is
refused instead of answering with the first record."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from db.models import (
    AuditEvent,
    ChecklistAnswer,
    Finding,
    FindingStatusChange,
    Inspection,
    Photo,
    Rectification,
    Role,
)
from demo import checklist as demo_checklist
from services.core.errors import Conflict
from services.core.uow import UnitOfWork
from services.fieldwork import visit_view
from services.fieldwork import visits as inspections
from services.findings import rectification
from services.photos.store import PhotoStore
from tests.conftest import PHOTOS, at_once, count_rows, stored_files
from tests.factories import (
    confirm,
    make_draft,
    make_plan,
    make_template,
    make_unit,
    make_visit,
)

THREADS = 8
PHOTO = (PHOTOS / "jpg_Canon_40D.jpg").read_bytes()


@dataclass
class World:
    unit: object
    other_unit: object
    template: object
    inspector: object
    liaison: object
    plans: tuple
    drafts: tuple  # two draft visits of the inspector
    rectifying: tuple  # two confirmed findings waiting for the liaison's report
    store: PhotoStore


@pytest.fixture
def world(uow, admin, make_user, office, inspector, store) -> World:
    unit = make_unit(uow, actor=admin, name="窗口单位")
    other_unit = make_unit(uow, actor=admin, name="另一单位")
    liaison = make_user("liaison", Role.UNIT, unit_id=unit.id)
    tpl = make_template(uow, actor=office, name="表", items=demo_checklist.ITEMS[:1])
    plans = tuple(
        make_plan(uow, actor=office, unit=u, template=tpl, inspectors=[inspector])
        for u in (unit, other_unit)
    )
    drafts = tuple(
        make_draft(uow, inspector=inspector, unit=unit, template=tpl) for _ in range(2))
    _, rectifying = make_visit(
        uow, inspector=inspector, unit=unit, template=tpl, failing=[tpl.items[0].text],
        findings=[dict(description=f"问题{n}") for n in range(2)], submit=True,
    )
    for finding in rectifying:
        confirm(uow, actor=office, finding=finding)
    return World(unit, other_unit, tpl, inspector, liaison, plans, drafts, rectifying, store)


# Every write that takes a client key: (model, audit action of the create, the call). The
# call makes the record for target 0, or with the same key for another target (1).
WRITES = {
    "start_visit": (
        Inspection, "inspection.start",
        lambda uow, w, key, n: uow.run(
            inspections.start_visit, actor=w.inspector, client_key=key,
            unit_id=(w.unit, w.other_unit)[n].id,
            kind="open", template_id=w.template.id),
    ),
    "start_visit_from_plan": (
        Inspection, "inspection.start",
        lambda uow, w, key, n: uow.run(
            inspections.start_visit, actor=w.inspector, client_key=key, plan_id=w.plans[n].id),
    ),
    "save_finding": (
        Finding, "finding.create",
        lambda uow, w, key, n: uow.run(
            inspections.save_finding, actor=w.inspector, inspection_id=w.drafts[n].id,
            client_key=key,
            category="attitude", severity="general", description="态度生硬"),
    ),
    "submit_rectification": (
        Rectification, "rectification.submit",
        lambda uow, w, key, n: uow.run(
            rectification.submit_rectification, actor=w.liaison, finding_id=w.rectifying[n].id,
            client_key=key,
            text="已整改", photo_files=[PHOTO], store=w.store),
    ),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_the_same_request_eight_times_at_once_makes_one_record_for_all(
    engine, uow, world, write
):
    model, action, call = WRITES[write]
    results = at_once([
        lambda: call(UnitOfWork(engine), world, "tap", 0) for _ in range(THREADS)
    ])
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    [row_id] = {r.id for r in results}
    assert count_rows(uow, model, model.client_key == "tap") == 1
    assert count_rows(uow, AuditEvent, AuditEvent.action == action,
                      AuditEvent.entity_id == row_id) == 1
    if model is Rectification:  # one report: one photo, one step in the finding's log
        assert count_rows(uow, Photo, Photo.rectification_id == row_id) == 1
        assert count_rows(uow, FindingStatusChange, FindingStatusChange.to_status == "reported",
                          FindingStatusChange.finding_id == world.rectifying[0].id) == 1
        # the original, the display copy, the thumbnail
        assert len(stored_files(world.store)) == 3


# A finding's key belongs to its visit: the same key in another visit is another finding.
OWNER_IS_THE_TARGET = {"save_finding"}


def test_a_finding_key_is_the_visits_own(uow, world):
    _, _, call = WRITES["save_finding"]
    first, other = call(uow, world, "key", 0), call(uow, world, "key", 1)
    assert first.id != other.id
    assert (first.inspection_id, other.inspection_id) == tuple(d.id for d in world.drafts)


@pytest.mark.parametrize("write", sorted(set(WRITES) - OWNER_IS_THE_TARGET))
def test_a_retry_gets_the_same_record_and_the_key_cannot_serve_another(uow, world, write):
    model, _, call = WRITES[write]
    first = call(uow, world, "key", 0)
    again = call(uow, world, "key", 0)
    assert again.id == first.id
    with pytest.raises(Conflict) as err:
        call(uow, world, "key", 1)
    assert err.value.message_key == "error.client_key_reused"
    assert count_rows(uow, model, model.client_key == "key") == 1


def test_a_key_another_user_took_first_does_not_block_or_reach_the_owner(
    uow, world, make_user
):
    """Keys are derived (`plan-<plan>-<inspector>`): a colleague who sends that key first
    gets a visit of their own; the owner's tablet still starts theirs with it."""
    squatter = make_user("insp2", Role.INSPECTOR)
    key = f"plan-{world.plans[0].id}-{world.inspector.id}"
    theirs = uow.run(inspections.start_visit, actor=squatter, client_key=key,
                     unit_id=world.other_unit.id, kind="open", template_id=world.template.id)
    mine = uow.run(inspections.start_visit, actor=world.inspector, client_key=key,
                   plan_id=world.plans[0].id)
    assert mine.id != theirs.id
    assert (mine.inspector_id, mine.unit_id) == (world.inspector.id, world.unit.id)
    assert theirs.inspector_id == squatter.id
    assert uow.query(visit_view.get_visit, actor=world.inspector,
                     inspection_id=mine.id).inspector_id == world.inspector.id


def test_a_liaison_key_taken_by_another_unit_does_not_block_the_report(
    uow, admin, world, make_user, office, inspector
):
    other_liaison = make_user("liaison2", Role.UNIT, unit_id=world.other_unit.id)
    _, [theirs] = make_visit(
        uow, inspector=inspector, unit=world.other_unit, template=world.template,
        failing=[world.template.items[0].text], findings=[dict(description="别处的问题")],
        submit=True,
    )
    confirm(uow, actor=office, finding=theirs)
    uow.run(rectification.submit_rectification, actor=other_liaison, finding_id=theirs.id,
            client_key="rect-key", text="他们的整改")
    mine = uow.run(rectification.submit_rectification, actor=world.liaison,
                   finding_id=world.rectifying[0].id, client_key="rect-key", text="已整改")
    assert (mine.finding_id, mine.submitted_by) == (world.rectifying[0].id, world.liaison.id)
    assert count_rows(uow, Rectification, Rectification.client_key == "rect-key") == 2


def test_the_same_answers_eight_times_at_once_are_stored_once(engine, uow, world):
    draft = world.drafts[0]
    view = UnitOfWork(engine).run(visit_view.get_visit, actor=world.inspector,
                                 inspection_id=draft.id)
    answers = {view.template.items[0].id: "no"}
    results = at_once([
        lambda: UnitOfWork(engine).run(inspections.save_answers, actor=world.inspector,
                                         inspection_id=draft.id, answers=answers)
        for _ in range(THREADS)
    ])
    assert [r for r in results if isinstance(r, Exception)] == []
    assert count_rows(uow, ChecklistAnswer, ChecklistAnswer.inspection_id == draft.id) == 1
