"""Plans for moving into the government service hall (进驻政务大厅工作方案). The office names
the units that must move in; each unit's liaison writes its plan (the approval items it
brings, its working rules, its staffing) and submits it; the office approves it or returns
it with comments. The status is data with a log row per change:

    required ──save──> draft ──submit──> submitted ──approve──> approved
                          ^                  └──return──> returned ──submit──┘
                          └─────────────── save (a unit not asked may start a plan too)

In = approved; pending = draft, submitted or returned; missing = required."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from db.models import HallPlan, HallPlanStatus, HallPlanStatusChange, Role, Unit, User
from db.timeutil import utcnow
from services.core import audit
from services.core.errors import NotFound, PermissionDenied, ValidationFailed
from services.core.lifecycle import Lifecycle, StatusChangeRow
from services.core.permissions import can, require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text

REQUIRED, DRAFT, SUBMITTED = HallPlanStatus.REQUIRED, HallPlanStatus.DRAFT, HallPlanStatus.SUBMITTED
APPROVED, RETURNED = HallPlanStatus.APPROVED, HallPlanStatus.RETURNED
LIFECYCLE = Lifecycle(
    "hall_plan",
    {
        None: frozenset({REQUIRED, DRAFT}),
        REQUIRED: frozenset({DRAFT}),
        DRAFT: frozenset({SUBMITTED}),
        SUBMITTED: frozenset({APPROVED, RETURNED}),
        RETURNED: frozenset({SUBMITTED}),
        APPROVED: frozenset(),
    },
    log=HallPlanStatusChange,
    owner="hall_plan_id",
)
PENDING = frozenset({DRAFT, SUBMITTED, RETURNED})
ITEMS_MAX, ITEM_LEN = 200, 200


def require_units(uow: UnitOfWork, *, actor: User, unit_ids: Sequence[int]) -> int:
    """The office asks these units to move in; a unit with a plan already is left as it is.
    Returns how many were asked."""
    require(actor, "campaign.manage")
    s = uow.session
    have = set(s.exec(select(HallPlan.unit_id).where(HallPlan.unit_id.in_(list(unit_ids)))).all())
    asked = 0
    for unit_id in dict.fromkeys(unit_ids):
        unit = s.get(Unit, unit_id)
        if unit is None or not unit.active:
            raise ValidationFailed("campaign.unit_inactive", unit=unit.name if unit else "?")
        if unit_id in have:
            continue
        plan = HallPlan(unit_id=unit_id, status=REQUIRED)
        s.add(plan)
        uow.flush()
        LIFECYCLE.start(s, plan, actor=actor)
        audit.record(uow, actor, "hall_plan.require", plan)
        asked += 1
    return asked


def save_plan(uow: UnitOfWork, *, actor: User, approval_items: Sequence[str], rules: str,
              staffing: str, submit: bool = False, version: int | None = None,
              now: datetime | None = None) -> HallPlan:
    """The liaison's plan for their unit: kept as a draft, or submitted for the office's
    decision (then every part is required). A submitted or approved plan is not edited."""
    require(actor, "campaign.report")
    if actor.role != Role.UNIT or actor.unit_id is None:
        raise PermissionDenied("campaign.hall_unit_only")
    now = now or utcnow()
    items = _items(approval_items, required=submit)
    rules = clean_text(rules, field="hall_rules", max_len=8000, required=submit)
    staffing = clean_text(staffing, field="hall_staffing", max_len=2000, required=submit)
    s = uow.session
    uow.get(Unit, actor.unit_id)  # locked: two first saves at once find each other
    plan = s.exec(select(HallPlan).where(HallPlan.unit_id == actor.unit_id)
                  .with_for_update()).first()
    if plan is not None:
        check_version(plan.version, version)
        if plan.status in (SUBMITTED, APPROVED):
            raise ValidationFailed(f"campaign.hall_{plan.status}")
    before = audit.state(plan) if plan is not None else None
    if plan is None:
        plan = HallPlan(unit_id=actor.unit_id, status=DRAFT)
        s.add(plan)
        uow.flush()
        LIFECYCLE.start(s, plan, actor=actor, at=now)
    elif plan.status == REQUIRED:
        LIFECYCLE.move(s, plan, DRAFT, actor=actor, at=now)
    plan.approval_items, plan.rules, plan.staffing, plan.updated_at = items, rules, staffing, now
    if submit:
        LIFECYCLE.move(s, plan, SUBMITTED, actor=actor, at=now)
        plan.submitted_at = now
    elif before is not None and plan.version == before["version"]:
        plan.version += 1  # an edit of the draft: no move, a new version all the same
    s.add(plan)
    audit.record(uow, actor, "hall_plan.submit" if submit else "hall_plan.save", plan, before)
    return plan


def decide(uow: UnitOfWork, *, actor: User, plan_id: int, approve: bool, comment: str = "",
           version: int | None = None) -> HallPlan:
    """The office approves a submitted plan, or returns it with its comments (required)."""
    require(actor, "campaign.manage")
    comment = clean_text(comment, field="hall_comment", max_len=2000, required=not approve)
    plan = uow.get(HallPlan, plan_id)
    check_version(plan.version, version)
    before = audit.state(plan)
    LIFECYCLE.move(uow.session, plan, APPROVED if approve else RETURNED, actor=actor,
                   note=comment)
    plan.office_comment, plan.decided_at, plan.decided_by = comment, utcnow(), actor.id
    uow.session.add(plan)
    audit.record(uow, actor, "hall_plan.approve" if approve else "hall_plan.return", plan,
                 before)
    return plan


@dataclass(frozen=True)
class PlanRow:
    id: int
    unit_id: int
    unit: str
    status: str
    approval_items: tuple[str, ...]
    rules: str
    staffing: str
    office_comment: str
    submitted_at: datetime | None
    decided_at: datetime | None
    version: int

    @property
    def state(self) -> str:
        """in, pending or missing, for the office's list."""
        return "in" if self.status == APPROVED else "pending" if self.status in PENDING \
            else "missing"


def overview(uow: UnitOfWork, *, actor: User) -> list[PlanRow]:
    """Every plan (the office, leaders, administrators), or the liaison's own unit's."""
    # A deactivated unit is no longer expected in the hall (an approved plan still counts).
    query = (select(HallPlan, Unit.name).join(Unit, HallPlan.unit_id == Unit.id)
             .where(Unit.active | (HallPlan.status == APPROVED)))
    if not can(actor, "campaign.view"):
        if not can(actor, "campaign.report") or actor.unit_id is None:
            raise PermissionDenied(capability="campaign.view")
        query = query.where(HallPlan.unit_id == actor.unit_id)
    rows = uow.session.exec(query.order_by(HallPlan.status, Unit.name)).all()
    return [PlanRow(p.id, p.unit_id, name, p.status, tuple(p.approval_items or ()), p.rules,
                    p.staffing, p.office_comment, p.submitted_at, p.decided_at, p.version)
            for p, name in rows]


def history(uow: UnitOfWork, *, actor: User, plan_id: int) -> list[StatusChangeRow]:
    """A plan's status changes, oldest first, for whoever may read the plan."""
    if not any(r.id == plan_id for r in overview(uow, actor=actor)):
        raise NotFound()
    return LIFECYCLE.history(uow.session, plan_id)


def mine(uow: UnitOfWork, *, actor: User) -> PlanRow | None:
    rows = overview(uow, actor=actor)
    if actor.unit_id is None:
        raise NotFound()
    return next((r for r in rows if r.unit_id == actor.unit_id), None)


def _items(raw: Sequence[str] | str, *, required: bool) -> list[str]:
    if isinstance(raw, str):
        raw = raw.splitlines()  # one item per line, as the form gives them
    items = [" ".join(str(i).split()) for i in raw if str(i).strip()]
    items = list(dict.fromkeys(items))  # the same item twice is one item
    if required and not items:
        raise ValidationFailed("error.required", field="hall_items")
    if len(items) > ITEMS_MAX:
        raise ValidationFailed("campaign.hall_too_many_items", max=ITEMS_MAX)
    if any(len(i) > ITEM_LEN for i in items):
        raise ValidationFailed("error.too_long", field="hall_items", max=ITEM_LEN)
    return items
