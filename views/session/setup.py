"""First-run set-up: create the first administrator, then optionally load the demo data."""

from __future__ import annotations

import streamlit as st

from config import get_settings
from demo import loader as demo
from services.identity import auth
from ui import context
from ui.context import t
from ui.feedback import reported
from ui.widgets import language_links

DONE_KEY = "setup_admin_created"


def render() -> None:
    st.title(t("setup.title"))
    if st.session_state.get(DONE_KEY):
        _offer_demo()
        return
    st.info(t("setup.intro"))
    with st.form("setup_form"):
        username = st.text_input(t("field.username"), value="admin", key="setup_username")
        display = st.text_input(
            t("field.display_name"), value=t("setup.default_admin_name"), key="setup_display"
        )
        password = st.text_input(
            t("field.password"),
            type="password",
            key="setup_password",
            help=t("auth.password_rule", min=10),
        )
        again = st.text_input(t("field.password_again"), type="password", key="setup_again")
        submitted = st.form_submit_button(t("setup.create_admin"), type="primary", width="stretch")
    if submitted:
        if password != again:
            st.error(t("account.passwords_differ"))
        else:
            with reported():
                user = context.run(
                    auth.create_first_admin, username=username, display_name=display,
                    password=password
                )
                context.start_session(user)
                if get_settings().is_production:
                    # No demo offer: its accounts share a password printed in the README.
                    _finish("success", "setup.admin_created")
                st.session_state[DONE_KEY] = True
                st.rerun()
    language_links()


def _offer_demo() -> None:
    if get_settings().is_production:
        _finish("success", "setup.admin_created")
    st.success(t("setup.admin_created"))
    st.write(t("setup.demo_question"))
    password = st.text_input(
        t("setup.demo_password"), value=demo.DEFAULT_PASSWORD, key="setup_demo_password"
    )
    left, right = st.columns(2)
    if left.button(t("setup.load_demo"), type="primary", width="stretch", key="setup_load_demo"):
        bar = st.progress(0.0, text=t("setup.demo_progress", stage=""))

        def progress(fraction: float, stage: str) -> None:
            bar.progress(
                min(fraction, 1.0), text=t("setup.demo_progress", stage=t(f"demo.stage.{stage}"))
            )

        with reported():
            counts = context.run(demo.load_demo, password=password, progress=progress)
            _finish("success", "setup.demo_loaded", **counts)
    if right.button(t("setup.skip_demo"), width="stretch", key="setup_skip_demo"):
        _finish("info", "setup.finished")


def _finish(kind: str, key: str, **params) -> None:
    st.session_state.pop(DONE_KEY, None)
    context.flash(kind, key, **params)
    st.rerun()

