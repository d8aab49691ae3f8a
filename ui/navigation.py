"""The menu: which st.Page objects a user gets, from the permission matrix."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from db.models import User
from pages import account, admin_audit, admin_org, admin_users, setup, signin
from services.permissions import pages_for
from ui.context import t

# Page key -> (render function, Material icon). Keys are the URL paths too.
PAGES: dict[str, tuple[Callable[[], None], str]] = {
    "admin_users": (admin_users.render, ":material/group:"),
    "admin_org": (admin_org.render, ":material/account_tree:"),
    "admin_audit": (admin_audit.render, ":material/history:"),
    "account": (account.render, ":material/person:"),
}


def page_keys(user: User) -> list[str]:
    return pages_for(user.role)


def pages_for_user(user: User) -> list[st.Page]:
    keys = page_keys(user)
    pages = [
        st.Page(
            PAGES[key][0], title=t(f"nav.{key}"), icon=PAGES[key][1], url_path=key, default=(i == 0)
        )
        for i, key in enumerate(keys)
    ]
    pages.append(
        st.Page(
            account.sign_out, title=t("nav.sign_out"), icon=":material/logout:", url_path="sign_out"
        )
    )
    return pages


def signin_pages() -> list[st.Page]:
    """Every page path leads to the sign-in form while nobody is signed in, so a shared or
    bookmarked link asks for a sign-in instead of saying "page not found"."""
    title = t("nav.signin")
    aliases = [st.Page(signin.render, title=title, url_path=key) for key in PAGES]
    return [st.Page(signin.render, title=title, url_path="signin", default=True), *aliases]


def setup_pages() -> list[st.Page]:
    return [st.Page(setup.render, title=t("nav.setup"), url_path="setup", default=True)]
