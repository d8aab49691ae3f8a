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


def sync_query(owned, wanted: dict[str, str]) -> None:
    """The URL's query parameters a page owns set to `wanted`: those owned and no longer
    wanted removed, the changed ones written (an unchanged one is left alone, so the URL
    does not churn on every run); parameters the page does not own stay."""
    for param in owned:
        if param in st.query_params and param not in wanted:
            del st.query_params[param]
    for param, value in wanted.items():
        if st.query_params.get(param) != value:
            st.query_params[param] = value
