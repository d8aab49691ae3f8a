"""Monthly progress and contribution notes on a task: who may write, what is refused with
which message, a second report is an edit with its history, a fall in percent needs a
reason, a task behind schedule needs the explanation and measures; all audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from db.models import AuditEvent, ProgressReport, ProgressRevision
from services.campaign import progress, queries
from services.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tests.campaign_fixtures import noon
from tests.conftest import count_rows

NOV = date(2026, 11, 1)


def _report(uow, c, who="lead_liaison", month=NOV, percent=65, at=date(2026, 12, 3), **kw):
    return uow.run(progress.submit_progress, actor=c[who], task_id=c["task"].id, month=month,
                   percent=percent, done=kw.pop("done", "完成中期评估"), now=noon(at), **kw)


def test_the_lead_liaison_reports_and_the_board_shows_it(uow, campaign):
    c = campaign
    _report(uow, c)
    [battle] = uow.query(queries.board, actor=c["office"], today=date(2026, 12, 3))
    [row] = battle.tasks
    assert (row.percent, row.reported_month, row.status.schedule) == (65, NOV, "on_track")
    assert row.lead_unit == "市供电公司"
    assert set(row.helpers) == {"市政务服务中心", "雄关区人民政府办公室"}


@pytest.mark.parametrize("who", ["co_liaison", "resp_liaison", "leader"])
def test_only_the_lead_unit_or_the_office_reports(uow, campaign, who):
    with pytest.raises(PermissionDenied):
        _report(uow, campaign, who=who)
    assert count_rows(uow, ProgressReport) == 0
    _report(uow, campaign, who="office")  # on the lead unit's behalf
    assert count_rows(uow, ProgressReport) == 1


def test_a_unit_not_on_the_task_neither_reads_nor_reports_it(uow, campaign):
    c = campaign
    with pytest.raises(NotFound):
        _report(uow, c, who="other_liaison")
    assert uow.query(queries.board, actor=c["other_liaison"], today=NOV) == []
    with pytest.raises(NotFound):
        uow.query(queries.task_detail, actor=c["other_liaison"], task_id=c["task"].id)
    with pytest.raises(NotFound):  # inspectors do not follow the campaign
        uow.query(queries.task_detail, actor=c["inspector"], task_id=c["task"].id)
    for who in ("co_liaison", "resp_liaison", "lead_liaison", "leader"):
        assert uow.query(queries.task_detail, actor=c[who], task_id=c["task"].id)


@pytest.mark.parametrize(("percent", "key"), [
    (-1, "campaign.percent_range"), (101, "campaign.percent_range"),
    ("50", "campaign.percent_range"), (True, "campaign.percent_range"),
])
def test_a_percent_outside_0_to_100_is_refused(uow, campaign, percent, key):
    with pytest.raises(ValidationFailed) as refused:
        _report(uow, campaign, percent=percent)
    assert refused.value.message_key == key and refused.value.params["field"] == "percent"


def test_a_future_month_and_a_month_before_the_task_are_refused(uow, campaign):
    with pytest.raises(ValidationFailed) as refused:
        _report(uow, campaign, month=date(2027, 1, 1), at=date(2026, 12, 31))
    assert refused.value.message_key == "campaign.future_month"
    with pytest.raises(ValidationFailed) as refused:
        _report(uow, campaign, month=date(2025, 12, 1))
    assert refused.value.message_key == "campaign.before_start"
    # The current month may be reported on before it ends.
    assert _report(uow, campaign, month=date(2026, 12, 1), at=date(2026, 12, 3))


def test_a_second_report_for_the_month_is_an_edit_with_its_history(uow, campaign):
    first = _report(uow, campaign)
    again = _report(uow, campaign, percent=70, done="完成中期评估并整改", version=first.version)
    assert again.id == first.id and again.percent == 70 and again.version == 2
    with uow.read() as r:
        [old] = r.session.exec(select(ProgressRevision)).all()
        assert (old.percent, old.done) == (65, "完成中期评估")
        actions = r.session.exec(select(AuditEvent.action).where(
            AuditEvent.entity == "progress_report").order_by(AuditEvent.id)).all()
    assert actions == ["progress.submit", "progress.edit"]
    detail = uow.query(queries.task_detail, actor=campaign["office"], task_id=campaign["task"].id)
    assert detail.reports[0].revisions == 1
    # What it said before the edit, and who edited it, stays readable.
    [earlier] = detail.revisions
    assert (earlier.percent, earlier.done, earlier.by) == (65, "完成中期评估", "Liaison_Gdj")


def test_a_double_submit_stores_one_report_and_a_stale_edit_is_refused(uow, campaign):
    first = _report(uow, campaign)
    assert _report(uow, campaign).id == first.id  # the same form sent twice
    assert count_rows(uow, ProgressRevision) == 0
    with pytest.raises(Conflict) as refused:  # someone else reported the month meanwhile
        _report(uow, campaign, percent=80)
    assert refused.value.message_key == "campaign.month_reported_meanwhile"
    _report(uow, campaign, percent=70, version=first.version)
    with pytest.raises(Conflict) as stale:
        _report(uow, campaign, percent=75, version=first.version)
    assert stale.value.message_key == "error.stale_edit"


def test_a_fall_in_percent_needs_a_reason(uow, campaign):
    _report(uow, campaign, month=date(2026, 10, 1), percent=65, at=date(2026, 11, 3))
    with pytest.raises(ValidationFailed) as refused:
        _report(uow, campaign, percent=62)
    assert refused.value.message_key == "campaign.drop_needs_reason"
    assert refused.value.params["before"] == 65
    report = _report(uow, campaign, percent=62, drop_reason="重新核定口径",
                     explanation="口径调整", measures="加快推进")
    assert report.drop_reason == "重新核定口径"


def test_behind_schedule_needs_explanation_and_measures(uow, campaign):
    # On 12-03 the third milestone (11-30) expects 60 %.
    with pytest.raises(ValidationFailed) as refused:
        _report(uow, campaign, percent=50)
    assert refused.value.message_key == "campaign.behind_needs_explanation"
    with pytest.raises(ValidationFailed):
        _report(uow, campaign, percent=50, explanation="设备到货延迟")
    report = _report(uow, campaign, percent=50, explanation="设备到货延迟",
                     measures="增派施工队，12 月 20 日前追平")
    assert report.measures.startswith("增派施工队")


def test_a_late_report_is_accepted_with_its_submission_time(uow, campaign):
    report = _report(uow, campaign, month=date(2026, 10, 1), at=date(2026, 11, 20))
    assert report.submitted_at == noon(date(2026, 11, 20))


def test_co_and_responsible_units_add_notes_the_lead_and_others_cannot(uow, campaign):
    c = campaign
    for who in ("co_liaison", "resp_liaison"):
        uow.run(progress.write_contribution, actor=c[who], task_id=c["task"].id, month=NOV,
                text=f"{who} 配合完成现场踏勘", now=noon(date(2026, 11, 20)))
    for who, error in (("lead_liaison", PermissionDenied), ("other_liaison", NotFound),
                       ("leader", PermissionDenied)):
        with pytest.raises(error):
            uow.run(progress.write_contribution, actor=c[who], task_id=c["task"].id,
                    month=NOV, text="x", now=noon(date(2026, 11, 20)))
    detail = uow.query(queries.task_detail, actor=c["lead_liaison"], task_id=c["task"].id)
    assert {(n.unit, n.role) for n in detail.notes} == {
        ("市政务服务中心", "co"), ("雄关区人民政府办公室", "responsible")}


def test_a_second_note_for_the_month_is_an_edit(uow, campaign):
    c = campaign
    note = uow.run(progress.write_contribution, actor=c["co_liaison"], task_id=c["task"].id,
                   month=NOV, text="配合踏勘", now=noon(date(2026, 11, 20)))
    edited = uow.run(progress.write_contribution, actor=c["co_liaison"], task_id=c["task"].id,
                     month=NOV, text="配合踏勘并提供资料", version=note.version,
                     now=noon(date(2026, 11, 21)))
    assert edited.id == note.id and edited.version == 2
    with pytest.raises(Conflict):
        uow.run(progress.write_contribution, actor=c["co_liaison"], task_id=c["task"].id,
                month=NOV, text="另一个版本", version=note.version, now=noon(date(2026, 11, 22)))


def test_a_report_carries_files_that_only_the_tasks_readers_open(uow, campaign):
    from services.campaign import files
    from services.photos import attachments
    from tests.conftest import PHOTOS
    from tests.factories import a_pdf

    c = campaign
    prepared = attachments.prepare([("会议纪要.pdf", a_pdf(2)),
                                    ("现场.jpg", (PHOTOS / "jpg_Canon_40D.jpg").read_bytes())])
    report = _report(uow, c, attachments=prepared)
    for who in ("office", "leader", "co_liaison", "lead_liaison"):
        seen = uow.query(files.of_reports, actor=c[who], report_ids=[report.id])[report.id]
        assert ([d.filename for d in seen.documents], len(seen.photos)) == (["会议纪要.pdf"], 1)
    doc = seen.documents[0].id
    assert uow.query(files.document_bytes, actor=c["leader"], document_id=doc)[:5] == b"%PDF-"
    assert uow.query(files.of_reports, actor=c["other_liaison"], report_ids=[report.id]) == {}
    with pytest.raises(NotFound):
        uow.query(files.document_bytes, actor=c["other_liaison"], document_id=doc)
    with pytest.raises(NotFound):
        uow.query(files.photo_bytes, actor=c["inspector"], photo_id=seen.photos[0].id)


def test_a_bad_file_refuses_the_report_before_anything_is_saved(uow, campaign):
    from services.core.errors import PhotoRejected
    from services.photos import attachments

    with pytest.raises(PhotoRejected) as refused:
        attachments.prepare([("纪要.pdf", b"%PDF-1.4 torn")])
    assert refused.value.params["file"] == "纪要.pdf"
    assert count_rows(uow, ProgressReport) == 0
