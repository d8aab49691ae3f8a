"""The only entry point: page config, language, sign-in gate, role-filtered navigation."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from config import get_settings
from services.identity import auth
from ui import context, navigation
from ui.context import t
from ui.text import plain
from views.session import setup


def main() -> None:
    try:
        get_settings()
    except ValidationError as err:
        # Unsafe or malformed settings: say which and why instead of starting.
        st.error(f"Configuration refused / 配置不安全，应用未启动:\n\n{err}")
        st.stop()
    st.set_page_config(page_title=t("app.title"), page_icon="🛡️", layout="wide")
    context.touch_or_expire()
    user = context.current_user()

    if st.session_state.get(setup.DONE_KEY) or (user is None and context.query(auth.needs_setup)):
        page = st.navigation(navigation.setup_pages(), position="hidden")
    elif user is None:
        page = st.navigation(navigation.signin_pages(), position="hidden")
    else:
        # Meeting mode (?meeting=1 on the dashboard) fills a big screen: no menu, no header.
        meeting = st.query_params.get("meeting") == "1"
        page = st.navigation(navigation.pages_for_user(user),
                             position="hidden" if meeting else "top")
        if not meeting:
            st.caption(t("app.signed_in_as", name=plain(user.display_name),
                         role=t("role." + user.role)))
        _idle_watch()
    page.run()


@st.fragment(run_every=60)
def _idle_watch() -> None:
    # Ends an idle session even when nobody clicks: the screen of a tablet left on a desk
    # stops showing data once the timeout has passed, or once the user's password, role or
    # scope has changed elsewhere.
    if context.touch_or_expire(peek=True) or context.current_user() is None:
        st.rerun(scope="app")


if __name__ == "__main__":
    main()
