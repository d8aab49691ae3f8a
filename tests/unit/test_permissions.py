"""Each role sees exactly its pages; the menu and the services read the same table."""

import pytest

from db.models import Role, User
from services.core.permissions import PAGE_CAPABILITY, ROLE_CAPABILITIES, can, pages_for

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


def test_no_page_module_sits_where_legacy_multipage_mode_would_run_it():
    """A new server process runs top-level pages/*.py files on their own (Streamlit's legacy
    multipage mode) until st.navigation has run once, skipping the sign-in gate in app.py.
    Page modules therefore live in sub-packages only; each is in the menu section named
    after its package."""
    from pathlib import Path

    from ui import navigation

    pages_dir = Path(navigation.__file__).parents[1] / "pages"
    assert {p.name for p in pages_dir.glob("*.py")} == {"__init__.py"}
    for key, (render, _icon) in navigation.PAGES.items():
        assert render.__module__.startswith("pages."), key
        assert navigation.section_of(key) in navigation.SECTIONS, key
    assert set(navigation.PAGES) == set(PAGE_CAPABILITY)
