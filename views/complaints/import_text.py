"""What the steps of the hotline import share: their catalog prefix, the messages about a file
(values from the file escaped) and the session keys more than one step reads."""

from __future__ import annotations

from services.core.errors import DomainError
from services.imports import complaint_report
from ui.context import t
from ui.text import plain_param

NONE = ""
VALUES = "ci_values"


def label(key: str, **params) -> str:
    return t(f"complaint_import.{key}", **params)


def describe():
    return complaint_report.describer(lambda key, **params: t(key, **params))


def say(err: DomainError) -> str:
    """A refusal as Markdown: values from the file escaped."""
    params = {k: v if k in ("field", "fields") else plain_param(v) for k, v in err.params.items()}
    return describe()(err.message_key, params)
