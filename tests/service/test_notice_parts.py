"""A notice's kinds and optional parts, on SQLite and PostgreSQL: a commendation names each
unit with its reason, a situation report prints the period's figures frozen when saved, the
findings' photos go in when asked (a file gone from the store is skipped and reported), a
liaison reads only its unit's extract when the office sends extracts, and findings picked in
the register are added to a draft with their units."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from db.models import Photo
from demo import checklist as demo_checklist
from services.core import clock
from services.core.errors import Conflict, ValidationFailed
from services.notices import compose, export, queries
from tests.factories import confirm, make_template, make_visit
from tests.service.test_notices import draft, issue, latest, to_signed, world  # noqa: F401

PHOTOS = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "photos"


def _text(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_a_commendation_names_each_unit_with_its_reason(uow, world) -> None:  # noqa: F811
    w = world
    n = draft(uow, w, kind="commendation", units=[w["a"].id, w["b"].id], findings=[],
              title="关于表扬市供电公司等单位的通报", requirements="希望受表扬单位再接再厉。",
              reasons={w["a"].id: "窗口服务零投诉", w["b"].id: "限时办结率100%"})
    text = _text(uow.query(export.export_docx, actor=w["office"], notice_id=n.id))
    assert "一、表扬的单位及事迹" in text and "二、希望与要求" in text
    assert "1. 市供电公司：窗口服务零投诉" in text and "2. 市自来水公司：限时办结率100%" in text
    assert not [p for p in text if "发现的问题" in p or "整改要求" in p]
    with pytest.raises(ValidationFailed) as err:  # a commended unit needs its reason
        draft(uow, w, kind="commendation", units=[w["a"].id, w["b"].id], findings=[],
              title="表扬", reasons={w["a"].id: "好"})
    assert err.value.message_key == "notice.no_reason"


def test_a_situation_report_prints_the_periods_figures_frozen_when_saved(
        uow, world) -> None:  # noqa: F811
    w = world
    n = draft(uow, w, kind="situation", findings=[], title="关于2026年效能督查情况的通报",
              period_from=date(2026, 1, 1), period_to=date(2026, 12, 31))
    saved = latest(uow, n.id).figures
    end = min(date(2026, 12, 31), clock.today())  # the days counted so far
    assert saved.startswith(f"2026年1月1日至2026年{end.month}月{end.day}日，全市共受理群众投诉")
    assert "开展效能督查2次" in saved  # the fixture's two submitted visits
    text = _text(uow.query(export.export_docx, actor=w["office"], notice_id=n.id))
    assert text[text.index("一、总体情况") + 1] == saved.splitlines()[0]
    for bad in ({"period_from": None, "period_to": date(2026, 1, 1)},
                {"period_from": date(2026, 2, 1), "period_to": date(2026, 1, 1)}):
        with pytest.raises(ValidationFailed) as err:
            draft(uow, w, kind="situation", findings=[], title="情况", **bad)
        assert err.value.message_key == "notice.bad_period"


def test_photos_go_in_when_asked_and_a_missing_file_is_skipped(
        uow, world, store) -> None:  # noqa: F811
    w = world
    tpl = make_template(uow, actor=w["office"], name="表2", items=demo_checklist.ITEMS[:1])
    made = [make_visit(uow, inspector=w["inspector"], unit=w["a"], template=tpl,
                       findings=[{"description": what}], store=store, submit=True,
                       photo=(PHOTOS / name).read_bytes()).findings[0]
            for what, name in (("台账缺失", "jpg_gps_DSCN0010.jpg"),
                               ("窗口无人", "jpg_orientation_portrait_6.jpg"))]
    f1, f2 = made
    for f in (f1, f2):
        confirm(uow, actor=w["office"], finding=f)
    n = draft(uow, w, findings=[f1.id, f2.id], with_photos=True)
    rendered = uow.query(export.render, actor=w["office"], notice_id=n.id, store=store)
    assert [caption for _, caption in rendered.text.photos] == ["图1 市供电公司", "图2 市供电公司"]
    for data, _ in rendered.text.photos:
        assert "GPSInfo" not in str(Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825))
        assert not Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    doc = Document(io.BytesIO(uow.query(export.export_docx, actor=w["office"],
                                        notice_id=n.id, store=store)))
    assert len(doc.inline_shapes) == 2
    with uow.read() as r:  # one photo's file is gone from the store
        gone = r.session.exec(Photo.__table__.select().where(Photo.finding_id == f1.id)).first()
    (store.path(gone.display_key)).unlink()
    rendered = uow.query(export.render, actor=w["office"], notice_id=n.id, store=store)
    assert rendered.missing_photos == (gone.id,)
    assert [caption for _, caption in rendered.text.photos] == ["图1 市供电公司"]
    without = draft(uow, w, findings=[f1.id])  # not asked: none
    assert uow.query(export.render, actor=w["office"], notice_id=without.id,
                     store=store).text.photos == ()


def test_a_liaison_reads_only_its_units_extract(uow, world) -> None:  # noqa: F811
    w = world
    both = dict(units=[w["a"].id, w["b"].id], findings=[*w["confirmed_a"][:2], w["confirmed_b"]])
    whole = issue(uow, w, to_signed(uow, w, draft(uow, w, **both)))
    extracts = issue(uow, w, to_signed(uow, w, draft(uow, w, send_extracts=True, **both)))
    b_reads = uow.query(queries.get_notice, actor=w["liaison_b"], notice_id=whole.id)
    assert [f.description for f in b_reads.findings] == ["问题0", "问题1", "水压不足"]
    b_reads = uow.query(queries.get_notice, actor=w["liaison_b"], notice_id=extracts.id)
    assert [f.description for f in b_reads.findings] == ["水压不足"]
    assert b_reads.extract_of == "市自来水公司"
    text = _text(uow.query(export.export_docx, actor=w["liaison_b"], notice_id=extracts.id))
    assert "（市自来水公司部分摘录）" in text
    assert not [p for p in text if "问题0" in p or "问题1" in p]
    office = uow.query(queries.get_notice, actor=w["office"], notice_id=extracts.id)
    assert len(office.findings) == 3 and office.extract_of is None


def test_findings_picked_in_the_register_join_a_draft_with_their_units(
        uow, world) -> None:  # noqa: F811
    w = world
    n = draft(uow, w, findings=[w["confirmed_a"][0]], opening="开头")
    n = uow.run(compose.add_findings, actor=w["office"], notice_id=n.id, version=n.version,
                finding_ids=[w["confirmed_b"], w["confirmed_a"][0]])
    held = uow.query(lambda u: compose.content_of(u, u.session.get(type(n), n.id)))
    assert held.finding_ids == tuple(sorted([w["confirmed_a"][0], w["confirmed_b"]]))
    assert held.unit_ids == tuple(sorted([w["a"].id, w["b"].id]))
    assert held.opening == "开头"  # what the draft held stays
    with pytest.raises(ValidationFailed):  # not confirmed: refused, nothing added
        uow.run(compose.add_findings, actor=w["office"], notice_id=n.id, version=n.version,
                finding_ids=[w["unconfirmed_a"]])
    n = to_signed(uow, w, latest(uow, n.id))
    with pytest.raises(Conflict):  # past draft: return it first
        uow.run(compose.add_findings, actor=w["office"], notice_id=n.id, version=n.version,
                finding_ids=[w["confirmed_a"][1]])


def test_attachments_are_listed(uow, world) -> None:  # noqa: F811
    w = world
    n = draft(uow, w, attachments="问题清单\n整改台账模板")
    text = _text(uow.query(export.export_docx, actor=w["office"], notice_id=n.id))
    assert "附件：1. 问题清单" in text and "　　　2. 整改台账模板" in text
