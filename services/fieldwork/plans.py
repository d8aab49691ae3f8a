"""Unannounced-visit plans (暗访计划). Confidential: only the office, administrators and the
inspectors assigned to a plan ever read one. Every query here filters by the actor, and a
role without a plan capability gets PermissionDenied, never an empty list that could be
counted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from db.models import (
    ChecklistTemplate,
    Complaint,
    InspectionKind,
    Role,
    Unit,
    User,
    VisitPlan,
    VisitPlanInspector,
    VisitPlanStatus,
)
from services.core import audit
from services.core.errors import NotFound, PermissionDenied, ValidationFailed
from services.core.permissions import can, require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text

KINDS = tuple(k.value for k in InspectionKind)
PLANNED, DONE, CANCELLED = tuple(VisitPlanStatus)


@dataclass(frozen=True)
class PlanRow:
    id: int
    unit_id: int
    unit: str
    kind: str
    window_start: date
    window_end: date
    template_id: int
    template: str
    note: str
    status: str
    inspector_ids: tuple[int, ...]
    inspector_names: tuple[str, ...]
    version: int


def _may_read(actor: User) -> None:
    if not (can(actor, "plan.manage") or can(actor, "inspection.record")):
        raise PermissionDenied(capability="plan.view")


def list_plans(
    uow: UnitOfWork, *, actor: User, status: str | None = None, plan_id: int | None = None
) -> list[PlanRow]:
    """The office and administrators see all plans; an inspector only the plans assigned
    to them; everybody else is refused."""
    _may_read(actor)
    query = (
        select(VisitPlan, Unit.name, ChecklistTemplate.name)
        .join(Unit, VisitPlan.unit_id == Unit.id)
        .join(ChecklistTemplate, VisitPlan.template_id == ChecklistTemplate.id)
        .order_by(VisitPlan.window_start, VisitPlan.id)
    )
    if not can(actor, "plan.manage"):
        assigned = select(VisitPlanInspector.plan_id).where(VisitPlanInspector.user_id == actor.id)
        query = query.where(VisitPlan.id.in_(assigned))
    if status:
        query = query.where(VisitPlan.status == status)
    if plan_id is not None:
        query = query.where(VisitPlan.id == plan_id)
    rows = uow.session.exec(query).all()
    ids = [p.id for p, _, _ in rows]
    people = uow.session.exec(
        select(VisitPlanInspector.plan_id, User.id, User.display_name)
        .join(User, VisitPlanInspector.user_id == User.id)
        .where(VisitPlanInspector.plan_id.in_(ids))
        .order_by(User.id)
    ).all() if ids else []
    team: dict[int, list[tuple[int, str]]] = {}
    for plan_id_, user_id, name in people:
        team.setdefault(plan_id_, []).append((user_id, name))
    return [
        PlanRow(
            p.id, p.unit_id, unit, p.kind, p.window_start, p.window_end, p.template_id, tpl,
            p.note, p.status, tuple(u for u, _ in team.get(p.id, [])),
            tuple(n for _, n in team.get(p.id, [])), p.version,
        )
        for p, unit, tpl in rows
    ]


def get_plan(uow: UnitOfWork, *, actor: User, plan_id: int) -> PlanRow:
    rows = list_plans(uow, actor=actor, plan_id=plan_id)
    if not rows:
        raise NotFound()  # also for a plan that exists but is not this inspector's
    return rows[0]


def _check(uow: UnitOfWork, unit_id: int, kind: str, start: date, end: date, template_id: int,
           inspector_ids: list[int]) -> None:
    s = uow.session
    unit = s.get(Unit, unit_id)
    if unit is None or not unit.active:
        raise ValidationFailed("org.unit_missing", field="unit")
    if kind not in KINDS:
        raise ValidationFailed("inspection.kind_unknown", field="kind")
    if end < start:
        raise ValidationFailed("plan.window_reversed", field="window")
    template = s.get(ChecklistTemplate, template_id)
    if template is None or not template.active:
        raise ValidationFailed("plan.template_missing", field="template")
    if not inspector_ids:
        raise ValidationFailed("plan.no_inspectors", field="inspectors")
    for user_id in inspector_ids:
        user = s.get(User, user_id)
        if user is None or not user.active or user.role != Role.INSPECTOR:
            raise ValidationFailed("plan.not_an_inspector", field="inspectors")


def save_plan(
    uow: UnitOfWork,
    *,
    actor: User,
    unit_id: int,
    kind: str,
    window_start: date,
    window_end: date,
    template_id: int,
    inspector_ids: list[int],
    note: str = "",
    plan_id: int | None = None,
    version: int | None = None,
    complaint_id: int | None = None,
) -> VisitPlan:
    """`complaint_id`: the complaint that made the office plan this (a focused supervision,
    重点督察, against the unit complained about)."""
    require(actor, "plan.manage")
    note = clean_text(note, field="note", max_len=500, required=False)
    inspector_ids = sorted(set(inspector_ids))
    _check(uow, unit_id, kind, window_start, window_end, template_id, inspector_ids)
    s = uow.session
    if plan_id is None:
        plan, before = VisitPlan(created_by=actor.id), None
    else:
        plan = uow.get(VisitPlan, plan_id)
        check_version(plan.version, version)
        if plan.status != PLANNED:
            raise ValidationFailed("plan.not_editable")
        before = audit.state(plan)
        plan.version += 1
    plan.unit_id, plan.kind, plan.template_id, plan.note = unit_id, kind, template_id, note
    plan.window_start, plan.window_end = window_start, window_end
    if complaint_id is not None:
        complaint = s.get(Complaint, complaint_id)
        if complaint is None or complaint.unit_id != unit_id:
            raise ValidationFailed("plan.complaint_other_unit", field="unit")
        plan.complaint_id = complaint_id
    s.add(plan)
    s.flush()
    for link in s.exec(select(VisitPlanInspector).where(VisitPlanInspector.plan_id == plan.id)):
        s.delete(link)
    s.flush()
    for user_id in inspector_ids:
        s.add(VisitPlanInspector(plan_id=plan.id, user_id=user_id))
    action = "plan.create" if before is None else "plan.update"
    audit.record(uow, actor, action, plan, before, extra={"inspectors": inspector_ids})
    return plan


def cancel_plan(
    uow: UnitOfWork, *, actor: User, plan_id: int, version: int | None = None
) -> VisitPlan:
    require(actor, "plan.manage")
    plan = uow.get(VisitPlan, plan_id)
    check_version(plan.version, version)
    if plan.status != PLANNED:
        raise ValidationFailed("plan.not_editable")
    before = audit.state(plan)
    plan.status = CANCELLED
    plan.version += 1
    audit.record(uow, actor, "plan.cancel", plan, before)
    return plan


def is_assigned(uow: UnitOfWork, plan_id: int, user_id: int) -> bool:
    link = uow.session.get(VisitPlanInspector, (plan_id, user_id))
    return link is not None


def list_inspectors(uow: UnitOfWork, *, actor: User) -> list[tuple[int, str]]:
    """Active inspectors a plan can be assigned to: (id, display name)."""
    require(actor, "plan.manage")
    rows = uow.session.exec(
        select(User.id, User.display_name)
        .where(User.role == Role.INSPECTOR, User.active)
        .order_by(User.display_name)
    ).all()
    return [(i, n) for i, n in rows]
