"""User administration: create, edit role and scope, deactivate, reset password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from db.models import District, Role, Unit, User
from db.timeutil import utcnow
from services.core import audit
from services.core.errors import Conflict, ValidationFailed
from services.core.permissions import ROLES, require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_email, clean_text
from services.identity import known_clients, passwords, throttle


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    district_id: int | None
    district: str | None
    unit_id: int | None
    unit: str | None
    email: str | None
    active: bool
    signin_delayed_until: datetime | None  # failed sign-ins for this name: wait until then
    last_signin_at: datetime | None
    version: int


def list_users(uow: UnitOfWork, *, actor: User) -> list[UserRow]:
    require(actor, "users.manage")
    rows = uow.session.exec(
        select(User, District.name, Unit.name)
        .join(District, User.district_id == District.id, isouter=True)
        .join(Unit, User.unit_id == Unit.id, isouter=True)
        .order_by(User.role, User.username)
    ).all()
    delayed = throttle.blocked_until_by_account(
        uow.session, [u.username for u, _, _ in rows], utcnow()
    )
    return [
        UserRow(
            u.id,
            u.username,
            u.display_name,
            u.role,
            u.district_id,
            d,
            u.unit_id,
            n,
            u.email,
            u.active,
            delayed.get(u.username),
            u.last_signin_at,
            u.version,
        )
        for u, d, n in rows
    ]


def _check_scope(session, role: str, district_id: int | None, unit_id: int | None) -> None:
    if role not in ROLES:
        raise ValidationFailed("users.role_unknown", field="role", role=role)
    if district_id is not None and session.get(District, district_id) is None:
        raise ValidationFailed("org.district_missing", field="district")
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None or not unit.active:
            raise ValidationFailed("org.unit_missing", field="unit")
    if role == Role.UNIT and unit_id is None:
        raise ValidationFailed("users.unit_required", field="unit")
    if role != Role.UNIT and unit_id is not None:
        raise ValidationFailed("users.unit_only_for_liaison", field="unit")


def new_account(username: str, display_name: str, password: str, **fields) -> User:
    """An unsaved user: names cleaned, password hashed. Call it before the unit's first
    statement, so Argon2 does not run while the unit holds SQLite's write lock."""
    return User(
        username=clean_text(username, field="username", max_len=64),
        display_name=clean_text(display_name, field="display_name", max_len=100),
        password_hash=passwords.hash_password(password),
        **fields,
    )


def add_account(uow: UnitOfWork, actor: User | None, action: str, user: User) -> User:
    """Store a user from new_account, once the caller has checked who may; `actor` None
    means the user creates itself (the first administrator)."""
    if uow.session.exec(select(User.id).where(User.username == user.username)).first():
        raise Conflict("users.username_taken", username=user.username)
    uow.session.add(user)
    audit.record(uow, actor or user, action, user)
    return user


def create_user(
    uow: UnitOfWork,
    *,
    actor: User,
    username: str,
    display_name: str,
    role: str,
    password: str,
    district_id: int | None = None,
    unit_id: int | None = None,
    email: str | None = None,
) -> User:
    require(actor, "users.manage")
    user = new_account(username, display_name, password, role=role,
                       district_id=district_id, unit_id=unit_id, email=clean_email(email))
    _check_scope(uow.session, role, district_id, unit_id)
    return add_account(uow, actor, "user.create", user)


def update_user(
    uow: UnitOfWork,
    *,
    actor: User,
    user_id: int,
    version: int,
    display_name: str,
    role: str,
    district_id: int | None,
    unit_id: int | None,
    email: str | None = None,
) -> User:
    """`email` None keeps the address; "" removes it."""
    require(actor, "users.manage")
    display_name = clean_text(display_name, field="display_name", max_len=100)
    address = clean_email(email) if email is not None else None
    user = uow.get(User, user_id)
    check_version(user.version, version)
    _check_scope(uow.session, role, district_id, unit_id)
    if user.id == actor.id and role != Role.ADMIN:
        raise ValidationFailed("users.cannot_demote_self")
    before = audit.state(user)
    if (user.role, user.district_id, user.unit_id) != (role, district_id, unit_id):
        # What the user may see and do has changed: sessions opened under the old role
        # or scope end. A new display name alone leaves them alone.
        user.credential_version += 1
    user.display_name, user.role = display_name, role
    user.district_id, user.unit_id = district_id, unit_id
    if email is not None:
        user.email = address
    user.version += 1
    audit.record(uow, actor, "user.update", user, before)
    return user


def set_active(uow: UnitOfWork, *, actor: User, user_id: int, active: bool) -> User:
    require(actor, "users.manage")
    user = uow.get(User, user_id)
    if user.id == actor.id and not active:
        raise ValidationFailed("users.cannot_deactivate_self")
    before = audit.state(user)
    if user.active != active:
        user.credential_version += 1
    user.active = active
    user.version += 1
    action = "user.reactivate" if active else "user.deactivate"
    audit.record(uow, actor, action, user, before)
    return user


def reset_password(uow: UnitOfWork, *, actor: User, user_id: int, new_password: str) -> None:
    """Ends the user's sessions, and lifts the sign-in delay on the name: the
    administrator has just confirmed who the user is."""
    require(actor, "users.manage")
    new_hash = passwords.hash_password(new_password)
    # The name's counter before the user row: the order sign-in takes them in, so a
    # sign-in at the same moment waits instead of deadlocking.
    username = uow.session.exec(select(User.username).where(User.id == user_id)).first()
    if username is not None:
        throttle.clear_account(uow.session, username)
    user = uow.get(User, user_id)
    user.password_hash = new_hash
    user.version += 1
    user.credential_version += 1
    known_clients.forget_user(uow.session, user.id)
    audit.event(uow, actor, "user.reset_password", user)
