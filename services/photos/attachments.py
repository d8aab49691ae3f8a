"""Files attached to a record, whatever the record: photos go through the photo pipeline
(checked, turned upright, thumbnails), PDF scans are checked by pypdf in a capped child
process (pdf_check) and kept as they are. Files are written before their rows and never
deleted here (services/photos/sweep). Who may read them is the owning domain's rule
(services/complaints/attachments.py, services/campaign/files.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

from sqlmodel import select

from db.models import Document, Photo, User
from db.timeutil import utcnow
from services.core import audit
from services.core.errors import PhotoRejected, ValidationFailed
from services.core.uow import UnitOfWork
from services.photos import evidence, imaging, pdf_check
from services.photos.evidence import PhotoRef
from services.photos.store import PhotoStore

MAX_FILES = 10
MAX_PDF_BYTES = pdf_check.MAX_BYTES
PDF_MIME = "application/pdf"
FILENAME_LEN = 200


@dataclass(frozen=True)
class Prepared:
    """A file checked and decoded before any transaction: a photo or a PDF."""

    filename: str
    photo: imaging.IngestedPhoto | None = None
    pdf: bytes | None = None
    pages: int | None = None
    shared: bool = False  # registered with a complaint: the unit concerned may see it


@dataclass(frozen=True)
class DocumentRef:
    id: int
    filename: str  # "" when withheld from this reader
    size_bytes: int
    pages: int | None
    stored: bool  # False when the file is gone from storage: said on the card, not on click


@dataclass
class Attachments:
    photos: list[PhotoRef] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)
    hidden: int = 0  # attached, but not for this reader's eyes
    shared: set[tuple[str, int]] = field(default_factory=set)  # ("photo" | "document", id)


def photo_ref(row: Photo) -> PhotoRef:
    """A photo as a card shows it: no place (GPS stays on the evidence pages)."""
    return PhotoRef(row.id, row.sha256, row.width, row.height, row.taken_at, None, None)


def document_ref(row: Document, store: PhotoStore, name: str | None = None) -> DocumentRef:
    """A scan as a card shows it; `name` replaces its file name ("" withholds it)."""
    return DocumentRef(row.id, row.filename if name is None else name, row.size_bytes,
                       row.pages, store.exists(row.key))


def grouped(session, column: str, owner_ids: Collection[int],
            store: PhotoStore | None = None) -> dict[int, Attachments]:
    """Owner id -> its files, by the owner's foreign key `column` on both tables, oldest
    first. The caller has already checked that the reader may open these owners."""
    out: dict[int, Attachments] = {}
    if not owner_ids:
        return out
    store = store or evidence.default_store()
    ids = list(owner_ids)
    for p in session.exec(select(Photo).where(getattr(Photo, column).in_(ids))
                          .order_by(Photo.id)).all():
        out.setdefault(getattr(p, column), Attachments()).photos.append(photo_ref(p))
    for d in session.exec(select(Document).where(getattr(Document, column).in_(ids))
                          .order_by(Document.id)).all():
        out.setdefault(getattr(d, column), Attachments()).documents.append(
            document_ref(d, store))
    return out


def prepare(files: Sequence[tuple[str, bytes]], *,
            shared: Collection[int] = ()) -> list[Prepared]:
    """Each upload checked before anything is saved: a PDF by pypdf, anything else as a photo.
    One bad file refuses them all, naming the file (the form keeps what was typed). `shared`:
    the positions of the files marked shared (a complaint's, for the unit concerned)."""
    if len(files) > MAX_FILES:
        raise ValidationFailed("attachment.too_many", max=MAX_FILES)
    out = []
    for position, (name, data) in enumerate(files):
        name = (name or "").strip()[:FILENAME_LEN] or "?"
        try:
            out.append(replace(_prepare_one(name, data), shared=position in shared))
        except PhotoRejected as err:
            if err.message_key == "photo.unsupported_format":  # PDFs are welcome here
                raise PhotoRejected("attachment.unsupported_format", file=name) from err
            err.params["file"] = name  # the message says which of the files it was
            raise
    return out


def _prepare_one(name: str, data: bytes) -> Prepared:
    if data[:5] == b"%PDF-" or name.lower().endswith(".pdf"):
        return Prepared(name, pdf=data, pages=pdf_check.count_pages(data))
    return Prepared(name, photo=evidence.ingest(data))


def store_all(uow: UnitOfWork, *, actor: User, prepared: Sequence[Prepared],
              owner: dict[str, int | None], shared: bool = False,
              store: PhotoStore | None = None) -> None:
    """Rows for files prepared earlier, owned by the record `owner` names (its foreign key
    column and id). Called by the owning service inside its transaction, after its checks;
    `shared` applies where the owner's rules give it a meaning."""
    if not prepared:
        return
    store = store or evidence.default_store()
    for item in prepared:
        share = shared and item.shared
        if item.photo is not None:
            keys = evidence.put_files(store, item.photo)
            row = evidence.photo_row(item.photo, keys, actor, **owner)
            row.shared_with_unit = share
            uow.session.add(row)
            uow.flush()
            audit.event(uow, actor, "attachment.add", row,
                        after={**owner, "sha256": row.sha256, "shared_with_unit": share})
            continue
        key = store.put(item.pdf, suffix=".pdf")
        row = Document(sha256=hashlib.sha256(item.pdf).hexdigest(), key=key,
                       filename=item.filename, mime=PDF_MIME, size_bytes=len(item.pdf),
                       pages=item.pages, shared_with_unit=share, uploaded_by=actor.id,
                       uploaded_at=utcnow(), **owner)
        uow.session.add(row)
        uow.flush()
        audit.event(uow, actor, "attachment.add", row,
                    after={**owner, "sha256": row.sha256, "pages": row.pages,
                           "shared_with_unit": share})
