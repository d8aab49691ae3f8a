"""A visit as its pages show it (answers, findings and their photos), for its author while
a draft and for the office once submitted; and the inspector's list of drafts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import select

from db.models import ChecklistAnswer, ChecklistItem, Finding, Inspection, Unit, User
from services.core.errors import PermissionDenied
from services.core.permissions import can, require
from services.core.uow import UnitOfWork
from services.core.visibility import unit_in_scope
from services.fieldwork import checklists
from services.fieldwork.visits import DRAFT
from services.photos.evidence import PhotoRef, photo_refs


@dataclass(frozen=True)
class FindingView:
    id: int
    client_key: str
    inspection_id: int
    unit_id: int
    item_id: int | None
    category: str
    severity: str
    description: str
    responsible_person: str
    status: str
    deadline: date | None
    version: int
    photos: tuple[PhotoRef, ...] = ()


@dataclass(frozen=True)
class VisitView:
    id: int
    client_key: str
    unit_id: int
    unit: str
    kind: str
    plan_id: int | None
    inspector_id: int
    visited_at: datetime
    summary: str
    status: str
    version: int
    template: checklists.TemplateView
    answers: dict[int, str] = field(default_factory=dict)
    findings: tuple[FindingView, ...] = ()

    def failing_items(self) -> list[ChecklistItem]:
        return [i for i in self.template.items if checklists.fails(i, self.answers.get(i.id))]



def _finding_view(f: Finding, photos: list[PhotoRef]) -> FindingView:
    return FindingView(
        f.id, f.client_key, f.inspection_id, f.unit_id, f.item_id, f.category, f.severity,
        f.description, f.responsible_person, f.status, f.deadline, f.version, tuple(photos),
    )


def get_visit(uow: UnitOfWork, *, actor: User, inspection_id: int) -> VisitView:
    s = uow.session
    insp = uow.get(Inspection, inspection_id)
    _require_reader(s, actor, insp)
    unit = s.get(Unit, insp.unit_id)
    answers = {
        a.item_id: a.value
        for a in s.exec(
            select(ChecklistAnswer).where(ChecklistAnswer.inspection_id == insp.id)
        ).all()
    }
    findings = s.exec(
        select(Finding).where(Finding.inspection_id == insp.id).order_by(Finding.id)
    ).all()
    refs = photo_refs(s, actor=actor, finding_ids=[f.id for f in findings])
    tpl = uow.get(checklists.ChecklistTemplate, insp.template_id)
    items = checklists.items_of_inspection(
        s, insp.template_id, insp.id, submitted=insp.status != DRAFT
    )
    template = checklists.TemplateView(
        tpl.id, tpl.name, tpl.description, tpl.active, tpl.version, tuple(items)
    )
    return VisitView(
        insp.id, insp.client_key, insp.unit_id, unit.name, insp.kind, insp.plan_id,
        insp.inspector_id, insp.visited_at, insp.summary, insp.status, insp.version, template,
        answers, tuple(_finding_view(f, refs.get(("finding", f.id), [])) for f in findings),
    )


def _require_reader(session, actor: User, insp: Inspection) -> None:
    """A whole visit (all answers, all findings) is for its author while a draft and, once
    submitted, for those who see every submitted finding of its unit (an inspector within
    their scope: services.core.visibility.unit_scope)."""
    if insp.status == DRAFT:
        if insp.inspector_id == actor.id and can(actor, "inspection.record"):
            return
    elif can(actor, "finding.view_all") and unit_in_scope(session, actor, insp.unit_id):
        return
    raise PermissionDenied(capability="inspection.view")


@dataclass(frozen=True)
class DraftRow:
    id: int
    unit: str
    kind: str
    visited_at: datetime
    updated_at: datetime
    findings: int


def list_drafts(uow: UnitOfWork, *, actor: User) -> list[DraftRow]:
    require(actor, "inspection.record")
    rows = uow.session.exec(
        select(Inspection, Unit.name, func.count(Finding.id))
        .join(Unit, Inspection.unit_id == Unit.id)
        .join(Finding, Finding.inspection_id == Inspection.id, isouter=True)
        .where(Inspection.inspector_id == actor.id, Inspection.status == DRAFT)
        .group_by(Inspection.id, Unit.name)
        .order_by(Inspection.updated_at.desc())
    ).all()
    return [DraftRow(i.id, n, i.kind, i.visited_at, i.updated_at, c) for i, n, c in rows]
