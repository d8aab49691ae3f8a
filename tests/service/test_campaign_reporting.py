"""Which monthly reports are owed and how they came: on time, late, missing, not due yet,
on fixed dates; the report calendar (units × months) and the office's due list."""

from __future__ import annotations

from datetime import date

from services.campaign import progress, queries, reporting
from services.campaign.calendar import Timeliness
from tests.campaign_fixtures import noon


def _report(uow, c, month, at, percent=10):
    uow.run(progress.submit_progress, actor=c["lead_liaison"], task_id=c["task"].id,
            month=month, percent=percent, done="推进", now=noon(at),
            explanation="原因", measures="措施")


def test_each_month_is_on_time_late_missing_or_not_due(uow, campaign):
    c = campaign
    _report(uow, c, date(2026, 1, 1), date(2026, 2, 5))  # on the due day
    _report(uow, c, date(2026, 2, 1), date(2026, 3, 6))  # a day late
    owed = uow.query(reporting.owed_reports, actor=c["office"], today=date(2026, 4, 10))
    assert [(r.month.month, r.timeliness) for r in owed] == [
        (1, Timeliness.ON_TIME), (2, Timeliness.LATE), (3, Timeliness.MISSING),
        (4, Timeliness.PENDING)]
    assert {r.unit for r in owed} == {"市供电公司"}
    detail = uow.query(queries.task_detail, actor=c["office"], task_id=c["task"].id,
                       today=date(2026, 4, 10))
    assert [(r.month.month, r.late) for r in detail.reports] == [(2, True), (1, False)]


def test_the_due_list_and_the_calendar(uow, campaign):
    c = campaign
    _report(uow, c, date(2026, 2, 1), date(2026, 3, 20))
    today = date(2026, 4, 1)
    owed = uow.query(reporting.owed_reports, actor=c["office"], today=today)
    due = reporting.due_soon_and_overdue(owed, today)
    # January's is missing; March's is due 04-05, within the week; April's 05-05 is not.
    assert [(r.month.month, r.timeliness) for r in due] == [
        (1, Timeliness.MISSING), (3, Timeliness.PENDING)]
    [row] = reporting.report_calendar(owed)
    assert (row.unit, row.missing, row.late) == ("市供电公司", 1, 1)
    assert row.months[date(2026, 2, 1)] == Timeliness.LATE


def test_a_liaison_sees_only_what_their_unit_owes(uow, campaign):
    c = campaign
    today = date(2026, 3, 10)
    assert len(uow.query(reporting.owed_reports, actor=c["lead_liaison"], today=today)) == 3
    # A co-unit reads the task but owes no monthly report on it.
    assert uow.query(reporting.owed_reports, actor=c["co_liaison"], today=today,
                     unit_id=c["co"].id) == []
    assert uow.query(reporting.owed_reports, actor=c["other_liaison"], today=today) == []
