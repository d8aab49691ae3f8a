"""Attachments on the complaint pages: the office registers a letter scan and a photo with
a complaint; a bad file is refused by name and nothing typed is lost; the unit's liaison
answers with a scan, and reads only that the office keeps the letter."""

from __future__ import annotations

from sqlmodel import select

from db.models import Complaint, Document, Photo
from services.complaints import workflow
from tests.app.conftest import page, texts, user_named
from tests.conftest import PHOTOS, count_rows
from tests.factories import a_pdf

LETTER = a_pdf(3)
PHOTO = (PHOTOS / "jpg_orientation_portrait_6.jpg").read_bytes()


def _fill(at, content: str):
    at.text_input(key="cr0_name").input("李四")
    at.text_input(key="cr0_phone").input("13812345678")
    at.text_area(key="cr0_content").input(content)
    at.selectbox(key="cr0_category").select_index(1)
    return at


def test_the_office_registers_a_letter_scan_and_a_photo(demo_loaded):
    at = _fill(page("complaint_register", "office", demo_loaded), "来信反映办事拖拉")
    at.file_uploader(key="cr0_files").set_value([
        ("李四来信.pdf", LETTER, "application/pdf"),
        ("现场.jpg", PHOTO, "image/jpeg"),
    ]).run()
    at.button(key="cr0_save").click().run()
    assert not at.exception and "已登记投诉 #1" in texts(at)
    assert (count_rows(demo_loaded, Document), count_rows(demo_loaded, Photo)) == (1, 1)
    # The next caller's form is new: no name, no content, no file of the last caller.
    assert at.text_input(key="cr1_name").value == "" and at.text_area(key="cr1_content").value == ""
    assert not at.file_uploader(key="cr1_files").value

    at = page("complaints", "office", demo_loaded, id=1)
    assert not at.exception
    [download] = at.get("download_button")
    # The file name is the clerk's text: escaped for the label's Markdown.
    assert download.proto.label == "下载 李四来信\\.pdf（3 页，1 KB）"
    assert len(at.image) == 1  # the photo's thumbnail
    # The scan is read when it is clicked, not on every rerun of the card.
    assert download.proto.deferred_file_id and not download.proto.url


def test_the_scan_is_read_on_click_and_a_lost_file_is_said_on_the_card(demo_loaded,
                                                                       monkeypatch):
    import streamlit as st

    from services.photos import evidence

    at = _fill(page("complaint_register", "office", demo_loaded), "来信反映办事拖拉")
    at.file_uploader(key="cr0_files").set_value([("李四来信.pdf", LETTER, "application/pdf")])
    at.run()
    at.button(key="cr0_save").click().run()
    clicks = []
    real = st.download_button
    monkeypatch.setattr(st, "download_button",
                        lambda *a, **kw: clicks.append(kw["data"]) or real(*a, **kw))
    at = page("complaints", "office", demo_loaded, id=1)
    assert clicks and clicks[-1]() == LETTER  # what the click sends

    # The file lost from storage (a disk restored without it): the card says so by name.
    with demo_loaded.read() as r:
        key = r.session.exec(select(Document.key)).one()
    evidence.default_store().path(key).unlink()
    at = page("complaints", "office", demo_loaded, id=1)
    assert not at.exception and not at.get("download_button")
    assert "附件“李四来信\\.pdf”的文件已丢失" in texts(at)


def test_a_bad_file_is_refused_by_name_and_the_form_is_kept(demo_loaded):
    at = _fill(page("complaint_register", "office", demo_loaded), "来信反映乱收费")
    at.file_uploader(key="cr0_files").set_value([
        ("李四来信.pdf", b"%PDF-1.4 torn in half", "application/pdf"),
    ]).run()
    at.button(key="cr0_save").click().run()
    assert at.error[0].value.startswith("文件“李四来信\\.pdf”：PDF 文件已损坏")
    assert at.text_area(key="cr0_content").value == "来信反映乱收费"
    assert at.text_input(key="cr0_name").value == "李四"
    assert count_rows(demo_loaded, Complaint) == 0


def test_the_liaison_answers_with_a_scan_and_never_sees_the_letter(demo_loaded):
    office = user_named(demo_loaded, "office")
    at = _fill(page("complaint_register", "office", demo_loaded), "来信反映态度差")
    at.file_uploader(key="cr0_files").set_value([("李四来信.pdf", LETTER, "application/pdf")])
    at.run()
    at.button(key="cr0_save").click().run()
    unit_id = user_named(demo_loaded, "unit_gdj").unit_id
    demo_loaded.run(workflow.assign, actor=office, complaint_id=1, version=None,
                    unit_id=unit_id)

    at = page("complaint_inbox", "unit_gdj", demo_loaded)
    assert "另有 1 个登记附件由市效能办保管" in texts(at)
    assert not at.get("download_button") and "李四来信" not in texts(at)
    at.text_area(key="cu_1_action").input("约谈窗口人员")
    at.text_area(key="cu_1_result").input("已致歉")
    at.file_uploader(key="cu_1_files").set_value([("整改报告.pdf", a_pdf(1),
                                                   "application/pdf")])
    [send] = [b for b in at.button if b.label == "提交答复"]
    send.click().run()
    assert not at.exception and "已提交答复" in texts(at)
    assert count_rows(demo_loaded, Document) == 2

    at = page("complaints", "office", demo_loaded, id=1)
    labels = sorted(b.proto.label for b in at.get("download_button"))
    assert labels == ["下载 整改报告\\.pdf（1 页，1 KB）", "下载 李四来信\\.pdf（3 页，1 KB）"]


def test_the_office_shares_the_scene_photo_with_the_unit_and_later_the_letter(demo_loaded):
    office = user_named(demo_loaded, "office")
    at = _fill(page("complaint_register", "office", demo_loaded), "来信反映乱收费，附收据照片")
    at.file_uploader(key="cr0_files").set_value([
        ("李四来信.pdf", LETTER, "application/pdf"), ("收据.jpg", PHOTO, "image/jpeg"),
    ]).run()
    [picker] = [m for m in at.multiselect if m.key.startswith("cr0_shared")]
    assert picker.value == []  # nothing is shared unless the clerk says so
    picker.set_value([1]).run()
    at.button(key="cr0_save").click().run()
    assert not at.exception and "已登记投诉 #1" in texts(at)
    demo_loaded.run(workflow.assign, actor=office, complaint_id=1, version=None,
                    unit_id=user_named(demo_loaded, "unit_gdj").unit_id)

    at = page("complaint_inbox", "unit_gdj", demo_loaded)
    assert len(at.image) == 1 and not at.get("download_button")
    assert "另有 1 个登记附件由市效能办保管" in texts(at)

    at = page("complaints", "office", demo_loaded, id=1)
    editor = at.multiselect(key="cf_1_share_pick")
    assert editor.options == ["照片 1", "李四来信.pdf"]
    [photo] = editor.value
    assert photo[0] == "photo"
    with demo_loaded.read() as r:
        letter = r.session.exec(select(Document.id)).one()
    editor.set_value([photo, ("document", letter)])
    [save] = [b for b in at.button if b.label == "保存可见范围"]
    save.click().run()
    assert not at.exception and "已更新单位可见的附件" in texts(at)

    at = page("complaint_inbox", "unit_gdj", demo_loaded)
    [download] = at.get("download_button")
    # Its file name may name the writer: the unit reads it numbered.
    assert download.proto.label == "下载 扫描件 1（3 页，1 KB）"
    assert "李四来信" not in texts(at)
    assert "由市效能办保管" not in texts(at)


def _picker_harness() -> None:
    import streamlit as st

    from views.complaints.attachment_views import share_picker

    files = st.session_state["files"]
    st.session_state["shared_names"] = [files[i][0] for i in share_picker(files, key="p")]


def test_a_tick_on_the_register_form_never_passes_to_the_file_that_replaces_it():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_picker_harness, default_timeout=30)
    at.session_state["files"] = [("现场.jpg", b"1"), ("张三丰来信.pdf", b"2")]
    at.run()
    at.multiselect[0].set_value([0]).run()  # the scene photo, for the unit
    assert at.session_state["shared_names"] == ["现场.jpg"]
    # The clerk removes that photo and adds another after the letter: the choice starts over.
    at.session_state["files"] = [("张三丰来信.pdf", b"2"), ("现场2.jpg", b"3")]
    at.run()
    assert at.session_state["shared_names"] == [] and at.multiselect[0].value == []


def test_the_card_shows_what_another_clerk_shared_and_a_stale_save_is_refused(demo_loaded):
    from services.complaints import attachments

    office = user_named(demo_loaded, "office")
    at = _fill(page("complaint_register", "office", demo_loaded), "来信反映乱收费")
    at.file_uploader(key="cr0_files").set_value([
        ("收据.pdf", LETTER, "application/pdf"), ("现场.jpg", PHOTO, "image/jpeg")]).run()
    at.button(key="cr0_save").click().run()
    at = page("complaints", "office", demo_loaded, id=1)
    box = at.multiselect(key="cf_1_share_pick")
    assert box.value == []
    card = demo_loaded.query(attachments.for_complaint, actor=office, complaint_id=1).complaint
    photo, letter = card.photos[0].id, card.documents[0].id
    demo_loaded.run(attachments.share_with_unit, actor=office, complaint_id=1,
                    photo_ids=[photo], document_ids=[], seen=set())  # another clerk
    box.set_value([("document", letter)])
    [save] = [b for b in at.button if b.label == "保存可见范围"]
    save.click().run()  # this clerk saves the choice made on the old card
    assert "该记录已被其他人修改，页面已刷新为最新内容" in texts(at)
    # The card now shows the other clerk's choice, and nothing of theirs was undone.
    assert at.multiselect(key="cf_1_share_pick").value == [("photo", photo)]
    assert demo_loaded.query(attachments.for_complaint, actor=office,
                             complaint_id=1).complaint.shared == {("photo", photo)}
