"""The register's bulk actions on picked rows (延期, 催办: views/findings/bulk_*.py) and the
reminders on the liaison's start page (views/findings/urges.py)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

import config
from db.models import Finding, FindingDeadlineChange, FindingUrge
from services.core import clock
from services.core.system import system_actor
from services.findings import urging
from services.identity import users
from tests.app.conftest import page, texts, user_named
from tests.conftest import count_rows
from tests.smtp_sink import closed_port, smtp_sink

PICK_FIRST = {"selection": {"rows": [0], "columns": []}}


def _urge(uow, finding_id, note="请本周内完成整改"):
    office = user_named(uow, "office")
    return uow.run(urging.urge, actor=office, finding_ids=[finding_id], note=note,
                   client_key=uuid.uuid4().hex)


def test_the_liaison_sees_the_offices_reminder_on_the_start_page(demo_loaded, finding_to_rectify):
    _urge(demo_loaded, finding_to_rectify.id)
    at = page("unit_tasks", "unit_gdj", demo_loaded)
    assert not at.exception
    shown = texts(at)
    assert "效能办催办" in shown
    assert f"问题 {finding_to_rectify.id}：排队超过一小时" in shown
    assert "请本周内完成整改" in shown and finding_to_rectify.deadline.isoformat() in shown


def test_another_units_liaison_sees_no_reminder(demo_loaded, finding_to_rectify):
    _urge(demo_loaded, finding_to_rectify.id)
    at = page("unit_tasks", "unit_zwzx", demo_loaded)
    assert not at.exception
    assert "效能办催办" not in texts(at) and "排队超过一小时" not in texts(at)


def test_a_typed_note_shows_as_written(demo_loaded, finding_to_rectify):
    _urge(demo_loaded, finding_to_rectify.id, note="见 [链接](http://evil.example/x) **急**")
    at = page("unit_tasks", "unit_gdj", demo_loaded)
    captions = " ".join(c.value for c in at.caption)
    assert r"\[链接\]\(http" in captions and r"\*\*急\*\*" in captions


def _register_with_pick(uow, username="office"):
    at = page("findings_register", username, uow)
    at.session_state["fr_table"] = PICK_FIRST
    return at.run()


def _button(at, label_start):
    return next(b for b in at.button if b.label.startswith(label_start))


def test_the_office_extends_the_picked_finding(demo_loaded, finding_to_rectify):
    at = _register_with_pick(demo_loaded)
    assert not at.exception
    assert [e.label for e in at.expander][-3:] == ["延期", "催办", "加入通报"]  # after the filters
    new = clock.today() + timedelta(days=30)
    at.date_input(key="fr_extend_r0_date").set_value(new)
    at.text_area(key="fr_extend_r0_reason").input("设备到货需时")
    _button(at, "延期所选 1 条").click().run()
    assert not at.exception
    assert f"已将 1 条问题的整改期限延至 {new.isoformat()}" in texts(at)
    with demo_loaded.read() as r:
        assert r.session.get(Finding, finding_to_rectify.id).deadline == new
    # The next round starts empty, with the extension listed for the one picked finding.
    assert at.text_area(key="fr_extend_r1_reason").value == ""
    assert "设备到货需时" in " ".join(c.value for c in at.caption)


def test_an_extension_without_a_reason_says_so_and_keeps_the_form(demo_loaded,
                                                                  finding_to_rectify):
    at = _register_with_pick(demo_loaded)
    at.date_input(key="fr_extend_r0_date").set_value(clock.today() + timedelta(days=30))
    _button(at, "延期所选").click().run()
    assert not at.exception
    assert any("理由" in e.value for e in at.error)
    assert count_rows(demo_loaded, FindingDeadlineChange) == 0


def test_the_office_urges_the_picked_finding_and_sees_the_count(demo_loaded,
                                                                finding_to_rectify):
    at = _register_with_pick(demo_loaded)
    at.text_area(key="fr_urge_r0_note").input("请尽快整改")
    _button(at, "催办所选 1 条").click().run()
    assert not at.exception
    shown = texts(at)
    assert "已催办 1 条问题" in shown
    assert "未配置邮件服务器" in shown  # no SMTP settings in the tests
    assert "近 30 日催办次数：市供电公司 1 次" in shown
    with demo_loaded.read() as r:
        [row] = r.session.exec(select(FindingUrge)).all()
    assert (row.finding_id, row.note) == (finding_to_rectify.id, "请尽快整改")
    # The same finding again on the same day: refused by name, nothing added.
    at.run()
    at.text_area(key="fr_urge_r1_note").input("再催")
    _button(at, "催办所选 1 条").click().run()
    assert f"以下问题今天已催办过，均未再催办：编号 {finding_to_rectify.id}" in texts(at)
    assert count_rows(demo_loaded, FindingUrge) == 1


@pytest.mark.parametrize("username", ["leader", "inspector1"])
def test_readers_other_than_the_office_get_no_bulk_forms(demo_loaded, finding_to_rectify,
                                                          username):
    at = _register_with_pick(demo_loaded, username)
    assert not at.exception
    assert not {"延期", "催办", "加入通报"} & {e.label for e in at.expander}
    assert "已选 1 条" in texts(at)


@pytest.fixture
def liaison_with_address(demo_loaded):
    liaison = user_named(demo_loaded, "unit_gdj")
    demo_loaded.run(users.update_user, actor=system_actor(), user_id=liaison.id,
                    version=liaison.version, display_name=liaison.display_name, role="unit",
                    district_id=None, unit_id=liaison.unit_id, email="zhaolei@gdj.example.cn")
    return liaison


def _mail_server(monkeypatch, port: int) -> None:
    for name, value in (("SMTP_HOST", "127.0.0.1"), ("SMTP_PORT", str(port)),
                        ("SMTP_FROM", "desk@example.gov.cn"), ("SMTP_STARTTLS", "false")):
        monkeypatch.setenv(name, value)
    config.get_settings.cache_clear()


def test_the_reminder_is_mailed_after_the_commit(demo_loaded, finding_to_rectify,
                                                 liaison_with_address, monkeypatch):
    with smtp_sink() as sink:
        _mail_server(monkeypatch, sink.port)
        at = _register_with_pick(demo_loaded)
        _button(at, "催办所选 1 条").click().run()
    assert not at.exception
    assert "催办邮件已发送：市供电公司" in texts(at)
    assert [r.recipients for r in sink.received] == [["zhaolei@gdj.example.cn"]]
    with demo_loaded.read() as r:
        [row] = r.session.exec(select(FindingUrge)).all()
    assert row.emailed_at is not None


def test_a_failed_mail_is_said_to_the_clerk_and_the_reminder_kept(
        demo_loaded, finding_to_rectify, liaison_with_address, monkeypatch):
    _mail_server(monkeypatch, closed_port())
    at = _register_with_pick(demo_loaded)
    _button(at, "催办所选 1 条").click().run()
    assert not at.exception
    assert "已催办 1 条问题" in texts(at)
    assert any("催办已记录，但邮件未能发给市供电公司" in e.value for e in at.error)
    with demo_loaded.read() as r:
        [row] = r.session.exec(select(FindingUrge)).all()
    assert row.emailed_at is None and "ConnectionRefusedError" in row.email_error
    liaison_page = page("unit_tasks", "unit_gdj", demo_loaded)
    assert "效能办催办" in texts(liaison_page)
