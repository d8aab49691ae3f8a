"""The menu: which st.Page objects a user gets, from the permission matrix."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from db.models import User
from pages import account, admin_audit, admin_org, admin_users, setup, signin
from services.permissions import pages_for
from ui.context import t

# Page key -> (render function, Material icon, URL path). A URL path must never equal the
# name of a module in pages/: Streamlit would resolve it to that file (legacy multipage
# mode) on a rerun and run a module that only defines functions, showing a blank page.
# Hyphens keep the two name spaces apart.
PAGES: dict[str, tuple[Callable[[], None], str, str]] = {
    "admin_users": (admin_users.render, ":material/group:", "admin-users"),
    "admin_org": (admin_org.render, ":material/account_tree:", "admin-org"),
    "admin_audit": (admin_audit.render, ":material/history:", "audit-log"),
    "account": (account.render, ":material/person:", "my-account"),
}
SIGNIN_PATH, SETUP_PATH, SIGNOUT_PATH = "sign-in", "first-run", "sign-out"


def page_keys(user: User) -> list[str]:
    return pages_for(user.role)


def pages_for_user(user: User) -> list[st.Page]:
    pages = []
    for i, key in enumerate(page_keys(user)):
        render, icon, path = PAGES[key]
        pages.append(
            st.Page(render, title=t(f"nav.{key}"), icon=icon, url_path=path, default=(i == 0))
        )
    sign_out = st.Page(
        account.sign_out, title=t("nav.sign_out"), icon=":material/logout:", url_path=SIGNOUT_PATH
    )
    pages.append(sign_out)
    return pages


def signin_pages() -> list[st.Page]:
    """Every page path leads to the sign-in form while nobody is signed in, so a shared or
    bookmarked link asks for a sign-in instead of saying "page not found"."""
    title = t("nav.signin")
    aliases = [st.Page(signin.render, title=title, url_path=p) for _, _, p in PAGES.values()]
    return [st.Page(signin.render, title=title, url_path=SIGNIN_PATH, default=True), *aliases]


def setup_pages() -> list[st.Page]:
    return [st.Page(setup.render, title=t("nav.setup"), url_path=SETUP_PATH, default=True)]
