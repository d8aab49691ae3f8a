"""The inspector's visit: start (from a plan or unplanned), answer the checklist, record
findings, submit. Every step is saved on the server at once, so a reload, a closed tab or
a dropped connection loses nothing; client keys make a retried start or submit harmless.
Reading a visit back is visit_view.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import select

from db.models import (
    ChecklistAnswer,
    ChecklistItem,
    Finding,
    FindingStatusChange,
    Inspection,
    InspectionStatus,
    Photo,
    Severity,
    Unit,
    User,
    VisitPlan,
)
from db.timeutil import utcnow
from services.core import audit
from services.core.errors import NotFound, PermissionDenied, ValidationFailed
from services.core.idempotency import get_or_create
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import clean_text
from services.core.visibility import unit_in_scope
from services.fieldwork import checklists
from services.fieldwork import plans as visit_plans
from services.findings import status as finding_status
from services.photos import evidence as photos

DRAFT, SUBMITTED, REVIEWED = tuple(InspectionStatus)
SEVERITIES = tuple(s.value for s in Severity)
CATEGORIES = (
    "eight_systems", "discipline", "attitude", "efficiency", "publicity", "environment", "other",
)


def _own_draft(
    uow: UnitOfWork, actor: User, inspection_id: int, *, to_discard: bool = False
) -> Inspection:
    """The actor's draft, still at a unit in their scope: a draft whose plan the office has
    cancelled, or whose unit left the inspector's district, can only be discarded."""
    insp = uow.get(Inspection, inspection_id)
    if insp.inspector_id != actor.id:
        raise PermissionDenied(capability="inspection.edit")
    if insp.status != DRAFT:
        raise ValidationFailed("inspection.already_submitted")
    if not to_discard and not unit_in_scope(uow.session, actor, insp.unit_id):
        raise PermissionDenied("inspection.out_of_scope")
    return insp


def _touch(insp: Inspection) -> None:
    insp.updated_at = utcnow()
    insp.version += 1


def start_visit(
    uow: UnitOfWork,
    *,
    actor: User,
    client_key: str,
    unit_id: int | None = None,
    kind: str | None = None,
    template_id: int | None = None,
    plan_id: int | None = None,
) -> Inspection:
    """From a plan (unit, kind and checklist come from it) or unplanned. Starting again with
    the same client key returns the draft already made."""
    require(actor, "inspection.record")
    client_key = clean_text(client_key, field="client_key", max_len=64)
    owner, target = {"inspector_id": actor.id}, {"plan_id": plan_id}
    if plan_id is None:
        target |= {"unit_id": unit_id, "kind": kind, "template_id": template_id}

    def create() -> Inspection:
        nonlocal unit_id, kind, template_id
        s = uow.session
        if plan_id is not None:
            plan = s.get(VisitPlan, plan_id)
            if plan is None or not visit_plans.is_assigned(uow, plan_id, actor.id):
                raise NotFound()
            if plan.status != visit_plans.PLANNED:
                raise ValidationFailed("plan.not_editable")
            unit_id, kind, template_id = plan.unit_id, plan.kind, plan.template_id
        if unit_id is None or s.get(Unit, unit_id) is None:
            raise ValidationFailed("inspection.unit_required", field="unit")
        if plan_id is None and not unit_in_scope(s, actor, unit_id):
            raise PermissionDenied("inspection.out_of_scope")
        if kind not in visit_plans.KINDS:
            raise ValidationFailed("inspection.kind_unknown", field="kind")
        if template_id is None or s.get(checklists.ChecklistTemplate, template_id) is None:
            raise ValidationFailed("plan.template_missing", field="template")
        return Inspection(unit_id=unit_id, kind=kind, template_id=template_id)

    insp, created = get_or_create(
        uow, Inspection, client_key=client_key, owner=owner, target=target, create=create
    )
    if created:
        audit.record(uow, actor, "inspection.start", insp)
    return insp


def save_answers(
    uow: UnitOfWork, *, actor: User, inspection_id: int, answers: dict[int, str]
) -> None:
    """Saves the given answers (others stay as they were); an empty value clears one."""
    require(actor, "inspection.record")
    s = uow.session
    insp = _own_draft(uow, actor, inspection_id)
    items = {
        i.id: i
        for i in s.exec(
            select(ChecklistItem).where(ChecklistItem.template_id == insp.template_id)
        ).all()
    }
    stored = {
        a.item_id: a
        for a in s.exec(
            select(ChecklistAnswer).where(ChecklistAnswer.inspection_id == insp.id)
        ).all()
    }
    changed = {}
    for item_id, raw in answers.items():
        item = items.get(item_id)
        if item is None:
            raise ValidationFailed("inspection.item_unknown")
        value = checklists.check_answer(item, raw)
        row = stored.get(item_id) or ChecklistAnswer(inspection_id=insp.id, item_id=item_id)
        if row.value != value or row.id is None:
            row.value = value
            s.add(row)
            changed[str(item_id)] = value
    if changed:
        _touch(insp)
        audit.event(uow, actor, "inspection.answers", insp, after=changed)


def save_details(
    uow: UnitOfWork, *, actor: User, inspection_id: int, summary: str,
    visited_at: datetime | None = None,
) -> None:
    require(actor, "inspection.record")
    summary = clean_text(summary, field="summary", max_len=4000, required=False)
    insp = _own_draft(uow, actor, inspection_id)
    before = audit.state(insp)
    insp.summary = summary
    if visited_at is not None:
        insp.visited_at = visited_at
    _touch(insp)
    audit.record(uow, actor, "inspection.details", insp, before)


def finding_fields(*, category: str, severity: str, description: str,
                   responsible_person: str) -> dict:
    """The checked values of a finding, from a visit or from a complaint."""
    if category not in CATEGORIES:
        raise ValidationFailed("finding.category_unknown", field="category")
    if severity not in SEVERITIES:
        raise ValidationFailed("finding.severity_unknown", field="severity")
    return {
        "category": category, "severity": severity,
        "description": clean_text(description, field="description", max_len=4000),
        "responsible_person": clean_text(responsible_person, field="responsible_person",
                                         max_len=100, required=False),
    }


def save_finding(
    uow: UnitOfWork,
    *,
    actor: User,
    inspection_id: int,
    client_key: str,
    category: str,
    severity: str,
    description: str,
    responsible_person: str = "",
    item_id: int | None = None,
) -> Finding:
    """Create the finding named by `client_key`, or update it: a retried save is one finding."""
    require(actor, "inspection.record")
    client_key = clean_text(client_key, field="client_key", max_len=64)
    checked = finding_fields(category=category, severity=severity, description=description,
                             responsible_person=responsible_person)
    s = uow.session
    insp = _own_draft(uow, actor, inspection_id)
    if item_id is not None:
        item = s.get(ChecklistItem, item_id)
        if item is None or item.template_id != insp.template_id:
            raise ValidationFailed("inspection.item_unknown")
    fields = {**checked, "item_id": item_id}
    finding, created = get_or_create(
        uow, Finding, client_key=client_key, owner={"inspection_id": insp.id}, target={},
        create=lambda: Finding(unit_id=insp.unit_id, **fields),
    )
    before = None if created else audit.state(finding)
    if created:
        finding_status.log_created(s, finding, actor=actor)
    else:
        for name, value in fields.items():
            setattr(finding, name, value)
        finding.version += 1
        s.add(finding)
        s.flush()
    _touch(insp)
    audit.record(uow, actor, "finding.create" if created else "finding.update", finding, before)
    return finding


def delete_finding(uow: UnitOfWork, *, actor: User, finding_id: int) -> None:
    """Only from a draft; its photos go with it (their files stay for the sweep)."""
    require(actor, "inspection.record")
    finding = uow.get(Finding, finding_id)
    insp = _own_draft(uow, actor, finding.inspection_id)
    audit.removed(uow, actor, "finding.delete", finding)
    _delete_draft_finding(uow, finding)
    _touch(insp)


def discard_draft(uow: UnitOfWork, *, actor: User, inspection_id: int) -> None:
    """Throw away one's own draft (a visit started at the wrong unit, say), with its
    answers, findings and photos. A plan it came from stays planned."""
    require(actor, "inspection.record")
    s = uow.session
    insp = _own_draft(uow, actor, inspection_id, to_discard=True)
    audit.removed(uow, actor, "inspection.discard", insp)
    for finding in s.exec(select(Finding).where(Finding.inspection_id == insp.id)).all():
        _delete_draft_finding(uow, finding)
    for answer in s.exec(
        select(ChecklistAnswer).where(ChecklistAnswer.inspection_id == insp.id)
    ).all():
        s.delete(answer)
    s.flush()
    s.delete(insp)


def _delete_draft_finding(uow: UnitOfWork, finding: Finding) -> None:
    s = uow.session
    photos.detach_all(uow, finding_id=finding.id)
    for change in s.exec(
        select(FindingStatusChange).where(FindingStatusChange.finding_id == finding.id)
    ):
        s.delete(change)
    s.flush()
    s.delete(finding)


def submit_visit(uow: UnitOfWork, *, actor: User, inspection_id: int) -> Inspection:
    """Draft -> submitted, its findings -> open for review. Submitting an inspection that
    is already submitted (a double tap, a retry after a time-out) returns it unchanged."""
    require(actor, "inspection.record")
    s = uow.session
    insp = uow.get(Inspection, inspection_id)
    if insp.inspector_id != actor.id:
        raise PermissionDenied(capability="inspection.edit")
    if insp.status != DRAFT:
        return insp
    _own_draft(uow, actor, inspection_id)  # still in scope (the plan may have been cancelled)
    _check_complete(uow, insp)
    findings = s.exec(select(Finding).where(Finding.inspection_id == insp.id)).all()
    for finding in findings:
        finding_status.transition(s, finding, finding_status.OPEN, actor=actor)
    before = audit.state(insp)
    # A visit that found nothing leaves nothing for the office to decide.
    insp.status = SUBMITTED if findings else REVIEWED
    insp.submitted_at = utcnow()
    _touch(insp)
    if insp.plan_id is not None:
        plan = s.get(VisitPlan, insp.plan_id)
        if plan is not None and plan.status == visit_plans.PLANNED:
            plan.status = visit_plans.DONE
            plan.version += 1
    audit.record(uow, actor, "inspection.submit", insp, before)
    return insp


def _check_complete(uow: UnitOfWork, insp: Inspection) -> None:
    s = uow.session
    items = s.exec(
        select(ChecklistItem).where(
            ChecklistItem.template_id == insp.template_id, ChecklistItem.active
        )
    ).all()
    answers = {
        a.item_id: a.value
        for a in s.exec(
            select(ChecklistAnswer).where(ChecklistAnswer.inspection_id == insp.id)
        ).all()
    }
    unanswered = [i.text for i in items if not answers.get(i.id)]
    if unanswered:
        raise ValidationFailed("inspection.unanswered", count=len(unanswered),
                               items=unanswered[:3])
    findings = s.exec(select(Finding).where(Finding.inspection_id == insp.id)).all()
    photo_counts = dict(
        s.exec(
            select(Photo.finding_id, func.count(Photo.id))
            .where(Photo.finding_id.in_([f.id for f in findings]))
            .group_by(Photo.finding_id)
        ).all()
    ) if findings else {}
    for item in items:
        if item.photo_required_on_fail and checklists.fails(item, answers.get(item.id)):
            linked = [f for f in findings if f.item_id == item.id]
            if not any(photo_counts.get(f.id) for f in linked):
                raise ValidationFailed("inspection.photo_required", item=item.text)
