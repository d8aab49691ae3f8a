"""Importing hotline exports: messy files with exact counts, a dry run that writes nothing,
idempotent re-import, a changed row audited with the complainant masked, cancel and
failure halfway leaving nothing, units created on request, saved mappings."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import AuditEvent, Complaint, ComplaintStatusChange, Role, Unit
from services.core.errors import NotFound, PermissionDenied, ValidationFailed
from services.imports import complaints as complaint_import
from services.imports import mapping as mappings
from services.imports import saved_mappings
from tests import hotline_files as files
from tests.conftest import count_rows
from tests.factories import make_district, make_unit


@pytest.fixture
def city(uow, admin):
    xiongguan = make_district(uow, actor=admin, name="雄关区")
    jingtie = make_district(uow, actor=admin, name="镜铁区")
    town = make_district(uow, actor=admin, name="峪泉镇", kind="town", parent=xiongguan)
    make_unit(uow, actor=admin, name="峪泉供电所", district=town)
    make_unit(uow, actor=admin, name="镜铁区实验小学", district=jingtie)
    return {"雄关区": xiongguan, "镜铁区": jingtie}


def _import(uow, actor, content, *, filename="工单.csv", dry=False, mapping=None,
            source="12345", **kw):
    mapping = mapping or mappings.guess(files.HEADER)
    call = uow.dry_run if dry else uow.run
    return call(complaint_import.import_complaints, actor=actor, filename=filename,
                source=content, mapping=mapping, source_name=source, **kw)


def _reasons(report) -> dict[int, tuple[str, str]]:
    return {r.line: (r.outcome, r.key) for r in report.rows}


def test_a_messy_gbk_export_imports_its_good_rows_and_says_why_of_every_other(
        uow, office, city):
    report = _import(uow, office, files.gbk_csv())
    assert report.summary() == files.GBK_COUNTS
    assert report.encoding == "gb18030" and report.header_line == 3
    assert _reasons(report) == {
        8: ("skipped", "complaint_import.empty_row"),
        9: ("skipped", "complaint_import.repeated_row"),
        10: ("failed", "complaint_import.duplicate_id"),
        11: ("failed", "complaint_import.bad_date"),
        12: ("failed", "complaint_import.unknown_unit"),
        13: ("failed", "complaint_import.missing_value"),
        14: ("failed", "complaint_import.bad_channel"),
        15: ("failed", "complaint_import.missing_value"),
    }
    assert next(r for r in report.rows if r.line == 10).params == {"first": 5}
    assert report.unknown["unit"] == {"市供电局": 1}
    with uow.read() as r:
        rows = {c.external_id: c for c in r.session.exec(select(Complaint)).all()}
        statuses = r.session.exec(select(ComplaintStatusChange.to_status)).all()
    assert sorted(rows) == ["GD001", "GD002", "GD003", "GD004"]
    assert statuses == ["received"] * 4
    gd2 = rows["GD002"]
    assert gd2.phone_digits == "09376221234" and gd2.channel == "phone"
    assert gd2.district_id == city["镜铁区"].id  # from its unit
    assert rows["GD003"].anonymous and rows["GD003"].channel == "online"
    assert rows["GD001"].channel == "hotline" and rows["GD004"].channel == "letter"
    assert {c.status for c in rows.values()} == {"received"}
    assert {c.source for c in rows.values()} == {"12345"}


def test_a_dry_run_reports_the_same_and_writes_nothing(uow, office, city):
    report = _import(uow, office, files.gbk_csv(), dry=True)
    assert report.summary() == files.GBK_COUNTS
    assert count_rows(uow, Complaint) == 0
    assert count_rows(uow, AuditEvent, AuditEvent.action == "complaint.import") == 0


def test_importing_the_same_file_twice_changes_nothing(uow, office, city):
    _import(uow, office, files.gbk_csv())
    again = _import(uow, office, files.gbk_csv())
    assert again.summary() == files.GBK_AGAIN
    assert count_rows(uow, Complaint) == 4
    assert count_rows(uow, ComplaintStatusChange) == 4
    assert count_rows(uow, AuditEvent, AuditEvent.action == "complaint.update") == 0


def test_the_same_ticket_from_another_source_is_another_complaint(uow, office, city):
    _import(uow, office, files.gbk_csv())
    other = _import(uow, office, files.gbk_csv(), source="省纠风网")
    assert other.summary() == files.GBK_COUNTS
    assert count_rows(uow, Complaint) == 8


def test_a_changed_row_updates_its_complaint_with_a_masked_audit(uow, office, city):
    _import(uow, office, files.gbk_csv())
    rows = files.gbk_rows()
    rows[3][4] = "13999998888"  # GD001: the caller's number, corrected by the hotline
    rows[8][4] = "13999998888"  # and its repeated line with it
    report = _import(uow, office, files.csv_bytes(rows, "gbk"))
    assert report.summary() == {**files.GBK_AGAIN, "unchanged": 3, "updated": 1}
    updated = next(r for r in report.rows if r.outcome == "updated")
    assert (updated.external_id, updated.params) == ("GD001", {"fields": ["complainant_phone"]})
    with uow.read() as r:
        gd1 = r.session.exec(select(Complaint).where(Complaint.external_id == "GD001")).one()
        event = r.session.exec(select(AuditEvent).where(
            AuditEvent.action == "complaint.update")).one()
    assert gd1.complainant_phone == "13999998888" and gd1.status == "received"
    assert event.entity_id == gd1.id
    assert event.before["complainant_phone"] == "138****1234"
    assert event.after["complainant_phone"] == "139****8888"
    assert "13999998888" not in str(event.after) and "张三" not in str(event.after)


def test_cancel_halfway_leaves_nothing(uow, office, city):
    seen = []
    with pytest.raises(complaint_import.ImportCancelled):
        _import(uow, office, files.gbk_csv(), chunk_rows=3, progress=seen.append,
                cancelled=lambda: len(seen) >= 2)
    assert seen == [3, 6]  # two chunks were written before the cancel
    assert count_rows(uow, Complaint) == 0
    assert count_rows(uow, ComplaintStatusChange) == 0


def test_a_line_in_another_encoding_halfway_fails_the_whole_file(uow, office, city):
    good = "\r\n".join(",".join(r) for r in files.gbk_rows()[2:7]).encode("utf-8")
    bad = "\r\nGD009,2026-11-20,来电,张三,13812341234,,,其他,乱码".encode("gbk")
    with pytest.raises(ValidationFailed) as err:
        _import(uow, office, good + bad, chunk_rows=2, encoding="utf-8")
    assert err.value.message_key == "complaint_import.bad_encoding_at"
    assert err.value.params == {"line": 6}  # after two chunks were written
    assert count_rows(uow, Complaint) == 0


def test_a_bom_csv_in_english_with_us_dates(uow, office, city):
    header = ["Ticket ID", "Created Date", "Channel", "Agency", "Borough", "Complaint Type",
              "Description", "Phone"]
    mapping = mappings.guess(header)
    report = _import(uow, office, files.open_data_csv(), mapping=mapping, source="open-data")
    assert report.encoding == "utf-8-sig"
    assert report.summary() == {"created": 2, "updated": 0, "unchanged": 0, "skipped": 0,
                                "failed": 0}
    with uow.read() as r:
        ny1 = r.session.exec(select(Complaint).where(Complaint.external_id == "NY-1")).one()
    assert ny1.received_at.astimezone(files.clock.get_settings().zone).hour == 21


def test_an_xlsx_with_excel_serial_dates(uow, office, city):
    header = ["工单编号", "受理时间", "来源渠道", "投诉人", "联系电话", "被投诉单位", "投诉内容",
              "是否越级"]
    report = _import(uow, office, files.xlsx_with_serials(), filename="纠风网.xlsx",
                     mapping=mappings.guess(header), source="省纠风网")
    assert report.encoding is None and report.header_line == 2
    assert report.summary()["created"] == 3 and report.ok
    with uow.read() as r:
        rows = {c.external_id: c for c in r.session.exec(select(Complaint)).all()}
    local = files.clock.local
    assert local(rows["SJ-1"].received_at).replace(tzinfo=None) == \
        local(rows["SJ-1"].received_at).replace(tzinfo=None).replace(hour=9, minute=30)
    assert local(rows["SJ-1"].received_at).date() == files.day(7)
    assert local(rows["SJ-2"].received_at).hour == 15
    assert rows["SJ-1"].escalated and rows["SJ-1"].escalation_level == "province"
    assert rows["SJ-1"].channel == "provincial" and rows["SJ-3"].anonymous


def test_value_mapping_and_defaults_rescue_rows(uow, office, city):
    mapping = mappings.guess(files.HEADER)
    mapping.values = {"unit": {"市供电局": "峪泉供电所"}, "channel": {"传真": "letter"}}
    mapping.defaults = {"channel": "hotline", "category": "工作不到位"}
    report = _import(uow, office, files.gbk_csv(), mapping=mapping)
    assert report.summary() == {**files.GBK_COUNTS, "created": 6, "failed": 4}
    with uow.read() as r:
        gd4 = r.session.exec(select(Complaint).where(Complaint.external_id == "GD004")).one()
    assert gd4.category_id is not None  # the default category filled the empty cell


def test_missing_units_are_created_under_the_chosen_district(uow, office, admin, city):
    report = _import(uow, office, files.gbk_csv(), create_units_in=city["雄关区"].id,
                     unit_actor=admin)
    assert report.created_units == ["市供电局"]
    assert report.summary() == {**files.GBK_COUNTS, "created": 5, "failed": 5}
    with uow.read() as r:
        unit = r.session.exec(select(Unit).where(Unit.name == "市供电局")).one()
    assert unit.district_id == city["雄关区"].id


def test_creating_units_needs_the_right_to_manage_the_organisation(uow, office, city):
    with pytest.raises(PermissionDenied):
        _import(uow, office, files.gbk_csv(), create_units_in=city["雄关区"].id)
    assert count_rows(uow, Complaint) == 0


@pytest.mark.parametrize(("name", "content", "key"), [
    ("empty.csv", b"", "import.empty_file"),
    ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "import.unknown_type"),
    ("book.xlsx", b"not a zip at all", "import.unreadable"),
    ("notes.pdf", b"%PDF-1.4", "import.unknown_type"),
    ("list.csv", "名称,地址\n甲,乙\n".encode(), "complaint_import.missing_columns"),
])
def test_files_that_are_not_exports_get_a_clear_refusal(uow, office, city, name, content, key):
    with pytest.raises(ValidationFailed) as err:
        _import(uow, office, content, filename=name)
    assert err.value.message_key == key


def test_a_file_over_the_limit_is_refused_before_it_is_read(uow, office, city, tmp_path):
    huge = tmp_path / "export.csv"
    with huge.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 1024 * 1024)
    with pytest.raises(ValidationFailed) as err:
        _import(uow, office, huge, filename="export.csv")
    assert (err.value.message_key, err.value.params) == ("import.too_large", {"max_mb": 100})


def test_only_the_office_imports(uow, make_user, city):
    leader = make_user("leader1", Role.LEADER)
    with pytest.raises(PermissionDenied):
        _import(uow, leader, files.gbk_csv(), dry=True)


def test_mappings_are_saved_by_name_and_reused(uow, office, make_user, city):
    mapping = mappings.guess(files.HEADER)
    mapping.values = {"unit": {"市供电局": "峪泉供电所"}}
    uow.run(saved_mappings.save_mapping, actor=office, name="12345 平台", mapping=mapping)
    mapping.defaults = {"channel": "phone", "category": "其他"}
    uow.run(saved_mappings.save_mapping, actor=office, name="12345 平台", mapping=mapping)
    assert uow.query(saved_mappings.list_mappings, actor=office) == ["12345 平台"]
    loaded = uow.query(saved_mappings.load_mapping, actor=office, name="12345 平台")
    assert loaded == mapping
    assert uow.query(saved_mappings.resolve, actor=office,
                     name_or_json='{"columns": {"content": "内容"}}').columns == {
        "content": "内容"}
    with pytest.raises(NotFound):
        uow.query(saved_mappings.load_mapping, actor=office, name="不存在")
    with pytest.raises(ValidationFailed):
        uow.query(saved_mappings.resolve, actor=office, name_or_json='{"columns": [1]}')
    with pytest.raises(PermissionDenied):
        uow.query(saved_mappings.list_mappings, actor=make_user("insp", Role.INSPECTOR))


def test_the_report_as_csv_lists_counts_then_rows(uow, office, city):
    report = _import(uow, office, files.gbk_csv(), dry=True)
    labels = {"line": "行号", "external_id": "工单编号", "outcome": "结果", "reason": "原因",
              "failed": "失败", "skipped": "跳过"}
    text = report.to_csv(lambda key, params: key, labels).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "行号,工单编号,结果,原因"
    assert ",,失败,6" in lines and ",,created,4" in lines
    assert "10,GD002,失败,complaint_import.duplicate_id" in lines
    assert len(lines) == 1 + 5 + 8
