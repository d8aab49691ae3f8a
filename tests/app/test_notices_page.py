"""The notices page (通报, views/notices/): the office drafts from findings picked in the
register, previews and downloads the .docx, submits; a leader signs off or returns with
comments; the office issues; the unit's liaison reads it; an issued notice offers no edit."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from docx import Document
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db.models import Notice
from services.core.uow import UnitOfWork
from services.notices import compose
from tests import casework
from tests.app.conftest import TIMEOUT, _harness, page, signed_in, texts, user_named

UNIT = "市供电公司"


@pytest.fixture
def findings(demo_loaded) -> list[int]:
    office, inspector = user_named(demo_loaded, "office"), user_named(demo_loaded, "inspector1")
    template_id, unit_id = casework.template_and_unit(demo_loaded, office=office, unit=UNIT)
    with UnitOfWork(demo_loaded.engine) as tx:
        ids = casework.submitted_visit(tx, inspector=inspector, unit_id=unit_id,
                                       template_id=template_id, n=3, label=UNIT)
        casework.confirm(tx, office=office, finding_ids=ids[:2])
        tx.commit()
    return ids


def _draft(uow, ids, **kw) -> int:
    office = user_named(uow, "office")
    units = [user_named(uow, "unit_gdj").unit_id]
    return uow.run(compose.create_draft, actor=office, client_key=uuid.uuid4().hex,
                   kind="criticism", title="关于市供电公司窗口服务问题的通报", unit_ids=units,
                   finding_ids=ids[:2], requirements="立即整改。", **kw).id


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_the_office_submits_a_leader_signs_the_office_issues_the_unit_reads(
        demo_loaded, findings) -> None:
    notice = _draft(demo_loaded, findings)
    at = page("notices", "office", demo_loaded, id=notice)
    shown = texts(at)
    assert "关于市供电公司窗口服务问题的通报" in shown
    assert "嘉峪关市效能风暴行动领导小组办公室文件" in shown
    assert "〔  〕号" in shown and "立即整改。" in shown
    assert at.get("download_button")
    at = _button(at, "送领导签发").click().run()
    assert not at.exception and "已送签发" in texts(at)

    at = page("notices", "leader", demo_loaded, id=notice)
    at = _button(at, "签发").click().run()
    assert not at.exception and "已签发" in texts(at)

    at = page("notices", "office", demo_loaded, id=notice)
    at = _button(at, "印发（编号）").click().run()
    assert not at.exception
    assert re.search(r"嘉效办〔2026〕[1-9]\d*号", texts(at))
    assert not [b for b in at.button if b.label in ("送领导签发", "保存草稿")]  # never edited

    at = page("notices", "unit_gdj", demo_loaded)
    assert "关于市供电公司窗口服务问题的通报" in list(at.dataframe[0].value["title"])
    at = page("notices", "unit_gdj", demo_loaded, id=notice)
    assert "立即整改。" in texts(at)
    start = page("unit_tasks", "unit_gdj", demo_loaded)  # on the liaison's start page too
    assert [b for b in start.button if "关于市供电公司窗口服务问题的通报" in b.label]
    # Another unit's liaison: no such notice for them.
    other = page("notices", "unit_zwzx", demo_loaded, id=notice)
    assert "没有这份通报" in texts(other)


def test_a_leader_returns_it_with_comments_the_office_reads_them(demo_loaded, findings) -> None:
    notice = _draft(demo_loaded, findings)
    at = page("notices", "office", demo_loaded, id=notice)
    at = _button(at, "送领导签发").click().run()
    at = page("notices", "leader", demo_loaded, id=notice)
    at.text_area(key=f"na_{notice}_comments").input("标题改为摘要式")
    at = _button(at, "确认退回").click().run()
    assert not at.exception
    at = page("notices", "office", demo_loaded, id=notice, lang="en")
    assert "Returned by" in texts(at) and "标题改为摘要式" in texts(at)


def test_a_draft_is_not_for_leaders_or_units(demo_loaded, findings) -> None:
    notice = _draft(demo_loaded, findings)
    for username in ("leader", "unit_gdj"):
        at = page("notices", username, demo_loaded, id=notice, lang="en")
        assert "There is no such notice" in texts(at)
        assert not at.get("download_button")


def test_the_docx_downloaded_is_the_notice(demo_loaded, findings) -> None:
    notice = _draft(demo_loaded, findings)
    at = page("notices", "office", demo_loaded, id=notice)
    download = at.get("download_button")[0]
    assert download.proto.label.startswith("下载")
    # The file behind the button is the document the service renders (parsed back).
    from services.notices import export
    data = demo_loaded.query(export.export_docx, actor=user_named(demo_loaded, "office"),
                             notice_id=notice)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "关于市供电公司窗口服务问题的通报" in text


def test_a_stale_sign_off_reloads_instead_of_signing_a_changed_notice(
        demo_loaded, findings) -> None:
    notice = _draft(demo_loaded, findings)
    office = user_named(demo_loaded, "office")
    at = page("notices", "office", demo_loaded, id=notice)
    _button(at, "送领导签发").click().run()
    leader_view = page("notices", "leader", demo_loaded, id=notice)
    # Meanwhile another leader returned it and the office edited and resubmitted it.
    from services.notices import workflow
    demo_loaded.run(workflow.return_to_draft, actor=user_named(demo_loaded, "leader"),
                        notice_id=notice, version=None, comments="改")
    demo_loaded.run(workflow.submit, actor=office, notice_id=notice, version=None)
    at = _button(leader_view, "签发").click().run()
    assert not at.exception
    assert "已签发" not in [s.value for s in at.success]


def test_the_list_filters_by_status_from_the_url(demo_loaded, findings) -> None:
    _draft(demo_loaded, findings)
    at = page("notices", "office", demo_loaded, status="awaiting", lang="en")
    assert "No notices yet." in texts(at)
    at = page("notices", "office", demo_loaded, status="draft")
    assert len(at.dataframe[0].value) == 1


def test_a_new_notice_from_the_registers_pick_starts_with_its_findings_and_unit(
        demo_loaded, findings) -> None:
    at = signed_in(AppTest.from_function(_harness, args=("notices",), default_timeout=TIMEOUT),
                   demo_loaded, "office")
    at.session_state["notice_new"] = {"kind": "criticism", "finding_ids": findings[:2]}
    at = at.run()
    form = "nn_criticism"
    assert len(at.multiselect(key=f"{form}_finding_ids").value) == 2
    assert at.multiselect(key=f"{form}_unit_ids").value == [
        user_named(demo_loaded, "unit_gdj").unit_id]
    at.text_input(key=f"{form}_title").input("关于窗口问题的通报")
    at = _button(at, "保存草稿").click().run()
    assert not at.exception
    with demo_loaded.read() as r:
        made = r.session.exec(select(Notice)).all()
    assert [n.title for n in made] == ["关于窗口问题的通报"]


def test_a_leaders_dashboard_says_what_awaits_their_sign_off(demo_loaded, findings) -> None:
    from services.notices import workflow
    at = page("dashboard", "leader", demo_loaded)
    assert "等待您签发" not in texts(at)
    notice = _draft(demo_loaded, findings)
    demo_loaded.run(workflow.submit, actor=user_named(demo_loaded, "office"), notice_id=notice,
                    version=None)
    at = page("dashboard", "leader", demo_loaded)
    assert "有 1 份通报等待您签发" in texts(at)
    assert "等待您签发" not in texts(page("dashboard", "office", demo_loaded))


def test_submit_waits_for_unsaved_edits_to_be_saved(demo_loaded, findings) -> None:
    notice = _draft(demo_loaded, findings)
    at = page("notices", "office", demo_loaded, id=notice)
    assert not _button(at, "送领导签发").disabled
    at.text_input(key=f"ne_{notice}_title").input("关于市供电公司窗口问题的通报（修改）")
    at = at.run()
    assert "草稿有未保存的修改" in texts(at) and _button(at, "送领导签发").disabled
    at = _button(at, "保存草稿").click().run()
    assert not at.exception
    at = page("notices", "office", demo_loaded, id=notice)
    assert not _button(at, "送领导签发").disabled
    assert "关于市供电公司窗口问题的通报（修改）" in texts(at)
