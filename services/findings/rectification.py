"""Rectification (整改): the unit's liaison reports how a confirmed finding was fixed, with
photos; the office or an inspector verifies it (closed) or reopens it with a reason."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from db.models import (
    Finding,
    Rectification,
    User,
)
from db.timeutil import utcnow
from services.core import audit, clock, idempotency
from services.core.errors import NotFound, PhotoRejected, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text
from services.core.visibility import finding_visible
from services.findings import status as finding_status
from services.findings.review import default_deadline
from services.photos import evidence as photos
from services.photos.store import PhotoStore

MAX_PHOTOS = 9


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
    owner, target = {"submitted_by": actor.id}, {"finding_id": finding_id}
    with uow.early_read() as check:
        # Before any decoding: a finding of another unit, or none, costs no photo work.
        # (early_read: a unit not yet under way must not take SQLite's write lock for it.)
        finding = check.session.get(Finding, finding_id)
        if finding is None or finding.unit_id != actor.unit_id:
            raise NotFound()
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
            uow, Rectification, client_key=client_key, owner=owner, target=target,
            create=create,
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
