"""The app through app.py: first run, sign-in, lockout, role menus, language, idle timeout."""

from datetime import timedelta

import pytest

from db.timeutil import utcnow
from i18n import translate
from services.core.permissions import pages_for
from tests.app.conftest import new_app, sign_in, texts
from ui.context import SEEN_KEY, USER_KEY


def test_first_run_creates_the_admin_and_loads_the_demo_with_progress(app_uow):
    at = new_app().run()
    assert not at.exception
    assert at.title[0].value == "初始设置"
    at.text_input(key="setup_password").input("short")
    at.text_input(key="setup_again").input("short")
    at.button[0].click().run()
    assert "密码至少需要 10 个字符" in texts(at)

    at.text_input(key="setup_password").input("first-admin-pass")
    at.text_input(key="setup_again").input("first-admin-pass")
    at.button[0].click().run()
    assert "管理员账户已创建" in texts(at)
    at.button(key="setup_load_demo").click().run(timeout=120)
    assert not at.exception
    loaded = "演示数据已加载：24 个区镇社区、12 个行业、77 个单位、8 个账户；400 次检查、900 个问题"
    assert loaded in texts(at)
    assert at.title[0].value == "用户管理"  # the admin lands on the first admin page
    # The demo accounts are listed, with a liaison for every unit that has findings.
    from services.core.system import system_actor
    from services.identity import users

    assert len(at.dataframe[0].value) == len(users.list_users(app_uow, actor=system_actor())) > 9


def test_sign_in(demo_loaded):
    # Signing out is driven through the menu in tests/browser (AppTest cannot open a
    # page that has no file of its own).
    at = new_app().run()
    assert at.title[0].value == "效能督查台"
    assert [b.label for b in at.button] == ["登录"]
    sign_in(at, "office")
    assert not at.exception
    assert at.session_state[USER_KEY] is not None
    assert at.title[0].value == "问题审核"
    assert "市效能办 王敏（效能办）已登录" in texts(at)


def test_wrong_password_then_lockout_message(demo_loaded):
    at = new_app().run()
    for _ in range(4):
        sign_in(at, "leader", "wrong-password")
        assert at.error[0].value == "用户名或密码错误"
    sign_in(at, "leader", "wrong-password")
    assert "账户已锁定，请 15 分钟后再试" in at.error[0].value
    sign_in(at, "leader")  # the right password is refused too while locked
    assert "账户已锁定" in at.error[0].value
    assert USER_KEY not in at.session_state


@pytest.mark.parametrize(
    ("username", "role", "first_page"),
    [("admin", "admin", "用户管理"), ("office", "office", "问题审核"),
     ("leader", "leader", "我的账户"), ("inspector1", "inspector", "今日督查"),
     ("unit_gdj", "unit", "整改反馈")],
)
def test_each_role_lands_on_its_first_page(demo_loaded, username, role, first_page):
    at = sign_in(new_app().run(), username)
    assert not at.exception
    assert at.title[0].value == first_page
    assert translate(f"nav.{pages_for(role)[0]}", "zh-CN") == first_page


def test_language_from_the_url_and_from_the_account(demo_loaded):
    at = new_app()
    at.query_params["lang"] = "en"
    at.run()
    assert at.title[0].value == "Efficiency Inspection Desk"
    assert [b.label for b in at.button] == ["Sign in"]

    at = sign_in(new_app().run(), "leader")
    at.radio(key="account_language").set_value("en").run()
    assert at.title[0].value == "My account"
    # The choice is stored with the user: the next sign-in is in English.
    again = sign_in(new_app().run(), "leader")
    assert again.title[0].value == "My account"


def test_idle_session_is_signed_out(demo_loaded):
    at = sign_in(new_app().run(), "leader")
    at.session_state[SEEN_KEY] = utcnow() - timedelta(minutes=31)
    at.run()
    assert USER_KEY not in at.session_state
    assert "30 分钟未操作" in texts(at)
    assert at.text_input(key="signin_username")


def test_a_deactivated_user_is_signed_out_on_the_next_click(demo_loaded):
    from services.core.system import system_actor
    from services.identity import users

    at = sign_in(new_app().run(), "leader")
    leader = next(u for u in users.list_users(demo_loaded, actor=system_actor())
                  if u.username == "leader")
    users.set_active(demo_loaded, actor=system_actor(), user_id=leader.id, active=False)
    at.run()
    assert USER_KEY not in at.session_state
    assert at.text_input(key="signin_username")


def test_unsafe_production_settings_stop_the_app_with_the_reason(monkeypatch):
    import config

    monkeypatch.setenv("APP_ENV", "production")
    config.get_settings.cache_clear()
    at = new_app().run()
    assert "PostgreSQL" in at.error[0].value
    assert not at.text_input  # no sign-in form, no page
