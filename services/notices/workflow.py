"""A notice's way out: submitted for sign-off, returned with comments or signed off by a
leader, then issued by the office under the next number of its series and year (kinds
sharing a prefix share a series). Issuing marks its findings circulated; nothing is issued
by half. Nothing here commits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from db.models import Finding, Notice, NoticeCounter, NoticeFinding, NoticeRecipient, Unit, User
from db.timeutil import utcnow
from services.core import audit, clock
from services.core.errors import Conflict, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import clean_text
from services.findings.status import CONFIRMED, REOPENED, VERIFIED
from services.notices import compose, rules

NOTE_MAX = 2000


def _step(uow: UnitOfWork, actor: User, capability: str, action: str, notice_id: int,
          version: int | None, to: str, note: str = "", at: datetime | None = None) -> Notice:
    require(actor, capability)
    notice = rules.for_write(uow, notice_id, version)
    before = audit.state(notice)
    rules.move(uow, notice, to, actor=actor, note=note, at=at)
    if to == rules.DRAFT:  # what changes now must be signed off again
        notice.signed_by = notice.signed_at = None
    audit.record(uow, actor, action, notice, before)
    return notice


def submit(uow: UnitOfWork, *, actor: User, notice_id: int, version: int | None) -> Notice:
    """The office sends a draft to the leaders for sign-off (待签发)."""
    return _step(uow, actor, "notice.compose", "notice.submit", notice_id, version,
                 rules.AWAITING)


def return_to_draft(uow: UnitOfWork, *, actor: User, notice_id: int, version: int | None,
                    comments: str) -> Notice:
    """A leader sends a notice awaiting sign-off back to the office, saying why."""
    comments = clean_text(comments, field="notice_comments", max_len=NOTE_MAX)
    return _step(uow, actor, "notice.sign", "notice.return", notice_id, version, rules.DRAFT,
                 note=comments)


def withdraw(uow: UnitOfWork, *, actor: User, notice_id: int, version: int | None,
             note: str = "") -> Notice:
    """The office takes a notice awaiting sign-off, or signed but not issuable (a finding
    reopened, a recipient closed since), back to its draft to mend it; the sign-off goes."""
    note = clean_text(note, field="notice_comments", max_len=NOTE_MAX, required=False)
    return _step(uow, actor, "notice.compose", "notice.withdraw", notice_id, version,
                 rules.DRAFT, note=note)


def sign(uow: UnitOfWork, *, actor: User, notice_id: int, version: int | None,
         now: datetime | None = None) -> Notice:
    """签发: a leader signs off a notice awaiting it; the name and time are kept."""
    at = now or utcnow()
    require(actor, "notice.sign")
    notice = rules.for_write(uow, notice_id, version)
    before = audit.state(notice)
    rules.move(uow, notice, rules.SIGNED, actor=actor, at=at)
    notice.signed_by, notice.signed_at = actor.id, at
    audit.record(uow, actor, "notice.sign", notice, before)
    return notice


def _counter(uow: UnitOfWork, kind: str, year: int) -> NoticeCounter:
    """The kind's counter for the year, locked until commit (FOR UPDATE on PostgreSQL;
    SQLite's write transaction already runs alone). The first issue of a year makes it: a
    second issuer that raced to make it too waits on the key, then locks the row made."""
    session = uow.session
    query = select(NoticeCounter).where(NoticeCounter.kind == kind,
                                        NoticeCounter.year == year).with_for_update()
    row = session.exec(query).first()
    if row is not None:
        return row
    try:
        with session.begin_nested():
            session.add(NoticeCounter(kind=kind, year=year, last_seq=0))
            session.flush()
    except IntegrityError:
        pass
    return session.exec(query.execution_options(populate_existing=True)).one()


def _check_findings(uow: UnitOfWork, notice: Notice) -> list[Finding]:
    """The notice's findings, each still confirmed and neither reopened nor verified since
    it was selected; otherwise refused, naming them."""
    rows = uow.session.exec(
        select(NoticeFinding, Finding)
        .join(Finding, col(Finding.id) == NoticeFinding.finding_id, isouter=True)
        .where(NoticeFinding.notice_id == notice.id)
        .order_by(NoticeFinding.finding_id)
    ).all()
    changed = [
        link.finding_id for link, finding in rows
        if finding is None or finding.status not in CONFIRMED
        or (finding.status != link.selected_status and finding.status in {REOPENED, VERIFIED})
    ]
    if changed:
        raise Conflict("notice.findings_changed", ids=changed)
    return [finding for _, finding in rows]


def _check_recipients(uow: UnitOfWork, notice: Notice) -> None:
    """Every main recipient still active: a unit closed since it was chosen is named, and
    the notice goes back to its draft to be readdressed."""
    gone = uow.session.exec(
        select(NoticeRecipient.unit_id).join(Unit, col(Unit.id) == NoticeRecipient.unit_id)
        .where(NoticeRecipient.notice_id == notice.id, Unit.active == False)  # noqa: E712
        .order_by(NoticeRecipient.unit_id)).all()
    if gone:
        raise ValidationFailed("notice.bad_recipient", field="notice_recipients",
                               ids=list(gone))


def issue(uow: UnitOfWork, *, actor: User, notice_id: int, version: int | None,
          now: datetime | None = None) -> Notice:
    """The office issues a signed notice: the next number of its series and year, the issue
    time, and its findings marked circulated, all in this transaction."""
    at = now or utcnow()
    require(actor, "notice.compose")
    notice = rules.for_write(uow, notice_id, version)
    if notice.status != rules.SIGNED:
        raise Conflict("notice.not_signed")
    findings = _check_findings(uow, notice)
    _check_recipients(uow, notice)
    before = audit.state(notice)
    year = clock.local_date(at).year
    counter = _counter(uow, rules.series(notice.kind), year)
    counter.last_seq += 1
    uow.session.add(counter)
    notice.number_year, notice.number_seq, notice.issued_at = year, counter.last_seq, at
    notice.number_prefix = rules.prefix(notice.kind)
    rules.move(uow, notice, rules.ISSUED, actor=actor, at=at)
    for finding in findings:
        if finding.circulated_at is None:
            finding.circulated_at = at
            uow.session.add(finding)
    audit.record(uow, actor, "notice.issue", notice, before,
                 extra={"number": rules.number_text(notice),
                        "finding_ids": [f.id for f in findings]})
    return notice


def correct(uow: UnitOfWork, *, actor: User, notice_id: int, client_key: str,
            now: datetime | None = None) -> Notice:
    """A correction: a new draft that refers to the issued notice, starting from its
    content, recipients and the findings still confirmed. The issued one stays as it is."""
    require(actor, "notice.compose")
    original = uow.get(Notice, notice_id)
    if original.status != rules.ISSUED:
        raise ValidationFailed("notice.corrects_not_issued", field="notice_corrects")
    held = compose.content_of(uow, original)
    still = uow.session.exec(select(Finding.id).where(
        col(Finding.id).in_(held.finding_ids), col(Finding.status).in_(CONFIRMED))).all()
    typed = {**vars(held), "finding_ids": tuple(still)}
    return compose.create_draft(uow, actor=actor, client_key=client_key,
                                corrects_id=original.id, now=now, **typed)


def publish(uow: UnitOfWork, *, actor: User, notice_id: int, on: date) -> Notice:
    """曝光: records that an issued notice was published to the media, and when. The only
    write an issued notice takes: it states a later fact, its content stays untouched."""
    require(actor, "notice.compose")
    notice = uow.get(Notice, notice_id)
    if notice.status != rules.ISSUED:
        raise Conflict("notice.not_issued")
    if notice.published_to_media:
        raise Conflict("notice.already_published")
    if on > clock.today() or (notice.issued_at and on < clock.local_date(notice.issued_at)):
        raise ValidationFailed("notice.bad_publish_day")
    before = audit.state(notice)
    notice.published_to_media, notice.published_on = True, on
    uow.session.add(notice)
    audit.record(uow, actor, "notice.publish", notice, before)
    return notice
