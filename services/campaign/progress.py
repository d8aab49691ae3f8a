"""Monthly progress on a task by its lead unit, and the other units' contribution notes.

A report is on one task and one month (not a future one); a second report for the month is
an edit, the earlier text kept as a revision. A fall in percent needs a reason; a task that
is behind after the report (schedule.status on the new percent, today) needs the
explanation and the measures to catch up. A report after its due day is accepted and shows
as late (calendar.timeliness on the first submission)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlmodel import select

from db.models import Contribution, Milestone, ProgressReport, ProgressRevision, Role, Task, User
from db.timeutil import utcnow
from services.campaign import access, calendar, schedule
from services.core import audit, clock
from services.core.errors import Conflict, PermissionDenied, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text
from services.photos.attachments import Prepared, store_all

TEXT_MAX = 4000
TEXT_FIELDS = ("done", "problems", "next_steps", "explanation", "measures")


def submit_progress(
    uow: UnitOfWork, *, actor: User, task_id: int, month: date, percent: int, done: str,
    problems: str = "", next_steps: str = "", explanation: str = "", measures: str = "",
    drop_reason: str = "", version: int | None = None, now: datetime | None = None,
    attachments: Sequence[Prepared] = (),
) -> ProgressReport:
    """`version`: None for a new report; the version read for an edit. `attachments`
    (checked by services.photos.attachments.prepare) are added to the month's report."""
    now = now or utcnow()
    task = access.readable_task(uow, actor, task_id, lock=True)
    access.require_lead(actor, task)
    month = _month(task, month, now)
    percent = _percent(percent)
    texts = {"done": clean_text(done, field="done", max_len=TEXT_MAX)}
    for name, value in (("problems", problems), ("next_steps", next_steps),
                        ("explanation", explanation), ("measures", measures)):
        texts[name] = clean_text(value, field=name, max_len=TEXT_MAX, required=False)
    drop_reason = clean_text(drop_reason, field="drop_reason", max_len=1000, required=False)
    s = uow.session
    existing = s.exec(select(ProgressReport).where(ProgressReport.task_id == task.id,
                                                   ProgressReport.month == month)).first()
    if existing is not None and version is None:
        if _same(existing, percent, texts):
            return existing  # the same report sent twice (a double tap, a retry): files too
        raise Conflict("campaign.month_reported_meanwhile")
    if existing is not None:
        check_version(existing.version, version)
    # A fall is measured against the month before, also when a month is edited (an edit
    # must not wipe the reason for a fall that is still there).
    earlier = _latest_before(uow, task, month)
    if earlier is not None and percent < earlier and not drop_reason:
        raise ValidationFailed("campaign.drop_needs_reason", field="drop_reason",
                               before=earlier, after=percent)
    later = _next_after(uow, task, month)
    if later is not None and percent > later[1]:
        # A month filled in late above a later one would leave that one an unexplained fall.
        raise ValidationFailed("campaign.above_later_month", field="percent",
                               month=later[0].strftime("%Y-%m"), later=later[1])
    # Behind as of the month reported on: an old month is judged by its own milestones.
    as_of = min(clock.today(now), calendar.next_month(month) - timedelta(days=1))
    status = task_status(uow, task, percent, as_of)
    if status.needs_explanation and not (texts["explanation"] and texts["measures"]):
        raise ValidationFailed("campaign.behind_needs_explanation", field="explanation")
    if existing is None:
        report = ProgressReport(task_id=task.id, month=month, percent=percent,
                                drop_reason=drop_reason, submitted_by=actor.id,
                                submitted_at=now, updated_at=now, **texts)
        s.add(report)
        audit.record(uow, actor, "progress.submit", report)
        store_all(uow, actor=actor, prepared=attachments, owner={"progress_report_id": report.id})
        return report
    before = audit.state(existing)
    s.add(ProgressRevision(report_id=existing.id, percent=existing.percent, edited_by=actor.id,
                           edited_at=now, **{f: getattr(existing, f) for f in TEXT_FIELDS}))
    existing.percent, existing.drop_reason, existing.updated_at = percent, drop_reason, now
    for name, value in texts.items():
        setattr(existing, name, value)
    existing.version += 1
    s.add(existing)
    audit.record(uow, actor, "progress.edit", existing, before)
    store_all(uow, actor=actor, prepared=attachments, owner={"progress_report_id": existing.id})
    return existing


def write_contribution(uow: UnitOfWork, *, actor: User, task_id: int, month: date, text: str,
                       unit_id: int | None = None, version: int | None = None,
                       now: datetime | None = None) -> Contribution:
    """A co-unit's or responsible unit's note for the task's month. A liaison writes for
    their own unit; the office names the unit. A second note for the month is an edit."""
    require(actor, "campaign.report")
    now = now or utcnow()
    task = access.readable_task(uow, actor, task_id, lock=True)
    if actor.role == Role.UNIT:
        unit_id = actor.unit_id
    if access.helper_role(uow, task, unit_id) is None:
        raise PermissionDenied("campaign.not_helper")
    month = _month(task, month, now)
    text = clean_text(text, field="contribution", max_len=TEXT_MAX)
    s = uow.session
    note = s.exec(select(Contribution).where(
        Contribution.task_id == task.id, Contribution.month == month,
        Contribution.unit_id == unit_id)).first()
    if note is None:
        note = Contribution(task_id=task.id, month=month, unit_id=unit_id, text=text,
                            written_by=actor.id, written_at=now)
        s.add(note)
        audit.record(uow, actor, "contribution.add", note)
        return note
    if version is None and note.text == text:
        return note
    check_version(note.version, version if version is not None else -1)
    before = audit.state(note)
    note.text, note.written_by, note.written_at = text, actor.id, now
    note.version += 1
    s.add(note)
    audit.record(uow, actor, "contribution.edit", note, before)
    return note


def task_status(uow: UnitOfWork, task: Task, percent: int | None,
                today: date) -> schedule.Status:
    return schedule.status(milestones=milestones_of(uow, task), due=task.due_date,
                           percent=percent, today=today)


def milestones_of(uow: UnitOfWork, task: Task) -> list[schedule.Milestone]:
    marks = uow.session.exec(select(Milestone).where(Milestone.task_id == task.id)).all()
    return [schedule.Milestone(m.due_date, m.weight) for m in marks]


def _month(task: Task, month: date, now: datetime) -> date:
    if not task.active:
        raise ValidationFailed("campaign.task_inactive")
    if isinstance(month, datetime):
        month = month.date()
    if not isinstance(month, date):
        raise ValidationFailed("campaign.future_month", field="month")
    first = month.replace(day=1)
    if not calendar.reportable_month(first, clock.today(now)):
        raise ValidationFailed("campaign.future_month", field="month")
    if first < task.start_date.replace(day=1):
        raise ValidationFailed("campaign.before_start", field="month",
                               start=task.start_date.isoformat())
    return first


def _percent(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationFailed("campaign.percent_range", field="percent")
    return value


def _next_after(uow: UnitOfWork, task: Task, month: date) -> tuple[date, int] | None:
    row = uow.session.exec(
        select(ProgressReport.month, ProgressReport.percent).where(
            ProgressReport.task_id == task.id, ProgressReport.month > month)
        .order_by(ProgressReport.month).limit(1)).first()
    return (row[0], row[1]) if row else None


def _latest_before(uow: UnitOfWork, task: Task, month: date) -> int | None:
    return uow.session.exec(
        select(ProgressReport.percent).where(ProgressReport.task_id == task.id,
                                             ProgressReport.month < month)
        .order_by(ProgressReport.month.desc()).limit(1)).first()


def _same(report: ProgressReport, percent: int, texts: dict[str, str]) -> bool:
    return report.percent == percent and all(getattr(report, k) == v for k, v in texts.items())
