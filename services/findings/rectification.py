"""Rectification (整改): the unit's liaison reports how a confirmed finding was fixed, with
photos; the office or an inspector verifies it (closed) or reopens it with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import select

from db.models import (
    Finding,
    FindingStatusChange,
    Inspection,
    Rectification,
    Unit,
    User,
)
from db.timeutil import utcnow
from services.core import audit, clock, idempotency
from services.core.errors import NotFound, PhotoRejected, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text
from services.core.visibility import finding_filter, finding_visible
from services.findings import status as finding_status
from services.findings.review import default_deadline
from services.photos import evidence as photos
from services.photos.evidence import PhotoRef
from services.photos.store import PhotoStore

MAX_PHOTOS = 9


@dataclass(frozen=True)
class StatusChangeRow:
    from_status: str | None
    to_status: str
    actor: str | None
    at: datetime
    note: str


@dataclass(frozen=True)
class RectificationRow:
    id: int
    text: str
    submitted_by: str
    submitted_at: datetime
    outcome: str | None
    verify_note: str
    photos: tuple[PhotoRef, ...]


@dataclass(frozen=True)
class FindingCase:
    """A finding with everything the review, rectification and verification pages show."""

    id: int
    unit_id: int
    unit: str
    inspection_id: int
    visited_at: datetime
    category: str
    severity: str
    description: str
    responsible_person: str
    status: str
    deadline: date | None
    overdue: bool  # still waiting for the unit after the deadline
    reported_late: bool  # the latest report came after the deadline
    version: int
    photos: tuple[PhotoRef, ...]
    rectifications: tuple[RectificationRow, ...]
    history: tuple[StatusChangeRow, ...]


def _case_filters(
    actor: User, statuses, inspection_id, unit_id, finding_id, overdue_only, today
) -> list:
    where = [finding_filter(actor)]
    if statuses:
        where.append(Finding.status.in_(statuses))
    if inspection_id is not None:
        where.append(Finding.inspection_id == inspection_id)
    if unit_id is not None:
        where.append(Finding.unit_id == unit_id)
    if finding_id is not None:
        where.append(Finding.id == finding_id)
    if overdue_only:
        where.append(_overdue_clause(today))
    return where


def _overdue_clause(today: date):
    """finding_status.is_overdue, in SQL."""
    return Finding.status.in_(finding_status.AWAITING_UNIT) & (Finding.deadline < today)


def count_cases(
    uow: UnitOfWork, *, actor: User, statuses: tuple[str, ...] | None = None,
    inspection_id: int | None = None, unit_id: int | None = None, finding_id: int | None = None,
    overdue_only: bool = False,
) -> tuple[int, int]:
    """(all, overdue) among the findings the actor may see, counted in the database; the
    filters are list_cases's, so `all` is what paging through list_cases yields."""
    today = clock.today()
    where = _case_filters(actor, statuses, inspection_id, unit_id, finding_id, overdue_only,
                          today)
    query = (
        select(func.count(Finding.id), func.count(Finding.id).filter(_overdue_clause(today)))
        .select_from(Finding)
        .join(Inspection, Finding.inspection_id == Inspection.id)
        .where(*where)
    )
    total, overdue = uow.session.exec(query).one()
    return total, overdue


def list_cases(
    uow: UnitOfWork,
    *,
    actor: User,
    statuses: tuple[str, ...] | None = None,
    inspection_id: int | None = None,
    unit_id: int | None = None,
    finding_id: int | None = None,
    overdue_only: bool = False,
    offset: int = 0,
    limit: int = 500,
) -> list[FindingCase]:
    """Findings the actor may see (see services.visibility), deadline first (none last),
    then by id: a total order, so pages of `limit` from `offset` neither repeat nor skip
    a finding while nothing changes. count_cases gives the total for the same filters."""
    today = clock.today()
    query = (
        select(Finding, Unit.name, Inspection.visited_at)
        .join(Inspection, Finding.inspection_id == Inspection.id)
        .join(Unit, Finding.unit_id == Unit.id)
        .where(*_case_filters(actor, statuses, inspection_id, unit_id, finding_id,
                              overdue_only, today))
        .order_by(Finding.deadline.is_(None), Finding.deadline, Finding.id)
        .offset(max(offset, 0))
        .limit(limit)
    )
    s = uow.session
    rows = s.exec(query).all()
    ids = [f.id for f, _, _ in rows]
    rects = s.exec(
        select(Rectification, User.display_name)
        .join(User, Rectification.submitted_by == User.id)
        .where(Rectification.finding_id.in_(ids))
        .order_by(Rectification.id)
    ).all() if ids else []
    history = s.exec(
        select(FindingStatusChange, User.display_name)
        .join(User, FindingStatusChange.actor_id == User.id, isouter=True)
        .where(FindingStatusChange.finding_id.in_(ids))
        .order_by(FindingStatusChange.id)
    ).all() if ids else []
    refs = photos.photo_refs(
        s, actor=actor, finding_ids=ids, rectification_ids=[r_.id for r_, _ in rects]
    )
    by_finding: dict[int, list[RectificationRow]] = {}
    for rect, name in rects:
        by_finding.setdefault(rect.finding_id, []).append(
            RectificationRow(rect.id, rect.text, name, rect.submitted_at, rect.outcome,
                             rect.verify_note, tuple(refs.get(("rectification", rect.id), [])))
        )
    log: dict[int, list[StatusChangeRow]] = {}
    for change, name in history:
        log.setdefault(change.finding_id, []).append(
            StatusChangeRow(change.from_status, change.to_status, name, change.at, change.note)
        )
    return [
        FindingCase(
            f.id, f.unit_id, unit, f.inspection_id, visited, f.category, f.severity,
            f.description, f.responsible_person, f.status, f.deadline,
            finding_status.is_overdue(f.status, f.deadline, today),
            _late(f.deadline, by_finding.get(f.id, [])), f.version,
            tuple(refs.get(("finding", f.id), [])), tuple(by_finding.get(f.id, [])),
            tuple(log.get(f.id, [])),
        )
        for f, unit, visited in rows
    ]


def _late(deadline: date | None, reports: list[RectificationRow]) -> bool:
    if deadline is None or not reports:
        return False
    return clock.local_date(reports[-1].submitted_at) > deadline


def submit_rectification(
    uow: UnitOfWork,
    *,
    actor: User,
    finding_id: int,
    client_key: str,
    text: str,
    photo_files: list[bytes] = (),
    store: PhotoStore | None = None,
) -> Rectification:
    """The liaison's report. Every photo is checked before anything is stored; a rejected
    photo refuses the whole report (the page keeps the text). A retry with the same
    client key returns the report already made."""
    require(actor, "rectification.submit")
    client_key = clean_text(client_key, field="client_key", max_len=64)
    text = clean_text(text, field="rectification_text", max_len=4000)
    if len(photo_files) > MAX_PHOTOS:
        raise ValidationFailed("photo.too_many", max=MAX_PHOTOS)
    target = {"finding_id": finding_id, "submitted_by": actor.id}
    # Decoded before the first statement: a writing unit takes SQLite's write lock there,
    # and other writers should not wait for the photos.
    ingested = []
    for position, data in enumerate(photo_files, start=1):
        try:
            ingested.append(photos.ingest(data))
        except PhotoRejected as err:
            # Which of the photos: the page names that file in its message.
            raise PhotoRejected(err.message_key, **err.params, position=position) from err

    def create() -> Rectification:
        _unit_finding(uow, actor, finding_id)
        return Rectification(text=text, submitted_at=utcnow())

    def record(keys_list):
        s = uow.session
        rect, created = idempotency.get_or_create(
            uow, Rectification, client_key=client_key, target=target, create=create
        )
        if not created:
            # The same report sent twice at once, and the other one stored it first;
            # the files this one wrote are the sweep's (services/photos/sweep.py).
            return rect
        finding = uow.get(Finding, finding_id)
        for photo, keys in zip(ingested, keys_list, strict=True):
            s.add(photos.photo_row(photo, keys, actor, rectification_id=rect.id))
        finding_status.transition(s, finding, finding_status.REPORTED, actor=actor)
        audit.record(uow, actor, "rectification.submit", rect, extra={"photos": len(ingested)})
        return rect

    return photos.store_and_record(store or photos.default_store(), ingested, record)


def _unit_finding(uow: UnitOfWork, actor: User, finding_id: int) -> Finding:
    finding = uow.get(Finding, finding_id)  # locked in a writing unit
    if finding.unit_id != actor.unit_id:
        raise NotFound()
    if finding.status not in (finding_status.RECTIFYING, finding_status.REOPENED):
        raise ValidationFailed("rectification.not_expected")
    return finding


def verify(
    uow: UnitOfWork, *, actor: User, finding_id: int, accept: bool, note: str = "",
    version: int | None = None, deadline: date | None = None,
) -> Finding:
    """Closes the finding, or reopens it; a reopen must say why, and gets a new deadline
    (by default the severity's number of days from today). Only on a finding the actor
    may see (an inspector: within their scope)."""
    require(actor, "finding.verify")
    note = clean_text(note, field="note", max_len=2000, required=not accept)
    if deadline is not None and deadline < clock.today():
        raise ValidationFailed("review.deadline_past", field="deadline")
    s = uow.session
    finding = uow.get(Finding, finding_id)
    if not finding_visible(s, actor, finding.id):
        raise NotFound()  # another district's finding: as if it did not exist
    check_version(finding.version, version)
    before = audit.state(finding)
    to = finding_status.VERIFIED if accept else finding_status.REOPENED
    finding_status.transition(s, finding, to, actor=actor, note=note)
    if not accept:
        finding.deadline = deadline or default_deadline(finding.severity)
    rect = s.exec(
        select(Rectification)
        .where(Rectification.finding_id == finding.id, Rectification.outcome.is_(None))
        .order_by(Rectification.id.desc())
    ).first()
    if rect is not None:
        rect.outcome, rect.verified_by, rect.verified_at = to, actor.id, utcnow()
        rect.verify_note = note
        s.add(rect)
    audit.record(uow, actor, "finding.verify" if accept else "finding.reopen", finding, before)
    return finding
