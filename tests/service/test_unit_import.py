import io

import pytest
from openpyxl import Workbook

from services.core.errors import PermissionDenied
from services.imports import units as unit_import
from services.org import structure as org

HEADER = "名称,所属区镇,行业,主管部门,第一责任人\n"


@pytest.fixture
def city(uow, admin):
    district = uow.run(org.create_district, actor=admin, name="雄关区", kind="district")
    uow.run(org.create_industry, actor=admin, name="供电")
    uow.run(org.create_unit, actor=admin, name="市供电公司")
    return district


def _run(uow, admin, content: bytes, *, name="units.csv", dry_run=False):
    # A preview is the same import rolled back.
    call = uow.dry_run if dry_run else uow.run
    return call(unit_import.import_units, actor=admin, filename=name, content=content)


def _names(uow, admin):
    return {u.name for u in uow.query(org.list_units, actor=admin)}


def test_good_rows_are_imported_bad_rows_reported_per_line(uow, admin, city):
    csv = (HEADER
           + "雄关区供电所,雄关区,供电,市供电公司,王建国\n"
           + ",雄关区,供电,,缺名称\n"
           + ",,,,\n"
           + "市供电公司,,供电,,重名\n"
           + "火星供电所,火星区,供电,,赵六\n"
           + "峪泉供电站,,供电,雄关区供电所,李四\n")
    report = _run(uow, admin, csv.encode("utf-8"))
    assert report.created == 2
    assert report.skipped_empty == 1
    problems = {r.line: [i.key for i in r.issues] for r in report.rows if not r.ok}
    assert problems == {
        3: ["import.name_missing"],
        5: ["import.name_taken"],
        6: ["import.district_unknown"],
    }
    assert {"雄关区供电所", "峪泉供电站"} <= _names(uow, admin)
    [child] = [u for u in uow.query(org.list_units, actor=admin) if u.name == "峪泉供电站"]
    assert child.supervisor == "雄关区供电所"  # refers to a row earlier in the same file


def test_preview_writes_nothing(uow, admin, city):
    report = _run(uow, admin, (HEADER + "新单位,雄关区,供电,,甲\n").encode(), dry_run=True)
    assert (report.valid, report.created) == (1, 1)  # what the import would create
    assert "新单位" not in _names(uow, admin)


def test_gbk_csv_from_excel_is_read(uow, admin, city):
    report = _run(uow, admin, (HEADER + "镜铁区供电所,雄关区,供电,,张三\n").encode("gbk"))
    assert report.created == 1 and "镜铁区供电所" in _names(uow, admin)


def test_english_headers_are_accepted(uow, admin, city):
    csv = "name,district,industry,supervisor,first responsible\nPower Station,雄关区,供电,,Wang\n"
    assert _run(uow, admin, csv.encode()).created == 1


@pytest.mark.parametrize(
    ("content", "name", "key"),
    [
        (b"", "units.csv", "import.empty_file"),
        ("名称\xff".encode("utf-16"), "units.csv", "import.bad_encoding"),
        (b"\x00\x01garbage", "units.xlsx", "import.unreadable"),
        (b"a,b\n1,2\n", "units.pdf", "import.unknown_type"),
        ("名称,行业\n甲,供电\n".encode(), "units.csv", "import.missing_columns"),
    ],
)
def test_broken_files_get_a_clear_message_and_write_nothing(uow, admin, city, content, name, key):
    before = _names(uow, admin)
    report = _run(uow, admin, content, name=name)
    assert [i.key for i in report.file_issues] == [key]
    assert report.created == 0 and _names(uow, admin) == before


def test_missing_columns_are_named(uow, admin, city):
    report = _run(uow, admin, "名称,行业\n甲,供电\n".encode())
    assert report.file_issues[0].params == {"columns": ["district", "first_responsible"]}


def test_xlsx_import(uow, admin, city):
    wb = Workbook()
    ws = wb.active
    ws.append(["名称", "所属区镇", "行业", "主管部门", "第一责任人"])
    ws.append(["雄关区供热站", "雄关区", "供电", None, "刘洋"])
    ws.append([None, None, None, None, None])
    ws.append(["坏行", "不存在区", "供电", None, "某"])
    buf = io.BytesIO()
    wb.save(buf)
    report = _run(uow, admin, buf.getvalue(), name="单位.xlsx")
    assert report.created == 1 and report.invalid == 1 and report.skipped_empty == 1


def test_only_admins_import(uow, make_user, city):
    clerk = make_user("clerk", "office")
    with pytest.raises(PermissionDenied):
        _run(uow, clerk, (HEADER + "x,,,,y\n").encode())


def test_a_file_longer_than_the_limit_is_refused_as_a_whole(uow, admin, city):
    rows = "".join(f"单位{n},雄关区,供电,,某\n" for n in range(unit_import.MAX_ROWS + 1))
    report = _run(uow, admin, (HEADER + rows).encode())
    assert [i.key for i in report.file_issues] == ["import.too_many_rows"]
    assert report.created == 0 and "单位0" not in _names(uow, admin)


def test_rows_need_their_first_responsible_and_a_name_not_repeated_in_the_file(
    uow, admin, city
):
    csv = (HEADER
           + "测试站甲,雄关区,供电,,\n"
           + "测试站乙,雄关区,供电,,王五\n"
           + "测试站乙,雄关区,供电,,赵六\n")
    report = _run(uow, admin, csv.encode())
    problems = {r.line: [i.key for i in r.issues] for r in report.rows if not r.ok}
    assert problems == {2: ["import.first_responsible_missing"],
                        4: ["import.name_repeated"]}
    assert report.rows[2].issues[0].params == {"line": 3}
    assert report.created == 1


def test_a_file_with_only_its_header_says_so(uow, admin, city):
    report = _run(uow, admin, HEADER.encode())
    assert [i.key for i in report.file_issues] == ["import.no_rows"]
