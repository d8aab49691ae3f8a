"""Password hashing (Argon2id) and the password policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from config import get_settings
from services.core.errors import ValidationFailed

_hasher = PasswordHasher()  # argon2-cffi defaults: Argon2id, RFC 9106 low-memory profile
# Verified against when the username does not exist, so both failures take equally long.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def check_policy(password: str) -> None:
    minimum = get_settings().min_password_length
    if len(password or "") < minimum:
        raise ValidationFailed("auth.password_too_short", field="password", min=minimum)
    if password.strip() != password or not password.strip():
        raise ValidationFailed("auth.password_spaces", field="password")


def hash_password(password: str) -> str:
    check_policy(password)
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
