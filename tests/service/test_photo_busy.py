"""Uploads while every decode slot is taken: the inspector and the liaison get a clear
"busy, try again" refusal, nothing is stored, and the retry goes through."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from db.models import Photo, Role
from demo import checklist as demo_checklist
from services.core.errors import PhotoRejected
from services.fieldwork import checklists, visit_view
from services.fieldwork import visits as inspections
from services.findings import rectification, review
from services.org import structure as org
from services.photos import evidence as photos
from services.photos.store import PhotoStore
from tests.conftest import PHOTOS


@pytest.fixture
def store(tmp_path) -> PhotoStore:
    return PhotoStore(tmp_path / "store")


@pytest.fixture
def busy(monkeypatch):
    """Both decode slots taken, as by two long decodes; `busy.free()` ends one of them."""
    monkeypatch.setattr(photos, "DECODE_WAIT_S", 0.01)
    held = []
    for _ in range(2):
        assert photos._DECODING.acquire(blocking=False), "a decode slot was left taken"
        held.append(1)

    class Busy:
        @staticmethod
        def free() -> None:
            held.pop()
            photos._DECODING.release()

    yield Busy
    while held:
        Busy.free()


@pytest.fixture
def draft_finding(uow, admin, make_user):
    unit = uow.run(org.create_unit, actor=admin, name="雄关区便民服务中心")
    office = make_user("office", Role.OFFICE)
    inspector = make_user("insp1", Role.INSPECTOR)
    template = uow.run(checklists.save_template, actor=office, name=demo_checklist.NAME,
                                        description="", items=demo_checklist.ITEMS)
    insp = uow.run(inspections.start_visit, actor=inspector, client_key="v", unit_id=unit.id,
                                   kind="open", template_id=template.id)
    finding = uow.run(inspections.save_finding, actor=inspector, inspection_id=insp.id,
                                       client_key="f", category="other", severity="general",
                                       description="窗口无人")
    return {"unit": unit, "office": office, "inspector": inspector, "insp": insp,
            "finding": finding}


def _files(store: PhotoStore) -> list:
    return sorted(p for p in store.root.rglob("*") if p.is_file()) if store.root.exists() else []


def _photo_count(uow) -> int:
    with uow.read() as r:
        return r.session.exec(select(func.count()).select_from(Photo)).one()


@pytest.mark.timeout(60)  # without the wait's timeout these would hang, not fail
def test_a_finding_photo_while_busy_is_refused_and_the_retry_is_stored(
    uow, draft_finding, store, busy
):
    data = (PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes()
    finding, inspector = draft_finding["finding"], draft_finding["inspector"]
    with pytest.raises(PhotoRejected) as caught:
        uow.run(photos.add_finding_photo, actor=inspector, finding_id=finding.id, data=data,
                                 store=store)
    assert caught.value.message_key == "photo.busy"
    assert _files(store) == [] and _photo_count(uow) == 0
    busy.free()
    row = uow.run(photos.add_finding_photo, actor=inspector, finding_id=finding.id, data=data,
                                   store=store)
    assert row.finding_id == finding.id and _photo_count(uow) == 1


@pytest.mark.timeout(60)
def test_a_rectification_while_busy_is_refused_whole_and_the_retry_goes_through(
    uow, draft_finding, make_user, store, busy
):
    f = draft_finding
    view = uow.query(visit_view.get_visit, actor=f["inspector"], inspection_id=f["insp"].id)
    answers = {item.id: {"yes_no": "yes", "number": "3"}.get(item.answer_type, "无")
               for item in view.template.items}
    uow.run(inspections.save_answers, actor=f["inspector"], inspection_id=f["insp"].id,
                             answers=answers)
    uow.run(inspections.submit_visit, actor=f["inspector"], inspection_id=f["insp"].id)
    uow.run(review.confirm_finding, actor=f["office"], finding_id=f["finding"].id)
    liaison = make_user("liaison", Role.UNIT, unit_id=f["unit"].id)
    report = dict(actor=liaison, finding_id=f["finding"].id, client_key="r", text="已整改",
                  photo_files=[(PHOTOS / "jpg_gps_DSCN0021.jpg").read_bytes()], store=store)
    with pytest.raises(PhotoRejected) as caught:
        uow.run(rectification.submit_rectification, **report)
    # The page names the file at this position in front of the message.
    assert (caught.value.message_key, caught.value.params) == ("photo.busy", {"position": 1})
    assert _files(store) == []
    [case] = uow.query(rectification.list_cases, actor=liaison)
    assert case.status == "rectifying"
    busy.free()
    uow.run(rectification.submit_rectification, **report)
    [case] = uow.query(rectification.list_cases, actor=liaison)
    assert case.status == "reported" and len(case.rectifications[0].photos) == 1
