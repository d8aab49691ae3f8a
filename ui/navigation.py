"""The menu: which st.Page objects a user gets, from the permission matrix."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from db.models import User
from pages import (
    account,
    admin_audit,
    admin_org,
    admin_users,
    checklists,
    inspect_today,
    inspect_visit,
    rectify,
    review,
    setup,
    signin,
    verify,
    visit_plans,
)
from services.permissions import pages_for
from ui.context import t

# Page key -> (render function, Material icon). The key is also the URL path and the name
# of the module in pages/ that renders the page: see ui/cold_start.py for why.
PAGES: dict[str, tuple[Callable[[], None], str]] = {
    "inspect_today": (inspect_today.render, ":material/today:"),
    "inspect_visit": (inspect_visit.render, ":material/fact_check:"),
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
SIGNIN_PATH, SETUP_PATH, SIGNOUT_PATH = "signin", "setup", "sign_out"


def page_keys(user: User) -> list[str]:
    return pages_for(user.role)


def pages_for_user(user: User) -> list[st.Page]:
    pages = []
    for i, key in enumerate(page_keys(user)):
        render, icon = PAGES[key]
        pages.append(
            st.Page(render, title=t(f"nav.{key}"), icon=icon, url_path=key, default=(i == 0))
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
    aliases = [st.Page(signin.render, title=title, url_path=key) for key in PAGES]
    return [st.Page(signin.render, title=title, url_path=SIGNIN_PATH, default=True), *aliases]


def setup_pages() -> list[st.Page]:
    return [st.Page(setup.render, title=t("nav.setup"), url_path=SETUP_PATH, default=True)]

