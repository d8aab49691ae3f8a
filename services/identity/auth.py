"""Sign-in with lockout, first-run set-up, own-account changes, idle sign-out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from config import get_settings
from db.models import Role, User
from db.timeutil import utcnow
from services.core.errors import (
    AccountLocked,
    AuthenticationFailed,
    Conflict,
    ValidationFailed,
)
from services.core.permissions import require
from services.core.uow import UnitOfWork, snapshot
from services.core.validation import clean_text
from services.identity import passwords

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
    with uow.read() as r:
        return r.session.exec(select(func.count()).select_from(User)).one() == 0


def create_first_admin(uow: UnitOfWork, *, username: str, display_name: str, password: str) -> User:
    """Only while there is no user at all; a second attempt (two browsers) is refused."""
    username = clean_text(username, field="username", max_len=64)
    display_name = clean_text(display_name, field="display_name", max_len=100)
    password_hash = passwords.hash_password(password)
    with uow:
        if uow.session.exec(select(func.count()).select_from(User)).one() > 0:
            raise Conflict("setup.already_done")
        user = User(
            username=username,
            display_name=display_name,
            role=Role.ADMIN,
            password_hash=password_hash,
        )
        uow.session.add(user)
        uow.flush()
        uow.audit(user, "setup.first_admin", "user", user.id, after=snapshot(user))
        uow.commit()
        return user


def sign_in(uow: UnitOfWork, *, username: str, password: str, now: datetime | None = None) -> User:
    now = now or utcnow()
    settings = get_settings()
    with uow:
        # Locked: parallel wrong passwords count one after the other, none is lost.
        user = uow.session.exec(
            select(User).where(User.username == (username or "").strip()).with_for_update()
        ).first()
        if user is None or not user.active:
            passwords.verify(None, password)
            raise AuthenticationFailed()
        if user.locked_until and user.locked_until > now:
            raise AccountLocked(minutes=_minutes_left(user.locked_until, now))
        if not passwords.verify(user.password_hash, password):
            user.failed_attempts += 1
            locked = user.failed_attempts >= settings.max_failed_signins
            if locked:
                user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
                user.failed_attempts = 0
            uow.audit(user, "auth.locked" if locked else "auth.failed", "user", user.id)
            uow.commit()  # the failed attempt must count even though we refuse
            if locked:
                raise AccountLocked(minutes=settings.lockout_minutes)
            raise AuthenticationFailed()
        user.failed_attempts = 0
        user.locked_until = None
        user.last_signin_at = now
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        uow.audit(user, "auth.signin", "user", user.id)
        uow.commit()
        return user


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, int((until - now).total_seconds() + 59) // 60)


def current_user(uow: UnitOfWork, user_id: int) -> User | None:
    """The user as stored now: a deactivated account loses its session on the next click."""
    with uow.read() as r:
        user = r.session.get(User, user_id)
        return user if user is not None and user.active else None


def sign_out(uow: UnitOfWork, *, actor: User) -> None:
    with uow:
        uow.audit(actor, "auth.signout", "user", actor.id)
        uow.commit()


def is_idle_expired(last_seen: datetime | None, now: datetime, minutes: int | None = None) -> bool:
    if last_seen is None:
        return False
    limit = minutes if minutes is not None else get_settings().idle_timeout_minutes
    return now - last_seen > timedelta(minutes=limit)


def change_own_password(uow: UnitOfWork, *, actor: User, old: str, new: str) -> None:
    require(actor, "account.self")
    new_hash = passwords.hash_password(new)
    with uow:
        user = uow.get(User, actor.id)
        if not passwords.verify(user.password_hash, old):
            raise ValidationFailed("account.old_password_wrong", field="old")
        if old == new:
            raise ValidationFailed("account.password_unchanged", field="new")
        user.password_hash = new_hash
        user.version += 1
        uow.audit(actor, "account.password_change", "user", user.id)
        uow.commit()


def set_own_language(uow: UnitOfWork, *, actor: User, language: str) -> None:
    require(actor, "account.self")
    if language not in LANGUAGES:
        raise ValidationFailed("account.language_unknown", field="language")
    with uow:
        user = uow.get(User, actor.id)
        before = user.language
        user.language = language
        uow.audit(
            actor,
            "account.language",
            "user",
            user.id,
            before={"language": before},
            after={"language": language},
        )
        uow.commit()
