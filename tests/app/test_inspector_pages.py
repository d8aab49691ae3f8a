"""The inspector's pages through app.py, as on the tablet: start, answer, record findings
with photos, come back after a reload, submit."""

from __future__ import annotations

from services.core.system import system_actor
from services.fieldwork import visit_view
from services.findings import queries as finding_queries
from tests.app.conftest import new_app, page, sign_in, texts, user_named
from tests.conftest import PHOTOS
from tests.factories import answer_all
from ui.text import plain


def _start_unplanned(at):
    at.text_input(key="today_unit_search").input("雄关区便民").run()
    assert at.selectbox(key="today_unit").format_func(at.selectbox(key="today_unit").value) \
        == "雄关区便民服务中心"
    at.button(key="today_start").click().run()
    return at


def _inspector(uow):
    return user_named(uow, "inspector1")


def test_a_visit_is_saved_at_every_step_and_survives_a_reload(demo_loaded, template):
    at = sign_in(new_app().run(), "inspector1")
    assert at.title[0].value == "今日督查"
    at = _start_unplanned(at)
    assert not at.exception
    assert at.title[0].value == "督查记录"
    [draft] = demo_loaded.query(visit_view.list_drafts, actor=_inspector(demo_loaded))
    view = demo_loaded.query(visit_view.get_visit, actor=_inspector(demo_loaded),
                                 inspection_id=draft.id)
    first = view.template.items[0]
    at.segmented_control(key=f"ans_{draft.id}_{first.id}").set_value("no").run()
    stored = demo_loaded.query(visit_view.get_visit, actor=_inspector(demo_loaded),
                                   inspection_id=draft.id)
    assert stored.answers == {first.id: "no"}  # saved without pressing any save button

    # The failing item offers to become a finding; once it is one, the offer goes away.
    at.button(key=f"mk_{draft.id}_{first.id}").click().run()
    assert f"mk_{draft.id}_{first.id}" not in [b.key for b in at.button]
    findings = demo_loaded.query(visit_view.get_visit, actor=_inspector(demo_loaded),
                                     inspection_id=draft.id).findings
    assert [f.description for f in findings] == [first.text]

    # A reload is a new session: sign in again, the draft is on "Today".
    again = sign_in(new_app().run(), "inspector1")
    assert "雄关区便民服务中心" in texts(again)
    again.button(key=f"today_draft_{draft.id}").click().run()
    assert again.title[0].value == "督查记录"
    assert again.segmented_control(key=f"ans_{draft.id}_{first.id}").value == "no"


def test_a_bad_photo_is_refused_with_a_message_and_the_finding_is_kept(demo_loaded, template):
    at = _start_unplanned(sign_in(new_app().run(), "inspector1"))
    [draft] = demo_loaded.query(visit_view.list_drafts, actor=_inspector(demo_loaded))
    at.text_area(key="fnew_desc").input("窗口工作人员玩手机")
    at.button(key="FormSubmitter:finding_new-添加问题").click().run()
    assert "问题已添加" in texts(at)
    [finding] = demo_loaded.query(visit_view.get_visit, actor=_inspector(demo_loaded),
                                      inspection_id=draft.id).findings
    uploader = at.file_uploader(key=f"up_{finding.id}_0")
    uploader.set_value([
        ("notes.jpg", b"this is a text file", "image/jpeg"),
        ("hall.jpg", (PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes(), "image/jpeg"),
    ]).run()
    assert not at.exception
    # The file name is typed text, escaped for Markdown (the reader sees "notes.jpg").
    assert any(plain("notes.jpg") in e.value and "不支持此文件格式" in e.value for e in at.error)
    [kept] = demo_loaded.query(visit_view.get_visit, actor=_inspector(demo_loaded),
                                   inspection_id=draft.id).findings
    assert kept.description == "窗口工作人员玩手机" and len(kept.photos) == 1
    assert at.image  # the accepted photo is shown
    # Each photo has its own remove button under it.
    at.button(key=f"th_{kept.id}_rm_{kept.photos[0].id}").click().run()
    [after] = demo_loaded.query(visit_view.get_visit, actor=_inspector(demo_loaded),
                                    inspection_id=draft.id).findings
    assert after.photos == () and not at.image


def test_submit_tells_what_is_missing_then_submits(demo_loaded, template):
    at = _start_unplanned(sign_in(new_app().run(), "inspector1"))
    [draft] = demo_loaded.query(visit_view.list_drafts, actor=_inspector(demo_loaded))
    at.button(key=f"submit_{draft.id}").click().run()
    assert any("项未回答" in e.value for e in at.error)
    answer_all(demo_loaded, inspector=_inspector(demo_loaded), visit=draft)
    at = sign_in(new_app().run(), "inspector1")
    at.button(key=f"today_draft_{draft.id}").click().run()
    at.button(key=f"submit_{draft.id}").click().run()
    assert not at.exception
    assert at.title[0].value == "今日督查"
    assert "对 雄关区便民服务中心 的检查已提交" in texts(at)
    assert demo_loaded.query(visit_view.list_drafts, actor=_inspector(demo_loaded)) == []


def test_a_district_inspector_is_offered_only_units_in_their_district(demo_loaded, template):
    at = sign_in(new_app().run(), "inspector3")  # 镜铁区
    at.text_input(key="today_unit_search").input("便民服务中心").run()
    assert not at.exception
    assert at.selectbox(key="today_unit").options == ["镜铁区便民服务中心"]
    at.text_input(key="today_unit_search").input("雄关区").run()
    assert "today_unit" not in [s.key for s in at.selectbox]
    assert "输入单位名称中的几个字以查找单位" in texts(at)


def test_the_unit_liaison_reports_a_rectification(demo_loaded, finding_to_rectify):
    finding = finding_to_rectify
    at = page("rectify", "unit_gdj", demo_loaded)
    assert at.title[0].value == "整改反馈"
    assert "排队超过一小时" in texts(at)
    at.text_area(key=f"rect_text_{finding.id}").input("增设窗口两个，高峰期弹性排班")
    at.file_uploader(key=f"rect_files_{finding.id}").set_value(
        [("bad.jpg", b"GIF89a....", "image/jpeg")])
    at.button(key=f"FormSubmitter:rect_form_{finding.id}-报送整改").click().run()
    assert any(e.value.startswith(plain("bad.jpg") + ": ") for e in at.error)
    assert at.text_area(key=f"rect_text_{finding.id}").value == "增设窗口两个，高峰期弹性排班"
    at.file_uploader(key=f"rect_files_{finding.id}").set_value(
        [("ok.jpg", (PHOTOS / "jpg_Canon_40D.jpg").read_bytes(), "image/jpeg")])
    at.button(key=f"FormSubmitter:rect_form_{finding.id}-报送整改").click().run()
    assert "整改情况已报送" in texts(at)
    [case] = demo_loaded.query(finding_queries.list_cases, actor=system_actor())
    assert case.status == "reported" and len(case.rectifications[0].photos) == 1


def test_a_crafted_visit_number_in_the_link_shows_the_inspector_no_traceback(demo_loaded):
    # "²" is a digit to str.isdigit() but not to int(): it used to end in a ValueError.
    at = page("inspect_visit", "inspector1", demo_loaded, visit="²")
    assert not at.exception
