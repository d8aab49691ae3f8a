"""On the tablet: a JPEG with hundreds of scans and an upload while the server is busy
decoding are named in a message; the other photos and what was typed are kept."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from services.core.system import system_actor
from services.fieldwork import visit_view
from services.findings import queries as finding_queries
from services.photos import evidence
from tests.app.conftest import new_app, page, sign_in, texts, user_named
from tests.conftest import PHOTOS


class Slots:
    """The process's decode slots, taken as two long decodes elsewhere would take them."""

    held = 0

    def take_both(self) -> None:
        for _ in range(2):
            assert evidence._DECODING.acquire(blocking=False), "a decode slot was left taken"
            self.held += 1

    def free(self) -> None:
        while self.held:
            self.held -= 1
            evidence._DECODING.release()


@pytest.fixture
def slots(monkeypatch):
    monkeypatch.setattr(evidence, "DECODE_WAIT_S", 0.01)
    taken = Slots()
    yield taken
    taken.free()


def _many_scans() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (200, 200), 128).save(buffer, "JPEG", progressive=True)
    data = buffer.getvalue()
    last = data.rindex(b"\xff\xda")
    return data[:-2] + data[last:-2] * 500 + data[-2:]


@pytest.mark.timeout(120)
def test_visit_page_names_the_refused_and_busy_photos_and_keeps_the_others(
    demo_loaded, template, slots
):
    at = sign_in(new_app().run(), "inspector1")
    at.text_input(key="today_unit_search").input("雄关区便民").run()
    at.button(key="today_start").click().run()
    insp = user_named(demo_loaded, "inspector1")
    [draft] = demo_loaded.query(visit_view.list_drafts, actor=insp)
    at.text_area(key="fnew_desc").input("窗口工作人员玩手机")
    at.button(key="FormSubmitter:finding_new-添加问题").click().run()
    [finding] = demo_loaded.query(
        visit_view.get_visit, actor=insp, inspection_id=draft.id).findings

    at.file_uploader(key=f"up_{finding.id}_0").set_value([
        ("scans.jpg", _many_scans(), "image/jpeg"),
        ("hall.jpg", (PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes(), "image/jpeg"),
    ]).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "scans\\.jpg: 照片文件结构异常（扫描段过多），无法处理，请用相机重新拍摄后上传"]
    assert len(demo_loaded.query(visit_view.get_visit, actor=insp,
                                     inspection_id=draft.id).findings[0].photos) == 1

    slots.take_both()
    at.file_uploader(key=f"up_{finding.id}_1").set_value([
        ("desk.jpg", (PHOTOS / "jpg_gps_DSCN0021.jpg").read_bytes(), "image/jpeg"),
    ]).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["desk\\.jpg: 服务器正忙，正在处理其他照片，请稍后重试"]
    [kept] = demo_loaded.query(visit_view.get_visit, actor=insp, inspection_id=draft.id).findings
    assert kept.description == "窗口工作人员玩手机" and len(kept.photos) == 1
    assert at.image  # the photo already stored is still shown


@pytest.mark.timeout(120)
def test_rectify_page_keeps_the_report_when_the_server_is_busy(
    demo_loaded, finding_to_rectify, slots
):
    finding = finding_to_rectify
    at = page("rectify", "unit_gdj", demo_loaded)
    slots.take_both()
    at.text_area(key=f"rect_text_{finding.id}").input("增设窗口两个")
    photo = ("ok.jpg", (PHOTOS / "jpg_Canon_40D.jpg").read_bytes(), "image/jpeg")
    at.file_uploader(key=f"rect_files_{finding.id}").set_value([photo])
    at.button(key=f"FormSubmitter:rect_form_{finding.id}-报送整改").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["ok\\.jpg: 服务器正忙，正在处理其他照片，请稍后重试"]
    assert at.text_area(key=f"rect_text_{finding.id}").value == "增设窗口两个"

    slots.free()  # the other decodes finish; the liaison sends again
    at.button(key=f"FormSubmitter:rect_form_{finding.id}-报送整改").click().run()
    assert "整改情况已报送" in texts(at)
    [case] = demo_loaded.query(finding_queries.list_cases, actor=system_actor())
    assert case.status == "reported" and len(case.rectifications[0].photos) == 1
