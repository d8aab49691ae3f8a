"""The campaign pages against the attack review: last year's reports still sendable in
January, December's missing report counted, a draft's files shown, the note for the month
being reported, no form offered that its user may not send, task codes escaped."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from db.models import Contribution, Document, Task
from demo import campaign as demo_campaign
from services.campaign import tasks
from services.campaign.tasks import MilestoneInput
from services.core import clock
from tests.app.conftest import PASSWORD, page, texts, user_named
from tests.conftest import count_rows
from tests.factories import a_pdf


@pytest.fixture
def campaign_loaded(demo_loaded):
    demo_loaded.run(demo_campaign.load_campaign, size="small", password=PASSWORD)
    return demo_loaded


def test_attack_admin_is_not_offered_a_report_form_it_cannot_send(campaign_loaded):
    """Admin has campaign.manage but not campaign.report: the board offers the office's
    "report for the lead unit" form, and sending it fails."""
    at = page("campaign_board", "admin", campaign_loaded)
    at.selectbox(key="cb_pick").select_index(0).run()
    assert not at.exception
    forms = [n for n in at.number_input if n.key.endswith("_percent")]
    if not forms:
        return  # not offered: fine
    form = forms[0].key[: -len("_percent")]
    at.text_area(key=f"{form}_done").input("管理员代报")
    [b for b in at.button if b.label == "提交月度进度"][0].click().run()
    assert "没有权限" not in texts(at), "admin offered a form that is always refused"


def test_attack_work_report_draft_files_are_never_shown(campaign_loaded):
    year = clock.today().year
    at = page("unit_tasks", "unit_gdj", campaign_loaded)
    form = f"wr_special_{year}_r0"
    at.text_area(key=f"{form}_text").input("草稿")
    at.file_uploader(key=f"{form}_files").set_value([("专题附件.pdf", a_pdf(1),
                                                      "application/pdf")])
    [b for b in at.button if b.label == "保存草稿"][0].click().run()
    assert not at.exception and "草稿已保存" in texts(at)
    assert count_rows(campaign_loaded, Document, Document.work_report_id.is_not(None)) == 1
    again = page("unit_tasks", "unit_gdj", campaign_loaded)
    labels = [b.proto.label for b in again.get("download_button")] + [texts(again)]
    assert any("专题附件" in label for label in labels), "the draft's file is not shown"


def test_attack_note_for_the_month_being_reported(campaign_loaded):
    """The lead reports last month (due on the 5th of this one); the helper's note form
    only writes this month, so notes never sit beside the report they belong to."""
    at = page("unit_tasks", "unit_xg", campaign_loaded)
    area = next(a for a in at.text_area if a.key.startswith("cn_"))
    month_choices = [s for s in at.selectbox if s.key.startswith("cn_")]
    area.input("配合完成上月工作")
    [b for b in at.button if b.label == "保存协作情况"][0].click().run()
    with campaign_loaded.read() as r:
        note = r.session.exec(select(Contribution).where(
            Contribution.text == "配合完成上月工作")).one()
    this_month = clock.today().replace(day=1)
    assert month_choices or note.month != this_month, (
        "no way to write the note for last month, the month the lead reports now")


def test_attack_task_code_markdown_in_behind_caption(campaign_loaded):
    uow = campaign_loaded
    office = user_named(uow, "office")
    lead = user_named(uow, "unit_gdj").unit_id
    year = clock.today().year
    with uow.read() as r:
        battle_id = r.session.exec(select(Task.battle_id)).first()
    uow.run(tasks.save_task, actor=office, battle_id=battle_id, code=":red[**X**]",
            title="标记任务", start_date=date(year, 1, 1), due_date=date(year, 12, 31),
            lead_unit_id=lead, milestones=[MilestoneInput("a", date(year, 1, 31), 100)])
    at = page("unit_tasks", "unit_gdj", uow)
    assert not at.exception
    raw = [c.value for c in at.caption if "red[" in c.value]
    assert all("\\:red\\[" in c for c in raw), raw


def test_attack_markdown_everywhere_else_is_escaped(campaign_loaded):
    uow = campaign_loaded
    office = user_named(uow, "office")
    year = clock.today().year
    evil = "**B**<img src=x>[l](http://e.x)"
    lead = user_named(uow, "unit_gdj").unit_id
    with uow.read() as r:
        battle_id = r.session.exec(select(Task.battle_id)).first()
    t = uow.run(tasks.save_task, actor=office, battle_id=battle_id, code="EVIL-1", title=evil,
                target=evil, start_date=date(year, 1, 1), due_date=date(year, 12, 31),
                lead_unit_id=lead, milestones=[MilestoneInput(evil[:30], date(year, 12, 31),
                                                              100)])
    at = page("campaign_board", "office", uow)
    at.selectbox(key="cb_pick").select(t.id).run()
    assert not at.exception
    import re
    for el in (*at.markdown, *at.caption, *at.subheader):
        assert "**B**" not in el.value and not re.search(r"(?<!\\)<img", el.value), el.value
    for ex in at.expander:
        assert "**B**" not in ex.label, ex.label


def test_attack_last_years_calendar_calls_an_overdue_december_not_due(campaign_loaded):
    """The calendar's previous year is computed as if today were 12-31 of that year:
    December's report (due 01-05 of this year) shows '…' (not due) for ever."""
    uow = campaign_loaded
    office = user_named(uow, "office")
    last = clock.today().year - 1
    with uow.read() as r:
        battle_id = r.session.exec(select(Task.battle_id)).first()
    uow.run(tasks.save_task, actor=office, battle_id=battle_id, code="OLD-1", title="去年任务",
            start_date=date(last, 1, 1), due_date=date(last, 12, 31),
            lead_unit_id=user_named(uow, "unit_gdj").unit_id,
            milestones=[MilestoneInput("a", date(last, 12, 31), 100)])
    at = page("report_calendar", "office", uow)
    at.selectbox(key="rc_year").select(last).run()
    assert not at.exception
    grid = at.dataframe[0].value
    row = grid[grid.iloc[:, 0] == "市供电公司"]
    assert list(row["12"]) == ["未报"], list(row["12"])


def test_attack_annual_report_cannot_be_sent_late_in_january(campaign_loaded, monkeypatch):
    """'Submitting after the day is accepted and shown late': on 01-03 the start page
    only offers the new year's reports; last year's annual report (due 12-31) is gone."""
    real = clock.today()
    last = real.year
    fake = date(last + 1, 1, 3)
    monkeypatch.setattr(clock, "today", lambda now=None: fake if now is None else
                        clock.local_date(now))
    at = page("unit_tasks", "unit_xg", campaign_loaded)
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert any(label.startswith(f"{last} 年年度工作报告") for label in labels), labels
