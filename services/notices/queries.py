"""Reading notices, by role: the office and administrators see every notice, leaders every
one past draft (what awaits their sign-off, what was signed and issued), and a unit's
liaison only the issued notices addressed to its unit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, func, select, true

from db.models import (
    Complaint,
    Finding,
    Inspection,
    Notice,
    NoticeFinding,
    NoticeRecipient,
    NoticeStatus,
    Role,
    Unit,
    User,
)
from services.complaints.masking import HIDDEN
from services.core.errors import NotFound
from services.core.lifecycle import StatusChangeRow
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.visibility import finding_filter
from services.findings.status import CONFIRMED
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


def visible_statuses(actor: User) -> tuple[str, ...]:
    """The statuses of the notices the actor may read, in their order (a list filter that
    offers no other)."""
    require(actor, "notice.view")
    if actor.role == Role.UNIT:
        return (rules.ISSUED.value,)
    if actor.role == Role.LEADER:
        return tuple(s.value for s in NoticeStatus if s != rules.DRAFT)
    return tuple(s.value for s in NoticeStatus)


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
    reasons: dict[str, str]  # commendation: unit name -> why it is commended
    extract_of: str | None = None  # a liaison's extract: only this unit's part
    signed_by: str | None = None


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
    its recipients, its findings (no complainant data: findings hold none) and its log
    (none for a unit's liaison: the internal sign-off, returns and comments stay inside)."""
    session = uow.session
    notice = session.exec(select(Notice).where(Notice.id == notice_id, visible(actor))).first()
    if notice is None:
        raise NotFound()
    # An extract: the liaison reads the notice's text and only its own unit's part, down to
    # the main recipients' line (which would name every other unit criticised).
    extract = actor.role == Role.UNIT and notice.send_extracts
    own = [Unit.id == actor.unit_id] if extract else []
    recipients = session.exec(
        select(Unit.name).join(NoticeRecipient, NoticeRecipient.unit_id == Unit.id)
        .where(NoticeRecipient.notice_id == notice_id, *own).order_by(Unit.name)
    ).all()
    found_at = func.coalesce(Inspection.visited_at, Finding.created_at)
    findings = session.exec(
        select(Finding.id, Unit.name, Finding.category, Finding.severity, Finding.description,
               found_at, Finding.deadline)
        .join(NoticeFinding, NoticeFinding.finding_id == Finding.id)
        .join(Unit, Unit.id == Finding.unit_id)
        .join(Inspection, Inspection.id == Finding.inspection_id, isouter=True)
        .where(NoticeFinding.notice_id == notice_id, *own)
        .order_by(Unit.name, found_at, Finding.id)
    ).all()
    reasons = session.exec(
        select(Unit.name, NoticeRecipient.reason)
        .join(NoticeRecipient, NoticeRecipient.unit_id == Unit.id)
        .where(NoticeRecipient.notice_id == notice_id, NoticeRecipient.reason != "", *own)
        .order_by(Unit.name)).all()
    signer = session.get(User, notice.signed_by) if notice.signed_by else None
    # The way to sign-off (who returned it, with what comments) is the office's and the
    # leaders' business: the unit the notice is about reads the issued text only.
    log = [] if actor.role == Role.UNIT else rules.LIFECYCLE.history(session, notice_id)
    return NoticeView(notice, rules.number_text(notice), list(recipients),
                      _unnamed(session, findings), log, dict(reasons),
                      extract_of=session.get(Unit, actor.unit_id).name if extract else None,
                      signed_by=signer.display_name if signer else None)


def _identity(text: str, complaint: Complaint) -> str:
    """The description without the complainant's name, phone or address: a finding opened
    from a complaint starts from the complaint's text, which may give them."""
    for value in (complaint.complainant_name, complaint.complainant_address):
        if value and value.strip():
            text = text.replace(value.strip(), HIDDEN)
    digits = complaint.phone_digits or ""
    if len(digits) >= 5:  # the number however it was typed: 138 1234-1234
        text = re.sub(r"[\s\-]*".join(digits), HIDDEN, text)
    return text


def _unnamed(session, rows) -> list[NoticeFindingRow]:
    """The notice's findings; those opened from a complaint never name the complainant."""
    ids = [r[0] for r in rows]
    complaints = {fid: c for fid, c in session.exec(
        select(Finding.id, Complaint).join(Complaint, Complaint.id == Finding.complaint_id)
        .where(col(Finding.id).in_(ids))).all()} if ids else {}
    return [NoticeFindingRow(*r[:4], _identity(r[4], complaints[r[0]]), *r[5:])
            if r[0] in complaints else NoticeFindingRow(*r) for r in rows]


def finding_labels_query(uow: UnitOfWork, actor: User, finding_ids: list[int], *columns):
    require(actor, "notice.compose")
    if not finding_ids:
        return []
    return uow.session.exec(
        select(*columns)
        .join(Unit, Unit.id == Finding.unit_id)
        .join(Inspection, Inspection.id == Finding.inspection_id, isouter=True)
        .where(col(Finding.id).in_(finding_ids), col(Finding.status).in_(CONFIRMED),
               finding_filter(actor))
        .order_by(Unit.name, Finding.id)).all()


def finding_labels(uow: UnitOfWork, *, actor: User, finding_ids: list[int]) -> dict[int, str]:
    """Finding id -> "unit: what was found" for the compose form's list, of the confirmed
    findings the actor may read (others are left out, not named: a notice takes no other)."""
    rows = finding_labels_query(uow, actor, finding_ids, Finding.id, Unit.name,
                                Finding.description)
    return {fid: f"{unit}：{what[:40]}" for fid, unit, what in rows}


def finding_units(uow: UnitOfWork, *, actor: User, finding_ids: list[int]) -> set[int]:
    """The units of the findings the actor may read: a new notice's main recipients."""
    return set(finding_labels_query(uow, actor, finding_ids, Finding.unit_id))
