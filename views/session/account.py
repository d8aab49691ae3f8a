"""My account: who I am, change password, choose language."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.identity import auth
from ui import context
from ui.context import t
from ui.feedback import reported
from ui.page import page
from ui.text import plain
from ui.widgets import LANGUAGE_NAMES


@page("account", title="account.title")
def render(user: User) -> None:
    st.markdown(
        f"**{t('field.username')}**: {plain(user.username)}  \n"
        f"**{t('field.display_name')}**: {plain(user.display_name)}  \n"
        f"**{t('field.role')}**: {t('role.' + user.role)}"
    )

    st.subheader(t("account.language"))
    current = context.language()
    choice = st.radio(
        t("account.language"),
        list(context.languages()),
        horizontal=True,
        index=list(context.languages()).index(current),
        format_func=LANGUAGE_NAMES.__getitem__,
        label_visibility="collapsed",
        key="account_language",
    )
    if choice != current:
        with reported():
            context.run(auth.set_own_language, actor=user, language=choice)
            context.set_language(choice)
            st.rerun()

    st.subheader(t("account.change_password"))
    with st.form("password_form", clear_on_submit=True):
        old = st.text_input(t("account.old_password"), type="password", key="pw_old")
        new = st.text_input(
            t("account.new_password"),
            type="password",
            key="pw_new",
            help=t("auth.password_rule", min=10),
        )
        again = st.text_input(t("field.password_again"), type="password", key="pw_again")
        submitted = st.form_submit_button(t("account.save_password"), type="primary")
    if submitted:
        if new != again:
            st.error(t("account.passwords_differ"))
        else:
            with reported():
                changed = context.run(auth.change_own_password, actor=user, old=old, new=new)
                context.keep_session(changed)  # the user's other sessions are signed out
                st.success(t("account.password_changed"))


def sign_out() -> None:
    """Target of the "sign out" menu entry."""
    user = context.current_user()
    if user is not None:
        context.run(auth.sign_out, actor=user)
    context.end_session()
    context.flash("success", "auth.signed_out")
    st.rerun()

