"""Saved filters (issue 10), above a list's filters: the user's own named sets of them. Pick
one and apply it, or delete it; or save the filters the list shows now under a name (the
same name again replaces that one). The service keeps each user's to themselves and cleans
what is saved (services/preferences/saved_filters.py); the page that owns the filters puts
the applied one into its widgets and URL (views/findings/register_filters.py)."""

from __future__ import annotations

import streamlit as st

from db.models import User
from services.preferences import saved_filters as service
from ui import context
from ui.context import flash, t
from ui.feedback import reported
from ui.widgets import choice_or_all, next_round, round_of

KEY = "sf"
_ROUND = f"{KEY}_round"  # saving starts the name box anew (ui.widgets.round_of)


def render(actor: User, page: str, shown: dict[str, str]) -> dict[str, str] | None:
    """The query of the saved filter the user applies in this run, or None. `shown` is the
    page's URL query for the list as it is shown: what "save" keeps."""
    saved = {s.id: s for s in context.query(service.list_filters, actor=actor, page=page)}
    pick, use, drop, name, save = st.columns([3, 1, 1, 3, 2], vertical_alignment="bottom")
    if saved:
        chosen = choice_or_all(pick, t("saved_filter_ui.title"), list(saved),
                               key=f"{KEY}_pick", fmt=lambda i: saved[i].name,
                               all_text=t("saved_filter_ui.pick"))
    else:
        chosen = None
        pick.caption(t("saved_filter_ui.none"))
    applied = use.button(t("saved_filter_ui.apply"), key=f"{KEY}_apply",
                         disabled=chosen is None, width="stretch")
    deleted = drop.button(t("saved_filter_ui.delete"), key=f"{KEY}_delete",
                          disabled=chosen is None, width="stretch")
    typed = name.text_input(t("saved_filter_ui.name"), key=f"{KEY}_name_{round_of(_ROUND)}",
                            max_chars=service.MAX_NAME,
                            placeholder=t("saved_filter_ui.name_placeholder"))
    if save.button(t("saved_filter_ui.save"), key=f"{KEY}_save", type="primary",
                   width="stretch"):
        _save(actor, page, typed, shown, replaces={s.name for s in saved.values()})
    if deleted and chosen is not None:
        with reported():
            gone = context.run(service.delete_filter, actor=actor, filter_id=chosen)
            flash("success", "saved_filter_ui.deleted", name=gone.name)
            st.rerun()
    if applied and chosen is not None:
        flash("success", "saved_filter_ui.applied", name=saved[chosen].name)
        return saved[chosen].query
    return None


def _save(actor: User, page: str, typed: str, shown: dict[str, str], *,
          replaces: set[str]) -> None:
    """Saves, or says why not with the typed name kept in its box."""
    with reported():
        row = context.run(service.save_filter, actor=actor, page=page, name=typed,
                          query=shown)
        next_round(_ROUND)
        flash("success", "saved_filter_ui.replaced" if row.name in replaces
              else "saved_filter_ui.saved", name=row.name)
        st.rerun()
