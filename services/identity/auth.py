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
    Conflict,
    SignInThrottled,
    ValidationFailed,
)
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.identity import passwords, throttle, users

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
    if not needs_setup(uow):
        raise Conflict("setup.already_done")
    return users.add_account(uow, None, "setup.first_admin", user)


def sign_in(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    client: str,
    now: datetime | None = None,
) -> User:
    """`client` names where the attempt comes from (an address, or a browser session when
    there is none); failures are counted for it and for the typed username.

    Whether the username exists, is deactivated or is real and active, a refusal costs the
    same and reads the same: one Argon2 verification (against a dummy hash for a name that
    does not exist), or none at all while a wait runs."""
    now = now or utcnow()
    typed = (username or "").strip()
    client = throttle.client_key(client)
    # Locked until commit: parallel attempts are checked one after the other, so every
    # failure counts and none slips past a wait that an earlier one has just started.
    rows = throttle.lock(
        uow.session,
        [(throttle.ACCOUNT, throttle.account_key(typed)), (throttle.CLIENT, client)],
    )
    user = uow.session.exec(select(User).where(User.username == typed)).first()
    # No entity for a name that does not exist; the typed text is not kept either
    # (it is sometimes a password typed into the wrong box).
    user_id = user.id if user is not None else None
    wait = throttle.wait_seconds(rows, now)
    if wait:
        uow.audit(user, "auth.throttled", "user", user_id, after={"client": client})
        raise SignInThrottled(seconds=wait)
    usable = user is not None and user.active
    if not passwords.verify(user.password_hash if usable else None, password):
        throttle.count_failure(rows, now)
        throttle.forget_stale(uow.session, now)
        uow.audit(user, "auth.failed", "user", user_id, after={"client": client})
        raise AuthenticationFailed()
    throttle.clear(uow.session, rows)
    user.last_signin_at = now
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
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
    its own session by storing the returned user's new version."""
    require(actor, "account.self")
    new_hash = passwords.hash_password(new)
    user = uow.get(User, actor.id)
    if not passwords.verify(user.password_hash, old):
        raise ValidationFailed("account.old_password_wrong", field="old")
    if old == new:
        raise ValidationFailed("account.password_unchanged", field="new")
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
