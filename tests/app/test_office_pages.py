"""The office's pages through a harness (tests.app.conftest.page): visit plans, checklist
templates, review of findings, verification of rectification."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from demo import checklist as demo_checklist
from services.core import clock
from services.core.system import system_actor
from services.fieldwork import checklists, visit_view
from services.fieldwork import plans as visit_plans
from services.findings import queries as finding_queries
from services.findings import rectification, review
from services.findings import status as finding_status
from services.org import structure as org
from tests.app.conftest import page, texts, user_named
from tests.conftest import PHOTOS
from tests.factories import confirm, make_plan, make_visit, report

PHOTO = "jpg_gps_DSCN0010.jpg"


# --- set-up -------------------------------------------------------------------------------


def _unit_id(uow, name: str) -> int:
    return next(u.id for u in uow.query(org.list_units, actor=system_actor()) if u.name == name)


@pytest.fixture
def field(demo_loaded, template):
    uow = demo_loaded
    return {
        "uow": uow, "office": user_named(uow, "office"), "template": template,
        "inspector": user_named(uow, "inspector1"), "liaison": user_named(uow, "unit_gdj"),
        "unit_id": _unit_id(uow, "市供电公司"),
    }


def _submitted_visit(f, findings=(("serious", "窗口人员玩手机"),), photo=PHOTO) -> int:
    """inspector1 visits 市供电公司, answers everything, records findings and submits."""
    insp, _ = make_visit(
        f["uow"], inspector=f["inspector"], unit=f["unit_id"], template=f["template"],
        kind="unannounced", summary="总体情况较好，个别窗口纪律松散",
        findings=[dict(category="discipline", severity=severity, description=description,
                       responsible_person="张某") for severity, description in findings],
        photo=(PHOTOS / photo).read_bytes() if photo else None, submit=True,
    )
    return insp.id


def _case(uow, actor, finding_id: int) -> finding_queries.FindingCase:
    return next(c for c in uow.query(finding_queries.list_cases, actor=actor) if c.id == finding_id)


def _reported_finding(f) -> int:
    """A confirmed finding the unit has reported as fixed, with a photo."""
    uow = f["uow"]
    insp_id = _submitted_visit(f)
    finding = uow.query(visit_view.get_visit, actor=f["office"], inspection_id=insp_id).findings[0]
    confirm(uow, actor=f["office"], finding=finding.id)
    report(uow, actor=f["liaison"], finding=finding.id, text="已对相关人员批评教育，窗口加装监控",
           photos=[(PHOTOS / PHOTO).read_bytes()])
    return finding.id


def _plan(f, **kw) -> visit_plans.VisitPlan:
    return make_plan(f["uow"], actor=f["office"], unit=f["unit_id"], template=f["template"],
                     inspectors=[f["inspector"]], **kw)


# --- visit plans --------------------------------------------------------------------------


def test_office_creates_a_plan_and_sees_it_in_the_list(field):
    at = page("visit_plans", "office", field["uow"])
    assert not at.exception
    assert at.title[0].value == "暗访计划"
    assert "暂无符合条件的暗访计划" in texts(at)
    inspector = field["inspector"]

    at.text_input(key="plan_new_search").input("供电").run()
    options = at.selectbox(key="plan_new_unit").options
    assert "市供电公司" in options and all("供电" in o for o in options)
    at.selectbox(key="plan_new_unit").set_value(field["unit_id"])
    at.date_input(key="plan_new_end").set_value(clock.today() + timedelta(days=3))
    at.button(key="FormSubmitter:plan_new_form-新建暗访计划").click().run()
    assert "请至少指派一名督查员" in texts(at)  # the input stays; nothing was saved
    assert field["uow"].query(visit_plans.list_plans, actor=field["office"]) == []

    at.multiselect(key="plan_new_inspectors").set_value([inspector.id])
    at.button(key="FormSubmitter:plan_new_form-新建暗访计划").click().run()
    assert not at.exception
    assert "暗访计划已创建" in texts(at)
    table = at.dataframe[0].value
    assert list(table["unit"]) == ["市供电公司"]
    assert list(table["kind"]) == ["暗访"]  # the default kind
    assert list(table["inspectors"]) == [inspector.display_name]
    assert list(table["status"]) == ["待执行"]
    [plan] = field["uow"].query(visit_plans.list_plans, actor=field["office"])
    assert plan.window_end == clock.today() + timedelta(days=3)
    assert plan.template_id == field["template"].id
    # The form is empty again for the next plan.
    assert at.multiselect(key="plan_new_inspectors").value == []


def test_a_reversed_window_is_refused_with_a_message(field):
    at = page("visit_plans", "office", field["uow"])
    at.multiselect(key="plan_new_inspectors").set_value([field["inspector"].id])
    at.date_input(key="plan_new_end").set_value(clock.today() - timedelta(days=1))
    at.button(key="FormSubmitter:plan_new_form-新建暗访计划").click().run()
    assert "结束日期不能早于开始日期" in texts(at)
    assert field["uow"].query(visit_plans.list_plans, actor=field["office"]) == []


def test_stale_plan_edit_is_refused_and_the_form_shows_the_other_save(field):
    plan = _plan(field)
    at = page("visit_plans", "office", field["uow"])
    k = f"plan_e{plan.id}_"
    assert at.text_area(key=f"{k}note").value == ""
    # Someone else changes the plan in the meantime.
    _plan(field, plan_id=plan.id, version=plan.version, note="改为下午检查")
    at.text_area(key=f"{k}note").input("我的修改")
    at.button(key=f"FormSubmitter:{k}form-保存").click().run()
    assert not at.exception
    assert "已被其他人修改" in texts(at)
    assert at.text_area(key=f"{k}note").value == "改为下午检查"
    at.text_area(key=f"{k}note").input("我的修改")
    at.button(key=f"FormSubmitter:{k}form-保存").click().run()
    assert "已保存" in texts(at)
    [row] = field["uow"].query(visit_plans.list_plans, actor=field["office"])
    assert row.note == "我的修改"


def test_office_cancels_a_plan(field):
    plan = _plan(field)
    at = page("visit_plans", "office", field["uow"])
    at.button(key=f"plan_e{plan.id}_cancel").click().run()
    assert not at.exception
    assert "暗访计划已取消" in texts(at)
    assert list(at.dataframe[0].value["status"]) == ["已取消"]
    # Nothing planned is left to edit.
    assert not [s for s in at.selectbox if s.key == "plan_pick"]
    [row] = field["uow"].query(visit_plans.list_plans, actor=field["office"])
    assert row.status == visit_plans.CANCELLED


# --- checklists ---------------------------------------------------------------------------


def test_checklist_editor_saves_a_new_template(demo_loaded):
    at = page("checklists", "office", demo_loaded)
    assert not at.exception
    assert "还没有检查表" in texts(at)
    at.text_input(key="cl_new_name").input("窗口服务专项检查表")
    at.text_area(key="cl_new_desc").input("政务服务窗口")
    at.session_state["cl_new_items"] = {
        "edited_rows": {},
        "added_rows": [
            {"section": "窗口服务", "text": "首问责任人在岗", "photo_required_on_fail": True},
            {"text": "叫号系统正常运行"},  # no section: takes the one above
            {"section": "效率", "text": "排队等候人数", "answer_type": "number"},
            {},  # an empty row added by mistake is ignored
        ],
        "deleted_rows": [],
    }
    at.button(key="FormSubmitter:cl_new_form-创建检查表").click().run()
    assert not at.exception
    assert "已保存" in texts(at)
    [view] = demo_loaded.query(checklists.list_templates, actor=system_actor())
    assert view.name == "窗口服务专项检查表" and view.description == "政务服务窗口"
    assert [(i.section, i.text, i.answer_type, i.photo_required_on_fail) for i in view.items] == [
        ("窗口服务", "首问责任人在岗", "yes_no", True),
        ("窗口服务", "叫号系统正常运行", "yes_no", False),
        ("效率", "排队等候人数", "number", False),
    ]
    # The page now shows the saved template for editing, and lists it.
    assert at.selectbox(key="cl_pick").value == view.id
    assert list(at.dataframe[0].value["name"]) == ["窗口服务专项检查表"]
    editor = at.data_editor[0].value
    assert list(editor["text"]) == ["首问责任人在岗", "叫号系统正常运行", "排队等候人数"]


def test_editing_a_template_keeps_item_ids_and_refuses_empty_names(field):
    template_id = field["template"].id
    before = field["uow"].query(checklists.get_template, actor=field["office"],
                                     template_id=template_id)
    at = page("checklists", "office", field["uow"])
    k = f"cl_t{template_id}_"
    assert at.selectbox(key="cl_pick").value == template_id
    assert len(at.data_editor[0].value) == len(demo_checklist.ITEMS)

    at.text_input(key=f"{k}name").input("")
    at.button(key=f"FormSubmitter:{k}form-保存").click().run()
    assert "请填写“名称”" in texts(at)

    at.text_input(key=f"{k}name").input(demo_checklist.NAME)
    at.session_state[f"{k}items"] = {
        "edited_rows": {1: {"text": "限时办结制：办理时限公开、按时办结"}},
        # Numbered 3: after the existing item 3, in its section (no section typed).
        "added_rows": [{"text": "意见箱定期开启", "position": 3}],
        "deleted_rows": [0],
    }
    at.button(key=f"FormSubmitter:{k}form-保存").click().run()
    assert not at.exception
    assert "已保存" in texts(at)
    after = field["uow"].query(
        checklists.get_template, actor=field["office"], template_id=template_id)
    texts_after = [i.text for i in after.items]
    assert texts_after[:3] == ["限时办结制：办理时限公开、按时办结", before.items[2].text,
                               "意见箱定期开启"]
    assert after.items[2].section == demo_checklist.EIGHT_SYSTEMS
    assert after.items[0].id == before.items[1].id  # edited in place: the same item
    assert before.items[0].text not in texts_after  # deleted
    assert len(after.items) == len(before.items)


# --- review -------------------------------------------------------------------------------


def test_review_confirms_with_the_default_deadline_and_rejects_only_with_a_reason(field):
    uow, office = field["uow"], field["office"]
    insp_id = _submitted_visit(field, findings=(("serious", "窗口人员玩手机"),
                                                ("general", "工作牌未佩戴")))
    serious, general = uow.query(
        visit_view.get_visit, actor=office, inspection_id=insp_id).findings
    at = page("review", "office", uow)
    assert not at.exception
    assert at.title[0].value == "问题审核"
    assert list(at.dataframe[0].value["unit"]) == ["市供电公司"]
    assert "总体情况较好，个别窗口纪律松散" in texts(at)
    assert len(at.image) == 2  # a thumbnail per finding
    assert at.date_input(key=f"rv_f{serious.id}_deadline").value == \
        review.default_deadline("serious")
    assert at.date_input(key=f"rv_f{general.id}_deadline").value == \
        review.default_deadline("general")

    at.button(key=f"rv_f{serious.id}_confirm").click().run()
    assert not at.exception
    assert "问题已确认" in texts(at)
    case = _case(uow, office, serious.id)
    assert case.status == finding_status.RECTIFYING
    assert case.deadline == review.default_deadline("serious")
    # The inspection still waits for its other finding.
    assert list(at.dataframe[0].value["open"]) == [1]
    assert [b.key for b in at.button if b.key and b.key.endswith("_confirm")] == \
        [f"rv_f{general.id}_confirm"]

    at.button(key=f"rv_f{general.id}_reject").click().run()
    assert "请填写“理由”" in texts(at)
    assert _case(uow, office, general.id).status == finding_status.OPEN

    at.text_area(key=f"rv_f{general.id}_reason").input("照片显示已佩戴，不构成问题")
    at.button(key=f"rv_f{general.id}_reject").click().run()
    assert "问题已驳回" in texts(at)
    assert _case(uow, office, general.id).status == finding_status.REJECTED
    # Every finding is decided: the inspection is no longer pending.
    assert "目前没有待审核的督查记录" in texts(at)
    assert uow.query(review.list_pending, actor=office) == []


def test_review_of_a_finding_someone_else_decided_shows_the_stale_message(field):
    uow, office = field["uow"], field["office"]
    insp_id = _submitted_visit(field, findings=(("severe", "窗口无人值守"),
                                                ("general", "工作牌未佩戴")))
    first, _ = uow.query(visit_view.get_visit, actor=office, inspection_id=insp_id).findings
    at = page("review", "office", uow)
    later = clock.today() + timedelta(days=20)
    at.date_input(key=f"rv_f{first.id}_deadline").set_value(later).run()
    uow.run(review.confirm_finding, actor=office, finding_id=first.id)  # a colleague was quicker
    at.button(key=f"rv_f{first.id}_confirm").click().run()
    assert not at.exception
    assert "该问题已由其他人处理（当前状态：整改中）" in texts(at)
    assert _case(uow, office, first.id).deadline == review.default_deadline("severe")
    assert f"rv_f{first.id}_confirm" not in [b.key for b in at.button]


# --- verify -------------------------------------------------------------------------------


def test_verify_reopens_only_with_a_note_then_accepts_the_next_report(field):
    uow = field["uow"]
    finding_id = _reported_finding(field)
    at = page("verify", "inspector1", uow)
    assert not at.exception
    assert at.title[0].value == "整改核验"
    shown = texts(at)
    assert "窗口人员玩手机" in shown and "已对相关人员批评教育，窗口加装监控" in shown
    assert len(at.image) == 2  # the finding's photo and the rectification's photo

    k = f"vf_{finding_id}_"
    at.button(key=f"{k}reopen").click().run()
    assert "请填写“备注”" in texts(at)
    assert _case(uow, field["office"], finding_id).status == finding_status.REPORTED

    at.text_area(key=f"{k}note").input("监控尚未安装到位")
    at.button(key=f"{k}reopen").click().run()
    assert not at.exception
    assert "已退回单位重新整改" in texts(at)
    case = _case(uow, field["office"], finding_id)
    assert case.status == finding_status.REOPENED
    assert case.history[-1].note == "监控尚未安装到位"
    assert "目前没有待核验的整改" in texts(at)

    report(uow, actor=field["liaison"], finding=finding_id, text="监控已安装并投入使用")
    at.run()
    assert "监控已安装并投入使用" in texts(at)
    at.button(key=f"{k}accept").click().run()
    assert not at.exception
    assert "已通过核验" in texts(at)
    assert _case(uow, field["office"], finding_id).status == finding_status.VERIFIED


def test_verify_of_a_case_that_changed_meanwhile_is_refused_or_explained(field):
    uow, office = field["uow"], field["office"]
    finding_id = _reported_finding(field)
    at = page("verify", "inspector1", uow)
    k = f"vf_{finding_id}_"
    # A colleague reopens it and the unit reports again: still "reported", but not the
    # report this user was looking at.
    uow.run(rectification.verify, actor=office, finding_id=finding_id, accept=False, note="不彻底")
    report(uow, actor=field["liaison"], finding=finding_id, text="第二次整改：监控已安装")
    at.button(key=f"{k}accept").click().run()
    assert not at.exception
    assert "已被其他人修改" in texts(at)
    assert "第二次整改：监控已安装" in texts(at)
    assert _case(uow, office, finding_id).status == finding_status.REPORTED

    # Now the colleague verifies it first: the case leaves the list, and the page says why.
    uow.run(rectification.verify, actor=office, finding_id=finding_id, accept=True)
    at.button(key=f"{k}reopen").click().run()
    assert not at.exception
    assert "有 1 项整改已由其他人核验或退回" in texts(at)
    assert _case(uow, office, finding_id).status == finding_status.VERIFIED
    at.run()
    assert "已由其他人核验" not in texts(at)


def test_all_findings_tab_filters_by_status_and_flags_overdue(field):
    uow, office = field["uow"], field["office"]
    insp_id = _submitted_visit(field, findings=(("serious", "窗口人员玩手机"),
                                                ("general", "工作牌未佩戴")), photo=None)
    late, fine = uow.query(visit_view.get_visit, actor=office, inspection_id=insp_id).findings
    uow.run(review.confirm_finding, actor=office, finding_id=late.id)
    uow.run(review.confirm_finding, actor=office, finding_id=fine.id)
    # The first deadline has passed: set it in the past through the database.
    from db.models import Finding

    with uow:
        row = uow.session.get(Finding, late.id)
        row.deadline = date.today() - timedelta(days=40)
        uow.commit()
    at = page("verify", "office", uow)
    assert not at.exception
    table = at.dataframe[-1].value
    assert list(table["description"]) == ["窗口人员玩手机", "工作牌未佩戴"]
    assert list(table["overdue"]) == [True, False]
    assert list(table["status"]) == ["整改中", "整改中"]
    at.toggle(key="vf_all_overdue").set_value(True).run()
    assert list(at.dataframe[-1].value["description"]) == ["窗口人员玩手机"]
    at.toggle(key="vf_all_overdue").set_value(False)
    at.multiselect(key="vf_all_status").set_value(["verified"]).run()
    assert "没有符合条件的问题" in texts(at)


# --- who may open these pages -------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "username"),
    [("visit_plans", "leader"), ("visit_plans", "unit_gdj"), ("visit_plans", "inspector1"),
     ("checklists", "inspector1"), ("checklists", "unit_gdj"),
     ("review", "inspector1"), ("review", "admin"), ("verify", "unit_gdj"),
     ("verify", "leader")],
)
def test_a_role_without_the_capability_is_refused(field, module, username):
    _reported_finding(field)
    at = page(module, username, field["uow"])
    assert not at.exception
    assert "您没有权限查看此页面" in texts(at)
    assert not at.dataframe and not at.button and "窗口人员玩手机" not in texts(at)


@pytest.mark.parametrize(
    ("module", "username", "title"),
    [("visit_plans", "office", "Unannounced visit plans"),
     ("visit_plans", "admin", "Unannounced visit plans"),
     ("checklists", "admin", "Checklists"), ("review", "office", "Review findings"),
     ("verify", "office", "Verify rectification"),
     ("verify", "inspector1", "Verify rectification")],
)
def test_pages_render_in_english_with_data(field, module, username, title):
    _plan(field)
    _submitted_visit(field, findings=(("general", "工作牌未佩戴"),))
    _reported_finding(field)
    at = page(module, username, field["uow"], lang="en")
    assert not at.exception
    assert at.title[0].value == title
