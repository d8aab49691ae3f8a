"""What new users of the notices stumbled on (walked through in a browser): a leader who
starts on the dashboard is told that notices wait for their sign-off, with a button to
them; picking unconfirmed findings in the register for a criticism says at once which are
left out, instead of refusing the whole form after it was filled in."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db.models import Notice
from services.core import clock
from services.notices import compose, workflow
from tests import casework
from tests.app.conftest import TIMEOUT, _harness, page, signed_in, texts, user_named

UNIT = "市供电公司"


@pytest.fixture
def findings(demo_loaded) -> list[int]:
    """Three findings at 市供电公司: the first two confirmed, the third awaiting review."""
    office, inspector = user_named(demo_loaded, "office"), user_named(demo_loaded, "inspector1")
    template_id, unit_id = casework.template_and_unit(demo_loaded, office=office, unit=UNIT)
    ids = demo_loaded.run(casework.submitted_visit, inspector=inspector, unit_id=unit_id,
                          template_id=template_id, n=3, label=UNIT)
    demo_loaded.run(casework.confirm, office=office, finding_ids=ids[:2])
    return ids


def _submitted(uow, ids) -> int:
    office = user_named(uow, "office")
    made = uow.run(compose.create_draft, actor=office, client_key=uuid.uuid4().hex,
                   kind="criticism", title="关于市供电公司窗口服务问题的通报",
                   unit_ids=[user_named(uow, "unit_gdj").unit_id], finding_ids=ids[:2])
    uow.run(workflow.submit, actor=office, notice_id=made.id, version=made.version)
    return made.id


def test_a_leader_is_told_on_the_dashboard_what_awaits_sign_off(demo_loaded, findings):
    at = page("dashboard", "leader", demo_loaded)
    assert not at.exception and "等待您签发" not in texts(at)  # nothing waits: no banner

    _submitted(demo_loaded, findings)
    at = page("dashboard", "leader", demo_loaded)
    assert not at.exception
    assert "有 1 份通报等待您签发" in texts(at)
    assert [b for b in at.button if b.key == "dash_notices_awaiting" and b.label == "去签发"]
    english = page("dashboard", "leader", demo_loaded, lang="en")
    assert "Notices awaiting your sign-off: 1" in texts(english)


def test_the_office_is_not_asked_to_sign(demo_loaded, findings):
    _submitted(demo_loaded, findings)
    at = page("dashboard", "office", demo_loaded)
    assert not at.exception and "等待您签发" not in texts(at)
    assert not [b for b in at.button if b.key == "dash_notices_awaiting"]


def _mark(username: str, picked: list[tuple[int, str]]) -> None:
    from types import SimpleNamespace

    from ui import context
    from views.notices import mark

    # The register hands its picked rows; only their id and status matter here.
    mark.render(context.current_user(),
                [SimpleNamespace(id=fid, status=status) for fid, status in picked])


def _marked(uow, username: str, picked) -> AppTest:
    at = AppTest.from_function(_mark, args=(username, picked), default_timeout=TIMEOUT)
    return signed_in(at, uow, username).run()


def test_unconfirmed_picked_findings_are_left_out_by_number(demo_loaded, findings):
    picked = [(findings[0], "rectifying"), (findings[1], "rectifying"), (findings[2], "open")]
    at = _marked(demo_loaded, "office", picked)
    assert not at.exception
    assert f"问题 {findings[2]} 尚未审核确认" in texts(at)
    assert [b.label for b in at.button] == ["将选中的 2 个问题加入通报"]


def test_only_unconfirmed_picked_findings_offer_no_button(demo_loaded, findings):
    at = _marked(demo_loaded, "office", [(findings[2], "open")])
    assert not at.exception and "尚未审核确认" in texts(at)
    assert not at.button


def test_a_leader_picking_findings_gets_no_notice_action(demo_loaded, findings):
    at = _marked(demo_loaded, "leader", [(findings[0], "rectifying")])
    assert not at.exception and not at.button and not at.warning


def test_a_leader_returning_a_notice_lands_on_the_list_not_on_no_such_notice(
        demo_loaded, findings):
    notice = _submitted(demo_loaded, findings)
    at = page("notices", "leader", demo_loaded, id=notice)
    at.text_area(key=f"na_{notice}_comments").input("请补充整改期限")
    at = next(b for b in at.button if b.key == f"na_{notice}_return").click().run()
    assert not at.exception
    shown = texts(at)
    assert "已退回起草人" in shown and "没有这份通报" not in shown
    assert "id" not in at.query_params
    # The office reads the comments on the draft.
    office = page("notices", "office", demo_loaded, id=notice)
    assert "退回修改，意见：请补充整改期限" in texts(office)


def _status_options(at) -> list[str]:
    filters = [w for w in at.button_group if w.key == "nt_status"]
    return list(filters[0].options) if filters else []


def test_each_reader_filters_only_by_the_statuses_they_can_see(demo_loaded, findings):
    _submitted(demo_loaded, findings)
    office = page("notices", "office", demo_loaded)
    leader = page("notices", "leader", demo_loaded)
    liaison = page("notices", "unit_gdj", demo_loaded)
    assert not (office.exception or leader.exception or liaison.exception)
    assert _status_options(office) == ["全部", "草稿", "待签发", "已签发", "已印发"]
    assert _status_options(leader) == ["全部", "待签发", "已签发", "已印发"]
    assert _status_options(liaison) == []  # a liaison reads issued notices only
    assert "勾选一行即可打开该通报" in texts(leader)


def test_the_preview_headings_carry_no_link_icon(demo_loaded, findings):
    notice = _submitted(demo_loaded, findings)
    at = page("notices", "office", demo_loaded, id=notice)
    headings = [m for m in at.markdown if m.value.startswith(("### ", "#### "))]
    assert len(headings) == 2
    assert all(m.proto.hide_anchors for m in headings)


def _new_of_kind(uow, kind: str) -> AppTest:
    at = page("notices", "office", uow)
    kinds = next(w for w in at.button_group if w.key == "nt_kind")
    return kinds.set_value(kind).run()


def test_a_commendation_asks_for_hopes_not_a_rectification_deadline(demo_loaded):
    at = _new_of_kind(demo_loaded, "commendation")
    assert not at.exception
    assert [d.label for d in at.date_input] == ["印发日期（默认印发当天）"]
    assert "希望与要求" in [a.label for a in at.text_area]
    assert "整改要求" not in [a.label for a in at.text_area]


def test_a_situation_report_starts_on_last_month_and_saves_as_is(demo_loaded, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 26))
    at = _new_of_kind(demo_loaded, "situation")
    assert not at.exception
    days = {d.label: d.value for d in at.date_input}
    assert days["通报期间自"] == date(2026, 10, 1) and days["至"] == date(2026, 10, 31)
    assert "下一步工作要求" in [a.label for a in at.text_area]
    assert "整改期限" not in days
    at.text_input(key="nn_situation_title").input("关于10月份效能风暴行动情况的通报")
    at.multiselect(key="nn_situation_unit_ids").select(user_named(demo_loaded, "unit_gdj").unit_id)
    at = next(b for b in at.button if b.key == "nn_situation_save").click().run()
    assert not at.exception and "通报草稿已保存" in texts(at)
    with demo_loaded.read() as r:
        saved = r.session.exec(select(Notice).where(Notice.kind == "situation",
                                                    Notice.status == "draft")).one()
    assert (saved.period_from, saved.period_to) == (date(2026, 10, 1), date(2026, 10, 31))
    assert saved.rectification_deadline is None


def test_the_liaison_reads_the_notice_without_its_internal_history(demo_loaded, findings):
    notice = _submitted(demo_loaded, findings)
    office, leader = user_named(demo_loaded, "office"), user_named(demo_loaded, "leader")
    version = demo_loaded.query(lambda uow: uow.session.get(Notice, notice).version)
    signed = demo_loaded.run(workflow.sign, actor=leader, notice_id=notice, version=version)
    demo_loaded.run(workflow.issue, actor=office, notice_id=notice, version=signed.version)
    liaison = page("notices", "unit_gdj", demo_loaded, id=notice)
    assert not liaison.exception and "关于市供电公司窗口服务问题的通报" in texts(liaison)
    assert "流转记录" not in [e.label for e in liaison.expander]
    assert "流转记录" in [e.label for e in page("notices", "office", demo_loaded,
                                             id=notice).expander]


def test_a_criticism_opened_from_the_register_suggests_its_title(demo_loaded, findings):
    at = signed_in(AppTest.from_function(_harness, args=("notices",), default_timeout=TIMEOUT),
                   demo_loaded, "office")
    at.session_state["notice_new"] = {"kind": "criticism", "finding_ids": findings[:2]}
    at = at.run()
    assert not at.exception
    assert at.text_input(key="nn_criticism_title").value == "关于市供电公司效能问题的通报"
    blank = page("notices", "office", demo_loaded)  # a new one from nothing: no title
    assert blank.text_input(key="nn_criticism_title").value == ""
