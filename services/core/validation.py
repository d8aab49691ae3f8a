"""Small checks on plain input values, shared by the services."""

from __future__ import annotations

from services.core.errors import Conflict, ValidationFailed


def clean_text(value: object, *, field: str, max_len: int, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationFailed("error.required", field=field)
    if len(text) > max_len:
        raise ValidationFailed("error.too_long", field=field, max=max_len)
    return text


def check_version(current: int, expected: int | None) -> None:
    """Optimistic locking: refuse a save based on a copy someone else has changed since."""
    if expected is not None and current != expected:
        raise Conflict("error.stale_edit")
