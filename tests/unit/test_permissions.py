"""Each role sees exactly its pages; the menu and the services read the same table."""

import pytest

from db.models import Role, User
from services.core.permissions import PAGE_CAPABILITY, ROLE_CAPABILITIES, can, pages_for

EXPECTED_PAGES = {
    "admin": ["admin_users", "admin_org", "admin_audit", "visit_plans", "checklists",
              "dashboard", "findings_register", "rectification_tracking", "notices",
              "campaign_board", "report_calendar", "hall_plans", "complaints", "instructions",
              "account"],
    "office": ["workbench", "review", "verify", "visit_plans", "checklists", "dashboard",
               "findings_register", "rectification_tracking", "notices", "campaign_board",
               "report_calendar", "hall_plans", "complaint_register", "complaints",
               "complaint_import", "complaint_categories", "instructions", "account"],
    "leader": ["dashboard", "findings_register", "rectification_tracking", "notices",
               "campaign_board", "report_calendar", "hall_plans", "complaints", "instructions",
               "account"],
    "inspector": ["inspect_today", "inspect_visit", "verify", "dashboard", "findings_register",
                  "rectification_tracking", "complaints", "account"],
    "unit": ["unit_tasks", "rectify", "notices", "complaint_inbox", "instructions", "account"],
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


def test_no_pages_folder_puts_streamlit_in_legacy_multipage_mode():
    """A `pages/` folder beside app.py makes a new server process run Streamlit's legacy
    multipage mode until st.navigation has run once: a cold deep link then skipped the
    sign-in gate or met "page not found". Page modules live in views/<section>/ instead,
    and each is in the menu section named after its package."""
    from pathlib import Path

    from ui import navigation

    root = Path(navigation.__file__).parents[1]
    assert not (root / "pages").exists()
    for key, (render, _icon) in navigation.PAGES.items():
        assert render.__module__.startswith("views."), key
        assert navigation.section_of(key) in navigation.SECTIONS, key
    assert set(navigation.PAGES) == set(PAGE_CAPABILITY)
