"""Composing a notice: a draft's content, its main recipients (units) and the findings it
lists. The office writes drafts; nothing here commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlmodel import col, delete, select

from config import get_settings
from db.models import Finding, Notice, NoticeFinding, NoticeKind, NoticeRecipient, Unit, User
from db.timeutil import utcnow
from services.core import audit
from services.core.errors import Conflict, ValidationFailed
from services.core.idempotency import get_or_create
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import clean_text
from services.core.visibility import finding_visible
from services.findings.status import CONFIRMED
from services.notices import rules

# The title in 2号 小标宋 fits two lines of the page at this many characters.
TITLE_MAX = 60
TEXT_MAX = 4000
CC_MAX = 500
OFFICE_MAX = 200
KEY_MAX = 64


def _content(*, kind: str, title: str, opening: str, requirements: str,
             rectification_deadline: date | None, cc: str, printing_office: str,
             printing_date: date | None) -> dict:
    if kind not in {k.value for k in NoticeKind}:
        raise ValidationFailed("notice.bad_kind", field="notice_kind")
    return {
        "kind": kind,
        "title": clean_text(title, field="notice_title", max_len=TITLE_MAX),
        "opening": clean_text(opening, field="notice_opening", max_len=TEXT_MAX,
                              required=False),
        "requirements": clean_text(requirements, field="notice_requirements",
                                   max_len=TEXT_MAX, required=False),
        "rectification_deadline": rectification_deadline,
        "cc": clean_text(cc, field="notice_cc", max_len=CC_MAX, required=False),
        "printing_office": clean_text(printing_office, field="notice_printing_office",
                                      max_len=OFFICE_MAX, required=False),
        "printing_date": printing_date,
    }


def _units(uow: UnitOfWork, unit_ids: Iterable[int]) -> list[int]:
    ids = sorted(set(unit_ids))
    if not ids:
        raise ValidationFailed("notice.no_recipients", field="notice_recipients")
    found = set(uow.session.exec(
        select(Unit.id).where(col(Unit.id).in_(ids), Unit.active == True)  # noqa: E712
    ).all())
    if missing := [i for i in ids if i not in found]:
        raise ValidationFailed("notice.bad_recipient", field="notice_recipients", ids=missing)
    return ids


def _findings(uow: UnitOfWork, actor: User, kind: str,
              finding_ids: Iterable[int]) -> dict[int, str]:
    """finding id -> its status now, for confirmed findings the actor may read."""
    ids = sorted(set(finding_ids))
    if kind == NoticeKind.CRITICISM and not ids:
        raise ValidationFailed("notice.no_findings", field="notice_findings")
    rows = uow.session.exec(select(Finding.id, Finding.status)
                            .where(col(Finding.id).in_(ids))).all() if ids else []
    status = dict(rows)
    bad = [i for i in ids if status.get(i) not in CONFIRMED
           or not finding_visible(uow.session, actor, i)]
    if bad:
        raise ValidationFailed("notice.bad_finding", field="notice_findings", ids=bad)
    return status


def _link(uow: UnitOfWork, notice: Notice, units: list[int], findings: dict[int, str]) -> None:
    session = uow.session
    session.exec(delete(NoticeRecipient).where(NoticeRecipient.notice_id == notice.id))
    session.exec(delete(NoticeFinding).where(NoticeFinding.notice_id == notice.id))
    session.add_all(NoticeRecipient(notice_id=notice.id, unit_id=u) for u in units)
    session.add_all(NoticeFinding(notice_id=notice.id, finding_id=f, selected_status=s)
                    for f, s in findings.items())
    session.flush()


def create_draft(
    uow: UnitOfWork, *, actor: User, client_key: str, kind: str, title: str,
    unit_ids: Iterable[int], finding_ids: Iterable[int] = (), opening: str = "",
    requirements: str = "", rectification_deadline: date | None = None, cc: str = "",
    printing_office: str = "", printing_date: date | None = None,
    corrects_id: int | None = None, now: datetime | None = None,
) -> Notice:
    """A new draft. The same client key (a double click, a retry) gives the draft it made
    the first time. `corrects_id`: the issued notice this one corrects."""
    require(actor, "notice.compose")
    client_key = clean_text(client_key, field="client_key", max_len=KEY_MAX)
    content = _content(kind=kind, title=title, opening=opening, requirements=requirements,
                       rectification_deadline=rectification_deadline, cc=cc,
                       printing_office=printing_office, printing_date=printing_date)
    units = _units(uow, unit_ids)
    findings = _findings(uow, actor, kind, finding_ids)
    if corrects_id is not None:
        corrected = uow.session.get(Notice, corrects_id)
        if corrected is None or corrected.status != rules.ISSUED:
            raise ValidationFailed("notice.corrects_not_issued", field="notice_corrects")
    at = now or utcnow()

    def make() -> Notice:
        return Notice(**content, status=rules.DRAFT, corrects_id=corrects_id, created_at=at,
                      issuing_office=get_settings().notice_issuing_office)

    notice, created = get_or_create(uow, Notice, client_key=client_key,
                                    owner={"created_by": actor.id}, target={}, create=make)
    if not created:
        return notice
    _link(uow, notice, units, findings)
    rules.LIFECYCLE.start(uow.session, notice, actor=actor, at=at)
    audit.record(uow, actor, "notice.create", notice,
                 extra={"unit_ids": units, "finding_ids": sorted(findings)})
    return notice


def update_draft(
    uow: UnitOfWork, *, actor: User, notice_id: int, version: int | None, kind: str,
    title: str, unit_ids: Iterable[int], finding_ids: Iterable[int] = (), opening: str = "",
    requirements: str = "", rectification_deadline: date | None = None, cc: str = "",
    printing_office: str = "", printing_date: date | None = None,
) -> Notice:
    """Saves a draft's content, recipients and findings; a notice past draft (awaiting,
    signed) must be returned first; an issued one is never edited."""
    require(actor, "notice.compose")
    notice = rules.for_write(uow, notice_id, version)
    if notice.status != rules.DRAFT:
        raise Conflict("notice.not_draft")
    content = _content(kind=kind, title=title, opening=opening, requirements=requirements,
                       rectification_deadline=rectification_deadline, cc=cc,
                       printing_office=printing_office, printing_date=printing_date)
    units = _units(uow, unit_ids)
    findings = _findings(uow, actor, kind, finding_ids)
    before = audit.state(notice)
    for name, value in content.items():
        setattr(notice, name, value)
    notice.version += 1
    uow.session.add(notice)
    _link(uow, notice, units, findings)
    audit.record(uow, actor, "notice.update", notice, before,
                 extra={"unit_ids": units, "finding_ids": sorted(findings)})
    return notice
