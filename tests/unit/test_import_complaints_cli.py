"""`manage.py import-complaints` as an operator runs it: counts printed, a report written,
exit 0 only when no row failed, 2 when the file is refused."""

from __future__ import annotations

import json

import pytest

from tests import hotline_files as files
from tests.unit.test_manage import _manage

HEADER = "工单编号,受理时间,来源渠道,来电人,联系电话,被投诉单位,投诉类别,投诉内容"


def _clean_csv(unit: str = "市供电公司") -> bytes:
    d = files.day(2)
    rows = [HEADER,
            f"T1,{d:%Y-%m-%d} 08:00,12345,张三,13812341234,{unit},服务态度差,电话打不通",
            f"T2,{d:%Y/%m/%d},来电,李四,13812345678,市政务服务中心,办事拖拉,材料反复要"]
    return ("\r\n".join(rows) + "\r\n").encode("gbk")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """One database with the demo organisation for the module's commands."""
    path = tmp_path_factory.mktemp("cli")
    assert _manage(path, "demo", "--size", "org").returncode == 0
    return path


def test_guess_then_import_then_import_again(city):
    export = city / "export.csv"
    export.write_bytes(_clean_csv())
    guessed = _manage(city, "import-complaints", str(export), "--guess-mapping",
                      str(city / "m.json"))
    assert guessed.returncode == 0
    mapping = json.loads((city / "m.json").read_text(encoding="utf-8"))
    assert mapping["columns"]["external_id"] == "工单编号"

    dry = _manage(city, "import-complaints", str(export), "--dry-run", "--mapping",
                  str(city / "m.json"))
    assert dry.returncode == 0 and "新建 2，更新 0，未变 0，跳过 0，失败 0" in dry.stdout
    assert "试运行" in dry.stdout

    done = _manage(city, "import-complaints", str(export), "--report", str(city / "r.csv"))
    assert done.returncode == 0 and "新建 2，" in done.stdout
    again = _manage(city, "import-complaints", str(export))
    assert again.returncode == 0 and "新建 0，更新 0，未变 2，跳过 0，失败 0" in again.stdout
    report = (city / "r.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert report[0] == "行号,工单编号,结果,原因" and ",,新建,2" in report


def test_failed_rows_exit_1_with_their_reasons(city):
    export = city / "bad.csv"
    bad_date = "T3,昨天,来电,王五,139,,,坏日期\r\n".encode("gbk")
    export.write_bytes(_clean_csv(unit="市供电局") + bad_date)
    run = _manage(city, "import-complaints", str(export), "--source", "other",
                  "--report", str(city / "bad.csv.report.csv"))
    assert run.returncode == 1
    assert "单位“市供电局”不存在" in run.stdout and "“昨天”不是可识别的日期" in run.stdout
    assert "新建 1，更新 0，未变 0，跳过 0，失败 2" in run.stdout


def test_missing_units_are_created_under_the_district_given(city):
    export = city / "units.csv"
    export.write_bytes(_clean_csv(unit="雄关区新建站所"))
    run = _manage(city, "import-complaints", str(export), "--source", "units",
                  "--create-missing-units", "雄关区")
    assert run.returncode == 0 and "新建单位：雄关区新建站所" in run.stdout


@pytest.mark.parametrize(("content", "message"), [
    (b"", "文件是空的"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "只支持 CSV 或 XLSX 文件"),
    ("名称,地址\n甲,乙\n".encode(), "缺少必需的列：工单编号、受理时间、投诉内容"),
])
def test_refused_files_exit_2_with_a_clear_message(city, content, message):
    export = city / "refused.csv"
    export.write_bytes(content)
    run = _manage(city, "import-complaints", str(export))
    assert run.returncode == 2 and message in run.stderr


def test_a_200_mb_file_is_refused_unread(city):
    huge = city / "huge.csv"
    with huge.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    run = _manage(city, "import-complaints", str(huge))
    assert run.returncode == 2 and "文件超过 100 MB" in run.stderr
