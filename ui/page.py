"""The preamble every page shares: who is signed in, whether the page is theirs, its title
and the message left by the last action. A view writes only what is its own:

    @page("verify", title="verify.title", tablet=True)
    def render(actor: User) -> None: ...

The decorated function takes no argument, as st.Page and the test harnesses call it."""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st

from db.models import User
from services.core.errors import PermissionDenied
from services.core.permissions import PAGE_CAPABILITY, can
from ui import context
from ui.context import t
from ui.tablet import touch_friendly

View = Callable[[User], None]


def page(key: str, *, title: str, tablet: bool = False) -> Callable[[View], Callable[[], None]]:
    """`key` is the page's key in the permission matrix (PAGE_CAPABILITY), so the page
    checks the same capability that puts it in a role's menu; `title` a catalog key."""
    capability = PAGE_CAPABILITY[key]

    def decorate(render: View) -> Callable[[], None]:
        @functools.wraps(render)
        def show() -> None:
            if tablet:
                touch_friendly()
            actor = context.current_user()
            st.title(t(title))
            context.show_flash()
            if actor is None:
                # Signed out during this run (credentials changed elsewhere): the flash
                # just shown says so, and the next run shows the sign-in form.
                return
            if not can(actor, capability):
                # The menu never offers this page to the role; a link from someone else
                # or a role changed meanwhile still shows nothing of it.
                refuse()
                return
            try:
                render(actor)
            except PermissionDenied:
                # A service refused what the page asked (a scope the matrix cannot see):
                # a message, not a traceback.
                refuse()

        return show

    return decorate


def refuse() -> None:
    st.error(t("page.no_permission"))
