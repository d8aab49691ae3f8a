"""Reading notices, by role: the office and administrators see every notice, leaders every
one past draft (what awaits their sign-off, what was signed and issued), and a unit's
liaison only the issued notices addressed to its unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, func, select, true

from db.models import Finding, Notice, NoticeFinding, NoticeRecipient, Role, Unit, User
from services.core.errors import NotFound
from services.core.lifecycle import StatusChangeRow
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.notices import rules


def visible(actor: User) -> ColumnElement[bool]:
    """A WHERE clause over Notice: the notices the actor may read."""
    require(actor, "notice.view")
    if actor.role == Role.UNIT:
        addressed = exists().where(NoticeRecipient.notice_id == Notice.id,
                                   NoticeRecipient.unit_id == actor.unit_id)
        return (Notice.status == rules.ISSUED) & addressed
    if actor.role == Role.LEADER:
        return Notice.status != rules.DRAFT
    return true()


@dataclass(frozen=True)
class NoticeRow:
    id: int
    kind: str
    status: str
    number: str | None
    title: str
    created_at: datetime
    issued_at: datetime | None
    version: int


@dataclass(frozen=True)
class NoticeFindingRow:
    id: int
    unit: str
    category: str
    severity: str
    description: str
    found_at: datetime
    deadline: date | None


@dataclass(frozen=True)
class NoticeView:
    notice: Notice
    number: str | None
    recipients: list[str]
    findings: list[NoticeFindingRow]
    log: list[StatusChangeRow]


def _row(n: Notice) -> NoticeRow:
    return NoticeRow(n.id, n.kind, n.status, rules.number_text(n), n.title, n.created_at,
                     n.issued_at, n.version)


def list_notices(uow: UnitOfWork, *, actor: User, status: str | None = None,
                 kind: str | None = None) -> list[NoticeRow]:
    """Newest first; optionally one status or kind."""
    query = select(Notice).where(visible(actor))
    if status:
        query = query.where(Notice.status == status)
    if kind:
        query = query.where(Notice.kind == kind)
    rows = uow.session.exec(query.order_by(col(Notice.created_at).desc(),
                                           col(Notice.id).desc())).all()
    return [_row(n) for n in rows]


def count_by_status(uow: UnitOfWork, *, actor: User) -> dict[str, int]:
    """How many notices the actor may read are in each status, counted in the database."""
    return dict(uow.session.exec(
        select(Notice.status, func.count()).where(visible(actor)).group_by(Notice.status)).all())


def get_notice(uow: UnitOfWork, *, actor: User, notice_id: int) -> NoticeView:
    """One notice the actor may read (NotFound otherwise, so ids cannot be probed), with
    its recipients, its findings (no complainant data: findings hold none) and its log."""
    session = uow.session
    notice = session.exec(select(Notice).where(Notice.id == notice_id, visible(actor))).first()
    if notice is None:
        raise NotFound()
    recipients = session.exec(
        select(Unit.name).join(NoticeRecipient, NoticeRecipient.unit_id == Unit.id)
        .where(NoticeRecipient.notice_id == notice_id).order_by(Unit.name)
    ).all()
    findings = session.exec(
        select(Finding.id, Unit.name, Finding.category, Finding.severity, Finding.description,
               Finding.created_at, Finding.deadline)
        .join(NoticeFinding, NoticeFinding.finding_id == Finding.id)
        .join(Unit, Unit.id == Finding.unit_id)
        .where(NoticeFinding.notice_id == notice_id)
        .order_by(Unit.name, Finding.created_at, Finding.id)
    ).all()
    log = rules.LIFECYCLE.history(session, notice_id)
    return NoticeView(notice, rules.number_text(notice), list(recipients),
                      [NoticeFindingRow(*f) for f in findings], log)
