"""The menu: which st.Page objects a user gets, from the permission matrix, grouped in the
same sections as the page packages."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from db.models import User
from pages.admin import audit as admin_audit
from pages.admin import org as admin_org
from pages.admin import users as admin_users
from pages.fieldwork import checklists, today, visit
from pages.fieldwork import plans as visit_plans
from pages.findings import rectify, review, verify
from pages.session import account, setup, signin
from services.core.permissions import pages_for
from ui.context import t

# Page key -> (render function, Material icon). The key is the URL path and the catalog key.
PAGES: dict[str, tuple[Callable[[], None], str]] = {
    "inspect_today": (today.render, ":material/today:"),
    "inspect_visit": (visit.render, ":material/fact_check:"),
    "rectify": (rectify.render, ":material/build:"),
    "review": (review.render, ":material/rule:"),
    "verify": (verify.render, ":material/verified:"),
    "visit_plans": (visit_plans.render, ":material/event_note:"),
    "checklists": (checklists.render, ":material/checklist:"),
    "admin_users": (admin_users.render, ":material/group:"),
    "admin_org": (admin_org.render, ":material/account_tree:"),
    "admin_audit": (admin_audit.render, ":material/history:"),
    "account": (account.render, ":material/person:"),
}
# Menu section of each page: the package its module lives in (pages/<section>/).
SECTIONS: tuple[str, ...] = ("fieldwork", "findings", "admin", "session")
SIGNIN_PATH, SETUP_PATH, SIGNOUT_PATH = "signin", "setup", "sign_out"


def section_of(key: str) -> str:
    return PAGES[key][0].__module__.split(".")[1]


def page_keys(user: User) -> list[str]:
    return pages_for(user.role)


def pages_for_user(user: User) -> dict[str, list[st.Page]]:
    """Menu sections in SECTIONS order, each with the user's pages in menu order; the first
    page of the first section is the start page, and "sign out" closes the last section."""
    keys = page_keys(user)
    grouped: dict[str, list[st.Page]] = {}
    for section in SECTIONS:
        for key in (k for k in keys if section_of(k) == section):
            render, icon = PAGES[key]
            page = st.Page(
                render, title=t(f"nav.{key}"), icon=icon, url_path=key, default=(key == keys[0])
            )
            grouped.setdefault(t(f"nav.section.{section}"), []).append(page)
    sign_out = st.Page(
        account.sign_out, title=t("nav.sign_out"), icon=":material/logout:", url_path=SIGNOUT_PATH
    )
    grouped.setdefault(t("nav.section.session"), []).append(sign_out)
    return grouped


def signin_pages() -> list[st.Page]:
    """Every page path leads to the sign-in form while nobody is signed in, so a shared or
    bookmarked link asks for a sign-in instead of saying "page not found"."""
    title = t("nav.signin")
    aliases = [st.Page(signin.render, title=title, url_path=key) for key in PAGES]
    return [st.Page(signin.render, title=title, url_path=SIGNIN_PATH, default=True), *aliases]


def setup_pages() -> list[st.Page]:
    return [st.Page(setup.render, title=t("nav.setup"), url_path=SETUP_PATH, default=True)]
