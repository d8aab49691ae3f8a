"""An issued notice as its Word document, read back with python-docx: its number, title,
recipients, every finding grouped by district and unit, the date and the record block; and
`manage.py export-notice` writing it by number or the latest one."""

from __future__ import annotations

import io

import pytest
from docx import Document

import config
import manage
from services.notices import export
from tests.service.test_notices import draft, issue, to_signed, world  # noqa: F401


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_the_document_carries_the_notice(uow, world) -> None:  # noqa: F811
    w = world
    n = draft(uow, w, units=[w["a"].id, w["b"].id],
              findings=[*w["confirmed_a"][:2], w["confirmed_b"]], cc="市纪委监委、市委组织部",
              opening="近期督查发现以下问题。", requirements="立即整改。\n举一反三。")
    preview = _text(uow.query(export.export_docx, actor=w["office"], notice_id=n.id))
    assert "〔  〕号" in preview  # a draft has no number yet
    n = issue(uow, w, to_signed(uow, w, n))
    text = _text(uow.query(export.export_docx, actor=w["office"], notice_id=n.id))
    for part in ("嘉峪关市效能风暴行动领导小组办公室文件", "嘉效办〔2026〕1号",
                 "关于市供电公司问题的通报", "市供电公司、市自来水公司：",
                 "近期督查发现以下问题。", "（一）市直单位", "1. 市供电公司", "2. 市自来水公司",
                 "问题0", "问题1", "水压不足", "立即整改。", "举一反三。", "2026年3月2日",
                 "抄送：市纪委监委，市委组织部。", "2026年3月2日印发"):
        assert part in text, part
    assert "问题2" not in text  # not selected


def test_a_unit_reads_only_what_is_addressed_to_it(uow, world) -> None:  # noqa: F811
    from services.core.errors import NotFound
    w = world
    n = issue(uow, w, to_signed(uow, w, draft(uow, w)))
    assert uow.query(export.export_docx, actor=w["liaison_a"], notice_id=n.id)
    with pytest.raises(NotFound):
        uow.query(export.export_docx, actor=w["liaison_b"], notice_id=n.id)


def test_the_command_writes_it_by_number_and_the_latest(uow, world, tmp_path,  # noqa: F811
                                                       monkeypatch) -> None:
    w = world
    issue(uow, w, to_signed(uow, w, draft(uow, w)))
    monkeypatch.setenv("DATABASE_URL", uow.engine.url.render_as_string(hide_password=False))
    config.get_settings.cache_clear()
    out = tmp_path / "notice.docx"
    assert manage.main(["export-notice", "嘉效办〔2026〕1号", "--out", str(out)]) == 0
    assert "嘉效办〔2026〕1号" in _text(out.read_bytes())
    latest = tmp_path / "latest.docx"
    assert manage.main(["export-notice", "--latest", "--out", str(latest)]) == 0
    assert latest.read_bytes()
    assert manage.main(["export-notice", "嘉效办〔2026〕9号", "--out", str(out)]) == 2


def test_the_office_workbench_counts_notices_waiting(uow, world) -> None:  # noqa: F811
    from services.dashboard import workbench
    from services.notices import workflow
    w = world
    n = draft(uow, w)
    n = uow.run(workflow.submit, actor=w["office"], notice_id=n.id, version=n.version)
    counts = uow.query(workbench.workbench, actor=w["office"])
    assert (counts.notices_awaiting_sign_off, counts.notices_to_issue) == (1, 0)
    uow.run(workflow.sign, actor=w["leader"], notice_id=n.id, version=n.version)
    counts = uow.query(workbench.workbench, actor=w["office"])
    assert (counts.notices_awaiting_sign_off, counts.notices_to_issue) == (0, 1)
