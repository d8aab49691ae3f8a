"""The campaign pages as their users meet them: the office and a leader read the board of
the five battles; the lead unit's liaison reports the month on their start page and a
responsible unit adds its note; the office's report calendar exports what is due."""

from __future__ import annotations

import pytest

from db.models import Contribution, ProgressReport
from demo import campaign as demo_campaign
from tests.app.conftest import PASSWORD, page, texts
from tests.conftest import count_rows
from tests.factories import a_pdf


@pytest.fixture
def campaign_loaded(demo_loaded):
    demo_loaded.run(demo_campaign.load_campaign, size="small", password=PASSWORD)
    return demo_loaded


@pytest.mark.parametrize("username", ["office", "leader", "admin"])
def test_the_board_shows_the_five_battles_with_lights_and_sentences(campaign_loaded, username):
    at = page("campaign_board", username, campaign_loaded)
    assert not at.exception
    headers = [s.value for s in at.subheader]
    assert headers[:5] == ["GZ1 公共资源市场化配置攻坚战", "GZ2 优化政府职能攻坚战",
                           "GZ3 进驻政务大厅攻坚战", "GZ4 行业效能提升攻坚战",
                           "GZ5 转变作风严肃纪律攻坚战"]
    shown = texts(at)
    assert "供电供暖供水服务提速" in shown and "牵头：市供电公司" in shown
    assert "个节点" in shown  # the sentence that explains each light


def test_the_board_filters_by_status_and_opens_a_task(campaign_loaded):
    at = page("campaign_board", "office", campaign_loaded)
    at.multiselect(key="cb_status").set_value(["done"]).run()
    assert "没有符合条件的任务" in texts(at)
    at.multiselect(key="cb_status").set_value([]).run()
    at.selectbox(key="cb_pick").select_index(0).run()
    assert not at.exception and "牵头单位：" in texts(at)
    assert any(e.label.startswith("代") for e in at.expander)  # the office reports for the lead


def test_the_lead_liaison_reports_the_month_on_the_start_page(campaign_loaded):
    at = page("unit_tasks", "unit_gdj", campaign_loaded)
    assert not at.exception and "供电供暖供水服务提速" in texts(at)
    before = count_rows(campaign_loaded, ProgressReport)
    month = at.selectbox(key=next(s.key for s in at.selectbox if s.key.endswith("_month")))
    month.select_index(0).run()  # this month
    form = next(n.key[: -len("_percent")] for n in at.number_input
                if n.key.endswith("_percent"))
    at.number_input(key=f"{form}_percent").set_value(100)
    at.text_area(key=f"{form}_done").input("全部报装流程上线，抢修到场平均 1.5 小时")
    at.file_uploader(key=f"{form}_files").set_value([("验收纪要.pdf", a_pdf(1),
                                                      "application/pdf")])
    [b for b in at.button if b.label == "提交月度进度"][0].click().run()
    assert not at.exception and "月度进度已保存" in texts(at)
    assert count_rows(campaign_loaded, ProgressReport) == before + 1
    assert "已完成" in texts(at)
    # The file is on the report, for whoever reads the task.
    assert any(b.proto.label.startswith("下载 验收纪要\\.pdf") for b in at.get("download_button"))


def test_a_responsible_unit_adds_its_note_and_cannot_report(campaign_loaded):
    at = page("unit_tasks", "unit_xg", campaign_loaded)
    assert not at.exception
    assert not [b for b in at.button if b.label == "提交月度进度"]
    area = next(a for a in at.text_area if a.key.startswith("cn_"))
    area.input("配合完成窗口服务规范检查")
    [b for b in at.button if b.label == "保存协作情况"][0].click().run()
    assert not at.exception and "协作情况已保存" in texts(at)
    assert count_rows(campaign_loaded, Contribution,
                      Contribution.text == "配合完成窗口服务规范检查") == 1


def test_the_calendar_marks_each_month_and_exports_what_is_due(campaign_loaded):
    at = page("report_calendar", "office", campaign_loaded)
    assert not at.exception
    grid = at.dataframe[0].value
    assert "市供电公司" in set(grid.iloc[:, 0])
    assert at.get("download_button")


@pytest.mark.parametrize(("key", "username"), [
    ("campaign_board", "unit_gdj"), ("campaign_board", "inspector1"),
    ("report_calendar", "unit_gdj"), ("unit_tasks", "office"),
])
def test_pages_a_role_does_not_have_are_refused(campaign_loaded, key, username):
    at = page(key, username, campaign_loaded)
    assert not at.exception and "没有权限" in texts(at)


def test_the_lead_liaison_drafts_then_submits_the_special_report(campaign_loaded):
    from db.models import WorkReport
    from services.core import clock

    year = clock.today().year
    at = page("unit_tasks", "unit_gdj", campaign_loaded)
    labels = [e.label for e in at.expander]
    assert any(label.startswith(f"{year} 年专题工作报告") for label in labels)
    assert any(label.startswith(f"{year} 年年度工作报告") for label in labels)
    form = f"wr_special_{year}_r0"
    at.text_area(key=f"{form}_text").input("一年来，供电服务提速任务……")
    [b for b in at.button if b.label == "保存草稿"][0].click().run()
    assert "草稿已保存" in texts(at)
    form = f"wr_special_{year}_r1"
    assert at.text_area(key=f"{form}_text").value == "一年来，供电服务提速任务……"
    at.text_area(key=f"{form}_expl").input("设备到货晚")
    at.text_area(key=f"{form}_meas").input("增派施工队")
    [b for b in at.button if b.label == "提交报告"][0].click().run()
    assert not at.exception and "工作报告已提交" in texts(at)
    with campaign_loaded.read() as r:
        from sqlmodel import select
        statuses = r.session.exec(select(WorkReport.kind, WorkReport.status)).all()
    assert statuses == [("special", "submitted")]

    office = page("report_calendar", "office", campaign_loaded)
    assert not office.exception
    [special, _annual] = [d.value for d in office.dataframe if "报告状态" in d.value.columns]
    row = special[special.iloc[:, 0] == "市供电公司"]
    assert list(row.iloc[:, 1]) == ["已提交"]


def test_the_office_asks_for_a_hall_plan_the_unit_submits_it_and_it_is_approved(
    campaign_loaded
):
    from tests.app.conftest import user_named

    unit = user_named(campaign_loaded, "unit_zwzx").unit_id
    office = page("hall_plans", "office", campaign_loaded)
    office.multiselect(key="hp_ask_r0_units").set_value([unit])
    [b for b in office.button if b.label == "发出要求"][0].click().run()
    assert "已要求所选单位提交进驻方案" in texts(office)

    at = page("unit_tasks", "unit_zwzx", campaign_loaded)
    assert any(e.label.startswith("进驻政务大厅工作方案（待提交）") for e in at.expander)
    form = f"hf_{unit}"
    at.text_area(key=f"{form}_items").input("企业设立登记\n企业变更登记")
    at.text_area(key=f"{form}_rules").input("首问负责、限时办结")
    at.text_input(key=f"{form}_staffing").input("首席代表 1 名")
    [b for b in at.button if b.label == "提交方案"][0].click().run()
    assert not at.exception and "进驻方案已提交，等待审核" in texts(at)

    office = page("hall_plans", "office", campaign_loaded)
    with campaign_loaded.read() as r:
        from sqlmodel import select

        from db.models import HallPlan
        plan = r.session.exec(select(HallPlan).where(HallPlan.unit_id == unit)).one()
    office.selectbox(key="hp_pick").select(plan.id).run()
    assert "企业设立登记；企业变更登记" in texts(office)
    [b for b in office.button if b.label == "通过"][0].click().run()
    assert "进驻方案已通过" in texts(office)
    before = 2  # the demo's two approved windows
    assert office.metric[0].value == str(before + 1)  # in the hall


def test_the_office_adds_a_task_and_edits_it(campaign_loaded):
    from sqlmodel import select

    from db.models import Task
    from tests.app.conftest import user_named

    at = page("campaign_board", "office", campaign_loaded)
    form = "ce_task_new"
    with campaign_loaded.read() as r:
        from db.models import Battle
        gz5 = r.session.exec(select(Battle.id).where(Battle.code == "GZ5")).one()
    at.selectbox(key=f"{form}_battle").select(gz5)
    at.text_input(key=f"{form}_code").input("GZ5-6")
    at.text_input(key=f"{form}_title").input("窗口单位作风整顿")
    [b for b in at.button if b.label == "保存任务"][0].click().run()
    assert "请选择牵头单位" in texts(at)  # refused with the reason, the form kept
    assert at.text_input(key=f"{form}_title").value == "窗口单位作风整顿"
    at.selectbox(key=f"{form}_lead").select(user_named(campaign_loaded, "unit_xg").unit_id)
    [b for b in at.button if b.label == "保存任务"][0].click().run()
    assert not at.exception and "任务已保存" in texts(at)
    with campaign_loaded.read() as r:
        task = r.session.exec(select(Task).where(Task.code == "GZ5-6")).one()
    assert (task.title, task.version) == ("窗口单位作风整顿", 1)

    at.selectbox(key="cb_pick").select(task.id).run()
    edit = f"ce_task_{task.id}"
    assert at.text_input(key=f"{edit}_title").value == "窗口单位作风整顿"
    at.text_input(key=f"{edit}_title").input("窗口单位作风集中整顿")
    [b for b in at.button if b.label == "保存任务"][-1].click().run()
    assert "任务已保存" in texts(at)
    with campaign_loaded.read() as r:
        task = r.session.get(Task, task.id)
    assert (task.title, task.version) == ("窗口单位作风集中整顿", 2)


def test_milestone_rows_from_the_editor():
    from datetime import date

    import pandas as pd

    from views.campaign.task_editor import _marks

    frame = pd.DataFrame({"title": ["方案", None, ""], "due": [date(2026, 3, 31), None, None],
                          "weight": [40, None, None]})
    [first] = _marks(frame)  # the empty rows the editor adds are dropped
    assert (first.title, first.due, first.weight) == ("方案", date(2026, 3, 31), 40)
    half = pd.DataFrame({"title": ["只有名称"], "due": [None], "weight": [None]})
    [row] = _marks(half)  # a half-filled row goes to the service, which says what is missing
    assert row.weight == 0


def test_the_offices_workbench_counts_what_waits_for_it(campaign_loaded):
    from services.dashboard import workbench
    from tests.app.conftest import user_named

    at = page("workbench", "office", campaign_loaded)
    assert not at.exception
    counts = campaign_loaded.query(workbench.workbench,
                                   actor=user_named(campaign_loaded, "office"))
    shown = {m.label: m.value for m in at.metric}
    # The demo's hall plan awaiting a decision and its missing monthly reports are there.
    assert shown["待审核的进驻方案"] == str(counts.hall_plans_to_decide) == "1"
    assert shown["未报送的月度进度"] == str(counts.reports_missing)
    assert counts.reports_missing > 0
    assert [b.label for b in at.button].count("查看") == sum(
        1 for name in vars(counts) if getattr(counts, name))
