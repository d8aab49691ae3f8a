"""Find organisation rows by the names people type (command line, imports)."""

from __future__ import annotations

from sqlmodel import select

from db.models import District, Unit, User
from services.core.errors import ValidationFailed
from services.core.uow import UnitOfWork


def district_id(uow: UnitOfWork, name: str) -> int:
    found = uow.session.exec(select(District.id).where(District.name == name.strip())).first()
    if found is None:
        raise ValidationFailed("org.district_unknown", name=name)
    return found


def unit_id(uow: UnitOfWork, name: str) -> int:
    found = uow.session.exec(select(Unit.id).where(Unit.name == name.strip())).first()
    if found is None:
        raise ValidationFailed("org.unit_unknown", name=name)
    return found


def active_user(uow: UnitOfWork, username: str) -> User:
    """The account a command acts as (`--as-user`)."""
    found = uow.session.exec(select(User).where(User.username == username.strip(),
                                                User.active)).first()
    if found is None:
        raise ValidationFailed("complaint_import.user_unknown", name=username)
    return found
