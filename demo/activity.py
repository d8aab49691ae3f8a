"""A year of demo field work: the checklist template, visit plans, about 400 inspections
and 900 findings over the last 12 months, in every status, with drawn photos.

Historical rows are written directly (services stamp "now"; history needs the past), in
batches, each batch audited as one "demo.activity" event. Photos go through the real
pipeline (imaging.ingest and the content-addressed store)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from config import get_settings
from db.models import (
    ChecklistAnswer,
    Finding,
    Inspection,
    InspectionStatus,
    Rectification,
    Role,
    Unit,
    User,
    VisitPlan,
    VisitPlanInspector,
    VisitPlanStatus,
)
from db.timeutil import utcnow
from demo import checklist as demo_checklist
from demo import photos as demo_photos
from services.core import clock
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.core.visibility import unit_scope
from services.fieldwork import checklists
from services.fieldwork.visits import CATEGORIES, SEVERITIES
from services.findings import status as finding_status
from services.identity import passwords
from services.photos import evidence as photos
from services.photos.store import PhotoStore

Progress = Callable[[float, str], None]

SIZES = {"full": (400, 900, 60), "small": (24, 50, 6)}  # inspections, findings, photos drawn
# Days of history: the small sample is recent, so that its few findings are spread over every
# stage of their life (some still waiting for the unit or for verification), not mostly closed.
SPAN_DAYS = {"full": 365, "small": 45}
KINDS = ("open", "unannounced", "spot_check", "focused")
PROBLEMS = {
    "eight_systems": [
        "服务承诺未在醒目位置公示",
        "AB岗人员未到岗，无人顶岗",
        "未执行一次性告知，群众多次往返",
    ],
    "discipline": ["上班时间玩手机", "工作人员迟到20分钟", "窗口无人值守", "未佩戴工作牌"],
    "attitude": ["对群众咨询态度生硬", "推诿扯皮，让群众找其他窗口"],
    "efficiency": ["排队等候超过40分钟", "超过承诺时限未办结"],
    "publicity": ["办事指南过期未更新", "收费标准未公示"],
    "environment": ["大厅座椅损坏未修", "叫号系统故障"],
    "other": ["台账记录不全"],
}
FIXES = [
    "已组织全员学习并整改到位",
    "已调整排班，落实AB岗",
    "已更新公示内容并拍照留存",
    "已对相关人员批评教育并通报",
    "已维修设施并建立巡查制度",
]


def load_activity(
    uow: UnitOfWork,
    *,
    size: str = "full",
    progress: Progress | None = None,
    store: PhotoStore | None = None,
    seed: int = 2026,
    password: str,
) -> dict[str, int]:
    report = progress or (lambda _f, _s: None)
    n_inspections, n_findings, n_photos = SIZES[size]
    rng = random.Random(seed)
    store = store or photos.default_store()
    actor = system_actor()
    template = _template(uow, actor)
    people = _people(uow, password)
    report(0.0, "photos")
    pool = demo_photos.pool(rng, store, n_photos, report)
    report(0.3, "inspections")
    now = utcnow()
    counts = {"plans": 0, "inspections": 0, "findings": 0, "photos": 0}
    findings_left = n_findings
    batch = 25
    for start in range(0, n_inspections, batch):
        s = uow.session
        for i in range(start, min(start + batch, n_inspections)):
            share = findings_left // max(1, n_inspections - i)
            k = min(findings_left, max(0, share + rng.choice((-2, -1, 0, 1, 2))))
            if i == n_inspections - 1:
                k = findings_left
            findings_left -= k
            _inspection(s, rng, now, SPAN_DAYS[size], template, people, pool, k, counts)
        uow.audit(
            actor,
            "demo.activity",
            "inspection",
            None,
            after={"inspections": min(start + batch, n_inspections)},
        )
        report(0.3 + 0.6 * min(start + batch, n_inspections) / n_inspections, "inspections")
    counts["plans"] += _upcoming_plans(uow.session, rng, now, template, people)
    uow.audit(actor, "demo.activity", "visit_plan", None, after={"plans": counts["plans"]})
    counts["liaisons"] = people["created_liaisons"]
    report(1.0, "done")
    return counts


def _template(uow: UnitOfWork, actor) -> checklists.TemplateView:
    found = [
        t for t in checklists.list_templates(uow, actor=actor) if t.name == demo_checklist.NAME
    ]
    if not found:
        checklists.save_template(
            uow,
            actor=actor,
            name=demo_checklist.NAME,
            description=demo_checklist.DESCRIPTION,
            items=demo_checklist.ITEMS,
        )
        found = [
            t for t in checklists.list_templates(uow, actor=actor) if t.name == demo_checklist.NAME
        ]
    return found[0]


def _people(uow: UnitOfWork, password: str) -> dict:
    s = uow.session
    users = s.exec(select(User).where(User.active)).all()
    units = s.exec(select(Unit).where(Unit.active).order_by(Unit.id)).all()
    by_role: dict[str, list[User]] = {}
    for u in users:
        by_role.setdefault(u.role, []).append(u)
    liaison = {u.unit_id: u for u in by_role.get(Role.UNIT, [])}
    inspectors = by_role.get(Role.INSPECTOR, [])
    return {
        "inspectors": inspectors,
        "reach": _reach(uow, inspectors),
        "office": (by_role.get(Role.OFFICE) or by_role.get(Role.ADMIN))[0],
        "units": units,
        "liaison": liaison,
        "password_hash": passwords.hash_password(password),  # once, for every made liaison
        "created_liaisons": 0,
    }


def _reach(uow: UnitOfWork, inspectors: list[User]) -> dict[int, set[int] | None]:
    """Inspector id -> the units they may visit unplanned (None: the whole city)."""
    reach: dict[int, set[int] | None] = {}
    for inspector in inspectors:
        scope = unit_scope(inspector, Unit.id)
        reach[inspector.id] = None if scope is None else set(
            uow.session.exec(select(Unit.id).where(scope)).all()
        )
    return reach


def _when(rng: random.Random, now: datetime, max_days: int) -> datetime:
    # A tenth of the visits in the last ten days: the office has fresh findings to review.
    days = rng.randint(1, 10) if rng.random() < 0.1 else rng.randint(1, max_days)
    day = now - timedelta(days=days)
    local = clock.local(day).replace(hour=rng.randint(9, 16), minute=rng.randint(0, 59))
    return local.astimezone(UTC)


def _inspection(s, rng, now, span, template, people, pool, n_findings, counts) -> None:
    # Some visits go to the units that have a demo liaison, so their pages have work.
    liaison_units = [u for u in people["units"] if u.id in people["liaison"]]
    if liaison_units and rng.random() < 0.15:
        unit = rng.choice(liaison_units)
    else:
        unit = rng.choice(people["units"])
    # The demo obeys the district scope: an inspector visits a unit of their district, or
    # one a plan assigns to them.
    reach = people["reach"]
    local = [i for i in people["inspectors"] if reach[i.id] is None or unit.id in reach[i.id]]
    inspector = rng.choice(local or people["inspectors"])
    kind = rng.choice(KINDS)
    visited = _when(rng, now, span)
    plan_id = None
    if not local or (kind == "unannounced" and rng.random() < 0.7):
        plan = VisitPlan(
            unit_id=unit.id,
            kind=kind,
            template_id=template.id,
            status=VisitPlanStatus.DONE,
            window_start=(visited - timedelta(days=3)).date(),
            window_end=(visited + timedelta(days=4)).date(),
            created_by=people["office"].id,
            created_at=visited - timedelta(days=5),
        )
        s.add(plan)
        s.flush()
        s.add(VisitPlanInspector(plan_id=plan.id, user_id=inspector.id))
        plan_id = plan.id
        counts["plans"] += 1
    insp = Inspection(
        client_key=f"demo-{rng.getrandbits(64):016x}",
        unit_id=unit.id,
        kind=kind,
        template_id=template.id,
        plan_id=plan_id,
        inspector_id=inspector.id,
        visited_at=visited,
        summary=rng.choice(
            ["整体情况良好", "存在个别问题，已当场指出", "作风问题较突出，建议通报"]
        ),
        status=InspectionStatus.SUBMITTED,
        created_at=visited,
        updated_at=visited,
        submitted_at=visited + timedelta(hours=2),
    )
    s.add(insp)
    s.flush()
    counts["inspections"] += 1
    items = [i for i in template.items]
    failing = set(
        rng.sample([i.id for i in items if i.answer_type == "yes_no"], k=min(n_findings, 3))
    )
    for item in items:
        value = {"number": str(rng.randint(0, 25)), "text": "无"}.get(item.answer_type)
        if value is None:
            value = (
                checklists.NO
                if item.id in failing
                else rng.choice((checklists.YES,) * 9 + (checklists.NOT_APPLICABLE,))
            )
        s.add(ChecklistAnswer(inspection_id=insp.id, item_id=item.id, value=value))
    failing_items = [i for i in items if i.id in failing]
    decided_all = True
    for n in range(n_findings):
        item = failing_items[n] if n < len(failing_items) else None
        category = checklists.suggested_category(item) if item else rng.choice(CATEGORIES)
        decided = _finding(s, rng, now, insp, unit, inspector, people, pool, item, category, counts)
        decided_all = decided_all and decided
    if decided_all:
        insp.status = InspectionStatus.REVIEWED


def _finding(s, rng, now, insp, unit, inspector, people, pool, item, category, counts) -> bool:
    """One finding and its whole history; returns whether the office has decided on it."""
    severity = rng.choices(SEVERITIES, weights=(6, 3, 1))[0]
    f = Finding(
        client_key=f"demo-{rng.getrandbits(64):016x}",
        inspection_id=insp.id,
        unit_id=unit.id,
        item_id=item.id if item else None,
        category=category,
        severity=severity,
        description=rng.choice(PROBLEMS[category]),
        responsible_person=rng.choice("王李张刘陈") + "某",
        status=finding_status.DRAFT,
        created_at=insp.visited_at,
    )
    s.add(f)
    s.flush()
    for _ in range(rng.choice((1, 1, 2))):
        _attach(s, rng, pool, inspector, insp.visited_at + timedelta(minutes=20), finding_id=f.id)
        counts["photos"] += 1
    counts["findings"] += 1
    office = people["office"]
    steps: list[tuple[str, User, str, datetime]] = [
        (finding_status.DRAFT, inspector, "", insp.visited_at),
        (finding_status.OPEN, inspector, "", insp.submitted_at),
    ]
    # Each step follows the one before after a plausible delay; what would lie in the
    # future has not happened yet, so recent findings are still open or being rectified.
    at = insp.submitted_at + timedelta(hours=rng.uniform(4, 96))
    if at < now and rng.random() < 0.08:
        steps.append((finding_status.REJECTED, office, "证据不足，不予认定", at))
    elif at < now:
        steps.append((finding_status.RECTIFYING, office, "", at))
        f.deadline = _deadline(at, severity)
        liaison = _liaison(s, unit, people)
        for round_ in range(3):
            at += timedelta(days=rng.uniform(1, _days(severity) * 1.3 + 2))  # some are late
            if at >= now:
                break
            steps.append((finding_status.REPORTED, liaison, rng.choice(FIXES), at))
            at += timedelta(days=rng.uniform(0.5, 4))
            if at >= now:
                break
            if rng.random() < 0.15 and round_ < 2:
                steps.append((finding_status.REOPENED, office, "复查发现问题仍然存在", at))
                f.deadline = _deadline(at, severity)
                continue
            steps.append((finding_status.VERIFIED, office, "", at))
            break
    rect = None
    finding_status.log_created(s, f, actor=inspector, at=insp.visited_at)
    for status, who, note, when in steps[1:]:
        finding_status.transition(
            s, f, status, actor=who, at=when, note="" if status == finding_status.REPORTED else note
        )
        if status == finding_status.REPORTED:
            rect = Rectification(
                client_key=f"demo-{rng.getrandbits(64):016x}",
                finding_id=f.id,
                submitted_by=who.id,
                text=note,
                submitted_at=when,
            )
            s.add(rect)
            s.flush()
            if rng.random() < 0.6:
                _attach(s, rng, pool, who, when, rectification_id=rect.id)
                counts["photos"] += 1
        elif status in (finding_status.VERIFIED, finding_status.REOPENED) and rect is not None:
            rect.outcome, rect.verified_by, rect.verified_at = status, who.id, when
            rect.verify_note = note
    return f.status != finding_status.OPEN


def _deadline(confirmed_at: datetime, severity: str):
    return clock.local_date(confirmed_at) + timedelta(days=_days(severity))


def _attach(s, rng, pool, who: User, when: datetime, **owner) -> None:
    """A drawn photo from the pool, taken when the step happened (a few minutes before)."""
    photo, keys = rng.choice(pool)
    row = photos.photo_row(photo, keys, who, **owner)
    row.taken_at = when - timedelta(minutes=rng.randint(1, 30))
    row.uploaded_at = when
    s.add(row)


def _liaison(s, unit: Unit, people: dict) -> User:
    """The unit's liaison: the demo account where there is one, otherwise one is made
    (every unit in the campaign has a liaison; they share the demo password)."""
    found = people["liaison"].get(unit.id)
    if found is None:
        found = User(
            username=f"unit_{unit.id:03d}",
            display_name=f"{unit.name} 联络员",
            role=Role.UNIT,
            unit_id=unit.id,
            password_hash=people["password_hash"],
        )
        s.add(found)
        s.flush()
        people["liaison"][unit.id] = found
        people["created_liaisons"] += 1
    return found


def _days(severity: str) -> int:
    return get_settings().deadline_days(severity)


def _upcoming_plans(s, rng, now, template, people) -> int:
    made = 0
    for inspector in people["inspectors"]:
        for _ in range(2):
            unit = rng.choice(people["units"])
            start = clock.today(now) + timedelta(days=rng.randint(-1, 5))
            plan = VisitPlan(
                unit_id=unit.id,
                kind="unannounced",
                template_id=template.id,
                window_start=start,
                window_end=start + timedelta(days=7),
                note="重点查看窗口纪律和服务态度",
                created_by=people["office"].id,
            )
            s.add(plan)
            s.flush()
            s.add(VisitPlanInspector(plan_id=plan.id, user_id=inspector.id))
            made += 1
    return made
