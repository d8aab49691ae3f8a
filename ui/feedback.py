"""Turn domain errors into messages in the user's language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from services.errors import DomainError
from ui.context import t


def error_text(err: DomainError) -> str:
    params = dict(err.params)
    if "field" in params:
        params["field"] = t(f"field.{params['field']}")
    return t(err.message_key, **params)


@contextmanager
def reported(on_error: Callable[[str], Any] = st.error) -> Iterator[None]:
    """Show a DomainError from the block as a message instead of a traceback."""
    try:
        yield
    except DomainError as err:
        on_error(error_text(err))
