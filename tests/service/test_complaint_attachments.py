"""Attachments of complaints: photos and PDF scans with the register and with a unit's reply,
checked before anything is saved, each shown only to those who may see it (a letter names
its writer: the unit concerned never opens what the office registered)."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from config import get_settings
from db.models import AuditEvent, Document, Photo, Role
from db.timeutil import utcnow
from services.complaints import attachments, workflow
from services.complaints import register as complaint_register
from services.core.errors import NotFound, PhotoRejected
from services.photos.store import PhotoStore
from services.photos.sweep import sweep
from tests.conftest import PHOTOS, count_rows
from tests.factories import a_pdf, complaint_categories, make_district, make_unit

LETTER = ("张三丰来信.pdf", a_pdf(2))
PHOTO = ("现场.jpg", (PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes())


@pytest.fixture
def city(uow, admin, office, make_user):
    xg = make_district(uow, actor=admin, name="雄关区")
    power = make_unit(uow, actor=admin, name="峪泉供电所", district=xg)
    school = make_unit(uow, actor=admin, name="雄关区实验小学", district=xg)
    return dict(office=office, admin=admin, power=power,
                leader=make_user("leader1", Role.LEADER),
                liaison=make_user("liaison_power", Role.UNIT, unit_id=power.id),
                other=make_user("liaison_school", Role.UNIT, unit_id=school.id))


def _register(uow, office, files, key=None, shared=()):
    return uow.run(
        complaint_register.register_complaint, actor=office, client_key=key or uuid.uuid4().hex,
        channel="letter", received_at=utcnow() - timedelta(hours=2),
        category_id=complaint_categories(uow, office)["服务态度差"],
        content="来信反映窗口态度差", complainant_name="张三丰", complainant_phone="13812341234",
        attachments=attachments.prepare(files, shared=shared),
    )


def _assigned(uow, city, files=(LETTER, PHOTO), shared=()):
    c = _register(uow, city["office"], list(files), shared=shared)
    uow.run(workflow.assign, actor=city["office"], complaint_id=c.id, version=None,
            unit_id=city["power"].id)
    return c


def _seen(uow, actor, complaint):
    return uow.query(attachments.for_complaint, actor=actor, complaint_id=complaint.id)


def test_the_office_registers_a_letter_scan_and_a_photo_and_opens_both(uow, city):
    c = _register(uow, city["office"], [LETTER, PHOTO])
    seen = _seen(uow, city["office"], c).complaint
    assert [d.filename for d in seen.documents] == ["张三丰来信.pdf"]
    assert seen.documents[0].pages == 2 and len(seen.photos) == 1 and seen.hidden == 0
    pdf = uow.query(attachments.document_bytes, actor=city["office"],
                    document_id=seen.documents[0].id)
    assert pdf == LETTER[1]
    thumb = uow.query(attachments.photo_bytes, actor=city["office"],
                      photo_id=seen.photos[0].id, variant="thumb")
    assert thumb[:2] == b"\xff\xd8"


def test_the_unit_never_opens_what_the_office_registered(uow, city):
    c = _assigned(uow, city)
    office_view = _seen(uow, city["office"], c).complaint
    for reader in (city["liaison"], city["leader"]):
        seen = _seen(uow, reader, c).complaint
        assert (seen.photos, seen.documents, seen.hidden) == ([], [], 2)
        with pytest.raises(NotFound):
            uow.query(attachments.document_bytes, actor=reader,
                      document_id=office_view.documents[0].id)
        with pytest.raises(NotFound):
            uow.query(attachments.photo_bytes, actor=reader,
                      photo_id=office_view.photos[0].id)


def test_a_photo_the_office_shares_is_seen_by_the_unit_the_letter_is_not(uow, city):
    c = _assigned(uow, city, shared=[1])  # the photo of the scene, not the letter
    seen = _seen(uow, city["liaison"], c).complaint
    assert (len(seen.photos), seen.documents, seen.hidden) == (1, [], 1)
    assert uow.query(attachments.photo_bytes, actor=city["liaison"],
                     photo_id=seen.photos[0].id)[:2] == b"\xff\xd8"
    office_view = _seen(uow, city["office"], c).complaint
    assert office_view.shared == {("photo", seen.photos[0].id)}
    # Another unit reads nothing of it, not even that it exists.
    other = _seen(uow, city["other"], c).complaint
    assert (other.photos, other.hidden) == ([], 0)
    with pytest.raises(NotFound):
        uow.query(attachments.photo_bytes, actor=city["other"], photo_id=seen.photos[0].id)


def test_the_office_changes_what_the_unit_may_see_and_it_is_audited(uow, city):
    c = _assigned(uow, city, shared=[1])
    office_view = _seen(uow, city["office"], c).complaint
    [letter] = office_view.documents
    changed = uow.run(attachments.share_with_unit, actor=city["office"], complaint_id=c.id,
                      photo_ids=[], document_ids=[letter.id], seen=office_view.shared)
    assert changed == 2
    seen = _seen(uow, city["liaison"], c).complaint
    assert ([d.id for d in seen.documents], seen.photos, seen.hidden) == ([letter.id], [], 1)
    assert uow.query(attachments.document_bytes, actor=city["liaison"],
                     document_id=letter.id) == LETTER[1]
    with uow.read() as r:
        events = r.session.exec(select(AuditEvent).where(
            AuditEvent.action == "attachment.share").order_by(AuditEvent.id)).all()
    assert [(e.before, e.after) for e in events] == [
        ({"shared_with_unit": True}, {"shared_with_unit": False}),
        ({"shared_with_unit": False}, {"shared_with_unit": True}),
    ]
    # The same choice again changes nothing and logs nothing.
    assert uow.run(attachments.share_with_unit, actor=city["office"], complaint_id=c.id,
                   photo_ids=[], document_ids=[letter.id], seen={("document", letter.id)}) == 0


def test_a_choice_made_on_a_stale_card_is_refused_not_applied(uow, city):
    from services.core.errors import Conflict

    c = _assigned(uow, city)
    card = _seen(uow, city["office"], c).complaint  # two clerks open the same card
    photo, letter = card.photos[0].id, card.documents[0].id
    uow.run(attachments.share_with_unit, actor=city["office"], complaint_id=c.id,
            photo_ids=[photo], document_ids=[], seen=card.shared)
    with pytest.raises(Conflict) as stale:  # the second clerk, from what they saw
        uow.run(attachments.share_with_unit, actor=city["office"], complaint_id=c.id,
                photo_ids=[], document_ids=[letter], seen=card.shared)
    assert stale.value.message_key == "error.stale_edit"
    assert _seen(uow, city["office"], c).complaint.shared == {("photo", photo)}


def test_a_shared_scan_is_not_named_to_the_unit(uow, city):
    # A receipt scanned as "张三丰_缴费收据.pdf": the unit reads the complainant masked, so the
    # file name would give them away.
    c = _assigned(uow, city, files=[("张三丰_缴费收据.pdf", a_pdf(1))], shared=[0])
    [doc] = _seen(uow, city["liaison"], c).complaint.documents
    assert doc.filename == ""
    [own] = _seen(uow, city["office"], c).complaint.documents
    assert own.filename == "张三丰_缴费收据.pdf"


def test_only_the_office_shares_and_only_the_complaints_own_files(uow, city):
    from services.core.errors import PermissionDenied

    c = _assigned(uow, city)
    office_view = _seen(uow, city["office"], c).complaint
    letter = office_view.documents[0].id
    for who in ("liaison", "leader", "admin"):  # admin reads identities but does not handle
        with pytest.raises(PermissionDenied):
            uow.run(attachments.share_with_unit, actor=city[who], complaint_id=c.id,
                    photo_ids=[], document_ids=[letter], seen=set())
    # A reply's file, or another complaint's, is not this complaint's to share.
    answer = uow.run(workflow.reply, actor=city["liaison"], complaint_id=c.id,
                     action_taken="已约谈", result="已致歉",
                     attachments=attachments.prepare([("整改报告.pdf", a_pdf(1))]))
    reply_doc = _seen(uow, city["office"], c).replies[answer.id].documents[0].id
    other = _register(uow, city["office"], [LETTER])
    other_doc = _seen(uow, city["office"], other).complaint.documents[0].id
    for doc in (reply_doc, other_doc):
        with pytest.raises(NotFound):
            uow.run(attachments.share_with_unit, actor=city["office"], complaint_id=c.id,
                    photo_ids=[], document_ids=[doc], seen=set())
    assert _seen(uow, city["liaison"], c).complaint.documents == []


def test_a_reply_with_a_scan_is_seen_by_the_office_and_not_by_another_unit(uow, city):
    c = _assigned(uow, city, files=())
    answer = uow.run(workflow.reply, actor=city["liaison"], complaint_id=c.id,
                     action_taken="已约谈窗口人员", result="已向投诉人道歉",
                     attachments=attachments.prepare([("整改报告.pdf", a_pdf(1))]))
    for reader in (city["office"], city["liaison"], city["leader"]):
        [doc] = _seen(uow, reader, c).replies[answer.id].documents
        assert doc.filename == "整改报告.pdf"
    assert _seen(uow, city["other"], c).replies == {}
    assert _seen(uow, city["other"], c).complaint.hidden == 0  # not even that there are any
    with pytest.raises(NotFound):
        uow.query(attachments.document_bytes, actor=city["other"], document_id=doc.id)


@pytest.mark.parametrize("file, key", [
    (("半张照片.jpg", (PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes()[:20_000]), "photo.damaged"),
    (("空.pdf", b""), "attachment.pdf_empty"),
    (("假的.pdf", b"%PDF-1.7\nnot really a pdf"), "attachment.pdf_damaged"),
    (("text.pdf", b"hello, I am a text file"), "attachment.pdf_damaged"),
    (("表格.xlsx", b"PK\x03\x04 not a photo"), "attachment.unsupported_format"),
])
def test_a_bad_file_is_refused_by_name_and_nothing_is_saved(uow, city, file, key):
    before = count_rows(uow, Document), count_rows(uow, Photo)
    with pytest.raises(PhotoRejected) as refused:
        attachments.prepare([LETTER, file])
    assert refused.value.message_key == key and refused.value.params["file"] == file[0]
    assert (count_rows(uow, Document), count_rows(uow, Photo)) == before


def test_an_encrypted_pdf_is_refused_as_encrypted():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(a_pdf(1))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PhotoRejected) as refused:
        attachments.prepare([("加密.pdf", out.getvalue())])
    assert refused.value.message_key == "attachment.pdf_encrypted"


def test_too_many_files_are_refused():
    with pytest.raises(Exception) as refused:
        attachments.prepare([LETTER] * (attachments.MAX_FILES + 1))
    assert refused.value.message_key == "attachment.too_many"


def test_saving_twice_with_one_key_attaches_once(uow, city):
    first = _register(uow, city["office"], [LETTER, PHOTO], key="k-1")
    again = _register(uow, city["office"], [LETTER, PHOTO], key="k-1")
    assert first.id == again.id
    seen = _seen(uow, city["office"], first).complaint
    assert (len(seen.documents), len(seen.photos)) == (1, 1)


def test_the_audit_log_records_the_attachment_without_its_file_name(uow, city):
    _register(uow, city["office"], [LETTER])
    with uow.read() as r:
        events = r.session.exec(select(AuditEvent).where(
            AuditEvent.action == "attachment.add")).all()
    assert len(events) == 1 and "张三丰" not in str(events[0].after)


def test_the_sweep_keeps_the_files_of_documents(uow, city):
    _register(uow, city["office"], [LETTER])
    store = PhotoStore(get_settings().upload_dir)
    result = uow.run(lambda tx: sweep(tx, store, grace=timedelta(0),
                                      now=utcnow() + timedelta(days=1)))
    assert result.removed == () and result.referenced >= 1
    with uow.read() as r:
        doc = r.session.exec(select(Document)).one()
    assert store.open(doc.key) == LETTER[1]
