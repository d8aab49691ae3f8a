"""Links between pages. Kept apart from ui.navigation, which imports every page module:
a page that imported it would make a circle."""

from __future__ import annotations

import streamlit as st

from ui.context import t


def go(key: str, **query: str | int) -> None:
    """Open another page of the menu (by page key), with query parameters."""
    from ui.navigation import PAGES

    render, icon = PAGES[key]
    target = st.Page(render, title=t(f"nav.{key}"), icon=icon, url_path=key)
    st.switch_page(target, query_params={k: str(v) for k, v in query.items()})
