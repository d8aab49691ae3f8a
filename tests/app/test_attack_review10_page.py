"""Adversarial review of the notices page (通报, issue 10): typed Markdown shown as typed, a
liaison reading an extract or a crafted ?id=, a crafted pick from the register in the
session, a draft whose recipient was closed since, and a publication day out of range."""

from __future__ import annotations

import uuid

import pytest
from streamlit.testing.v1 import AppTest

from db.models import Unit
from services.notices import compose, workflow
from services.org import structure
from tests.app.conftest import TIMEOUT, _harness, page, signed_in, texts, user_named
from tests.app.test_notices_page import UNIT, _button, findings  # noqa: F401

TYPED = "**加粗** [链接](http://evil.example/x.png) <b>x</b>"


def _draft(uow, ids, *, units=("unit_gdj",), **kw) -> int:
    office = user_named(uow, "office")
    kw.setdefault("title", "关于市供电公司窗口服务问题的通报")
    return uow.run(compose.create_draft, actor=office, client_key=uuid.uuid4().hex,
                   kind="criticism", unit_ids=[user_named(uow, u).unit_id for u in units],
                   finding_ids=ids[:2], requirements="立即整改。", **kw).id


def _issue(uow, notice: int) -> None:
    office, leader = user_named(uow, "office"), user_named(uow, "leader")
    uow.run(workflow.submit, actor=office, notice_id=notice, version=None)
    uow.run(workflow.sign, actor=leader, notice_id=notice, version=None)
    uow.run(workflow.issue, actor=office, notice_id=notice, version=None)


def _markdown_sources(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in (*at.markdown, *at.subheader, *at.caption))


def test_typed_markdown_shows_as_typed_in_the_preview(demo_loaded, findings) -> None:  # noqa: F811
    notice = _draft(demo_loaded, findings, title="关于**问题**的<b>通报</b>", opening=TYPED,
                    cc=TYPED, attachments=TYPED)
    at = page("notices", "office", demo_loaded, id=notice)
    assert not at.exception
    shown = _markdown_sources(at)
    assert "关于\\*\\*问题\\*\\*的\\<b\\>通报\\</b\\>" in shown
    assert "](http" not in shown and "**加粗**" not in shown and "<b>" not in shown


def test_a_liaison_reading_an_extract_sees_no_other_recipient(demo_loaded, findings) -> None:  # noqa: F811
    notice = _draft(demo_loaded, findings, units=("unit_gdj", "unit_zwzx"), send_extracts=True)
    _issue(demo_loaded, notice)
    other = user_named(demo_loaded, "unit_zwzx")
    with demo_loaded.read() as r:
        other_name = r.session.get(Unit, other.unit_id).name
    at = page("notices", "unit_gdj", demo_loaded, id=notice)
    assert not at.exception
    assert UNIT in texts(at) and other_name not in texts(at)
    at = page("notices", "office", demo_loaded, id=notice)
    assert other_name in texts(at)


@pytest.mark.parametrize("raw", ["abc", "-1", "0", "99999999999", "1e3", "１"])
def test_a_crafted_id_in_the_url_shows_the_list_or_no_such_notice(
        demo_loaded, findings, raw) -> None:  # noqa: F811
    at = page("notices", "unit_gdj", demo_loaded, id=raw)
    assert not at.exception


@pytest.mark.parametrize("pending", [
    {"kind": "memo", "finding_ids": [1]},
    {"kind": "criticism", "finding_ids": "abc"},
    {"kind": "criticism", "finding_ids": [None, "x", 10**12]},
    {"kind": "criticism"},
    "junk",
])
def test_a_crafted_pick_in_the_session_opens_a_plain_form(demo_loaded, findings,  # noqa: F811
                                                         pending) -> None:
    at = signed_in(AppTest.from_function(_harness, args=("notices",), default_timeout=TIMEOUT),
                   demo_loaded, "office")
    at.session_state["notice_new"] = pending
    at = at.run()
    assert not at.exception
    assert at.multiselect(key="nn_criticism_finding_ids").value == []


def test_a_pick_naming_a_finding_not_confirmed_leaves_it_out(demo_loaded, findings) -> None:  # noqa: F811
    at = signed_in(AppTest.from_function(_harness, args=("notices",), default_timeout=TIMEOUT),
                   demo_loaded, "office")
    at.session_state["notice_new"] = {"kind": "criticism", "finding_ids": findings}
    at = at.run()  # findings[2] is only submitted: it cannot go into a notice
    assert not at.exception
    assert sorted(at.multiselect(key="nn_criticism_finding_ids").value) == sorted(findings[:2])
    assert "所选问题中有1个尚未审核确认" in texts(at)


def test_a_draft_whose_recipient_was_closed_opens_and_says_so(demo_loaded, findings) -> None:  # noqa: F811
    notice = _draft(demo_loaded, findings)
    admin = user_named(demo_loaded, "admin")
    demo_loaded.run(structure.set_unit_active, actor=admin, active=False,
                    unit_id=user_named(demo_loaded, "unit_gdj").unit_id)
    at = page("notices", "office", demo_loaded, id=notice)
    assert not at.exception
    assert at.multiselect(key=f"ne_{notice}_unit_ids").value == []


def test_the_publication_day_cannot_precede_the_issue(demo_loaded, findings) -> None:  # noqa: F811
    notice = _draft(demo_loaded, findings)
    _issue(demo_loaded, notice)
    at = page("notices", "office", demo_loaded, id=notice)
    day = at.date_input(key=f"na_{notice}_pubday")
    assert day.min == day.max  # issued today: no other day


def test_a_signed_notice_that_cannot_issue_is_withdrawn_to_its_draft(
        demo_loaded, findings) -> None:  # noqa: F811
    notice = _draft(demo_loaded, findings)
    office, leader = user_named(demo_loaded, "office"), user_named(demo_loaded, "leader")
    demo_loaded.run(workflow.submit, actor=office, notice_id=notice, version=None)
    demo_loaded.run(workflow.sign, actor=leader, notice_id=notice, version=None)
    demo_loaded.run(structure.set_unit_active, actor=user_named(demo_loaded, "admin"),
                    active=False, unit_id=user_named(demo_loaded, "unit_gdj").unit_id)
    at = page("notices", "office", demo_loaded, id=notice)
    at = _button(at, "印发（编号）").click().run()
    assert not at.exception and "以下主送单位不存在或已停用" in texts(at)
    at = _button(at, "撤回修改").click().run()
    assert not at.exception and "已撤回为草稿" in texts(at)
    assert [b for b in at.button if b.label == "送领导签发"]
    assert not [b for b in page("notices", "leader", demo_loaded, id=notice).button
                if b.label == "签发"]
