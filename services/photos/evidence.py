"""Photo evidence: accept an upload, store it, attach it to a finding or a rectification,
and serve it only to users who may see what it belongs to.

Files are written before the row that points at them, so a row never points at a missing
file. Nothing here deletes a file, not even when its row is not committed or is removed:
an identical upload in flight may be about to use it. Unused files are removed later by
services/photos/sweep.py.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import select

from config import get_settings
from db.models import Finding, Inspection, InspectionStatus, Photo, Rectification, Unit, User
from db.timeutil import utcnow
from services.core import audit, clock
from services.core.errors import NotFound, PermissionDenied, PhotoRejected, ValidationFailed
from services.core.permissions import can, require
from services.core.uow import UnitOfWork
from services.core.visibility import finding_filter
from services.photos import imaging
from services.photos.store import PhotoStore
from services.photos.watermark import Watermark

VARIANTS = ("display", "thumb", "original")
MAX_PHOTOS_PER_ITEM = 20
# Decoding a 50-megapixel PNG or HEIC takes about 430 MB: at most two at a time per
# process, so a hall full of tablets uploading at once cannot exhaust the server's memory.
_DECODING = threading.BoundedSemaphore(2)
# How long an upload waits for a decode slot before the inspector is told to try again.
# The slowest photo we accept decodes in about 1.5 s (a 48 MP PNG, BENCHMARKS.md), so
# 20 s is a long queue; without a bound, a page would hang as long as the slots stay busy.
DECODE_WAIT_S = 20.0


@contextmanager
def decode_slot() -> Iterator[None]:
    """One of the process's decode turns (photos, and the child that checks a PDF);
    PhotoRejected("photo.busy") when none frees up in time."""
    if not _DECODING.acquire(timeout=DECODE_WAIT_S):
        raise PhotoRejected("photo.busy")
    try:
        yield
    finally:
        _DECODING.release()


def ingest(data: bytes, watermark=None) -> imaging.IngestedPhoto:
    """imaging.ingest within a decode slot."""
    with decode_slot():
        return imaging.ingest(data, watermark=watermark)


def default_store() -> PhotoStore:
    return PhotoStore(get_settings().upload_dir)


def watermark_for(unit: str, inspector: str, unit_id: int, username: str):
    """The stamp inspection cameras put on a photo: when it was taken (the camera's time,
    or now when the file has none), the unit and the inspector."""

    def stamp(taken_at: datetime | None) -> Watermark:
        when = _camera_time(taken_at) or utcnow()
        local = clock.local(when).strftime("%Y-%m-%d %H:%M")
        return Watermark(
            lines=(local, unit, inspector), latin_lines=(local, f"Unit {unit_id}", username)
        )

    return stamp


def put_files(store: PhotoStore, photo: imaging.IngestedPhoto) -> tuple[str, str, str]:
    return (
        store.put(photo.original, suffix=photo.suffix),
        store.put_derivative(photo.sha256, "display", photo.display),
        store.put_derivative(photo.sha256, "thumb", photo.thumbnail),
    )


def _camera_time(taken_at: datetime | None) -> datetime | None:
    # EXIF times are the camera's wall clock; the city's tablets run on local time.
    if taken_at is None or taken_at.tzinfo is not None:
        return taken_at
    return clock.from_wall_clock(taken_at)


def photo_row(
    photo: imaging.IngestedPhoto, keys: tuple[str, str, str], actor: User, **owner
) -> Photo:
    return Photo(
        sha256=photo.sha256,
        original_key=keys[0],
        display_key=keys[1],
        thumb_key=keys[2],
        mime=photo.mime,
        size_bytes=len(photo.original),
        width=photo.width,
        height=photo.height,
        taken_at=_camera_time(photo.taken_at),
        gps_lat=photo.gps_lat,
        gps_lon=photo.gps_lon,
        uploaded_by=actor.id,
        uploaded_at=utcnow(),
        **owner,
    )


def store_and_record(store: PhotoStore, photos, record) -> list[Photo]:
    """Write the files, then call `record(keys_list)`, which records the rows in one
    transaction (where the caller checks scope again). If that fails the files stay until
    the sweep: another upload of the same bytes may already be counting on them."""
    return record([put_files(store, p) for p in photos])


def add_finding_photo(
    uow: UnitOfWork,
    *,
    actor: User,
    finding_id: int,
    data: bytes,
    store: PhotoStore | None = None,
) -> Photo:
    """Attach one photo to a finding of the actor's own draft inspection."""
    require(actor, "inspection.record")
    store = store or default_store()

    mark = None
    if get_settings().photo_watermark:
        # The names come from a read of their own: the caller's unit takes SQLite's write
        # lock at its first statement, and decoding and writing the files must not hold it
        # (other writers would wait, and the files are meant to exist before the row).
        with uow.early_read() as names:
            _finding, _insp, unit = _draft_finding(names, actor, finding_id)
        mark = watermark_for(unit.name, actor.display_name, unit.id, actor.username)
    photo = ingest(data, watermark=mark)  # PhotoRejected: nothing written yet

    def record(keys_list):
        _draft_finding(uow, actor, finding_id)  # still a draft of this inspector?
        same = uow.session.exec(
            select(Photo).where(Photo.finding_id == finding_id, Photo.sha256 == photo.sha256)
        ).first()
        if same is not None:  # the same upload again (a re-sent file): one photo
            return [same]
        count = uow.session.exec(
            select(func.count()).select_from(Photo).where(Photo.finding_id == finding_id)
        ).one()
        if count >= MAX_PHOTOS_PER_ITEM:
            raise ValidationFailed("photo.too_many", max=MAX_PHOTOS_PER_ITEM)
        row = photo_row(photo, keys_list[0], actor, finding_id=finding_id)
        uow.session.add(row)
        uow.flush()
        audit.event(uow, actor, "photo.add", row,
                    after={"finding_id": finding_id, "sha256": photo.sha256})
        return [row]

    return store_and_record(store, [photo], record)[0]


def _draft_finding(uow: UnitOfWork, actor: User, finding_id: int):
    s = uow.session
    finding = uow.get(Finding, finding_id)
    insp = s.get(Inspection, finding.inspection_id) if finding.inspection_id else None
    if insp is None or insp.inspector_id != actor.id:
        raise PermissionDenied(capability="inspection.edit")
    if insp.status != InspectionStatus.DRAFT:
        raise ValidationFailed("inspection.already_submitted")
    return finding, insp, s.get(Unit, insp.unit_id)


def remove_photo(uow: UnitOfWork, *, actor: User, photo_id: int) -> None:
    """Only from a finding of one's own draft. The files stay for the sweep."""
    require(actor, "inspection.record")
    row = uow.session.get(Photo, photo_id)
    if row is None or row.finding_id is None:
        raise NotFound()
    _draft_finding(uow, actor, row.finding_id)
    audit.event(uow, actor, "photo.remove", row, before={"sha256": row.sha256})
    uow.session.delete(row)


def detach_all(uow: UnitOfWork, *, finding_id: int) -> None:
    """Delete a finding's photo rows inside the caller's transaction (the caller has
    checked capability and scope); the files stay for the sweep."""
    for row in uow.session.exec(select(Photo).where(Photo.finding_id == finding_id)).all():
        uow.session.delete(row)


@dataclass(frozen=True)
class PhotoRef:
    id: int
    sha256: str
    width: int
    height: int
    taken_at: datetime | None
    gps_lat: float | None
    gps_lon: float | None


def photo_refs(
    session, *, actor: User, finding_ids=(), rectification_ids=()
) -> dict[tuple[str, int], list]:
    """Photos grouped by ("finding"|"rectification", id), oldest first. Where a photo was
    taken is evidence for the office, not for the unit: GPS only with photo.original."""
    with_gps = can(actor, "photo.original")
    out: dict[tuple[str, int], list[PhotoRef]] = {}
    conditions = []
    if finding_ids:
        conditions.append(Photo.finding_id.in_(list(finding_ids)))
    if rectification_ids:
        conditions.append(Photo.rectification_id.in_(list(rectification_ids)))
    if not conditions:
        return out
    for p in session.exec(select(Photo).where(or_(*conditions)).order_by(Photo.id)).all():
        lat, lon = (p.gps_lat, p.gps_lon) if with_gps else (None, None)
        ref = PhotoRef(p.id, p.sha256, p.width, p.height, p.taken_at, lat, lon)
        if p.finding_id is not None:
            out.setdefault(("finding", p.finding_id), []).append(ref)
        if p.rectification_id is not None:
            out.setdefault(("rectification", p.rectification_id), []).append(ref)
    return out


def photo_bytes(
    uow: UnitOfWork,
    *,
    actor: User,
    photo_id: int,
    variant: str = "display",
    store: PhotoStore | None = None,
) -> bytes:
    """The file behind a photo, for a user allowed to see its finding. Originals (with
    their EXIF and GPS) only for the office and administrators."""
    if variant not in VARIANTS:
        raise ValidationFailed("photo.invalid_key")
    if variant == "original":
        require(actor, "photo.original")
    store = store or default_store()
    row = uow.session.exec(
        select(Photo)
        .join(Rectification, Photo.rectification_id == Rectification.id, isouter=True)
        .join(
            Finding, or_(Photo.finding_id == Finding.id, Rectification.finding_id == Finding.id)
        )
        .join(Inspection, Finding.inspection_id == Inspection.id, isouter=True)
        .where(Photo.id == photo_id, finding_filter(actor))
    ).first()
    if row is None:
        raise NotFound()  # also when it exists but is not the actor's to see
    key = {"display": row.display_key, "thumb": row.thumb_key, "original": row.original_key}[
        variant
    ]
    return store.open(key)
