"""Administration of user accounts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from db.models import User
from services.core.permissions import ROLES
from services.identity import users
from services.org import structure as org
from ui import context
from ui.context import local_time, t
from ui.feedback import reported, saving
from ui.page import page
from ui.text import plain
from ui.widgets import optional_select, seen_version


@page("admin_users", title="users.title")
def render(actor: User) -> None:
    rows = context.query(users.list_users, actor=actor)
    districts = {d.id: d.name for d in context.query(org.list_districts, actor=actor)}
    units = {
        u.id: u.name for u in context.query(org.list_units, actor=actor, include_inactive=False)
    }

    st.dataframe(_table(rows), hide_index=True)

    with st.expander(t("users.create"), expanded=not rows):
        _create_form(actor, districts, units)

    if rows:
        st.subheader(t("users.edit"))
        by_id = {r.id: r for r in rows}
        user_id = st.selectbox(
            t("users.pick"),
            list(by_id),
            key="users_pick",
            format_func=lambda i: f"{by_id[i].username} · {by_id[i].display_name}",
        )
        _edit_form(actor, by_id[user_id], districts, units)


def _table(rows: list[users.UserRow]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("field.username"): [r.username for r in rows],
            t("field.display_name"): [r.display_name for r in rows],
            t("field.role"): [t("role." + r.role) for r in rows],
            t("field.district"): [r.district or "" for r in rows],
            t("field.unit"): [r.unit or "" for r in rows],
            t("field.email"): [r.email or "" for r in rows],
            t("field.active"): [r.active for r in rows],
            # The city's clock, and empty rather than "None".
            t("users.signin_delayed_until"): [local_time(r.signin_delayed_until, "%H:%M:%S")
                                              for r in rows],
            t("users.last_signin"): [local_time(r.last_signin_at) for r in rows],
        }
    )


def _role_select(key: str, current: str | None = None) -> str:
    return st.selectbox(
        t("field.role"),
        ROLES,
        key=key,
        format_func=lambda r: t("role." + r),
        index=ROLES.index(current) if current in ROLES else 0,
    )


def _create_form(actor, districts: dict[int, str], units: dict[int, str]) -> None:
    with st.form("user_create", clear_on_submit=False):
        username = st.text_input(t("field.username"), key="uc_username")
        display = st.text_input(t("field.display_name"), key="uc_display")
        role = _role_select("uc_role")
        district = optional_select(
            t("field.district"), districts, None, key="uc_district", none_label=t("common.none")
        )
        unit = optional_select(
            t("field.unit"), units, None, key="uc_unit", none_label=t("common.none")
        )
        email = st.text_input(t("field.email"), key="uc_email", max_chars=254)
        password = st.text_input(
            t("field.password"),
            type="password",
            key="uc_password",
            help=t("auth.password_rule", min=10),
        )
        submitted = st.form_submit_button(t("users.create"), type="primary")
    if submitted:
        with reported():
            user = context.run(users.create_user,
                actor=actor,
                username=username,
                display_name=display,
                role=role,
                password=password,
                district_id=district,
                unit_id=unit,
                email=email,
            )
            context.flash("success", "users.created", username=user.username)
            for key in ("uc_username", "uc_display", "uc_email", "uc_password"):
                st.session_state.pop(key, None)
            st.rerun()


def _edit_form(actor, row: users.UserRow, districts: dict[int, str], units: dict[int, str]) -> None:
    k = f"ue_{row.id}"
    version = seen_version(k, row.version)
    with st.form(f"{k}_form"):
        display = st.text_input(t("field.display_name"), value=row.display_name, key=f"{k}_display")
        role = _role_select(f"{k}_role", row.role)
        district = optional_select(
            t("field.district"),
            districts,
            row.district_id,
            key=f"{k}_district",
            none_label=t("common.none"),
        )
        unit = optional_select(
            t("field.unit"), units, row.unit_id, key=f"{k}_unit", none_label=t("common.none")
        )
        email = st.text_input(t("field.email"), value=row.email or "", key=f"{k}_email",
                              max_chars=254)
        saved = st.form_submit_button(t("common.save"), type="primary")
    if saved:
        with saving(k):
            context.run(users.update_user,
                actor=actor,
                user_id=row.id,
                version=version,
                display_name=display,
                role=role,
                district_id=district,
                unit_id=unit,
                email=email,
            )

    left, right = st.columns(2)
    with left, st.form(f"{k}_reset", clear_on_submit=True):
        new_password = st.text_input(t("users.new_password"), type="password", key=f"{k}_pw")
        if st.form_submit_button(t("users.reset_password")):
            with reported():
                context.run(
                    users.reset_password, actor=actor, user_id=row.id, new_password=new_password
                )
                st.success(t("users.password_reset", username=plain(row.username)))
    with right:
        label = t("users.deactivate") if row.active else t("users.reactivate")
        if st.button(label, key=f"{k}_toggle", width="stretch"):
            with reported():
                context.run(users.set_active, actor=actor, user_id=row.id, active=not row.active)
                context.flash("success", "common.saved")
                st.rerun()

