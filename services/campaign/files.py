"""The files attached to monthly progress reports, read by whoever may read the task (the
office, leaders, administrators, the task's own units), and to work reports, read by the
unit that wrote them and by the readers of every unit's reports; never by another unit."""

from __future__ import annotations

from sqlalchemy import false, true
from sqlmodel import select

from db.models import Document, Photo, ProgressReport, Task, User, WorkReport
from services.campaign import access
from services.core.errors import NotFound
from services.core.permissions import can
from services.core.uow import UnitOfWork
from services.photos import evidence
from services.photos.attachments import Attachments, DocumentRef
from services.photos.evidence import PhotoRef
from services.photos.store import PhotoStore


def of_reports(uow: UnitOfWork, *, actor: User, report_ids: list[int],
               store: PhotoStore | None = None) -> dict[int, Attachments]:
    """Report id -> its attachments, for the reports of tasks the actor may read."""
    if not report_ids:
        return {}
    s = uow.session
    readable = (select(ProgressReport.id).join(Task, ProgressReport.task_id == Task.id)
                .where(ProgressReport.id.in_(report_ids), access.task_filter(actor)))
    ids = list(s.exec(readable).all())
    out: dict[int, Attachments] = {}
    for p in s.exec(select(Photo).where(Photo.progress_report_id.in_(ids or [-1]))
                    .order_by(Photo.id)).all():
        out.setdefault(p.progress_report_id, Attachments()).photos.append(
            PhotoRef(p.id, p.sha256, p.width, p.height, p.taken_at, None, None))
    store = store or evidence.default_store()
    for d in s.exec(select(Document).where(Document.progress_report_id.in_(ids or [-1]))
                    .order_by(Document.id)).all():
        out.setdefault(d.progress_report_id, Attachments()).documents.append(
            DocumentRef(d.id, d.filename, d.size_bytes, d.pages, store.exists(d.key)))
    return out


def of_work_report(uow: UnitOfWork, *, actor: User, report_id: int,
                   store: PhotoStore | None = None) -> Attachments:
    s = uow.session
    if s.exec(select(WorkReport.id).where(WorkReport.id == report_id,
                                          _work_report_filter(actor))).first() is None:
        return Attachments()
    out = Attachments()
    out.photos = [PhotoRef(p.id, p.sha256, p.width, p.height, p.taken_at, None, None)
                  for p in s.exec(select(Photo).where(Photo.work_report_id == report_id)
                                  .order_by(Photo.id)).all()]
    store = store or evidence.default_store()
    out.documents = [DocumentRef(d.id, d.filename, d.size_bytes, d.pages, store.exists(d.key))
                     for d in s.exec(select(Document).where(
                         Document.work_report_id == report_id).order_by(Document.id)).all()]
    return out


def photo_bytes(uow: UnitOfWork, *, actor: User, photo_id: int, variant: str = "display",
                store: PhotoStore | None = None) -> bytes:
    row = _readable(uow, actor, Photo, photo_id)
    key = row.thumb_key if variant == "thumb" else row.display_key
    return (store or evidence.default_store()).open(key)


def document_bytes(uow: UnitOfWork, *, actor: User, document_id: int,
                   store: PhotoStore | None = None) -> bytes:
    row = _readable(uow, actor, Document, document_id)
    return (store or evidence.default_store()).open(row.key)


def _readable(uow: UnitOfWork, actor: User, model, row_id: int):
    s = uow.session
    row = s.exec(
        select(model).join(ProgressReport, model.progress_report_id == ProgressReport.id)
        .join(Task, ProgressReport.task_id == Task.id)
        .where(model.id == row_id, access.task_filter(actor))).first()
    if row is None:
        row = s.exec(select(model).join(WorkReport, model.work_report_id == WorkReport.id)
                     .where(model.id == row_id, _work_report_filter(actor))).first()
    if row is None:
        raise NotFound()  # also when it exists but is not the actor's to see
    return row


def _work_report_filter(actor: User):
    if can(actor, "campaign.view"):
        return true()
    if can(actor, "campaign.report") and actor.unit_id is not None:
        return WorkReport.unit_id == actor.unit_id
    return false()
