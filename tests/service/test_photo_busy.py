"""Uploads while every decode slot is taken: the inspector and the liaison get a clear
"busy, try again" refusal, nothing is stored, and the retry goes through."""

from __future__ import annotations

import pytest

from db.models import Photo, Role
from services.core.errors import NotFound, PhotoRejected
from services.findings import queries as finding_queries
from services.findings import rectification
from services.photos import evidence as photos
from tests.conftest import PHOTOS, count_rows, stored_files
from tests.factories import answer_all, confirm, make_unit, make_visit, submit_visit


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
def draft_finding(uow, admin, office, inspector, checklist):
    """A finding on a draft with nothing answered yet."""
    unit = make_unit(uow, actor=admin, name="雄关区便民服务中心")
    insp, [finding] = make_visit(uow, inspector=inspector, unit=unit, template=checklist,
                                 answers={}, findings=[dict(description="窗口无人")])
    return {"unit": unit, "office": office, "inspector": inspector, "insp": insp,
            "finding": finding}


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
    assert stored_files(store) == [] and count_rows(uow, Photo) == 0
    busy.free()
    row = uow.run(photos.add_finding_photo, actor=inspector, finding_id=finding.id, data=data,
                                   store=store)
    assert row.finding_id == finding.id and count_rows(uow, Photo) == 1


@pytest.mark.timeout(60)
def test_a_rectification_while_busy_is_refused_whole_and_the_retry_goes_through(
    uow, draft_finding, make_user, store, busy
):
    f = draft_finding
    answer_all(uow, inspector=f["inspector"], visit=f["insp"])
    submit_visit(uow, inspector=f["inspector"], visit=f["insp"])
    confirm(uow, actor=f["office"], finding=f["finding"])
    liaison = make_user("liaison", Role.UNIT, unit_id=f["unit"].id)
    report = dict(actor=liaison, finding_id=f["finding"].id, client_key="r", text="已整改",
                  photo_files=[(PHOTOS / "jpg_gps_DSCN0021.jpg").read_bytes()], store=store)
    with pytest.raises(PhotoRejected) as caught:
        uow.run(rectification.submit_rectification, **report)
    # The page names the file at this position in front of the message.
    assert (caught.value.message_key, caught.value.params) == ("photo.busy", {"position": 1})
    assert stored_files(store) == []
    [case] = uow.query(finding_queries.list_cases, actor=liaison)
    assert case.status == "rectifying"
    busy.free()
    uow.run(rectification.submit_rectification, **report)
    [case] = uow.query(finding_queries.list_cases, actor=liaison)
    assert case.status == "reported" and len(case.rectifications[0].photos) == 1


def test_a_report_on_a_finding_of_another_unit_decodes_no_photo(
    uow, admin, draft_finding, make_user, store, monkeypatch
):
    """Any liaison could otherwise keep the decode slots busy with big photos sent against
    finding ids that are not theirs (or do not exist)."""
    other_unit = make_unit(uow, actor=admin, name="别的单位")
    liaison = make_user("liaison", Role.UNIT, unit_id=other_unit.id)
    decoded = []
    monkeypatch.setattr(photos, "ingest", lambda *a, **k: decoded.append(a))
    for finding_id in (draft_finding["finding"].id, 999_999):
        with pytest.raises(NotFound):
            uow.run(rectification.submit_rectification, actor=liaison, finding_id=finding_id,
                    client_key=f"r{finding_id}", text="已整改",
                    photo_files=[(PHOTOS / "jpg_gps_DSCN0021.jpg").read_bytes()], store=store)
    assert decoded == []
