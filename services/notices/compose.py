"""Composing a notice: a draft's content, its main recipients (units) and the findings it
lists. The office writes drafts; nothing here commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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
from services.notices.document import without_controls
from services.notices.figures import situation_figures

# The title in 2号 小标宋 (about 20 characters a line of the 156 mm type area) keeps to
# three centred lines at this many characters, as long titles in official documents do.
TITLE_MAX = 60
TEXT_MAX = 4000
CC_MAX = 500
OFFICE_MAX = 200
ATTACHMENTS_MAX = 1000
REASON_MAX = 500
KEY_MAX = 64


@dataclass(frozen=True)
class Content:
    """What the office types into a notice, as the compose form holds it."""

    kind: str
    title: str
    unit_ids: tuple[int, ...] = ()
    finding_ids: tuple[int, ...] = ()
    opening: str = ""
    requirements: str = ""
    rectification_deadline: date | None = None
    cc: str = ""
    printing_office: str = ""
    printing_date: date | None = None
    attachments: str = ""
    with_photos: bool = False
    send_extracts: bool = False
    period_from: date | None = None
    period_to: date | None = None
    reasons: Mapping[int, str] = field(default_factory=dict)  # commendation: unit -> why


def _typed(value: object, *, field: str, max_len: int, required: bool = False) -> str:
    """clean_text without control characters (a pasted bell or NUL would stop the Word
    document from being written); line breaks and tabs stay."""
    return clean_text(without_controls(value), field=field, max_len=max_len,
                      required=required)


def _title(value: object) -> str:
    title = _typed(value, field="notice_title", max_len=TITLE_MAX, required=True)
    if "\n" in title or "\r" in title or "\t" in title:
        raise ValidationFailed("notice.title_one_line", field="notice_title")
    return title


def _content(uow: UnitOfWork, actor: User, c: Content) -> dict:
    if c.kind not in {k.value for k in NoticeKind}:
        raise ValidationFailed("notice.bad_kind", field="notice_kind")
    situation = c.kind == NoticeKind.SITUATION
    return {
        "kind": c.kind,
        "title": _title(c.title),
        "opening": _typed(c.opening, field="notice_opening", max_len=TEXT_MAX),
        "requirements": _typed(c.requirements, field="notice_requirements",
                               max_len=TEXT_MAX),
        "rectification_deadline": c.rectification_deadline,
        "cc": _typed(c.cc, field="notice_cc", max_len=CC_MAX),
        "printing_office": _typed(c.printing_office, field="notice_printing_office",
                                  max_len=OFFICE_MAX),
        "printing_date": c.printing_date,
        "attachments": _typed(c.attachments, field="notice_attachments",
                              max_len=ATTACHMENTS_MAX),
        "with_photos": bool(c.with_photos),
        "send_extracts": bool(c.send_extracts),
        "period_from": c.period_from if situation else None,
        "period_to": c.period_to if situation else None,
        "figures": situation_figures(uow, actor=actor, start=c.period_from, end=c.period_to)
        if situation else "",
    }


def _reasons(c: Content, units: list[int]) -> dict[int, str]:
    """A commendation says why each unit is commended; other kinds keep no reasons."""
    if c.kind != NoticeKind.COMMENDATION:
        return {}
    reasons = {u: _typed(c.reasons.get(u, ""), field="notice_reason", max_len=REASON_MAX)
               for u in units}
    if missing := [u for u, why in reasons.items() if not why]:
        raise ValidationFailed("notice.no_reason", field="notice_reason", ids=missing)
    return reasons


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
    if kind == NoticeKind.COMMENDATION and ids:  # it commends units, it lists no problems
        raise ValidationFailed("notice.findings_not_commended", field="notice_findings")
    rows = uow.session.exec(select(Finding.id, Finding.status)
                            .where(col(Finding.id).in_(ids))).all() if ids else []
    status = dict(rows)
    bad = [i for i in ids if status.get(i) not in CONFIRMED
           or not finding_visible(uow.session, actor, i)]
    if bad:
        raise ValidationFailed("notice.bad_finding", field="notice_findings", ids=bad)
    return status


def _link(uow: UnitOfWork, notice: Notice, units: list[int], findings: dict[int, str],
          reasons: Mapping[int, str]) -> None:
    session = uow.session
    session.exec(delete(NoticeRecipient).where(NoticeRecipient.notice_id == notice.id))
    session.exec(delete(NoticeFinding).where(NoticeFinding.notice_id == notice.id))
    session.add_all(NoticeRecipient(notice_id=notice.id, unit_id=u, reason=reasons.get(u, ""))
                    for u in units)
    session.add_all(NoticeFinding(notice_id=notice.id, finding_id=f, selected_status=s)
                    for f, s in findings.items())
    session.flush()


def _checked(uow: UnitOfWork, actor: User, c: Content):
    content = _content(uow, actor, c)
    units = _units(uow, c.unit_ids)
    return content, units, _findings(uow, actor, c.kind, c.finding_ids), _reasons(c, units)


def create_draft(uow: UnitOfWork, *, actor: User, client_key: str,
                 corrects_id: int | None = None, now: datetime | None = None,
                 **typed) -> Notice:
    """A new draft from the fields of Content. The same client key (a double click, a
    retry) gives the draft it made the first time. `corrects_id`: the issued notice this
    one corrects."""
    require(actor, "notice.compose")
    client_key = clean_text(client_key, field="client_key", max_len=KEY_MAX)
    content, units, findings, reasons = _checked(uow, actor, Content(**typed))
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
    _link(uow, notice, units, findings, reasons)
    rules.LIFECYCLE.start(uow.session, notice, actor=actor, at=at)
    audit.record(uow, actor, "notice.create", notice,
                 extra={"unit_ids": units, "finding_ids": sorted(findings)})
    return notice


def update_draft(uow: UnitOfWork, *, actor: User, notice_id: int, version: int | None,
                 **typed) -> Notice:
    """Saves a draft's content, recipients and findings; a notice past draft (awaiting,
    signed) must be returned first; an issued one is never edited."""
    require(actor, "notice.compose")
    notice = rules.for_write(uow, notice_id, version)
    if notice.status != rules.DRAFT:
        raise Conflict("notice.not_draft")
    content, units, findings, reasons = _checked(uow, actor, Content(**typed))
    before = audit.state(notice)
    for name, value in content.items():
        setattr(notice, name, value)
    notice.version += 1
    uow.session.add(notice)
    _link(uow, notice, units, findings, reasons)
    audit.record(uow, actor, "notice.update", notice, before,
                 extra={"unit_ids": units, "finding_ids": sorted(findings)})
    return notice


def add_findings(uow: UnitOfWork, *, actor: User, notice_id: int, version: int | None,
                 finding_ids: Iterable[int]) -> Notice:
    """标记通报: adds findings picked in the register to a draft, their units to its main
    recipients; what the draft already holds stays."""
    require(actor, "notice.compose")
    notice = rules.for_write(uow, notice_id, version)
    if notice.status != rules.DRAFT:
        raise Conflict("notice.not_draft")
    held = content_of(uow, notice)
    findings = _findings(uow, actor, notice.kind, {*held.finding_ids, *finding_ids})
    new_units = uow.session.exec(select(Finding.unit_id).where(
        col(Finding.id).in_(sorted(findings)))).all()
    units = _units(uow, {*held.unit_ids, *new_units})
    before = audit.state(notice)
    notice.version += 1
    uow.session.add(notice)
    _link(uow, notice, units, findings, dict(held.reasons))
    audit.record(uow, actor, "notice.update", notice, before,
                 extra={"unit_ids": units, "finding_ids": sorted(findings)})
    return notice


def content_of(uow: UnitOfWork, notice: Notice) -> Content:
    """A notice's content as the compose form edits it (and a correction starts from)."""
    session = uow.session
    recipients = session.exec(select(NoticeRecipient.unit_id, NoticeRecipient.reason)
                              .where(NoticeRecipient.notice_id == notice.id)).all()
    findings = session.exec(select(NoticeFinding.finding_id)
                            .where(NoticeFinding.notice_id == notice.id)).all()
    return Content(
        kind=notice.kind, title=notice.title, unit_ids=tuple(sorted(u for u, _ in recipients)),
        finding_ids=tuple(sorted(findings)), opening=notice.opening,
        requirements=notice.requirements,
        rectification_deadline=notice.rectification_deadline, cc=notice.cc,
        printing_office=notice.printing_office, printing_date=notice.printing_date,
        attachments=notice.attachments, with_photos=notice.with_photos,
        send_extracts=notice.send_extracts, period_from=notice.period_from,
        period_to=notice.period_to, reasons={u: r for u, r in recipients if r})
