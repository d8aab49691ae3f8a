"""Each role sees exactly its pages; the menu and the services read the same table."""

import pytest

from db.models import Role, User
from services.permissions import PAGE_CAPABILITY, ROLE_CAPABILITIES, can, pages_for

EXPECTED_PAGES = {
    "admin": ["admin_users", "admin_org", "admin_audit", "account"],
    "office": ["account"],
    "leader": ["account"],
    "inspector": ["account"],
    "unit": ["account"],
}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_exactly_its_pages(role):
    assert pages_for(role) == EXPECTED_PAGES[role]


def test_every_page_is_reachable_by_some_role_and_every_role_is_known():
    assert set(ROLE_CAPABILITIES) == {r.value for r in Role}
    for page, cap in PAGE_CAPABILITY.items():
        assert any(cap in caps for caps in ROLE_CAPABILITIES.values()), page


def test_an_inactive_user_can_do_nothing():
    user = User(username="x", display_name="x", role="admin", password_hash="!", active=False)
    assert not can(user, "account.self")
    assert not can(None, "account.self")


def test_no_url_path_equals_a_module_in_pages():
    """Otherwise Streamlit's legacy mode runs pages/<name>.py (functions only) on a rerun."""
    from pathlib import Path

    from ui import navigation

    modules = {p.stem for p in (Path(navigation.__file__).parents[1] / "pages").glob("*.py")}
    paths = {path for _, _, path in navigation.PAGES.values()}
    paths |= {navigation.SIGNIN_PATH, navigation.SETUP_PATH, navigation.SIGNOUT_PATH}
    assert paths.isdisjoint(modules)
    assert set(navigation.PAGES) == set(PAGE_CAPABILITY)
