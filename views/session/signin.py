"""Sign-in page."""

from __future__ import annotations

import streamlit as st

from services.identity import auth
from ui import context
from ui.context import t
from ui.feedback import reported
from ui.widgets import language_links


def render() -> None:
    st.title(t("app.title"))
    st.caption(t("signin.subtitle"))
    context.show_flash()
    with st.form("signin_form", border=True):
        username = st.text_input(t("signin.username"), key="signin_username")
        password = st.text_input(t("signin.password"), type="password", key="signin_password")
        submitted = st.form_submit_button(t("signin.submit"), type="primary", width="stretch")
    if submitted:
        with reported():
            # Two transactions: the attempt is counted and committed before the password
            # is checked (services/identity/auth.py).
            attempt = context.run(
                auth.begin_sign_in, username=username, client=context.client_id()
            )
            user = context.run(auth.finish_sign_in, attempt=attempt, password=password)
            context.start_session(user)
            st.rerun()
    language_links()

