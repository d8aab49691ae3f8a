"""Every page checks its own capability (ui/page.py): a role that is not offered a page in
its menu, reaching it anyway (an old bookmark, a role changed meanwhile), reads a refusal
and nothing of the page's data."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from services.core.permissions import PAGE_CAPABILITY, pages_for
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.identity import users
from tests import casework
from tests.app.conftest import TIMEOUT, signed_in, texts, user_named
from ui.context import USER_KEY

UNIT = "市供电公司"
DESCRIPTION = f"{UNIT} 001"  # a finding's description (tests/casework.py)


def _harness(key: str) -> None:
    from ui.navigation import PAGES

    PAGES[key][0]()


def page(key: str, username: str, uow, *, lang: str | None = None) -> AppTest:
    at = signed_in(AppTest.from_function(_harness, args=(key,), default_timeout=TIMEOUT), uow,
                   username)
    if lang:
        at.session_state["ui_lang"] = lang
    return at.run()


@pytest.fixture
def world(demo_loaded):
    """A finding reported by 市供电公司 and waiting for verification, a visit plan's
    checklist: data every page would show."""
    uow = demo_loaded
    office, inspector, liaison = (user_named(uow, n) for n in ("office", "inspector1",
                                                                 "unit_gdj"))
    template_id, unit_id = casework.template_and_unit(uow, office=office, unit=UNIT)
    with UnitOfWork(uow.engine) as tx:
        ids = casework.submitted_visit(tx, inspector=inspector, unit_id=unit_id,
                                       template_id=template_id, n=2, label=UNIT)
        casework.confirm(tx, office=office, finding_ids=ids)
        casework.report(tx, liaison=liaison, finding_ids=ids[:1])
        tx.commit()
    return uow


def _refused(at: AppTest, title: str, message: str) -> None:
    assert not at.exception, at.exception
    assert at.title[0].value == title
    assert texts(at) == f"{title}\n{message}"  # the title and the refusal, nothing else
    for widgets in (at.dataframe, at.selectbox, at.multiselect, at.text_input, at.text_area,
                    at.button, at.metric, at.tabs, at.expander):
        assert len(widgets) == 0
    assert DESCRIPTION not in str(at.main)


REFUSED = [("review", "unit_gdj"), ("verify", "unit_gdj"), ("admin_users", "unit_gdj"),
           ("admin_users", "office"), ("rectify", "office"), ("inspect_visit", "office")]
# And the leader, whose menu holds only the account page, on every other page.
REFUSED += [(key, "leader") for key in PAGE_CAPABILITY if key not in pages_for("leader")]


@pytest.mark.parametrize(("key", "username"), REFUSED)
def test_a_role_without_the_pages_capability_reads_a_refusal_and_no_data(world, key, username):
    role = user_named(world, username).role
    assert key not in pages_for(role)  # the menu does not offer it either
    at = page(key, username, world)
    _refused(at, at.title[0].value if at.title else None, "您没有权限查看此页面")


def test_the_refusal_is_translated(world):
    at = page("verify", "unit_gdj", world, lang="en")
    _refused(at, "Verify rectification", "You are not allowed to open this page")


def test_the_same_pages_show_their_data_to_the_roles_they_are_for(world):
    at = page("verify", "office", world)
    assert not at.exception
    assert DESCRIPTION in texts(at)
    at = page("rectify", "unit_gdj", world)
    assert not at.exception
    assert DESCRIPTION in texts(at)


def test_a_user_whose_role_changed_meanwhile_sees_nothing_more_at_the_next_run(world):
    at = page("verify", "office", world)
    assert DESCRIPTION in texts(at)
    row = next(u for u in world.query(users.list_users, actor=system_actor())
               if u.username == "office")
    world.run(users.update_user, actor=system_actor(), user_id=row.id, version=row.version,
              display_name=row.display_name, role="leader", district_id=None, unit_id=None)
    at.run()
    assert not at.exception
    # The change ended the session (ui.context.current_user): the reason, and no data.
    assert texts(at) == "整改核验\n您的密码或权限已变更，请重新登录。"
    assert DESCRIPTION not in str(at.main)
    assert USER_KEY not in at.session_state


def _refusing_harness() -> None:
    import streamlit as st

    from services.core.errors import PermissionDenied
    from ui.page import page as page_of

    @page_of("account", title="account.title")
    def render(actor) -> None:
        st.caption(f"signed in as {actor.username}")
        raise PermissionDenied("inspection.out_of_scope")  # as a service refusing a scope

    render()


def test_a_refusal_by_a_service_is_a_message_not_a_traceback(demo_loaded):
    at = signed_in(AppTest.from_function(_refusing_harness, default_timeout=TIMEOUT),
                   demo_loaded, "office").run()
    assert not at.exception
    assert at.error[0].value == "您没有权限查看此页面"
