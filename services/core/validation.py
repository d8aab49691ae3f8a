"""Small checks on plain input values, shared by the services."""

from __future__ import annotations

from email.errors import MessageError
from email.headerregistry import Address

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


def clean_email(value: object, *, field: str = "email") -> str | None:
    """One plain address (name@host.tld) as the standard library's parser reads it, or None
    for an empty field."""
    text = clean_text(value, field=field, max_len=254, required=False)
    if not text:
        return None
    try:
        address = Address(addr_spec=text)
    except (ValueError, IndexError, TypeError, MessageError):
        address = None
    if (address is None or not address.username or "." not in address.domain.strip(".")
            or address.addr_spec != text):
        raise ValidationFailed("error.email_invalid", field=field)
    return text
