"""Special and annual work reports: who owes which, drafts then one submission, a unit
behind on its tasks must explain first, late and missing from the 12-10 and 12-31
deadlines in the city's days; every write audited."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from db.models import AuditEvent, WorkReport
from services.campaign import progress, work_reports
from services.campaign.calendar import Timeliness
from services.core.errors import Conflict, PermissionDenied, ValidationFailed
from tests.campaign_fixtures import noon
from tests.conftest import count_rows

YEAR = 2026


def _save(uow, c, who="lead_liaison", kind="special", at=date(2026, 12, 1), **kw):
    return uow.run(work_reports.save, actor=c[who], kind=kind, year=YEAR,
                   text=kw.pop("text", "全年工作总结"), now=noon(at), **kw)


def _on_track(uow, c):
    uow.run(progress.submit_progress, actor=c["lead_liaison"], task_id=c["task"].id,
            month=date(2026, 11, 1), percent=65, done="推进", now=noon(date(2026, 12, 1)))


def test_a_draft_is_saved_then_submitted_once(uow, campaign):
    c = campaign
    _on_track(uow, c)
    draft = _save(uow, c, text="")  # a draft may be empty
    assert draft.status == "draft"
    submitted = _save(uow, c, submit=True, version=draft.version)
    assert submitted.id == draft.id and submitted.status == "submitted"
    with pytest.raises(Conflict) as refused:
        _save(uow, c, text="改一改", version=submitted.version)
    assert refused.value.message_key == "campaign.report_submitted"
    with uow.read() as r:
        actions = r.session.exec(select(AuditEvent.action).where(
            AuditEvent.entity == "work_report").order_by(AuditEvent.id)).all()
    assert actions == ["work_report.save", "work_report.submit"]


def test_an_empty_report_is_not_submitted(uow, campaign):
    _on_track(uow, campaign)
    with pytest.raises(ValidationFailed) as refused:
        _save(uow, campaign, text="  ", submit=True)
    assert refused.value.message_key == "error.required"
    assert count_rows(uow, WorkReport) == 0


def test_a_unit_behind_must_explain_before_it_submits(uow, campaign):
    c = campaign  # no progress reported: 0 % on 12-01 against 60 % due 11-30
    with pytest.raises(ValidationFailed) as refused:
        _save(uow, c, submit=True)
    assert refused.value.message_key == "campaign.report_behind"
    assert refused.value.params["tasks"] == "B4-T2"
    assert count_rows(uow, WorkReport) == 0  # nothing half-saved
    report = _save(uow, c, submit=True, explanation="设备到货晚", measures="增派人员")
    assert report.status == "submitted"


def test_only_lead_units_owe_the_special_report_and_every_unit_the_annual(uow, campaign):
    c = campaign
    with pytest.raises(ValidationFailed) as refused:
        _save(uow, c, who="co_liaison")
    assert refused.value.message_key == "campaign.special_not_owed"
    assert _save(uow, c, who="co_liaison", kind="annual", at=date(2026, 12, 20)).kind == "annual"
    with pytest.raises(PermissionDenied):
        _save(uow, c, who="leader")


def test_late_and_missing_on_the_citys_days(uow, campaign):
    c = campaign
    _on_track(uow, c)
    # 23:30 on 12-10 in the city is 15:30 UTC: on time.
    uow.run(work_reports.save, actor=c["lead_liaison"], kind="special", year=YEAR,
            text="专题报告", submit=True, now=datetime(2026, 12, 10, 15, 30, tzinfo=UTC))
    states = {s.unit: s for s in uow.query(work_reports.states, actor=c["office"],
                                           kind="special", year=YEAR, today=date(2026, 12, 20))}
    assert states["市供电公司"].timeliness == Timeliness.ON_TIME
    annual = {s.unit: s for s in uow.query(work_reports.states, actor=c["office"],
                                           kind="annual", year=YEAR, today=date(2027, 1, 1))}
    assert annual["市政务服务中心"].timeliness == Timeliness.MISSING
    assert annual["市政务服务中心"].due == date(2026, 12, 31)
    _save(uow, c, who="co_liaison", kind="annual", submit=True,
          at=date(2027, 1, 2))  # after the deadline: accepted, and late
    annual = {s.unit: s for s in uow.query(work_reports.states, actor=c["office"],
                                           kind="annual", year=YEAR, today=date(2027, 1, 3))}
    assert annual["市政务服务中心"].timeliness == Timeliness.LATE


def test_a_liaison_reads_only_their_units_report(uow, campaign):
    c = campaign
    _save(uow, c, who="co_liaison", kind="annual")
    seen = uow.query(work_reports.states, actor=c["lead_liaison"], kind="annual", year=YEAR)
    assert [s.unit for s in seen] == ["市供电公司"]
    assert uow.query(work_reports.mine, actor=c["co_liaison"], kind="annual",
                     year=YEAR).status == "draft"
    with pytest.raises(PermissionDenied):
        uow.query(work_reports.states, actor=c["inspector"], kind="annual", year=YEAR)
