"""Admin pages through a harness (tests.app.conftest.page): one page function run for a
signed-in user."""

from __future__ import annotations

import re

import pytest

from services.core import audit_log
from services.core.system import system_actor
from services.identity import users
from services.org import structure as org
from tests.app.conftest import page, texts
from tests.conftest import PASSWORD


def test_admin_creates_a_user_and_a_duplicate_gets_a_clear_message(demo_loaded):
    at = page("admin_users", "admin", demo_loaded)
    assert not at.exception
    assert len(at.dataframe[0].value) == 9
    at.text_input(key="uc_username").input("inspector9")
    at.text_input(key="uc_display").input("督察组 新人")
    at.selectbox(key="uc_role").set_value("inspector")
    at.text_input(key="uc_password").input("a-long-password")
    at.button(key="FormSubmitter:user_create-新建用户").click().run()
    assert "用户 inspector9 已创建" in texts(at)
    assert len(at.dataframe[0].value) == 10

    at.text_input(key="uc_username").input("inspector9")
    at.text_input(key="uc_display").input("重复")
    at.text_input(key="uc_password").input("a-long-password")
    at.button(key="FormSubmitter:user_create-新建用户").click().run()
    assert "用户名“inspector9”已被使用" in texts(at)
    assert len(at.dataframe[0].value) == 10


def test_stale_edit_of_a_user_is_refused_with_a_message(demo_loaded):
    at = page("admin_users", "admin", demo_loaded)
    rows = {u.username: u for u in demo_loaded.query(users.list_users, actor=system_actor())}
    at.selectbox(key="users_pick").set_value(rows["leader"].id).run()
    # Someone else saves the same user in the meantime.
    demo_loaded.run(users.update_user, actor=system_actor(), user_id=rows["leader"].id,
                      version=rows["leader"].version, display_name="改过的名字", role="leader",
                      district_id=None, unit_id=None)
    k = f"ue_{rows['leader'].id}"
    at.text_input(key=f"{k}_display").input("我的修改")
    at.button(key=f"FormSubmitter:{k}_form-保存").click().run()
    assert "已被其他人修改" in texts(at)
    # Nothing was overwritten, and the form now shows the other person's save.
    assert at.text_input(key=f"{k}_display").value == "改过的名字"
    at.text_input(key=f"{k}_display").input("我的修改")
    at.button(key=f"FormSubmitter:{k}_form-保存").click().run()
    assert "已保存" in texts(at)
    saved = next(u for u in demo_loaded.query(users.list_users, actor=system_actor())
                 if u.username == "leader")
    assert saved.display_name == "我的修改"


def test_import_preview_shows_row_errors_then_imports_good_rows(demo_loaded):
    at = page("admin_org", "admin", demo_loaded)
    assert not at.exception
    csv = ("名称,所属区镇,行业,主管部门,第一责任人\n"
           "雄关区供水站,雄关区,供水,,甲\n"
           ",,,,\n"
           "市供电公司,,供电,,重名\n").encode("gbk")
    at.file_uploader(key="unit_import_file_0").upload("单位.csv", csv, "text/csv").run()
    assert not at.exception
    assert "可导入 1 行，有错误 1 行，空行 1 行" in texts(at)
    report = at.dataframe[-1].value
    assert list(report.iloc[:, 0]) == [2, 4]
    assert "单位“市供电公司”已存在" in report.iloc[1, -1]
    assert "雄关区供水站" not in {u.name for u in demo_loaded.query(
        org.list_units, actor=system_actor())}
    at.button(key="unit_import_go").click().run()
    assert "已导入 1 个单位，跳过有错误的 1 行" in texts(at)
    assert "雄关区供水站" in {u.name for u in demo_loaded.query(
        org.list_units, actor=system_actor())}
    # Ready for the next file: the imported one is not previewed again ("already exists").
    assert at.file_uploader(key="unit_import_file_1").value is None
    assert not at.dataframe or "已存在" not in str(at.dataframe[-1].value)


def test_import_of_a_broken_file_says_why(demo_loaded):
    at = page("admin_org", "admin", demo_loaded)
    at.file_uploader(key="unit_import_file_0").upload("单位.csv", "名称,行业\n甲,乙\n".encode(),
                                                   "text/csv").run()
    assert "缺少必需的列：所属区镇、第一责任人" in texts(at)


@pytest.mark.parametrize("module", ["admin_users", "admin_org", "admin_audit", "account"])
def test_pages_render_for_admin_in_english_too(demo_loaded, module):
    at = page(module, "admin", demo_loaded, lang="en")
    assert not at.exception
    assert at.title[0].value in {"Users", "Organisation", "Audit log", "My account"}


def test_non_admin_reaching_an_admin_page_is_refused(demo_loaded):
    at = page("admin_users", "office", demo_loaded)
    assert not at.exception
    assert "您没有权限查看此页面" in texts(at)
    assert not at.dataframe  # not a single user listed


def test_org_tree_shows_the_demo_city(demo_loaded):
    at = page("admin_org", "admin", demo_loaded)
    names = list(at.dataframe[0].value.iloc[:, 0])
    assert "雄关区" in names and "\u3000\u3000峪泉镇" in names
    assert len(demo_loaded.query(org.list_units, actor=system_actor())) == 77


def test_an_audit_list_cut_short_says_how_many_there_are(demo_loaded, monkeypatch):
    monkeypatch.setattr(audit_log, "MAX_ROWS", 3)
    at = page("admin_audit", "admin", demo_loaded)
    total = demo_loaded.query(audit_log.count, actor=system_actor())
    assert total > 3
    assert at.warning[0].value.startswith(f"共 {total} 条，只显示（和导出）最近的 3 条")
    assert len(at.dataframe[0].value) == 3


def test_the_user_list_shows_times_on_the_citys_clock_and_blanks_not_none(demo_loaded):
    from tests.factories import sign_in as sign_in_service

    sign_in_service(demo_loaded, username="leader", password=PASSWORD)
    at = page("admin_users", "admin", demo_loaded)
    table = at.dataframe[0].value
    last = dict(zip(table["用户名"], table["最近登录"], strict=True))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", last["leader"])
    assert last["office"] == ""
    assert "None" not in table.astype(str).to_string()


def test_admin_sets_a_liaisons_e_mail_and_a_malformed_one_is_refused(demo_loaded):
    at = page("admin_users", "admin", demo_loaded)
    rows = {u.username: u for u in demo_loaded.query(users.list_users, actor=system_actor())}
    at.selectbox(key="users_pick").set_value(rows["unit_gdj"].id).run()
    k = f"ue_{rows['unit_gdj'].id}"
    at.text_input(key=f"{k}_email").input("zhao lei@gdj")
    at.button(key=f"FormSubmitter:{k}_form-保存").click().run()
    assert not at.exception
    assert "“电子邮箱”不是有效的邮箱地址" in texts(at)
    assert at.text_input(key=f"{k}_email").value == "zhao lei@gdj"  # kept to correct
    at.text_input(key=f"{k}_email").input("zhaolei@gdj.example.gov.cn")
    at.button(key=f"FormSubmitter:{k}_form-保存").click().run()
    assert "已保存" in texts(at)
    saved = {u.username: u for u in demo_loaded.query(users.list_users, actor=system_actor())}
    assert saved["unit_gdj"].email == "zhaolei@gdj.example.gov.cn"
    assert "zhaolei@gdj.example.gov.cn" in list(at.dataframe[0].value["电子邮箱"])
