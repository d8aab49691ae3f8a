"""Client keys: a double tap, two tabs or a retry racing the original make one record, and
every one of those requests is answered with it; a key sent again for something else is
refused instead of answering with the first record."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlmodel import func, select

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
from services.fieldwork import checklists, visit_view
from services.fieldwork import plans as visit_plans
from services.fieldwork import visits as inspections
from services.findings import rectification, review
from services.org import structure as org
from services.photos.store import PhotoStore
from tests.conftest import PHOTOS

THREADS = 8
PHOTO = (PHOTOS / "jpg_Canon_40D.jpg").read_bytes()


def _race(calls):
    """Run the calls at the same moment on separate threads; a result or the exception."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(30)
        try:
            return call()
        except Exception as exc:  # the test reports it
            return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


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
def world(uow, admin, make_user, tmp_path) -> World:
    unit = uow.run(org.create_unit, actor=admin, name="窗口单位")
    other_unit = uow.run(org.create_unit, actor=admin, name="另一单位")
    office = make_user("office", Role.OFFICE)
    inspector = make_user("insp", Role.INSPECTOR)
    liaison = make_user("liaison", Role.UNIT, unit_id=unit.id)
    tpl = uow.run(checklists.save_template, actor=office, name="表", description="",
                                   items=demo_checklist.ITEMS[:1])
    plans = tuple(
        uow.run(
            visit_plans.save_plan, actor=office, unit_id=u.id, kind="unannounced",
            window_start=date.today(),
            window_end=date.today() + timedelta(days=7), template_id=tpl.id,
            inspector_ids=[inspector.id])
        for u in (unit, other_unit)
    )
    drafts = tuple(
        uow.run(inspections.start_visit, actor=inspector, client_key=f"draft-{n}", unit_id=unit.id,
                                kind="open", template_id=tpl.id)
        for n in range(3)
    )
    done = drafts[2]
    item = uow.query(
        visit_view.get_visit, actor=inspector, inspection_id=done.id).template.items[0]
    uow.run(inspections.save_answers, actor=inspector, inspection_id=done.id,
                             answers={item.id: "no"})
    rectifying = tuple(
        uow.run(inspections.save_finding, actor=inspector, inspection_id=done.id,
                                 client_key=f"found-{n}", category="other", severity="general",
                                 description=f"问题{n}")
        for n in range(2)
    )
    uow.run(inspections.submit_visit, actor=inspector, inspection_id=done.id)
    for finding in rectifying:
        uow.run(review.confirm_finding, actor=office, finding_id=finding.id)
    return World(unit, other_unit, tpl, inspector, liaison, plans, drafts[:2], rectifying,
                 PhotoStore(tmp_path / "store"))


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


def _count(engine, model, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _files(store: PhotoStore) -> int:
    return sum(1 for p in store.root.rglob("*") if p.is_file()) if store.root.exists() else 0


@pytest.mark.parametrize("write", list(WRITES))
def test_the_same_request_eight_times_at_once_makes_one_record_for_all(engine, world, write):
    model, action, call = WRITES[write]
    results = _race([
        lambda: call(UnitOfWork(engine), world, "tap", 0) for _ in range(THREADS)
    ])
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    [row_id] = {r.id for r in results}
    assert _count(engine, model, model.client_key == "tap") == 1
    assert _count(engine, AuditEvent, AuditEvent.action == action,
                  AuditEvent.entity_id == row_id) == 1
    if model is Rectification:  # one report: one photo, one step in the finding's log
        assert _count(engine, Photo, Photo.rectification_id == row_id) == 1
        assert _count(engine, FindingStatusChange, FindingStatusChange.to_status == "reported",
                      FindingStatusChange.finding_id == world.rectifying[0].id) == 1
        assert _files(world.store) == 3  # the original, the display copy, the thumbnail


@pytest.mark.parametrize("write", list(WRITES))
def test_a_retry_gets_the_same_record_and_the_key_cannot_serve_another(uow, world, write):
    model, _, call = WRITES[write]
    first = call(uow, world, "key", 0)
    again = call(uow, world, "key", 0)
    assert again.id == first.id
    with pytest.raises(Conflict) as err:
        call(uow, world, "key", 1)
    assert err.value.message_key == "error.client_key_reused"
    with uow.read() as r:
        assert r.session.exec(select(func.count()).select_from(model)
                              .where(model.client_key == "key")).one() == 1


def test_another_user_cannot_take_over_a_key(uow, world, make_user):
    visit = uow.run(inspections.start_visit, actor=world.inspector, client_key="mine",
                                    unit_id=world.unit.id, kind="open",
                                    template_id=world.template.id)
    with pytest.raises(Conflict):
        uow.run(inspections.start_visit, actor=make_user("insp2", Role.INSPECTOR),
                                client_key="mine", unit_id=world.unit.id, kind="open",
                                template_id=world.template.id)
    assert uow.query(visit_view.get_visit, actor=world.inspector,
                                 inspection_id=visit.id).inspector_id == world.inspector.id


def test_the_same_answers_eight_times_at_once_are_stored_once(engine, world):
    draft = world.drafts[0]
    view = UnitOfWork(engine).run(visit_view.get_visit, actor=world.inspector,
                                 inspection_id=draft.id)
    answers = {view.template.items[0].id: "no"}
    results = _race([
        lambda: UnitOfWork(engine).run(inspections.save_answers, actor=world.inspector,
                                         inspection_id=draft.id, answers=answers)
        for _ in range(THREADS)
    ])
    assert [r for r in results if isinstance(r, Exception)] == []
    assert _count(engine, ChecklistAnswer, ChecklistAnswer.inspection_id == draft.id) == 1
