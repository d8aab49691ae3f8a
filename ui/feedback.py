"""Turn domain errors into messages in the user's language."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from services.core.errors import Conflict, DomainError
from ui.context import flash, t
from ui.text import plain_param
from ui.widgets import forget_form

# Parameters that are code names, shown as their catalog text (ours, not a user's).
_TRANSLATED = {"field", "columns", "frm", "to"}


def message_text(key: str, params: dict[str, Any], *, markdown: bool = True) -> str:
    """Services name fields by their code names; the user reads them in their language.

    Other parameters can be text a user typed (a name, a checklist item): escaped, since
    messages are shown as Markdown; `markdown=False` for a data frame cell."""
    params = {k: plain_param(v) if markdown and k not in _TRANSLATED else v
              for k, v in params.items()}
    if "field" in params:
        params["field"] = t(f"field.{params['field']}")
    if "columns" in params:
        params["columns"] = [t(f"field.{c}") for c in params["columns"]]
    # "finding.bad_transition", "complaint.bad_transition": the statuses of that record.
    statuses = key.split(".")[0] + "_status"
    for status in ("frm", "to"):
        if status in params and params[status] != "-":
            params[status] = t(f"{statuses}.{params[status]}")
    return t(key, **params)


def error_text(err: DomainError) -> str:
    key, params = err.message_key, err.params
    if key == "auth.throttled" and params.get("seconds", 0) >= 120:
        # "请在 15 分钟后再试", not "请在 900 秒后再试".
        key, params = "auth.throttled_minutes", {"minutes": math.ceil(params["seconds"] / 60)}
    text = message_text(key, params)
    if "file" in params:  # one of several uploads: say which
        text = t("attachment.in_file", file=plain_param(params["file"])) + text
    return text


@contextmanager
def reported(on_error: Callable[[str], Any] = st.error) -> Iterator[None]:
    """Show a DomainError from the block as a message instead of a traceback."""
    try:
        yield
    except DomainError as err:
        on_error(error_text(err))


@contextmanager
def saving(form_key: str, success_key: str = "common.saved", *,
           then: Callable[[], None] | None = None) -> Iterator[None]:
    """Wraps the save of an edit form (see ui.widgets.seen_version).

    Success: the form forgets its values and shows the saved record. A stale edit: the
    form reloads the record as it is now, with the message on top, so nothing is
    overwritten unseen. In both, `then` runs first, e.g. to give the form new keys: the
    browser keeps a widget's value (a chosen file, typed text) however its state is dropped.
    Other errors: a message, and the user's input stays."""
    try:
        yield
    except Conflict as err:
        if err.message_key != "error.stale_edit":
            st.error(error_text(err))
            return
        forget_form(form_key)
        if then is not None:
            then()
        flash("error", err.message_key)
        st.rerun()
    except DomainError as err:
        st.error(error_text(err))
    else:
        forget_form(form_key)
        if then is not None:
            then()
        flash("success", success_key)
        st.rerun()
