"""Small pieces of UI used on several pages."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui import context
from ui.context import t

LANGUAGE_NAMES = {"zh-CN": "简体中文", "en": "English"}


def language_links() -> None:
    """Switch language before signing in (the account page keeps a signed-in user's choice)."""
    current = context.language()
    choice = st.segmented_control(
        t("account.language"),
        options=list(context.languages()),
        format_func=LANGUAGE_NAMES.__getitem__,
        default=current,
        key="lang_switch",
    )
    if choice and choice != current:
        context.set_language(choice)
        st.rerun()


def optional_select(
    label: str, options: dict[int, str], current: int | None, *, key: str, none_label: str
) -> int | None:
    """A select box over ids with a "none" entry; shows names, returns the id."""
    ids: list[int | None] = [None, *options]
    index = ids.index(current) if current in ids else 0
    return st.selectbox(
        label,
        ids,
        index=index,
        key=key,
        format_func=lambda i: none_label if i is None else options[i],
        # Streamlit shows its own English prompt for a None value: say the same as the option.
        placeholder=none_label,
    )


def seen_version(form_key: str, current: int) -> int:
    """The version of a record as it was when this user's form first showed it.

    Saving sends this version, so a change someone else saved in between is detected by
    the service (Conflict) instead of being silently overwritten."""
    return st.session_state.setdefault(f"{form_key}__version", current)


def forget_form(form_key: str) -> None:
    """Drop a form's remembered version and widget values: it shows the stored record anew."""
    # "ue_1_" and not "ue_1": the form of record 1 must not clear the form of record 10.
    prefix = form_key if form_key.endswith("_") else f"{form_key}_"
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


def round_of(counter: str) -> int:
    """How many times the form counted by `counter` was saved in this session. Part of its
    widgets' keys, so that each save starts them anew in the browser too: a chosen file or
    a multiselect's choice outlives its dropped session state."""
    return st.session_state.get(counter, 0)


def next_round(counter: str) -> None:
    st.session_state[counter] = round_of(counter) + 1


def choice_or_all(column, label: str, options, *, key: str, fmt, all_text: str):
    """A filter's select box with "all" (None) first, its value kept under `key` (seeded
    from a URL, say); a value that is no longer an option is dropped rather than raising."""
    options = list(options)
    if st.session_state.get(key) not in options:
        st.session_state[key] = None
    return column.selectbox(label, [None, *options], key=key, placeholder=all_text,
                            format_func=lambda v: all_text if v is None else fmt(v))


def optional_day(column, label: str, *, key: str):
    """A date input that starts empty, or at the value already kept under `key`."""
    # A value given as well as a seeded key would make Streamlit warn.
    if key in st.session_state:
        return column.date_input(label, key=key)
    return column.date_input(label, value=None, key=key)


def sort_picker(list_key: str, sorts, sort: str, descending: bool, *, label: str,
                option: Callable[[str], str], descending_label: str) -> tuple[str, bool]:
    """A list's sort key and direction, side by side above it (keys `<list>_sort`,
    `<list>_desc`). `sort` and `descending` are where they start; a value the page has put
    under the keys (a saved filter applied) wins, and then no start is given beside it."""
    left, right = st.columns([3, 1])
    sort_key, desc_key = f"{list_key}_sort", f"{list_key}_desc"
    start = {} if sort_key in st.session_state else {"index": list(sorts).index(sort)}
    sort = left.selectbox(label, list(sorts), key=sort_key, format_func=option, **start)
    start = {} if desc_key in st.session_state else {"value": descending}
    descending = right.toggle(descending_label, key=desc_key, **start)
    return sort, descending
