"""Photo files are never deleted under a live photo: removal leaves them to the sweep, which
takes only files no row refers to once untouched for the grace period. And photo writes
check the actor's capability themselves."""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import timedelta

import pytest
from sqlmodel import func, select

from db.models import Finding, Photo, Role, User
from db.timeutil import utcnow
from demo import checklist as demo_checklist
from services.core.errors import PermissionDenied
from services.core.uow import UnitOfWork
from services.fieldwork import checklists, visit_view
from services.fieldwork import visits as inspections
from services.findings import rectification, review
from services.identity import users
from services.org import structure as org
from services.photos import evidence as photos
from services.photos import sweep
from services.photos.store import PhotoStore
from tests.conftest import PHOTOS

GRACE = timedelta(hours=24)
CANON = (PHOTOS / "jpg_Canon_40D.jpg").read_bytes()  # has a camera time: same watermark


@pytest.fixture
def store(tmp_path) -> PhotoStore:
    return PhotoStore(tmp_path / "store")


@pytest.fixture
def people(uow, admin, make_user):
    district = uow.run(org.create_district, actor=admin, name="雄关区", kind="district")
    unit = uow.run(org.create_unit, actor=admin, name="雄关区便民服务中心", district_id=district.id)
    office = make_user("office", Role.OFFICE)
    template = uow.run(
        checklists.save_template, actor=office, name=demo_checklist.NAME, description="",
        items=demo_checklist.ITEMS
    )
    return {
        "admin": admin, "unit": unit, "office": office, "template": template,
        "insp": make_user("insp", Role.INSPECTOR),
        "liaison": make_user("liaison", Role.UNIT, unit_id=unit.id),
    }


def _draft(uow, p):
    return uow.run(inspections.start_visit, actor=p["insp"], client_key=uuid.uuid4().hex,
                                   unit_id=p["unit"].id, kind="open",
                                   template_id=p["template"].id)


def _finding(uow, p, insp):
    return uow.run(inspections.save_finding, actor=p["insp"], inspection_id=insp.id,
                                    client_key=uuid.uuid4().hex, category="other",
                                    severity="general", description="窗口无人")


def _files(store: PhotoStore) -> list[str]:
    if not store.root.exists():
        return []
    return sorted(str(p.relative_to(store.root)) for p in store.root.rglob("*") if p.is_file())


def _age(store: PhotoStore, name: str, hours: float = 48) -> None:
    then = time.time() - hours * 3600
    os.utime(store.root / name, (then, then))


def _photo_count(uow) -> int:
    with uow.read() as r:
        return r.session.exec(select(func.count()).select_from(Photo)).one()


def test_an_upload_in_flight_keeps_the_files_of_a_photo_removed_meanwhile(uow, people, store):
    """Photo 1 and upload 2 share their files (same bytes). Upload 2 has written them but
    not committed its row when photo 1 is removed and the sweep runs: photo 2 must still
    show once it commits (on the old code, removal deleted the files: a 404 for ever)."""
    insp = _draft(uow, people)
    first_finding, second_finding = _finding(uow, people, insp), _finding(uow, people, insp)
    first = uow.run(photos.add_finding_photo, actor=people["insp"], finding_id=first_finding.id,
                                     data=CANON, store=store)
    for key in (first.original_key, first.display_key, first.thumb_key):
        _age(store, key)  # photo 1 was taken days ago; upload 2's writing makes them recent
    written, go_on = threading.Event(), threading.Event()

    class PausedAfterWriting(PhotoStore):
        def put_derivative(self, original_sha256, kind, data):
            key = super().put_derivative(original_sha256, kind, data)
            if kind == "thumb":  # the last file of the upload: its row comes next
                written.set()
                assert go_on.wait(60)
            return key

    outcome = {}

    def upload():
        try:
            outcome["photo"] = UnitOfWork(uow.engine).run(
                photos.add_finding_photo, actor=people["insp"], finding_id=second_finding.id,
                data=CANON, store=PausedAfterWriting(store.root))
        except BaseException as exc:  # shown by the assertion below
            outcome["error"] = exc

    uploader = threading.Thread(target=upload)
    uploader.start()
    try:
        assert written.wait(60), outcome
        uow.run(photos.remove_photo, actor=people["insp"], photo_id=first.id)
        assert _photo_count(uow) == 0  # no row refers to the files now
        swept = uow.query(sweep.sweep, store, grace=GRACE)
        assert swept.removed == () and swept.kept_young == 3
    finally:
        go_on.set()
        uploader.join(60)
    second = outcome.get("photo")
    assert second is not None, outcome
    assert (second.original_key, second.display_key, second.thumb_key) == (
        first.original_key, first.display_key, first.thumb_key)
    for variant in ("display", "thumb"):
        shown = uow.query(photos.photo_bytes, actor=people["insp"], photo_id=second.id,
                                   variant=variant, store=store)
        assert shown[:2] == b"\xff\xd8"
    assert store.open(second.original_key) == CANON
    # Long after, the files are still in use: kept.
    later = uow.query(sweep.sweep, store, grace=GRACE, now=utcnow() + timedelta(days=30))
    assert later.removed == () and later.referenced == 3


def test_the_sweep_removes_only_old_files_that_no_row_refers_to(uow, people, store):
    insp = _draft(uow, people)
    photo = uow.run(photos.add_finding_photo, actor=people["insp"],
                                     finding_id=_finding(uow, people, insp).id,
                                     data=CANON, store=store)
    in_use = [photo.original_key, photo.display_key, photo.thumb_key]
    orphan = store.put(b"\xff\xd8 removed long ago", suffix=".jpg")
    fresh = store.put(b"\xff\xd8 an upload in flight", suffix=".jpg")
    shard = "/".join(orphan.split("/")[:2])
    stray, writing = f"{shard}/.tmp-crashed.part", f"{shard}/.tmp-writing.part"
    for name in (stray, writing):
        (store.root / name).write_bytes(b"half a photo")
    (store.root / "README.txt").write_text("the operator's note")
    for name in (*in_use, orphan, stray):
        _age(store, name)

    dry = uow.query(sweep.sweep, store, grace=GRACE, dry_run=True)
    assert sorted(dry.removed) == sorted([orphan, stray])
    assert len(_files(store)) == 8  # a dry run removes nothing

    swept = uow.query(sweep.sweep, store, grace=GRACE)
    assert sorted(swept.removed) == sorted([orphan, stray])
    assert (swept.kept_young, swept.referenced) == (2, 3)
    assert _files(store) == sorted([*in_use, fresh, writing, "README.txt"])
    assert uow.query(photos.photo_bytes, actor=people["insp"], photo_id=photo.id,
                              store=store)[:2] == b"\xff\xd8"


def test_files_of_an_upload_that_never_committed_go_after_the_grace_period(
    uow, people, store, monkeypatch
):
    """A crash (here: the commit fails) between writing the files and committing the row."""
    insp = _draft(uow, people)
    finding = _finding(uow, people, insp)

    def crash(self):
        raise RuntimeError("server killed")

    monkeypatch.setattr(UnitOfWork, "commit", crash)
    with pytest.raises(RuntimeError):
        uow.run(photos.add_finding_photo, actor=people["insp"], finding_id=finding.id,
                                 data=CANON, store=store)
    monkeypatch.undo()
    assert _photo_count(uow) == 0
    written = _files(store)
    assert len(written) == 3
    assert uow.query(sweep.sweep, store, grace=GRACE).removed == ()  # might be an upload in flight
    for name in written:
        _age(store, name, hours=25)
    assert sorted(uow.query(sweep.sweep, store, grace=GRACE).removed) == written
    assert _files(store) == []


def test_discarding_a_draft_leaves_its_files_to_the_sweep(uow, people, store):
    insp = _draft(uow, people)
    uow.run(
        photos.add_finding_photo, actor=people["insp"], finding_id=_finding(uow, people, insp).id,
                             data=CANON, store=store)
    uow.run(inspections.discard_draft, actor=people["insp"], inspection_id=insp.id)
    assert len(_files(store)) == 3
    later = uow.query(sweep.sweep, store, grace=GRACE, now=utcnow() + GRACE + timedelta(minutes=1))
    assert len(later.removed) == 3 and _files(store) == []


def test_the_background_sweep_runs_without_the_caller_waiting(uow, store, monkeypatch):
    orphan = store.put(b"\xff\xd8 orphan", suffix=".jpg")
    _age(store, orphan)
    done, stop = threading.Event(), threading.Event()
    real = sweep.sweep

    def observed(*args, **kwargs):
        try:
            return real(*args, **kwargs)
        finally:
            done.set()

    monkeypatch.setattr(sweep, "sweep", observed)
    thread = sweep.start_background(uow, store, grace=GRACE, stop=stop)
    try:
        assert thread.daemon
        assert done.wait(60)
        assert not store.exists(orphan)
    finally:
        stop.set()
        thread.join(60)


def _as_stored_now(uow, user):
    """The account as stored now: the services must refuse on the role they find, whatever
    the page still holds."""
    with uow.read() as r:
        return r.session.get(User, user.id)


def _change_role(uow, admin, user, role, **scope):
    uow.run(users.update_user, actor=admin, user_id=user.id, version=user.version,
                      display_name=user.display_name, role=role,
                      district_id=scope.get("district_id"), unit_id=scope.get("unit_id"))


def test_an_inspector_made_leader_no_longer_adds_or_removes_photos_on_an_old_draft(
    uow, people, store
):
    insp = _draft(uow, people)
    finding = _finding(uow, people, insp)
    photo = uow.run(photos.add_finding_photo, actor=people["insp"], finding_id=finding.id,
                                     data=CANON, store=store)
    _change_role(uow, people["admin"], people["insp"], Role.LEADER)
    leader = _as_stored_now(uow, people["insp"])
    before = _files(store)
    with pytest.raises(PermissionDenied) as refused:
        uow.run(photos.add_finding_photo, actor=leader, finding_id=finding.id,
                                 data=(PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes(),
                                 store=store)
    assert refused.value.params["capability"] == "inspection.record"
    with pytest.raises(PermissionDenied):
        uow.run(photos.remove_photo, actor=leader, photo_id=photo.id)
    with pytest.raises(PermissionDenied):
        uow.run(inspections.delete_finding, actor=leader, finding_id=finding.id)
    assert _photo_count(uow) == 1 and _files(store) == before


def _confirmed_finding(uow, p, store):
    insp = _draft(uow, p)
    view = uow.query(visit_view.get_visit, actor=p["insp"], inspection_id=insp.id)
    answers = {
        i.id: {"yes_no": "yes", "number": "3"}.get(i.answer_type, "无")
        for i in view.template.items
    }
    uow.run(inspections.save_answers, actor=p["insp"], inspection_id=insp.id, answers=answers)
    finding = _finding(uow, p, insp)
    uow.run(inspections.submit_visit, actor=p["insp"], inspection_id=insp.id)
    uow.run(review.confirm_finding, actor=p["office"], finding_id=finding.id)
    return finding


def test_a_liaison_made_leader_no_longer_submits_rectification_photos(uow, people, store):
    finding = _confirmed_finding(uow, people, store)
    _change_role(uow, people["admin"], people["liaison"], Role.LEADER)
    leader = _as_stored_now(uow, people["liaison"])
    with pytest.raises(PermissionDenied) as refused:
        uow.run(
            rectification.submit_rectification, actor=leader, finding_id=finding.id,
            client_key="r1", text="已整改",
            photo_files=[CANON], store=store)
    assert refused.value.params["capability"] == "rectification.submit"
    assert _files(store) == [] and _photo_count(uow) == 0
    with uow.read() as r:
        assert r.session.get(Finding, finding.id).status == "rectifying"


def test_each_server_process_starts_one_background_sweep(tmp_path, monkeypatch):
    from ui import context

    started = []
    monkeypatch.setattr(sweep, "start_background",
                        lambda uow, store, *, grace: started.append((store.root, grace)))
    context._engine.clear()
    url = f"sqlite:///{tmp_path / 'app.db'}"
    try:
        assert context._engine(url) is context._engine(url)  # every page asks for it
    finally:
        context._engine.clear()
    assert started == [(photos.default_store().root, GRACE)]
