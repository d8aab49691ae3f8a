"""The office's import page through a harness (the page is not in the menu yet): upload a
messy GBK export, dry run, map an unknown unit to its close match, import, download the
report; a cancel leaves nothing; other roles are refused."""

from __future__ import annotations

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from db.models import Complaint
from tests import hotline_files as files
from tests.app.conftest import TIMEOUT, signed_in, texts
from tests.conftest import count_rows


def _harness() -> None:
    from views.complaints import import_page

    import_page.render()


def _page(uow, username: str = "office") -> AppTest:
    at = AppTest.from_function(_harness, default_timeout=TIMEOUT)
    return signed_in(at, uow, username).run()


def _export() -> bytes:
    """The messy GBK export, with the demo city's units."""
    rows = files.gbk_rows()
    for row in rows[3:]:
        names = {"峪泉供电所": "市供电公司", "镜铁区实验小学": "市政务服务中心"}
        row[5] = names.get(row[5], row[5])
    return files.csv_bytes(rows, "gbk")


def _upload(at: AppTest) -> AppTest:
    at.file_uploader(key="ci_file").upload("12345工单.csv", _export(), "text/csv").run()
    assert not at.exception
    return at


def test_office_checks_maps_imports_and_downloads_the_report(demo_loaded):
    at = _upload(_page(demo_loaded))
    shown = texts(at)
    assert "GBK / GB18030" in shown and "表头在第 3 行，共 9 列" in shown
    assert at.selectbox(key="ci_col__external_id").value == "工单编号"
    at.button(key="ci_check").click().run()
    assert "检查结果：可新建 4 条，更新 0 条，未变 0 条，跳过 2 行，失败 6 行" in texts(at)
    reasons = at.dataframe[-1].value
    assert "单位“市供电局”不存在" in set(reasons.iloc[:, 3])
    assert count_rows(demo_loaded, Complaint) == 0

    unknown = next(s for s in at.selectbox if s.key.startswith("ci_val_unit_"))
    assert unknown.options[1] == "市供电公司"  # the closest name comes first
    others = {s.key for s in at.selectbox if s.key.startswith("ci_val_")} - {unknown.key}
    assert others  # the file has more than one name the city does not know
    unknown.set_value("市供电公司").run()
    assert "请重新检查" in texts(at)
    # The other names stay to be mapped before the next check.
    assert others <= {s.key for s in at.selectbox}
    assert at.selectbox(key=unknown.key).value == "市供电公司"
    at.button(key="ci_check").click().run()
    assert "检查结果：可新建 5 条，更新 0 条，未变 0 条，跳过 2 行，失败 5 行" in texts(at)

    at.button(key="ci_go").click().run()
    assert not at.exception
    assert "导入完成：新建 5 条，更新 0 条，未变 0 条，跳过 2 行，失败 5 行" in texts(at)
    assert count_rows(demo_loaded, Complaint) == 5
    assert "ci_cancel" not in {b.key for b in at.button}  # nothing left to cancel
    with demo_loaded.read() as r:
        assert r.session.exec(select(Complaint.status).distinct()).all() == ["received"]
    assert at.get("download_button")  # the report, ready to download

    # The same file again, checked: nothing new.
    at.button(key="ci_check").click().run()
    assert "检查结果：可新建 0 条，更新 0 条，未变 5 条，跳过 2 行，失败 5 行" in texts(at)


def test_a_mapping_saved_by_name_is_offered_again(demo_loaded):
    at = _upload(_page(demo_loaded))
    at.text_input(key="ci_map_name").input("12345 平台").run()
    at.button(key="ci_save").click().run()
    assert "映射“12345 平台”已保存" in texts(at)
    again = _upload(_page(demo_loaded))
    assert "12345 平台" in again.selectbox(key="ci_saved").options


def test_a_cancel_leaves_nothing(demo_loaded):
    at = _upload(_page(demo_loaded))
    at.button(key="ci_check").click().run()
    at.session_state["ci_cancel_requested"] = True
    at.button(key="ci_go").click().run()
    assert "导入已取消，没有写入任何数据" in texts(at)
    assert count_rows(demo_loaded, Complaint) == 0


def test_an_unreadable_file_and_an_encoding_override_say_why(demo_loaded):
    at = _page(demo_loaded)
    at.file_uploader(key="ci_file").upload("x.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "text/csv")
    at.run()
    assert "只支持 CSV 或 XLSX 文件" in texts(at)
    at = _upload(_page(demo_loaded))
    at.selectbox(key="ci_encoding").set_value("utf-8").run()
    assert "无法识别文件编码" in texts(at) or "编码与前面的行不同" in texts(at)


def test_other_roles_do_not_get_the_page(demo_loaded):
    at = _page(demo_loaded, "leader")
    assert not at.exception
    assert not at.get("file_uploader")
