"""Sign-in (throttled, see throttle.py), first-run set-up, own-account changes, session
checks (idle time, credential version)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from config import get_settings
from db.models import Role, User
from db.timeutil import utcnow
from services.core import audit
from services.core.errors import (
    AuthenticationFailed,
    Busy,
    Conflict,
    SignInBusy,
    SignInThrottled,
    ValidationFailed,
)
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.identity import known_clients, passwords, throttle, users

LANGUAGES = ("zh-CN", "en")


@dataclass(frozen=True)
class SignedIn:
    """What a page keeps about the signed-in user; reloaded from the database each run."""

    user_id: int
    username: str
    display_name: str
    role: str
    language: str | None


def needs_setup(uow: UnitOfWork) -> bool:
    return uow.session.exec(select(func.count()).select_from(User)).one() == 0


def create_first_admin(uow: UnitOfWork, *, username: str, display_name: str, password: str) -> User:
    """Only while there is no user at all; a second attempt (two browsers) is refused."""
    user = users.new_account(username, display_name, password, role=Role.ADMIN)
    # Two browsers at the set-up page at once: the second waits, then finds a user.
    uow.serialize("setup.first_admin")
    if not needs_setup(uow):
        raise Conflict("setup.already_done")
    return users.add_account(uow, None, "setup.first_admin", user)


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt counted as a failure until its password proves right."""

    client: str
    counters: tuple[tuple[str, str], ...]
    user_id: int | None
    # The hash to check against; None checks against a dummy (no such active user).
    password_hash: str | None
    # The wait a wrong password leaves behind, for the audit log.
    wait_if_wrong: int
    at: datetime


def begin_sign_in(
    uow: UnitOfWork, *, username: str, client: str, now: datetime | None = None
) -> Attempt:
    """The first of sign-in's two transactions: the throttle's say, and the attempt counted
    in advance. The caller commits it before `finish_sign_in` checks the password, so no
    lock is held during Argon2 and every parallel guess is counted (throttle.py).

    `client` names where the attempt comes from (an address, or a browser session when
    there is none). Whether the username exists, is deactivated or is real and active, a
    refusal costs the same and reads the same. A refusal while a wait runs writes nothing
    (a script hammering the form fills no table)."""
    now = now or utcnow()
    typed = (username or "").strip()
    client = throttle.client_key(client)
    counters = ((throttle.ACCOUNT, throttle.account_key(typed)), (throttle.CLIENT, client))
    # Locked until commit: parallel attempts are checked one after the other, so none slips
    # past a wait that an earlier one has just started.
    rows = throttle.lock(uow.session, counters)
    user = uow.session.exec(select(User).where(User.username == typed)).first()
    known = client != throttle.UNKNOWN_CLIENT and known_clients.is_known(
        uow.session, user.id if user else None, client, now)
    wait = throttle.wait_seconds(rows, now, known_client=known)
    if wait:
        raise SignInThrottled(seconds=wait)
    throttle.count_failure(rows, now)
    throttle.forget_stale(uow.session, now)
    usable = user is not None and user.active
    return Attempt(
        client=client, counters=counters, user_id=user.id if user else None,
        password_hash=user.password_hash if usable else None,
        wait_if_wrong=throttle.wait_seconds(rows, now, known_client=known), at=now,
    )


def finish_sign_in(uow: UnitOfWork, *, attempt: Attempt, password: str) -> User:
    """The second transaction: the password checked before its first statement, then the
    attempt refunded (right) or audited as a failure (wrong)."""
    try:
        right = passwords.verify(attempt.password_hash, password)
    except Busy:
        # Not checked at all, so not held against the name or the client.
        throttle.refund(throttle.lock(uow.session, attempt.counters), attempt.at)
        raise SignInBusy() from None
    new_hash = None
    if right and passwords.needs_rehash(attempt.password_hash):
        new_hash = passwords.rehash(password)  # None when busy: next time
    s = uow.session
    user = s.get(User, attempt.user_id) if attempt.user_id is not None else None
    # Deactivated, or the password changed, while the password was being checked.
    right = right and user is not None and user.active and (
        user.password_hash == attempt.password_hash)
    if not right:
        # No entity for a name that does not exist; the typed text is not kept either
        # (it is sometimes a password typed into the wrong box).
        after = {"client": attempt.client}
        if attempt.wait_if_wrong:
            after["wait_seconds"] = attempt.wait_if_wrong
        uow.audit(user, "auth.failed", "user", attempt.user_id, after=after)
        raise AuthenticationFailed()
    throttle.refund(throttle.lock(s, attempt.counters), attempt.at)
    if attempt.client != throttle.UNKNOWN_CLIENT:
        known_clients.remember(s, user.id, attempt.client, attempt.at)
    user.last_signin_at = attempt.at
    if new_hash is not None:
        user.password_hash = new_hash
    audit.event(uow, user, "auth.signin", user)
    return user


def current_user(uow: UnitOfWork, user_id: int, credential_version: int) -> User | None:
    """The user as stored now, for a session that signed in when the user's credential
    version was `credential_version`. None ends that session: the account was deactivated,
    or its password, role or scope changed since (all of which raise the version)."""
    user = uow.session.get(User, user_id)
    if user is None or not user.active or user.credential_version != credential_version:
        return None
    return user


def sign_out(uow: UnitOfWork, *, actor: User) -> None:
    audit.event(uow, actor, "auth.signout", actor)


def is_idle_expired(last_seen: datetime | None, now: datetime, minutes: int | None = None) -> bool:
    if last_seen is None:
        return False
    limit = minutes if minutes is not None else get_settings().idle_timeout_minutes
    return now - last_seen > timedelta(minutes=limit)


def change_own_password(uow: UnitOfWork, *, actor: User, old: str, new: str) -> User:
    """Ends the user's other sessions (the credential version goes up); the caller keeps
    its own session by storing the returned user's new version.

    Both Argon2 runs come before any lock; the locks are then taken in sign-in's order
    (the user's known clients, then the user), so a sign-in in another tab at the same
    moment waits instead of deadlocking."""
    require(actor, "account.self")
    with uow.early_read() as check:
        current = check.session.get(User, actor.id).password_hash
    if not passwords.verify(current, old):
        raise ValidationFailed("account.old_password_wrong", field="old")
    if old == new:
        raise ValidationFailed("account.password_unchanged", field="new")
    new_hash = passwords.hash_password(new)
    known_clients.forget_user(uow.session, actor.id)
    user = uow.get(User, actor.id)
    if user.password_hash != current:
        raise Conflict("error.stale_edit")  # changed elsewhere while this one was hashing
    user.password_hash = new_hash
    user.version += 1
    user.credential_version += 1
    audit.event(uow, actor, "account.password_change", user)
    return user


def set_own_language(uow: UnitOfWork, *, actor: User, language: str) -> None:
    require(actor, "account.self")
    if language not in LANGUAGES:
        raise ValidationFailed("account.language_unknown", field="language")
    user = uow.get(User, actor.id)
    before = user.language
    user.language = language
    audit.event(uow, actor, "account.language", user, before={"language": before},
                after={"language": language})
