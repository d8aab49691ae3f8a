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
from services.photos.attachments import Attachments, grouped
from services.photos.store import PhotoStore


def of_reports(uow: UnitOfWork, *, actor: User, report_ids: list[int],
               store: PhotoStore | None = None) -> dict[int, Attachments]:
    """Report id -> its attachments, for the reports of tasks the actor may read."""
    if not report_ids:
        return {}
    readable = (select(ProgressReport.id).join(Task, ProgressReport.task_id == Task.id)
                .where(ProgressReport.id.in_(report_ids), access.task_filter(actor)))
    ids = uow.session.exec(readable).all()
    return grouped(uow.session, "progress_report_id", ids, store)


def of_work_report(uow: UnitOfWork, *, actor: User, report_id: int,
                   store: PhotoStore | None = None) -> Attachments:
    readable = select(WorkReport.id).where(WorkReport.id == report_id,
                                           _work_report_filter(actor))
    if uow.session.exec(readable).first() is None:
        return Attachments()
    return grouped(uow.session, "work_report_id", [report_id], store).get(
        report_id, Attachments())


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
