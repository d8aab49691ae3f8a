"""What the attack review of the campaign found, each pinned (a January that still owes
last year's reports, stale and simultaneous first drafts, a unit deactivated while it is
given a task, falls and backfills in percent, years, codes, weights, dates), with what held
up (access, limits, deadlines at midnight, concurrency of monthly reports, the audit)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from db.models import (
    AuditEvent,
    Document,
    HallPlan,
    ProgressReport,
    Task,
    WorkReport,
)
from services.campaign import files, hall_plans, progress, queries, tasks, work_reports
from services.campaign.calendar import Timeliness
from services.campaign.tasks import MilestoneInput
from services.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from services.org import structure
from services.photos import attachments
from tests.campaign_fixtures import MILESTONES, noon
from tests.conftest import at_once, count_rows
from tests.factories import a_pdf, make_unit

NOV = date(2026, 11, 1)


def _report(uow, c, who="lead_liaison", month=NOV, percent=65, at=date(2026, 12, 3), **kw):
    return uow.run(progress.submit_progress, actor=c[who], task_id=c["task"].id, month=month,
                   percent=percent, done=kw.pop("done", "完成中期评估"), now=noon(at), **kw)


def _wr(uow, c, who="lead_liaison", kind="special", at=date(2026, 12, 1), **kw):
    return uow.run(work_reports.save, actor=c[who], kind=kind, year=kw.pop("year", 2026),
                   text=kw.pop("text", "全年工作总结"), now=noon(at), **kw)


# ---------------------------------------------------------------- access

@pytest.mark.parametrize("who", ["admin", "leader", "inspector", "co_liaison",
                                 "resp_liaison", "other_liaison"])
def test_attack_nobody_but_lead_or_office_reports(uow, campaign, who):
    with pytest.raises((PermissionDenied, NotFound)):
        _report(uow, campaign, who=who)
    assert count_rows(uow, ProgressReport) == 0


def test_attack_guessed_file_ids(uow, campaign):
    c = campaign
    from tests.conftest import PHOTOS
    prepared = attachments.prepare([("纪要.pdf", a_pdf(1)),
                                    ("现场.jpg", (PHOTOS / "jpg_Canon_40D.jpg").read_bytes())])
    report = _report(uow, c, attachments=prepared)
    with uow.read() as r:
        doc = r.session.exec(select(Document.id)).one()
        from db.models import Photo
        photo = r.session.exec(select(Photo.id)).one()
    for who in ("other_liaison", "inspector"):
        for fn, kw in ((files.document_bytes, dict(document_id=doc)),
                       (files.photo_bytes, dict(photo_id=photo)),
                       (files.photo_bytes, dict(photo_id=photo, variant="thumb"))):
            with pytest.raises(NotFound):
                uow.query(fn, actor=c[who], **kw)
        assert uow.query(files.of_reports, actor=c[who], report_ids=[report.id]) == {}
    # the task's own units read them
    assert uow.query(files.document_bytes, actor=c["resp_liaison"], document_id=doc)


def test_attack_liaison_cannot_write_a_note_for_another_unit(uow, campaign):
    c = campaign
    uow.run(progress.write_contribution, actor=c["co_liaison"], task_id=c["task"].id,
            month=NOV, text="协办说明", now=noon(date(2026, 11, 20)))
    # the responsible liaison names the co-unit: written for their own unit instead
    note = uow.run(progress.write_contribution, actor=c["resp_liaison"], task_id=c["task"].id,
                   month=NOV, text="篡改", unit_id=c["co"].id, now=noon(date(2026, 11, 20)))
    assert note.unit_id == c["responsible"].id


def test_attack_work_report_for_a_unit_not_owing(uow, campaign):
    c = campaign
    with pytest.raises(ValidationFailed):  # the office names a co-unit for the special report
        _wr(uow, c, who="office", unit_id=c["co"].id)
    # a liaison naming another unit writes for their own
    rep = _wr(uow, c, who="lead_liaison", kind="annual", unit_id=c["co"].id,
              at=date(2026, 12, 20))
    assert rep.unit_id == c["lead"].id
    with pytest.raises(PermissionDenied):
        _wr(uow, c, who="admin", unit_id=c["lead"].id)


def test_attack_hall_plan_admin_and_leader(uow, campaign):
    c = campaign
    sent = uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items=["a"],
                   rules="r", staffing="s", submit=True)
    for who in ("leader", "inspector", "co_liaison"):
        with pytest.raises(PermissionDenied):
            uow.run(hall_plans.decide, actor=c[who], plan_id=sent.id, approve=True)
    with pytest.raises(PermissionDenied):
        uow.run(hall_plans.save_plan, actor=c["admin"], approval_items=["a"], rules="r",
                staffing="s")


# ---------------------------------------------------------------- monthly rules

def test_attack_edit_keeps_a_fall_unexplained(uow, campaign):
    """Oct 60; Nov 50 with a reason; Nov edited to 55 without one: still a fall from
    October's 60, yet the reason is wiped."""
    c = campaign
    _report(uow, c, month=date(2026, 10, 1), percent=60, at=date(2026, 11, 3))
    first = _report(uow, c, percent=50, drop_reason="口径调整", explanation="e", measures="m")
    with pytest.raises(ValidationFailed) as refused:
        _report(uow, c, percent=55, drop_reason="", explanation="e", measures="m",
                version=first.version)
    assert refused.value.message_key == "campaign.drop_needs_reason"


def test_attack_backfilled_month_above_later_month(uow, campaign):
    """November reported 50; October (missing) then reported 90: November is now a fall of
    40 points with no reason on record."""
    c = campaign
    _report(uow, c, percent=50, explanation="e", measures="m")
    with pytest.raises(ValidationFailed):
        _report(uow, c, month=date(2026, 10, 1), percent=90, at=date(2026, 12, 4))


def test_attack_month_as_datetime(uow, campaign):
    c = campaign
    r = _report(uow, c, month=datetime(2026, 11, 15, 13, 0))
    with uow.read() as rd:
        months = rd.session.exec(select(ProgressReport.month)).all()
    assert months == [NOV] and r.month == NOV


def test_attack_report_for_month_after_due(uow, campaign, office):
    c = campaign
    t = uow.run(tasks.save_task, actor=office, battle_id=c["battle"].id, code="B4-T7",
                title="短任务", start_date=date(2026, 1, 1), due_date=date(2026, 3, 31),
                lead_unit_id=c["lead"].id,
                milestones=[MilestoneInput("完成", date(2026, 3, 31), 100)])
    rep = uow.run(progress.submit_progress, actor=c["lead_liaison"], task_id=t.id,
                  month=date(2026, 11, 1), percent=90, done="x", explanation="e",
                  measures="m", now=noon(date(2026, 12, 3)))
    assert rep.month == date(2026, 11, 1)  # accepted: an overdue task keeps reporting


def test_attack_concurrent_first_reports(uow, campaign):
    c = campaign
    calls = [lambda p=p: _report(uow, c, percent=p) for p in (65, 70)]
    results = at_once(calls)
    assert count_rows(uow, ProgressReport) == 1
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict), results


def test_attack_concurrent_identical_first_reports(uow, campaign):
    c = campaign
    results = at_once([lambda: _report(uow, c), lambda: _report(uow, c)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert count_rows(uow, ProgressReport) == 1


@pytest.mark.parametrize("moment,ok", [
    (datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC), False),  # 23:59:59 on 11-30 local
    (datetime(2026, 11, 30, 16, 0, 1, tzinfo=UTC), True),  # 00:00:01 on 12-01 local
])
def test_attack_current_month_boundary(uow, campaign, moment, ok):
    c = campaign
    call = lambda: uow.run(progress.submit_progress, actor=c["lead_liaison"],  # noqa: E731
                           task_id=c["task"].id, month=date(2026, 12, 1), percent=65,
                           done="x", explanation="e", measures="m", now=moment)
    if ok:
        assert call()
    else:
        with pytest.raises(ValidationFailed):
            call()


# ---------------------------------------------------------------- tasks

def test_attack_float_weights(uow, campaign, office):
    c = campaign
    try:
        t = uow.run(tasks.save_task, actor=office, battle_id=c["battle"].id, code="B4-F",
                    title="小数权重", start_date=date(2026, 1, 1), due_date=date(2026, 12, 31),
                    lead_unit_id=c["lead"].id,
                    milestones=[MilestoneInput("a", date(2026, 4, 30), 33.3),
                                MilestoneInput("b", date(2026, 8, 31), 33.3),
                                MilestoneInput("c", date(2026, 12, 31), 33.4)])
    except Exception as err:  # noqa: BLE001
        print("FLOAT", type(err).__name__, str(err)[:100])
        return
    print("FLOAT stored", [m for m in uow.query(queries.task_detail, actor=office,
                                                 task_id=t.id).milestones])
    detail = uow.query(queries.task_detail, actor=office, task_id=t.id)
    assert all(type(m.weight) is int for m in detail.milestones), detail.milestones
    assert sum(m.weight for m in detail.milestones) == 100, detail.milestones


def test_attack_concurrent_task_codes(uow, campaign, office):
    c = campaign

    def make(title):
        return lambda: uow.run(tasks.save_task, actor=office, battle_id=c["battle"].id,
                               code="B4-X", title=title, start_date=date(2026, 1, 1),
                               due_date=date(2026, 12, 31), lead_unit_id=c["lead"].id,
                               milestones=MILESTONES)
    results = at_once([make("一"), make("二")])
    errors = [r for r in results if isinstance(r, Exception)]
    assert count_rows(uow, Task, Task.code == "B4-X") == 1
    assert len(errors) == 1 and isinstance(errors[0], DomainError), results


def test_attack_task_code_case(uow, campaign, office):
    c = campaign
    with pytest.raises(Conflict):
        uow.run(tasks.save_task, actor=office, battle_id=c["battle"].id, code="b4-t2",
                title="同号小写", start_date=date(2026, 1, 1), due_date=date(2026, 12, 31),
                lead_unit_id=c["lead"].id, milestones=MILESTONES)


def test_attack_edit_task_dates_past_reports(uow, campaign, office):
    """Reports on Jan..Nov exist; the office moves the start to December: the reports now
    lie before the task's start (and the due list never shows them)."""
    c = campaign
    _report(uow, c)
    t = c["task"]
    with pytest.raises(ValidationFailed):
        uow.run(tasks.save_task, actor=office, battle_id=c["battle"].id, code=t.code,
                title=t.title, start_date=date(2026, 12, 1), due_date=date(2026, 12, 31),
                lead_unit_id=c["lead"].id, co_unit_ids=[c["co"].id],
                responsible_unit_ids=[c["responsible"].id],
                milestones=[MilestoneInput("x", date(2026, 12, 31), 100)],
                task_id=t.id, version=t.version)


# ---------------------------------------------------------------- work reports

def test_attack_work_report_stale_first_draft(uow, campaign):
    """Two liaisons (or tabs) of the unit open the empty form; both save: the second
    silently overwrites the first (version None passes check_version)."""
    c = campaign
    _report(uow, c)
    _wr(uow, c, text="甲写的草稿")
    with pytest.raises(Conflict):
        _wr(uow, c, text="乙写的草稿")  # version None: this form never saw 甲's draft


def test_attack_work_report_double_draft_duplicates_files(uow, campaign):
    c = campaign
    _report(uow, c)
    pdf = attachments.prepare([("附件.pdf", a_pdf(1))])
    first = _wr(uow, c, attachments=pdf)
    again = _wr(uow, c, attachments=pdf)  # the same click twice (version None both times)
    assert again.id == first.id
    assert count_rows(uow, Document, Document.work_report_id == first.id) == 1


def test_attack_work_report_year_unchecked(uow, campaign):
    c = campaign
    with pytest.raises(ValidationFailed):  # a co-unit (not behind) reports on 2031 in 2026
        _wr(uow, c, who="co_liaison", kind="annual", year=2031, submit=True,
            at=date(2026, 12, 20))


def test_attack_work_report_absurd_year(uow, campaign):
    c = campaign
    with pytest.raises(DomainError):
        _wr(uow, c, who="co_liaison", kind="annual", year=10000, at=date(2026, 12, 20))
    uow.query(work_reports.states, actor=c["office"], kind="annual", year=2026)
    assert count_rows(uow, WorkReport) == 0


def test_attack_work_report_concurrent_first_drafts(uow, campaign):
    c = campaign
    _report(uow, c)
    results = at_once([lambda: _wr(uow, c, text="一"), lambda: _wr(uow, c, text="二")])
    errors = [r for r in results if isinstance(r, Exception)]
    assert count_rows(uow, WorkReport) == 1
    assert all(isinstance(e, DomainError) for e in errors), results


@pytest.mark.parametrize("moment,expected", [
    (datetime(2026, 12, 10, 15, 59, 59, tzinfo=UTC), Timeliness.ON_TIME),
    (datetime(2026, 12, 10, 16, 0, 1, tzinfo=UTC), Timeliness.LATE),
])
def test_attack_special_deadline_boundary(uow, campaign, moment, expected):
    c = campaign
    _report(uow, c)
    uow.run(work_reports.save, actor=c["lead_liaison"], kind="special", year=2026,
            text="专题", submit=True, now=moment)
    [s] = uow.query(work_reports.states, actor=c["office"], kind="special", year=2026,
                    today=date(2026, 12, 20))
    assert s.timeliness == expected


def test_attack_annual_deadline_boundary(uow, campaign):
    c = campaign
    uow.run(work_reports.save, actor=c["co_liaison"], kind="annual", year=2026, text="年报",
            submit=True, now=datetime(2026, 12, 31, 15, 59, tzinfo=UTC))
    uow.run(work_reports.save, actor=c["resp_liaison"], kind="annual", year=2026, text="年报",
            submit=True, now=datetime(2026, 12, 31, 16, 0, 1, tzinfo=UTC))
    st = {s.unit_id: s for s in uow.query(work_reports.states, actor=c["office"],
                                          kind="annual", year=2026, today=date(2027, 1, 5))}
    assert st[c["co"].id].timeliness == Timeliness.ON_TIME
    assert st[c["responsible"].id].timeliness == Timeliness.LATE


def test_attack_deactivated_unit_loses_its_submitted_report(uow, campaign):
    c = campaign
    uow.run(work_reports.save, actor=c["other_liaison"], kind="annual", year=2026,
            text="年报", submit=True, now=noon(date(2026, 12, 20)))
    uow.run(structure.set_unit_active, actor=c["admin"], unit_id=c["outsider"].id,
            active=False)
    st = {s.unit_id for s in uow.query(work_reports.states, actor=c["office"], kind="annual",
                                       year=2026, today=date(2027, 1, 5))}
    assert c["outsider"].id in st  # the submitted report stays on the year's record


# ---------------------------------------------------------------- hall plans

def test_attack_hall_every_illegal_transition(uow, campaign):
    c = campaign
    uow.run(hall_plans.require_units, actor=c["office"], unit_ids=[c["lead"].id])
    [plan] = uow.query(hall_plans.overview, actor=c["office"])
    for approve in (True, False):  # required: not decided
        with pytest.raises(DomainError):
            uow.run(hall_plans.decide, actor=c["office"], plan_id=plan.id, approve=approve,
                    comment="x")
    draft = uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items=[],
                    rules="", staffing="", version=plan.version)
    for approve in (True, False):  # draft: not decided
        with pytest.raises(DomainError):
            uow.run(hall_plans.decide, actor=c["office"], plan_id=draft.id, approve=approve,
                    comment="x")
    sent = uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items=["x"],
                   rules="r", staffing="s", submit=True, version=draft.version)
    back = uow.run(hall_plans.decide, actor=c["office"], plan_id=sent.id, approve=False,
                   comment="补充")
    with pytest.raises(DomainError):  # returned: not approved before resubmission
        uow.run(hall_plans.decide, actor=c["office"], plan_id=back.id, approve=True)
    # returned → saved as draft → submitted
    d2 = uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items=["x", "y"],
                 rules="r", staffing="s", version=back.version)
    assert d2.status == "returned"
    s2 = uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items=["x", "y"],
                 rules="r", staffing="s", submit=True, version=d2.version)
    ok = uow.run(hall_plans.decide, actor=c["office"], plan_id=s2.id, approve=True,
                 version=s2.version)
    with pytest.raises(DomainError):
        uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items=["z"],
                rules="r", staffing="s", version=ok.version)
    with pytest.raises(DomainError):
        uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items=["z"],
                rules="r", staffing="s", submit=True, version=ok.version)


def test_attack_hall_items(uow, campaign):
    c = campaign
    with pytest.raises(ValidationFailed):
        uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items=["x" * 201],
                rules="r", staffing="s")
    with pytest.raises(ValidationFailed):
        uow.run(hall_plans.save_plan, actor=c["lead_liaison"],
                approval_items=[f"事项{i}" for i in range(201)], rules="r", staffing="s")
    p = uow.run(hall_plans.save_plan, actor=c["lead_liaison"],
                approval_items=["**x**", "<script>alert(1)</script>", "**x**", "a\tb  c",
                                "a b c"], rules="<b>r</b>", staffing="s")
    assert p.approval_items == ["**x**", "<script>alert(1)</script>", "a b c"]


def test_attack_hall_items_not_a_list(uow, campaign):
    c = campaign
    p = uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items="企业设立登记",
                rules="r", staffing="s")
    assert p.approval_items == ["企业设立登记"], p.approval_items


def test_attack_hall_required_unit_deactivated(uow, campaign):
    c = campaign
    uow.run(hall_plans.require_units, actor=c["office"], unit_ids=[c["outsider"].id])
    uow.run(structure.set_unit_active, actor=c["admin"], unit_id=c["outsider"].id,
            active=False)
    rows = uow.query(hall_plans.overview, actor=c["office"])
    assert [r for r in rows if r.state == "missing"] == [], rows


def test_attack_hall_concurrent_first_save(uow, campaign):
    c = campaign
    results = at_once([lambda n=n: uow.run(hall_plans.save_plan, actor=c["lead_liaison"],
                                           approval_items=[n], rules="r", staffing="s")
                       for n in ("一", "二")])
    assert count_rows(uow, HallPlan) == 1
    assert all(isinstance(r, DomainError) for r in results if isinstance(r, Exception)), results


def test_attack_hall_concurrent_decisions(uow, campaign):
    c = campaign
    sent = uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items=["x"],
                   rules="r", staffing="s", submit=True)
    results = at_once([
        lambda: uow.run(hall_plans.decide, actor=c["office"], plan_id=sent.id, approve=True,
                        version=sent.version),
        lambda: uow.run(hall_plans.decide, actor=c["office"], plan_id=sent.id, approve=False,
                        comment="退回", version=sent.version)])
    assert sum(isinstance(r, Exception) for r in results) == 1, results


# ---------------------------------------------------------------- audit

def test_attack_every_write_audited(uow, campaign):
    c = campaign
    pdf = attachments.prepare([("a.pdf", a_pdf(1))])
    r = _report(uow, c, attachments=pdf)
    _report(uow, c, percent=70, version=r.version)
    n = uow.run(progress.write_contribution, actor=c["co_liaison"], task_id=c["task"].id,
                month=NOV, text="a", now=noon(date(2026, 12, 3)))
    uow.run(progress.write_contribution, actor=c["co_liaison"], task_id=c["task"].id,
            month=NOV, text="b", version=n.version, now=noon(date(2026, 12, 3)))
    w = _wr(uow, c, attachments=attachments.prepare([("b.pdf", a_pdf(1))]))
    _wr(uow, c, submit=True, version=w.version)
    uow.run(hall_plans.require_units, actor=c["office"], unit_ids=[c["lead"].id])
    d = uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items=["x"],
                rules="r", staffing="s")
    p = uow.run(hall_plans.save_plan, actor=c["lead_liaison"], approval_items=["x"],
                rules="r", staffing="s", submit=True, version=d.version)
    uow.run(hall_plans.decide, actor=c["office"], plan_id=p.id, approve=True)
    b = uow.run(tasks.save_battle, actor=c["office"], code="B9", title="t")
    uow.run(tasks.save_battle, actor=c["office"], code="B9", title="t2", battle_id=b.id,
            version=b.version)
    t = c["task"]
    uow.run(tasks.save_task, actor=c["office"], battle_id=t.battle_id, code=t.code,
            title="改名", start_date=t.start_date, due_date=t.due_date,
            lead_unit_id=t.lead_unit_id, co_unit_ids=[c["co"].id],
            responsible_unit_ids=[c["responsible"].id], milestones=MILESTONES, task_id=t.id,
            version=t.version)
    with uow.read() as rd:
        actions = set(rd.session.exec(select(AuditEvent.action)).all())
    for a in ("progress.submit", "progress.edit", "contribution.add", "contribution.edit",
              "work_report.save", "work_report.submit", "hall_plan.require", "hall_plan.save",
              "hall_plan.submit", "hall_plan.approve", "battle.create", "battle.update",
              "task.create", "task.update", "attachment.add"):
        assert a in actions, a


# ---------------------------------------------------------------- more

def test_attack_backfill_forced_to_explain(uow, campaign):
    """November reported 65 (on track on 12-03). February was never reported; backfilling
    it at 10 % (on track at the end of February) is refused as 'behind' because the check
    uses today's milestones on the old month's percent, though the task is not behind
    after the report (the board still reads November's 65)."""
    c = campaign
    _report(uow, c, percent=65)
    _report(uow, c, month=date(2026, 2, 1), percent=10, at=date(2026, 12, 3))


@pytest.mark.parametrize("moment,late", [
    (datetime(2026, 11, 5, 15, 59, 59, tzinfo=UTC), False),
    (datetime(2026, 11, 5, 16, 0, 1, tzinfo=UTC), True),
])
def test_attack_monthly_due_boundary(uow, campaign, moment, late):
    c = campaign
    uow.run(progress.submit_progress, actor=c["lead_liaison"], task_id=c["task"].id,
            month=date(2026, 10, 1), percent=50, done="x", now=moment)
    d = uow.query(queries.task_detail, actor=c["office"], task_id=c["task"].id,
                  today=date(2026, 11, 20))
    assert d.reports[0].late is late


def test_attack_leap_and_month_end_dues():
    from services.campaign import calendar
    assert calendar.monthly_due(date(2028, 1, 1), 31) == date(2028, 2, 29)
    assert calendar.monthly_due(date(2027, 1, 1), 30) == date(2027, 2, 28)
    assert calendar.monthly_due(date(2026, 12, 1), 5) == date(2027, 1, 5)
    assert calendar.yearly_due(2028, "02-30") == date(2028, 2, 29)


def test_attack_deactivate_unit_while_office_assigns_it(uow, campaign):
    """PostgreSQL: set_unit_active locks the unit, save_task reads it without a lock; run
    together, both commit and an inactive unit leads a task."""
    c = campaign
    for i in range(6):
        unit = make_unit(uow, actor=c["admin"], name=f"竞态单位{i}")
        at_once([
            lambda u=unit: uow.run(structure.set_unit_active, actor=c["admin"], unit_id=u.id,
                                   active=False),
            lambda u=unit, i=i: uow.run(
                tasks.save_task, actor=c["office"], battle_id=c["battle"].id,
                code=f"R{i}", title="竞态", start_date=date(2026, 1, 1),
                due_date=date(2026, 12, 31), lead_unit_id=u.id, milestones=MILESTONES)])
    with uow.read() as r:
        from db.models import Unit
        bad = r.session.exec(select(Task.code).join(Unit, Task.lead_unit_id == Unit.id)
                             .where(Unit.active.is_(False))).all()
    assert bad == []


def test_attack_100_then_edit_down_still_needs_explanation(uow, campaign):
    c = campaign
    first = _report(uow, c, percent=100)
    with pytest.raises(ValidationFailed) as refused:
        _report(uow, c, percent=40, drop_reason="核减", version=first.version)
    assert refused.value.message_key == "campaign.behind_needs_explanation"
    for p in (0, 100):
        assert _report(uow, c, month=date(2026, 1, 1), percent=p, at=date(2026, 2, 3),
                       drop_reason="x" if p == 0 else "", explanation="e", measures="m",
                       version=None if p == 0 else 1)


def test_attack_decembers_report_is_owed_in_january(uow, campaign):
    """The start page calls owed_reports(unit_id=...) with the default first month (January
    of this year): on 01-10 the December report, due 01-05, is neither due nor missing."""
    from services.campaign import reporting
    c = campaign
    owed = uow.query(reporting.owed_reports, actor=c["lead_liaison"], today=date(2027, 1, 10),
                     unit_id=c["lead"].id)
    assert [(r.month, r.timeliness) for r in owed if r.month == date(2026, 12, 1)] == [
        (date(2026, 12, 1), Timeliness.MISSING)], owed
