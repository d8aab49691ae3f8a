"""Password hashing (Argon2id) and the password policy."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from config import get_settings
from services.core.errors import Busy, ValidationFailed

_hasher = PasswordHasher()  # argon2-cffi defaults: Argon2id, RFC 9106 low-memory profile
# Verified against when the username does not exist, so both failures take equally long.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

_slots_guard = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None


def _semaphore() -> threading.BoundedSemaphore:
    global _slots
    size = get_settings().password_hash_concurrency
    with _slots_guard:
        if _slots is None or _slots[0] != size:
            _slots = (size, threading.BoundedSemaphore(size))
        return _slots[1]


@contextmanager
def hashing_slot() -> Iterator[None]:
    """One of the process's few turns at Argon2. Each hash takes 64 MiB, so a burst of
    sign-ins must not run them all at once; a caller that waits too long is told the
    system is busy instead of queueing without end."""
    slots = _semaphore()
    if not slots.acquire(timeout=get_settings().password_hash_wait_seconds):
        raise Busy()
    try:
        yield
    finally:
        slots.release()


def check_policy(password: str) -> None:
    minimum = get_settings().min_password_length
    if len(password or "") < minimum:
        raise ValidationFailed("auth.password_too_short", field="password", min=minimum)
    if password.strip() != password or not password.strip():
        raise ValidationFailed("auth.password_spaces", field="password")


def hash_password(password: str) -> str:
    check_policy(password)
    with hashing_slot():
        return _hasher.hash(password)


def rehash(password: str) -> str | None:
    """A stored hash brought to today's Argon2 parameters after a successful sign-in. No
    policy check (the password was accepted when it was set; refusing it now would lock
    its owner out) and no waiting: None when no hashing turn is free, to try next time."""
    slots = _semaphore()
    if not slots.acquire(blocking=False):
        return None
    try:
        return _hasher.hash(password)
    finally:
        slots.release()


def verify(password_hash: str | None, password: str) -> bool:
    with hashing_slot():
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password or "")
        except (VerificationError, InvalidHashError):
            return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
