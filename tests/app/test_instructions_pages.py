"""Leaders' instructions as their users meet them: a leader writes one in the panel a
drill-down row embeds; the office reads it on its workbench and the 领导批示 page and marks
it handled; the unit concerned finds it at the top of its start page, another unit does
not see it; nobody reads the complainant's name."""

from __future__ import annotations

import uuid

import pytest
from streamlit.testing.v1 import AppTest

from db.models import Instruction, Unit
from services.complaints import workflow
from services.instructions import write
from tests.app.conftest import TIMEOUT, page, signed_in, texts, user_named
from tests.conftest import count_rows
from tests.factories import make_complaint

WORDS = "请市效能办督促限期整改"
NAME = "张三丰"


@pytest.fixture
def complaint(demo_loaded):
    """A complaint about 市供电公司 (unit_gdj's unit), with the caller's name, sent to it."""
    unit_id = user_named(demo_loaded, "unit_gdj").unit_id
    unit = demo_loaded.query(lambda u: u.session.get(Unit, unit_id))
    office = user_named(demo_loaded, "office")
    made = make_complaint(demo_loaded, office=office, unit=unit, name=NAME)
    return demo_loaded.run(workflow.assign, actor=office, complaint_id=made.id, version=None,
                           unit_id=unit.id)


@pytest.fixture
def given(demo_loaded, complaint):
    return demo_loaded.run(write.give, actor=user_named(demo_loaded, "leader"),
                           kind="complaint", target_id=complaint.id,
                           text=f"{WORDS} **加急**", client_key=uuid.uuid4().hex)


def _panel_harness(kind: str, target_id: int) -> None:
    from ui import context
    from views.instructions.panel import render_panel

    context.show_flash()
    render_panel(context.current_user(), kind, target_id, key="dd_row")


def panel(uow, username: str, kind: str, target_id: int) -> AppTest:
    at = AppTest.from_function(_panel_harness, args=(kind, target_id),
                               default_timeout=TIMEOUT)
    return signed_in(at, uow, username).run()


@pytest.mark.parametrize("username", ["office", "leader", "unit_gdj"])
def test_the_page_shows_the_instruction_to_office_leader_and_unit(demo_loaded, given,
                                                                   username):
    at = page("instructions", username, demo_loaded)
    assert not at.exception
    shown = texts(at)
    # Typed text is shown as typed: the asterisks are not bold.
    assert f"{WORDS} \\*\\*加急\\*\\*" in shown and "市领导 李强" in shown
    assert f"投诉 #{given.target_id} · 服务态度差 · 市供电公司" in shown
    assert NAME not in shown
    handles = [b for b in at.button if b.label == "标记为已办结"]
    assert bool(handles) == (username == "office")


def test_another_unit_does_not_see_it(demo_loaded, given):
    at = page("instructions", "unit_xg", demo_loaded)
    assert not at.exception
    assert WORDS not in texts(at) and "没有符合条件的批示" in texts(at)


def test_the_office_marks_it_handled_and_a_stale_form_reloads(demo_loaded, given):
    at = page("instructions", "office", demo_loaded, status="open")
    at.text_area(key=f"in_h{given.id}_note").input("已约谈单位负责人")
    # Meanwhile a colleague handled it: the form's version is stale.
    demo_loaded.run(write.handle, actor=user_named(demo_loaded, "office"),
                    instruction_id=given.id, note="同事已办", version=given.version)
    [b for b in at.button if b.label == "标记为已办结"][0].click().run()
    assert not at.exception and "已被其他人修改" in texts(at)
    assert "没有符合条件的批示" in texts(at)  # it is handled now: no longer open
    at.segmented_control(key="in_status").set_value("handled").run()
    assert "同事已办" in texts(at) and "已约谈单位负责人" not in texts(at)


def test_the_office_marks_an_open_one_handled(demo_loaded, given):
    at = page("workbench", "office", demo_loaded)
    assert not at.exception
    assert [m.value for m in at.metric if m.label == "待办理的领导批示"] == ["1"]
    at = page("instructions", "office", demo_loaded, status="open")
    at.text_area(key=f"in_h{given.id}_note").input("已约谈单位负责人")
    [b for b in at.button if b.label == "标记为已办结"][0].click().run()
    assert not at.exception and "批示已标记为办结" in texts(at)
    assert count_rows(demo_loaded, Instruction, Instruction.status == "handled") == 1
    at = page("workbench", "office", demo_loaded)
    assert [m.value for m in at.metric if m.label == "待办理的领导批示"] == ["0"]


def test_the_unit_start_page_shows_the_open_instruction_on_top(demo_loaded, given):
    at = page("unit_tasks", "unit_gdj", demo_loaded)
    assert not at.exception
    assert "有 1 条领导批示涉及本单位" in at.warning[0].value
    assert WORDS in texts(at) and "市领导 李强" in texts(at) and NAME not in texts(at)
    at = page("unit_tasks", "unit_xg", demo_loaded)
    assert not at.exception and WORDS not in texts(at)


def test_a_leader_writes_an_instruction_in_the_panel_of_a_complaint(demo_loaded, complaint):
    at = panel(demo_loaded, "leader", "complaint", complaint.id)
    assert not at.exception and "暂无批示" in texts(at)
    area = at.text_area[0]
    assert area.placeholder == WORDS
    area.input("请于本周内答复")
    [b for b in at.button if b.label == "提交批示"][0].click().run()
    assert not at.exception and "批示已提交" in texts(at)
    assert "请于本周内答复" in texts(at) and "待办理" in texts(at)
    assert at.text_area[0].value == ""  # a fresh form for the next one
    assert count_rows(demo_loaded, Instruction) == 1
    assert NAME not in texts(at)


def test_the_panel_shows_the_office_the_instructions_without_a_form(demo_loaded, given):
    at = panel(demo_loaded, "office", "complaint", given.target_id)
    assert not at.exception and WORDS in texts(at)
    assert not at.text_area and not [b for b in at.button if b.label == "提交批示"]


def test_the_office_opens_the_complaint_an_instruction_is_about(demo_loaded, given, complaint):
    at = page("instructions", "office", demo_loaded, status="open")
    assert any(b.label == "打开这件投诉" for b in at.button)
    at = page("instructions", "unit_gdj", demo_loaded)
    assert not any(b.label == "打开这件投诉" for b in at.button)  # a liaison has no such page
