"""The app through app.py: first run, sign-in and its throttle, role menus, language, idle
timeout, sessions that end when credentials change, and what a sign-out leaves behind."""

import re
from datetime import timedelta

import pytest
import streamlit as st
from sqlalchemy import create_engine, text

import config
from db.timeutil import utcnow
from demo import activity as demo_activity
from demo import complaints as demo_complaints
from i18n import translate
from services.core.errors import AuthenticationFailed, SignInThrottled
from services.core.permissions import pages_for
from services.core.system import system_actor
from services.identity import users
from tests.app.conftest import new_app, page, sign_in, texts
from tests.conftest import PASSWORD
from tests.factories import sign_in as sign_in_service
from ui.context import SEEN_KEY, USER_KEY

ELSEWHERE = "ip:203.0.113.66"
SIGNED_OUT_CHANGED = "您的密码或权限已变更，请重新登录。"


def test_first_run_creates_the_admin_and_loads_the_demo_with_progress(app_uow, monkeypatch):
    # The set-up page loads the full demo; a smaller "full" year keeps this test to seconds
    # (the full demo's cost is measured in BENCHMARKS.md).
    monkeypatch.setitem(demo_activity.SIZES, "full", (40, 90, 6))
    monkeypatch.setitem(demo_complaints.SIZES, "full", 300)
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
    loaded = "演示数据已加载：24 个区镇社区、12 个行业、77 个单位、8 个账户；40 次检查、90 个问题"
    assert loaded in texts(at)
    assert at.title[0].value == "用户管理"  # the admin lands on the first admin page
    # The demo accounts are listed, with a liaison for every unit that has findings.
    from services.core.system import system_actor
    from services.identity import users

    assert len(at.dataframe[0].value) == len(app_uow.query(
        users.list_users, actor=system_actor())) > 9


def test_sign_in(demo_loaded):
    # Signing out is driven through the menu in tests/browser (AppTest cannot open a
    # page that has no file of its own).
    at = new_app().run()
    assert at.title[0].value == "效能督查台"
    assert [b.label for b in at.button] == ["登录"]
    sign_in(at, "office")
    assert not at.exception
    assert at.session_state[USER_KEY] is not None
    assert at.title[0].value == "工作台"
    assert "市效能办 王敏（效能办）已登录" in texts(at)


def _guess(uow, username, times, *, now, client=ELSEWHERE):
    """`times` wrong passwords from `client`, each as soon as the throttle allows."""
    while times:
        try:
            sign_in_service(uow, username=username, password="wrong-password", client=client,
                            now=now)
        except SignInThrottled as wait:
            now += timedelta(seconds=wait.params["seconds"])
        except AuthenticationFailed:
            times -= 1
    return now


def test_a_wrong_password_reads_the_same_for_real_and_unknown_names(demo_loaded):
    at = new_app().run()
    for name in ("leader", "no-such-name"):
        sign_in(at, name, "wrong-password")
        assert at.error[0].value == "用户名或密码错误"
    # Both names guessed at from elsewhere until they must wait: the real user typing the
    # right password and someone typing a name that does not exist read the same thing.
    start = utcnow()
    for n, name in enumerate(("leader", "no-such-name")):
        _guess(demo_loaded, name, 9, now=start, client=f"ip:198.51.100.{n}")
    seen = []
    for name in ("leader", "no-such-name"):
        sign_in(at, name)
        assert re.fullmatch(r"尝试次数过多，请在 \d+ 秒后再试", at.error[0].value)
        seen.append(re.sub(r"\d+", "N", at.error[0].value))
    assert seen[0] == seen[1]
    assert USER_KEY not in at.session_state


def test_guessing_from_elsewhere_does_not_keep_the_real_user_out(demo_loaded):
    # Twenty wrong passwords for "leader" from another address, the last 31 seconds ago
    # (a lockout of 15 minutes would still be on).
    _guess(demo_loaded, "leader", 19, now=utcnow() - timedelta(hours=3))
    _guess(demo_loaded, "leader", 1, now=utcnow() - timedelta(seconds=31))
    at = sign_in(new_app().run(), "leader")
    assert not at.error
    assert at.title[0].value == "领导驾驶舱"


@pytest.mark.parametrize(
    ("username", "role", "first_page"),
    [("admin", "admin", "用户管理"), ("office", "office", "工作台"),
     ("leader", "leader", "领导驾驶舱"), ("inspector1", "inspector", "今日督查"),
     ("unit_gdj", "unit", "本单位任务")],
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

    at = page("account", "leader", demo_loaded)
    at.radio(key="account_language").set_value("en").run()
    assert at.title[0].value == "My account"
    # The choice is stored with the user: the next sign-in is in English (the leader's
    # start page, the dashboard).
    again = sign_in(new_app().run(), "leader")
    assert again.title[0].value == "Leadership dashboard"


def test_idle_session_is_signed_out(demo_loaded):
    at = sign_in(new_app().run(), "leader")
    at.session_state[SEEN_KEY] = utcnow() - timedelta(minutes=31)
    at.run()
    assert USER_KEY not in at.session_state
    assert "30 分钟未操作" in texts(at)
    assert at.text_input(key="signin_username")


def _leader(uow):
    return next(u for u in uow.query(
        users.list_users, actor=system_actor()) if u.username == "leader")


def test_a_password_changed_in_another_session_signs_this_one_out(demo_loaded):
    desk = sign_in(new_app().run(), "leader")
    tablet = page("account", "leader", demo_loaded)  # the account page, in another session
    tablet.text_input(key="pw_old").input(PASSWORD)
    tablet.text_input(key="pw_new").input("a-brand-new-password")
    tablet.text_input(key="pw_again").input("a-brand-new-password")
    tablet.button(key="FormSubmitter:password_form-保存新密码").click().run()
    assert "密码已修改" in texts(tablet)
    tablet.run()  # the session that made the change stays signed in
    assert tablet.title[0].value == "我的账户" and USER_KEY in tablet.session_state

    desk.run()  # the other one is out at its next click, and is told why
    assert USER_KEY not in desk.session_state
    assert SIGNED_OUT_CHANGED in texts(desk)
    assert desk.text_input(key="signin_username")


CHANGES = {
    "reset by the administrator": lambda uow, row: uow.run(
        users.reset_password, actor=system_actor(), user_id=row.id,
        new_password="a-brand-new-password"),
    "new role": lambda uow, row: uow.run(
        users.update_user, actor=system_actor(), user_id=row.id, version=row.version,
        display_name=row.display_name, role="office", district_id=None, unit_id=None),
    "deactivated": lambda uow, row: uow.run(
        users.set_active, actor=system_actor(), user_id=row.id, active=False),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_an_administrators_change_signs_the_user_out_on_the_next_click(demo_loaded, change):
    at = sign_in(new_app().run(), "leader")
    CHANGES[change](demo_loaded, _leader(demo_loaded))
    at.run()
    assert USER_KEY not in at.session_state
    assert SIGNED_OUT_CHANGED in texts(at)
    assert at.text_input(key="signin_username")


def test_a_new_display_name_keeps_the_user_signed_in(demo_loaded):
    at = sign_in(new_app().run(), "leader")
    row = _leader(demo_loaded)
    demo_loaded.run(users.update_user, actor=system_actor(), user_id=row.id, version=row.version,
                      display_name="新名字", role="leader", district_id=None, unit_id=None)
    at.run()
    assert USER_KEY in at.session_state
    assert "新名字（领导）已登录" in texts(at)


def test_the_next_user_in_the_tab_finds_nothing_of_the_previous_one(demo_loaded, template):
    from views.fieldwork.today import NEW_VISIT_KEY

    at = sign_in(new_app().run(), "inspector1")
    at.text_input(key="today_unit_search").input("雄关区便民").run()
    first_draft_key = at.session_state[NEW_VISIT_KEY]
    at.session_state[SEEN_KEY] = utcnow() - timedelta(minutes=31)
    at.run()  # inspector1 left the tablet: signed out after the idle time
    assert USER_KEY not in at.session_state and NEW_VISIT_KEY not in at.session_state

    sign_in(at, "inspector2")
    assert at.title[0].value == "今日督查"
    assert at.text_input(key="today_unit_search").value == ""
    at.text_input(key="today_unit_search").input("雄关区便民").run()
    # inspector2's visit would otherwise carry inspector1's key, and starting it be refused.
    assert at.session_state[NEW_VISIT_KEY] != first_draft_key


def test_unsafe_production_settings_stop_the_app_with_the_reason(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    config.get_settings.cache_clear()
    at = new_app().run()
    assert "PostgreSQL" in at.error[0].value
    assert not at.text_input  # no sign-in form, no page


@pytest.fixture
def production_database(pg_database_url, monkeypatch):
    """APP_ENV=production needs PostgreSQL: an empty schema in the test database."""
    engine = create_engine(pg_database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", pg_database_url)
    config.get_settings.cache_clear()
    st.cache_resource.clear()  # the app's engine for that URL is made (and migrated) anew
    yield
    st.cache_resource.clear()


def test_production_set_up_offers_no_demo_accounts(production_database):
    at = new_app().run()
    assert at.title[0].value == "初始设置"
    at.text_input(key="setup_password").input("first-admin-pass")
    at.text_input(key="setup_again").input("first-admin-pass")
    at.button[0].click().run()
    assert not at.exception
    assert "管理员账户已创建，您已登录。" in texts(at)
    assert at.title[0].value == "用户管理"
    assert "setup_load_demo" not in [b.key for b in at.button]
    assert "demo-pass-2026" not in [ti.value for ti in at.text_input]
    assert len(at.dataframe[0].value) == 1  # the administrator, and no demo account
