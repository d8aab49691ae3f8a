"""The menu: which st.Page objects a user gets, from the permission matrix, grouped in the
same sections as the page packages."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from db.models import User
from services.core.permissions import pages_for
from ui.context import t
from views.admin import audit as admin_audit
from views.admin import org as admin_org
from views.admin import users as admin_users
from views.campaign import board as campaign_board
from views.campaign import calendar_page as report_calendar
from views.campaign import hall as hall_plans
from views.campaign import unit_tasks
from views.complaints import categories as complaint_categories
from views.complaints import import_page as complaint_import
from views.complaints import inbox as complaint_inbox
from views.complaints import listing as complaint_list
from views.complaints import register as complaint_register
from views.dashboard import board as dashboard_board
from views.dashboard import workbench
from views.fieldwork import checklists, today, visit
from views.fieldwork import plans as visit_plans
from views.findings import rectify, review, verify
from views.findings import register_page as findings_register
from views.findings import tracking_page as rectification_tracking
from views.instructions import page as instructions
from views.notices import page as notices_page
from views.session import account, setup, signin

# Page key -> (render function, Material icon). The key is the URL path and the catalog key.
PAGES: dict[str, tuple[Callable[[], None], str]] = {
    "inspect_today": (today.render, ":material/today:"),
    "inspect_visit": (visit.render, ":material/fact_check:"),
    "rectify": (rectify.render, ":material/build:"),
    "review": (review.render, ":material/rule:"),
    "verify": (verify.render, ":material/verified:"),
    "findings_register": (findings_register.render, ":material/table_view:"),
    "rectification_tracking": (rectification_tracking.render, ":material/event_upcoming:"),
    "notices": (notices_page.render, ":material/campaign:"),
    "complaint_inbox": (complaint_inbox.render, ":material/inbox:"),
    "complaint_register": (complaint_register.render, ":material/edit_note:"),
    "complaints": (complaint_list.render, ":material/forum:"),
    "complaint_import": (complaint_import.render, ":material/upload_file:"),
    "complaint_categories": (complaint_categories.render, ":material/label:"),
    "workbench": (workbench.render, ":material/dashboard:"),
    "dashboard": (dashboard_board.render, ":material/monitoring:"),
    "unit_tasks": (unit_tasks.render, ":material/assignment:"),
    "campaign_board": (campaign_board.render, ":material/flag:"),
    "report_calendar": (report_calendar.render, ":material/calendar_month:"),
    "hall_plans": (hall_plans.render, ":material/storefront:"),
    "visit_plans": (visit_plans.render, ":material/event_note:"),
    "checklists": (checklists.render, ":material/checklist:"),
    "admin_users": (admin_users.render, ":material/group:"),
    "admin_org": (admin_org.render, ":material/account_tree:"),
    "admin_audit": (admin_audit.render, ":material/history:"),
    "instructions": (instructions.render, ":material/campaign:"),
    "account": (account.render, ":material/person:"),
}
# Menu sections: the packages of pages/, each page in the section of its module.
SECTIONS: tuple[str, ...] = ("dashboard", "instructions", "campaign", "fieldwork", "findings",
                             "notices", "complaints", "admin", "session")
SIGNIN_PATH, SETUP_PATH, SIGNOUT_PATH = "signin", "setup", "sign_out"


def section_of(key: str) -> str:
    return PAGES[key][0].__module__.split(".")[1]


def page_keys(user: User) -> list[str]:
    return pages_for(user.role)


def menu(keys: list[str]) -> list[tuple[str, list[str]]]:
    """(section, page keys) in menu order: a section comes where its first page comes in
    the role's page order, so the start page sits in the first section."""
    sections: dict[str, list[str]] = {}
    for key in keys:
        sections.setdefault(section_of(key), []).append(key)
    sections.setdefault("session", [])
    return list(sections.items())


def pages_for_user(user: User) -> dict[str, list[st.Page]]:
    """The user's menu for st.navigation; "sign out" closes the account section."""
    keys = page_keys(user)
    grouped: dict[str, list[st.Page]] = {}
    for section, section_keys in menu(keys):
        pages = grouped.setdefault(t(f"nav.section.{section}"), [])
        for key in section_keys:
            render, icon = PAGES[key]
            pages.append(
                st.Page(render, title=t(f"nav.{key}"), icon=icon, url_path=key,
                        default=(key == keys[0]))
            )
    grouped[t("nav.section.session")].append(
        st.Page(account.sign_out, title=t("nav.sign_out"), icon=":material/logout:",
                url_path=SIGNOUT_PATH)
    )
    return grouped


def signin_pages() -> list[st.Page]:
    """Every page path leads to the sign-in form while nobody is signed in, so a shared or
    bookmarked link asks for a sign-in instead of saying "page not found"."""
    title = t("nav.signin")
    aliases = [st.Page(signin.render, title=title, url_path=key) for key in PAGES]
    return [st.Page(signin.render, title=title, url_path=SIGNIN_PATH, default=True), *aliases]


def setup_pages() -> list[st.Page]:
    return [st.Page(setup.render, title=t("nav.setup"), url_path=SETUP_PATH, default=True)]
