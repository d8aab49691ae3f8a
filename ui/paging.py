"""Pages of a list that the database pages (a service's offset and limit, and its count
for the same filters): the position kept in the session, previous and next buttons.

    total = context.query(svc.count_x, **filters)
    offset = paging.offset("x", total, filters=filters)
    rows = context.query(svc.list_x, **filters, offset=offset, limit=paging.PAGE_SIZE)
    paging.controls("x", total)
"""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from ui.context import t

PAGE_SIZE = 50


def _page_key(key: str) -> str:
    return f"{key}_page"


def _pages(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


def offset(key: str, total: int, *, filters: Any = None, size: int = PAGE_SIZE) -> int:
    """The offset of the page to show now. Other filters than at the last run make a new
    list, which starts at its first page; a list that got shorter (cases closed meanwhile)
    shows its last page instead of an empty one."""
    filters_key = f"{key}_filters"
    if st.session_state.get(filters_key) != filters:
        st.session_state[filters_key] = filters
        st.session_state[_page_key(key)] = 1
    page = min(max(st.session_state.get(_page_key(key), 1), 1), _pages(total, size))
    st.session_state[_page_key(key)] = page
    return (page - 1) * size


def _move(key: str, step: int) -> None:
    st.session_state[_page_key(key)] = st.session_state.get(_page_key(key), 1) + step


def controls(key: str, total: int, *, size: int = PAGE_SIZE) -> None:
    """Where the shown page is, with previous and next; nothing when one page holds all.
    Call offset() first, in the same run."""
    pages = _pages(total, size)
    if pages == 1:
        return
    page = st.session_state.get(_page_key(key), 1)
    first, last = (page - 1) * size + 1, min(page * size, total)
    left, middle, right = st.columns([1, 3, 1], vertical_alignment="center")
    left.button(t("pager.previous"), key=f"{key}_prev", disabled=page <= 1, width="stretch",
                on_click=_move, args=(key, -1))
    middle.caption(t("pager.position", page=page, pages=pages, first=first, last=last,
                     total=total))
    right.button(t("pager.next"), key=f"{key}_next", disabled=page >= pages, width="stretch",
                 on_click=_move, args=(key, 1))
