"""AppTest fixtures: a database at the URL the app reads from the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from config import ROOT, get_settings
from db.bootstrap import open_database
from db.models import User
from demo import loader as demo
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from tests.conftest import PASSWORD, migrated_sqlite
from tests.factories import confirm, make_template, make_visit
from ui.context import CREDENTIAL_KEY, USER_KEY

APP = str(ROOT / "app.py")
TIMEOUT = 30


@pytest.fixture
def app_uow(sqlite_migrated_template) -> UnitOfWork:
    """The app's database, copied from the session's migrated template."""
    path = make_url(get_settings().sqlalchemy_url).database
    return UnitOfWork(open_database(migrated_sqlite(sqlite_migrated_template, Path(path))))


@pytest.fixture
def demo_loaded(app_uow) -> UnitOfWork:
    app_uow.run(demo.load_demo, password=PASSWORD, size="org")
    return app_uow


@pytest.fixture
def template(demo_loaded):
    """The demo checklist, saved (the demo data has none)."""
    return make_template(demo_loaded, actor=system_actor())


@pytest.fixture
def finding_to_rectify(demo_loaded, template):
    """A severe finding inspector1 recorded at unit_gdj's unit, confirmed by the office:
    waiting for the liaison's report."""
    _, [finding] = make_visit(
        demo_loaded, inspector=user_named(demo_loaded, "inspector1"),
        unit=user_named(demo_loaded, "unit_gdj").unit_id, template=template,
        findings=[dict(category="efficiency", severity="severe", description="排队超过一小时")],
        submit=True,
    )
    return confirm(demo_loaded, actor=user_named(demo_loaded, "office"), finding=finding)


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    return at


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password)
    at.button[0].click()
    return at.run()


def user_named(uow: UnitOfWork, username: str) -> User:
    with uow.read() as r:
        return r.session.exec(select(User).where(User.username == username)).one()


def signed_in(at: AppTest, uow: UnitOfWork, username: str) -> AppTest:
    """A page harness's session as sign-in leaves it (ui.context.start_session)."""
    user = user_named(uow, username)
    at.session_state[USER_KEY] = user.id
    at.session_state[CREDENTIAL_KEY] = user.credential_version
    return at


def _harness(key: str) -> None:
    from ui.navigation import PAGES

    PAGES[key][0]()


def page(key: str, username: str, uow: UnitOfWork, *, lang: str | None = None,
         **query: int) -> AppTest:
    """One page function run for a signed-in user (AppTest.from_function, the way DESIGN.md
    prescribes for pages handed to st.Page); `query` becomes the URL's query parameters."""
    at = signed_in(AppTest.from_function(_harness, args=(key,), default_timeout=TIMEOUT), uow,
                   username)
    if lang:
        at.session_state["ui_lang"] = lang
    for name, value in query.items():
        at.query_params[name] = str(value)
    return at.run()


def texts(at: AppTest) -> str:
    """All visible text of a run, for assertions on what a user reads."""
    parts = [e.value for e in (*at.title, *at.markdown, *at.caption, *at.subheader)]
    parts += [e.value for e in (*at.error, *at.warning, *at.success, *at.info)]
    return "\n".join(str(p) for p in parts)
