"""Each role sees exactly its pages; the menu and the services read the same table."""

import pytest

from db.models import Role, User
from services.permissions import PAGE_CAPABILITY, ROLE_CAPABILITIES, can, pages_for

EXPECTED_PAGES = {
    "admin": ["admin_users", "admin_org", "admin_audit", "visit_plans", "checklists", "account"],
    "office": ["review", "verify", "visit_plans", "checklists", "account"],
    "leader": ["account"],
    "inspector": ["inspect_today", "inspect_visit", "verify", "account"],
    "unit": ["rectify", "account"],
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


def test_every_page_module_hands_a_cold_deep_link_back_to_app_py():
    """A new server process runs pages/<url path>.py itself until st.navigation has run
    once; each module must then run app.py (the sign-in gate), and each URL path must be
    the module of its page so that a link lands where it points."""
    from pathlib import Path

    from ui import navigation

    pages_dir = Path(navigation.__file__).parents[1] / "pages"
    modules = {p.stem for p in pages_dir.glob("*.py")} - {"__init__"}
    for module in modules:
        source = (pages_dir / f"{module}.py").read_text(encoding="utf-8")
        assert 'if __name__ == "__main__":' in source and "run_app()" in source, module
    for key, (render, _icon) in navigation.PAGES.items():
        assert render.__module__ == f"pages.{key}"
    assert {navigation.SIGNIN_PATH, navigation.SETUP_PATH} <= modules
    assert set(navigation.PAGES) == set(PAGE_CAPABILITY)
