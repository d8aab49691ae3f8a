"""The special report (专题工作报告) each lead unit owes by 12-10 and the annual work report
(年度工作报告) every unit owes by 12-31 (the days are settings): drafts saved, then
submitted once. A unit behind on any task it leads must give the explanation and the
measures to catch up before it can submit. Late or missing comes from the calendar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import select

from config import get_settings
from db.models import Role, Task, Unit, User, WorkReport, WorkReportKind, WorkReportStatus
from db.timeutil import utcnow
from services.campaign import calendar, progress, queries
from services.campaign.calendar import Timeliness
from services.core import audit, clock
from services.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from services.core.permissions import can, require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text
from services.photos.attachments import Prepared, store_all

TEXT_MAX = 20000


def due_date(kind: str, year: int) -> date:
    settings = get_settings()
    day = settings.special_report_due if kind == WorkReportKind.SPECIAL else (
        settings.annual_report_due)
    return calendar.yearly_due(year, day)


def owing_units(uow: UnitOfWork, kind: str, year: int) -> list[Unit]:
    """Special: the units leading a task that runs in the year. Annual: every active unit, in
    a year the campaign ran."""
    s = uow.session
    running = (Task.active, Task.start_date <= date(year, 12, 31),
               Task.due_date >= date(year, 1, 1))
    if s.exec(select(Task.id).where(*running).limit(1)).first() is None:
        return []  # a year the campaign did not run: nobody owes it a report
    query = select(Unit).where(Unit.active).order_by(Unit.name)
    if kind == WorkReportKind.SPECIAL:
        query = query.where(Unit.id.in_(select(Task.lead_unit_id).where(*running)))
    return list(s.exec(query).all())


def behind_tasks(uow: UnitOfWork, unit_id: int, today: date) -> list[str]:
    """Codes of the tasks the unit leads that are behind today (after their latest report)."""
    rows = queries.task_rows(uow, uow.session.exec(
        select(Task).where(Task.active, Task.lead_unit_id == unit_id)).all(), today)
    return [r.code for r in rows if r.status.needs_explanation]


def save(uow: UnitOfWork, *, actor: User, kind: str, year: int, text: str,
         explanation: str = "", measures: str = "", submit: bool = False,
         unit_id: int | None = None, version: int | None = None,
         attachments: Sequence[Prepared] = (), now: datetime | None = None) -> WorkReport:
    """Saves the draft, or submits it (`submit`). A liaison writes for their unit; the
    office names the unit. `version` is the one read; None for a first draft."""
    require(actor, "campaign.report")
    now = now or utcnow()
    if kind not in tuple(WorkReportKind):
        raise ValidationFailed("campaign.report_kind_unknown")
    _check_year(year, clock.today(now))
    unit_id = actor.unit_id if actor.role == Role.UNIT else unit_id
    if unit_id is None or not any(u.id == unit_id for u in owing_units(uow, kind, year)):
        raise ValidationFailed(f"campaign.{kind}_not_owed")
    text = clean_text(text, field="report_text", max_len=TEXT_MAX, required=submit)
    explanation = clean_text(explanation, field="explanation", max_len=progress.TEXT_MAX,
                             required=False)
    measures = clean_text(measures, field="measures", max_len=progress.TEXT_MAX,
                          required=False)
    s = uow.session
    # The unit's row, locked, serialises two first drafts of the same report (two tabs, two
    # liaisons): the second then finds the first instead of failing on the unique key.
    uow.get(Unit, unit_id)
    report = s.exec(select(WorkReport).where(
        WorkReport.kind == kind, WorkReport.year == year, WorkReport.unit_id == unit_id)
        .with_for_update()).first()
    if (report is not None and version is None
            and (report.text, report.explanation, report.measures) == (
                text, explanation, measures)
            and (report.status == WorkReportStatus.SUBMITTED) == submit):
        return report  # the same click twice (a double tap, a retry): stored once
    if report is not None and report.status == WorkReportStatus.SUBMITTED:
        raise Conflict("campaign.report_submitted")
    if report is not None:
        # None: the form saw no draft, yet one exists now (written meanwhile elsewhere).
        check_version(report.version, version if version is not None else -1)
    if submit:
        behind = behind_tasks(uow, unit_id, clock.today(now))
        if behind and not (explanation and measures):
            raise ValidationFailed("campaign.report_behind", field="explanation",
                                   tasks="、".join(behind))
    before = audit.state(report) if report is not None else None
    if report is None:
        report = WorkReport(kind=kind, year=year, unit_id=unit_id, created_by=actor.id)
    report.text, report.explanation, report.measures = text, explanation, measures
    report.updated_at = now
    if before is not None:
        report.version += 1
    if submit:
        report.status, report.submitted_at, report.submitted_by = (
            WorkReportStatus.SUBMITTED, now, actor.id)
    s.add(report)
    uow.flush()
    action = "work_report.submit" if submit else "work_report.save"
    audit.record(uow, actor, action, report, before)
    store_all(uow, actor=actor, prepared=attachments, owner={"work_report_id": report.id})
    return report


@dataclass(frozen=True)
class ReportState:
    unit_id: int
    unit: str
    due: date
    status: str | None  # draft, submitted, or None: nothing written
    timeliness: Timeliness
    submitted_on: date | None
    report: WorkReport | None


def states(uow: UnitOfWork, *, actor: User, kind: str, year: int,
           today: date | None = None) -> list[ReportState]:
    """Each owing unit's report and how it stands: the office, leaders and administrators
    read every unit's; a liaison only their own."""
    today = today or clock.today()
    _check_year(year, today)
    units = owing_units(uow, kind, year)
    # A unit deactivated after it reported keeps its report in the year's list.
    reported = select(WorkReport.unit_id).where(WorkReport.kind == kind,
                                               WorkReport.year == year)
    known = {u.id for u in units}
    units += [u for u in uow.session.exec(select(Unit).where(Unit.id.in_(reported))).all()
              if u.id not in known]
    if not can(actor, "campaign.view"):
        if not can(actor, "campaign.report") or actor.unit_id is None:
            raise PermissionDenied(capability="campaign.view")
        units = [u for u in units if u.id == actor.unit_id]
    reports = {r.unit_id: r for r in uow.session.exec(select(WorkReport).where(
        WorkReport.kind == kind, WorkReport.year == year,
        WorkReport.unit_id.in_([u.id for u in units] or [-1]))).all()}
    due = due_date(kind, year)
    out = []
    for unit in units:
        r = reports.get(unit.id)
        on = clock.local_date(r.submitted_at) if r and r.submitted_at else None
        out.append(ReportState(unit.id, unit.name, due, r.status if r else None,
                               calendar.timeliness(due, on, today), on, r))
    return out


def mine(uow: UnitOfWork, *, actor: User, kind: str, year: int,
         today: date | None = None) -> ReportState | None:
    """The actor's unit's report of that kind, or None when the unit does not owe one."""
    found = [s for s in states(uow, actor=actor, kind=kind, year=year, today=today)
             if s.unit_id == actor.unit_id]
    if not found and actor.unit_id is None:
        raise NotFound()
    return found[0] if found else None


def years_open(today: date) -> tuple[int, int]:
    """This year's reports and last year's (sent late in January, or later)."""
    return today.year, today.year - 1


def _check_year(year: int, today: date) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or year not in years_open(today):
        raise ValidationFailed("campaign.report_year", this=today.year, last=today.year - 1)
