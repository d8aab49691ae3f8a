"""Attachments of a complaint: what the office registered with it (a scanned letter, a photo
the complainant brought) and what a unit sent with its reply, through the shared pipeline
(services/photos/attachments.py: photos checked and turned upright, PDF scans checked in a
capped child process), whose names the complaint pages take from here too.

Who sees what: a letter names its writer, so the attachments the office registered are shown
only to readers of the complainant's identity (complaint.identity), except those the office
shares with the unit (a photo of the broken counter, a receipt with the name cut off);
a reply's attachments to everyone who may read the complaint."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import func, select

from db.models import Complaint, ComplaintReply, Document, Photo, User
from services.complaints.visibility import complaint_filter
from services.core import audit
from services.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from services.core.permissions import can
from services.core.uow import UnitOfWork
from services.photos import evidence
from services.photos.attachments import MAX_FILES as MAX_FILES
from services.photos.attachments import MAX_PDF_BYTES as MAX_PDF_BYTES
from services.photos.attachments import PDF_MIME as PDF_MIME
from services.photos.attachments import Attachments as Attachments
from services.photos.attachments import DocumentRef as DocumentRef
from services.photos.attachments import Prepared as Prepared
from services.photos.attachments import document_ref, photo_ref, store_all
from services.photos.attachments import prepare as prepare
from services.photos.store import PhotoStore


@dataclass
class ComplaintAttachments:
    complaint: Attachments
    replies: dict[int, Attachments]


def attach(uow: UnitOfWork, *, actor: User, prepared: Sequence[Prepared],
           complaint_id: int | None = None, reply_id: int | None = None,
           store: PhotoStore | None = None) -> None:
    """Rows for files prepared earlier, owned by a complaint or by a reply. Called by the
    register and reply services inside their transaction, after their own checks. A reply's
    files are the unit's own: "shared" only means something for the office's."""
    store_all(uow, actor=actor, prepared=prepared, store=store,
              owner={"complaint_id": complaint_id, "complaint_reply_id": reply_id},
              shared=complaint_id is not None)


def share_with_unit(uow: UnitOfWork, *, actor: User, complaint_id: int,
                    photo_ids: Collection[int], document_ids: Collection[int],
                    seen: Collection[tuple[str, int]]) -> int:
    """The office decides which of the attachments it registered with a complaint the unit
    may see: those named here, and no other. `seen` is the choice the clerk started from
    (Attachments.shared): if another clerk changed it meanwhile, the save is refused rather
    than silently undoing theirs. Returns how many changed; each change audited."""
    if not (can(actor, "complaint.manage") and can(actor, "complaint.identity")):
        raise PermissionDenied(capability="complaint.manage")
    s = uow.session
    complaint = s.exec(select(Complaint).where(Complaint.id == complaint_id,
                                               complaint_filter(actor))).first()
    if complaint is None:
        raise NotFound()
    owned = {kind: s.exec(select(model).where(model.complaint_id == complaint_id)
                          .order_by(model.id).with_for_update()).all()
             for kind, model in (("photo", Photo), ("document", Document))}
    now = {(kind, r.id) for kind, rows in owned.items() for r in rows if r.shared_with_unit}
    if now != set(seen):
        raise Conflict("error.stale_edit")
    changed = 0
    for kind, wanted in (("photo", set(photo_ids)), ("document", set(document_ids))):
        rows = owned[kind]
        if wanted - {r.id for r in rows}:
            raise NotFound()  # not an attachment of this complaint
        for row in rows:
            if row.shared_with_unit == (row.id in wanted):
                continue
            audit.event(uow, actor, "attachment.share", row,
                        before={"shared_with_unit": row.shared_with_unit},
                        after={"shared_with_unit": not row.shared_with_unit})
            row.shared_with_unit = not row.shared_with_unit
            s.add(row)
            changed += 1
    uow.flush()
    return changed


def _readable(model, actor: User):
    """The rows of `model` the actor may open: on a complaint they may read, and for the
    office's own attachments only with complaint.identity."""
    query = (
        select(model)
        .join(ComplaintReply, model.complaint_reply_id == ComplaintReply.id, isouter=True)
        .join(Complaint, or_(model.complaint_id == Complaint.id,
                             ComplaintReply.complaint_id == Complaint.id))
        .where(complaint_filter(actor))
    )
    if not can(actor, "complaint.identity"):
        query = query.where(or_(model.complaint_reply_id.is_not(None),
                                model.shared_with_unit.is_(True)))
    return query


def photo_bytes(uow: UnitOfWork, *, actor: User, photo_id: int, variant: str = "display",
                store: PhotoStore | None = None) -> bytes:
    if variant not in ("display", "thumb"):
        raise ValidationFailed("photo.invalid_key")
    row = uow.session.exec(_readable(Photo, actor).where(Photo.id == photo_id)).first()
    if row is None:
        raise NotFound()  # also when it exists but is not the actor's to see
    key = row.display_key if variant == "display" else row.thumb_key
    return (store or evidence.default_store()).open(key)


def document_bytes(uow: UnitOfWork, *, actor: User, document_id: int,
                   store: PhotoStore | None = None) -> bytes:
    row = uow.session.exec(_readable(Document, actor).where(Document.id == document_id)).first()
    if row is None:
        raise NotFound()
    return (store or evidence.default_store()).open(row.key)


def for_complaint(uow: UnitOfWork, *, actor: User, complaint_id: int,
                  store: PhotoStore | None = None) -> ComplaintAttachments:
    """What the reader may open of a complaint's and its replies' attachments, oldest first,
    and how many the office holds that they may not."""
    s = uow.session
    out = ComplaintAttachments(Attachments(), {})
    reply_ids = s.exec(select(ComplaintReply.id).where(
        ComplaintReply.complaint_id == complaint_id)).all()

    def owned(model):
        return or_(model.complaint_id == complaint_id,
                   model.complaint_reply_id.in_(list(reply_ids) or [-1]))

    def bucket(row) -> Attachments:
        if row.complaint_reply_id is None:
            return out.complaint
        return out.replies.setdefault(row.complaint_reply_id, Attachments())

    for p in s.exec(_readable(Photo, actor).where(owned(Photo)).order_by(Photo.id)).all():
        bucket(p).photos.append(photo_ref(p))
        if p.shared_with_unit:
            out.complaint.shared.add(("photo", p.id))
    identity = can(actor, "complaint.identity")
    store = store or evidence.default_store()
    for d in s.exec(_readable(Document, actor).where(owned(Document))
                    .order_by(Document.id)).all():
        # A scan the office shares may be named after its writer ("张三丰来信.pdf"): only
        # readers of the identity see the name; the others see it numbered, like photos.
        name = None if identity or d.complaint_reply_id is not None else ""
        bucket(d).documents.append(document_ref(d, store, name))
        if d.shared_with_unit:
            out.complaint.shared.add(("document", d.id))
    if not can(actor, "complaint.identity"):
        out.complaint.hidden = _held_by_office(uow, actor, complaint_id)
    return out


def _held_by_office(uow: UnitOfWork, actor: User, complaint_id: int) -> int:
    if not uow.session.exec(select(Complaint.id).where(
            Complaint.id == complaint_id, complaint_filter(actor))).first():
        return 0
    return sum(uow.session.exec(select(func.count()).select_from(model).where(
        model.complaint_id == complaint_id, model.shared_with_unit.is_(False))).one()
        for model in (Photo, Document))
