"""The complaint pages as their users meet them: the office registers at a PC (the caller's
earlier complaints appear as the number is typed), lists with the filters in the URL and
follows up; a unit's liaison signs for and answers; everyone but the office and admin reads
the complainant masked."""

from __future__ import annotations

import pytest

from db.models import Complaint
from services.complaints import queries, workflow
from services.org import structure
from tests.app.conftest import page, texts, user_named
from tests.conftest import count_rows
from tests.factories import make_complaint

NAME, PHONE = "张三丰", "13812341234"


@pytest.fixture
def gdj_unit(demo_loaded):
    return user_named(demo_loaded, "unit_gdj").unit_id


def _unit(uow, unit_id):
    from db.models import Unit
    with uow.read() as r:
        return r.session.get(Unit, unit_id)


def _assigned(uow, unit_id, **kw):
    office = user_named(uow, "office")
    complaint = make_complaint(uow, office=office, unit=_unit(uow, unit_id), **kw)
    uow.run(workflow.assign, actor=office, complaint_id=complaint.id, version=complaint.version,
            unit_id=unit_id)
    return complaint


def test_the_office_registers_a_complaint_and_sees_the_callers_history(demo_loaded, gdj_unit):
    make_complaint(demo_loaded, office=user_named(demo_loaded, "office"),
                   unit=_unit(demo_loaded, gdj_unit), content="上次的投诉")
    at = page("complaint_register", "office", demo_loaded)
    at.text_input(key="cr0_name").input("李四")
    at.text_input(key="cr0_phone").input("138-1234-1234").run()
    assert "该号码以前的投诉：1 件" in texts(at)
    at.selectbox(key="cr0_unit").select(gdj_unit)
    at.text_area(key="cr0_content").input("办理业务时工作人员态度生硬").run()
    # 市供电公司 is a city-level unit: the clerk is told the complaint would have no place.
    assert "所选单位是市级单位，没有所在区镇" in texts(at)
    at.button(key="cr0_save").click().run()
    # No category is chosen for the clerk: the form says so and keeps everything typed.
    assert at.error[0].value == "请选择投诉类别"
    at.selectbox(key="cr0_category").select_index(1).run()
    at.button(key="cr0_save").click().run()
    assert not at.exception
    assert "已登记投诉 #2" in texts(at)
    assert count_rows(demo_loaded, Complaint) == 2
    assert at.text_input(key="cr1_name").value == ""  # a fresh form for the next caller


def test_a_refused_registration_keeps_what_was_typed(demo_loaded):
    at = page("complaint_register", "office", demo_loaded)
    at.text_area(key="cr0_content").input("没有留下姓名和电话").run()
    at.button(key="cr0_save").click().run()
    assert at.error[0].value == "请填写投诉人姓名或联系电话，或勾选“匿名”"
    assert at.text_area(key="cr0_content").value == "没有留下姓名和电话"
    assert count_rows(demo_loaded, Complaint) == 0


@pytest.mark.parametrize(("username", "shown"), [
    ("office", f"{NAME} · {PHONE}"), ("admin", f"{NAME} · {PHONE}"),
    ("leader", "张* · 138****1234"),
])
def test_the_list_masks_the_complainant_for_whoever_may_not_see_it(
    demo_loaded, gdj_unit, username, shown
):
    complaint = _assigned(demo_loaded, gdj_unit, name=NAME, phone=PHONE, address="")
    at = page("complaints", username, demo_loaded, id=complaint.id)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["complainant"]) == [shown]
    # The card below the list says the same (escaped for Markdown).
    assert shown.replace("*", "\\*") in texts(at)
    assert (NAME in texts(at)) == (username != "leader")


def test_the_filters_come_from_the_link(demo_loaded, gdj_unit):
    _assigned(demo_loaded, gdj_unit)
    make_complaint(demo_loaded, office=user_named(demo_loaded, "office"))  # still received
    at = page("complaints", "office", demo_loaded, status="assigned")
    assert "共 1 件" in texts(at)
    assert at.selectbox(key="cf_status").value == "assigned"
    at = page("complaints", "office", demo_loaded, status="not-a-status", district="x")
    assert not at.exception and "共 0 件" not in texts(at)


def test_the_liaison_signs_for_and_answers_then_the_office_follows_up(demo_loaded, gdj_unit):
    complaint = _assigned(demo_loaded, gdj_unit)
    at = page("complaint_inbox", "unit_gdj", demo_loaded)
    assert "张\\* · 138\\*\\*\\*\\*1234" in texts(at) and NAME not in texts(at)
    at.button(key=f"cu_{complaint.id}_sign").click().run()
    assert "已签收" in texts(at)
    at.text_area(key=f"cu_{complaint.id}_action").input("约谈窗口人员")
    at.text_area(key=f"cu_{complaint.id}_result").input("已向投诉人致歉")
    form_buttons = [b for b in at.button if b.label == "提交答复"]
    form_buttons[0].click().run()
    assert "已提交答复" in texts(at)

    at = page("complaints", "office", demo_loaded, id=complaint.id)
    at.radio(key=f"co_{complaint.id}_satisfaction").set_value("satisfied")
    [save] = [b for b in at.button if b.label == "保存回访"]
    save.click().run()
    assert "已记录回访" in texts(at)
    # Also where the clerk is on the page: the card sits below a long list.
    assert [toast.value for toast in at.toast] == ["已记录回访"]
    office = user_named(demo_loaded, "office")
    detail = demo_loaded.query(queries.get_complaint, actor=office, complaint_id=complaint.id)
    assert detail.row.status == "closed"
    assert [r.action_taken for r in detail.replies] == ["约谈窗口人员"]


def test_the_inbox_shows_what_each_complaint_is_about_and_opens_answered_ones(
    demo_loaded, gdj_unit
):
    complaint = _assigned(demo_loaded, gdj_unit,
                          content="抄表员**多次**上门，态度恶劣，还要求现金缴费")
    at = page("complaint_inbox", "unit_gdj", demo_loaded)
    [line] = at.radio(key="ci_pick_radio").options
    # The category and the start of the text, escaped: a liaison recognises it by them.
    assert f"投诉 #{complaint.id} · 服务态度差 · 已交办" in line
    assert "抄表员\\*\\*多次\\*\\*上门" in line
    assert "还没有已答复的投诉" in texts(at)
    at.button(key=f"cu_{complaint.id}_sign").click().run()
    at.text_area(key=f"cu_{complaint.id}_action").input("约谈抄表员")
    at.text_area(key=f"cu_{complaint.id}_result").input("已向投诉人致歉")
    [b for b in at.button if b.label == "提交答复"][0].click().run()
    assert "没有待办理的投诉" in texts(at)

    at = page("complaint_inbox", "unit_gdj", demo_loaded)
    [done] = at.radio(key="ci_pick_done_radio").options
    assert f"投诉 #{complaint.id}" in done and "已答复" in done
    # The answered complaint opens read-only with the reply on it.
    assert "约谈抄表员" in texts(at)
    assert not [b for b in at.button if b.label == "提交答复"]


def test_the_liaisons_start_page_says_what_complaints_wait(demo_loaded, gdj_unit):
    at = page("rectify", "unit_gdj", demo_loaded)
    assert "投诉：" not in texts(at)
    _assigned(demo_loaded, gdj_unit)
    at = page("rectify", "unit_gdj", demo_loaded)
    assert "投诉：1 件等待本单位办理（超期 0 件）" in texts(at)


def test_a_number_the_reader_may_not_see_opens_nothing(demo_loaded, gdj_unit):
    complaint = _assigned(demo_loaded, gdj_unit)
    at = page("complaints", "leader", demo_loaded, id=complaint.id + 100)
    assert not at.exception
    assert at.error[0].value == "记录不存在或已被删除"
    at = page("complaints", "office", demo_loaded)
    at.number_input(key="cl_open").set_value(complaint.id).run()
    assert f"投诉 #{complaint.id} · 已交办" in texts(at)


def test_without_a_model_the_register_page_says_how_to_get_one(demo_loaded):
    at = page("complaint_register", "office", demo_loaded)
    at.text_area(key="cr0_content").input("营业厅停电通知不到位").run()
    assert "尚未训练分办模型" in texts(at)


def test_the_routing_suggestion_fills_in_the_unit_in_one_click(demo_loaded, gdj_unit):
    from services.complaints import routing

    office = user_named(demo_loaded, "office")
    units = demo_loaded.query(structure.list_units, actor=office)
    power = _unit(demo_loaded, gdj_unit)
    other = next(u for u in units if u.id != gdj_unit and "医院" in u.name)
    for n in range(20):
        category = ("服务态度差", "办事拖拉")[n % 2]
        make_complaint(demo_loaded, office=office, unit=power, category=category,
                       content=f"供电营业厅停电抄表电费问题第{n}次")
        make_complaint(demo_loaded, office=office, unit=_unit(demo_loaded, other.id),
                       category=category, content=f"医院挂号门诊医生住院问题第{n}次")
    demo_loaded.run(routing.train_routing, actor=office)
    at = page("complaint_register", "office", demo_loaded)
    at.text_area(key="cr0_content").input("营业厅又停电了，电费也算错").run()
    at.button(key=f"cr0_route_{gdj_unit}").click().run()
    assert at.selectbox(key="cr0_unit").value == gdj_unit


@pytest.mark.parametrize(("username", "full"), [("office", True), ("leader", False)])
def test_the_export_is_the_list_as_its_reader_sees_it_and_is_audited(
    demo_loaded, gdj_unit, username, full
):
    from db.models import AuditEvent

    _assigned(demo_loaded, gdj_unit, name=NAME, phone=PHONE)
    make_complaint(demo_loaded, office=user_named(demo_loaded, "office"))  # still received
    at = page("complaints", username, demo_loaded, status="assigned")
    at.button(key="cx_csv").click().run()
    assert not at.exception
    _filters, kind, data, name = at.session_state["cx_ready"]
    text = data.decode("utf-8-sig")
    assert kind == "csv" and name.endswith(".csv")
    assert len(text.strip().splitlines()) == 2  # the header and the one assigned complaint
    assert (NAME in text) == full and (PHONE in text) == full
    assert ("138****1234" in text) == (not full)
    assert count_rows(demo_loaded, AuditEvent, AuditEvent.action == "complaint.export") == 1


def test_the_liaison_stays_on_the_complaint_after_signing_for_it(demo_loaded, gdj_unit):
    """Signing re-sorts the inbox (overdue first); the complaint being answered must not
    change under the liaison's hands."""
    from datetime import timedelta

    from db.timeutil import utcnow

    old = _assigned(demo_loaded, gdj_unit, received_at=utcnow() - timedelta(days=60))
    new = _assigned(demo_loaded, gdj_unit)
    at = page("complaint_inbox", "unit_gdj", demo_loaded)
    at.radio[0].set_value(new.id).run()
    at.button(key=f"cu_{new.id}_sign").click().run()
    assert at.radio[0].value == new.id
    assert f"投诉 #{new.id} · 已签收" in texts(at)
    assert old.id != new.id


def test_the_office_opens_a_finding_the_liaison_then_has_to_rectify(demo_loaded, gdj_unit):
    from db.models import Finding

    complaint = _assigned(demo_loaded, gdj_unit, content="抄表员多次上门态度恶劣")
    at = page("complaints", "office", demo_loaded, id=complaint.id)
    key = f"co_{complaint.id}_f"
    assert at.text_area(key=f"{key}_text").value == "抄表员多次上门态度恶劣"
    at.selectbox(key=f"{key}_category").select("attitude")
    [save] = [b for b in at.button if b.label == "开立问题"]
    save.click().run()
    assert not at.exception and "已开立问题并交单位整改" in texts(at)
    assert count_rows(demo_loaded, Finding, Finding.complaint_id == complaint.id) == 1
    # The card says so, and the form is gone: one finding per complaint.
    assert "已由本投诉开立问题 #" in texts(at)
    assert not [b for b in at.button if b.label == "开立问题"]

    at = page("rectify", "unit_gdj", demo_loaded)
    assert not at.exception and "抄表员多次上门态度恶劣" in texts(at)
    # Where it came from, so the liaison knows it is not from a visit.
    assert f"来源：投诉 #{complaint.id} · 开立于" in texts(at)
    [finding_id] = [f.id for f in _findings_of(demo_loaded, complaint.id)]
    at.text_area(key=f"rect_text_{finding_id}").input("已约谈抄表员并调整岗位")
    [b for b in at.button if b.label == "报送整改"][0].click().run()
    at = page("verify", "office", demo_loaded)
    assert not at.exception and f"来源：投诉 #{complaint.id} · 开立于" in texts(at)
    [table] = [d.value for d in at.dataframe if "source" in d.value.columns]
    assert any(f"投诉 #{complaint.id}" in cell for cell in table["source"])


def _findings_of(uow, complaint_id):
    from sqlmodel import select

    from db.models import Finding
    with uow.read() as r:
        return r.session.exec(select(Finding).where(Finding.complaint_id == complaint_id)).all()


def test_the_time_received_is_the_moment_of_saving_unless_the_clerk_changed_it(
    demo_loaded, monkeypatch
):
    from datetime import datetime, time, timedelta

    from db.timeutil import utcnow
    from services.core import clock
    from views.complaints import register

    opened = utcnow() - timedelta(minutes=40)
    monkeypatch.setattr(register, "utcnow", lambda: opened)  # the form opened 40 min ago
    at = page("complaint_register", "office", demo_loaded)
    at.text_input(key="cr0_name").input("李四")
    at.text_area(key="cr0_content").input("窗口无人")
    at.selectbox(key="cr0_category").select_index(0).run()
    monkeypatch.setattr(register, "utcnow", utcnow)  # the clerk saves now
    at.button(key="cr0_save").click().run()
    with demo_loaded.read() as r:
        first = r.session.get(Complaint, 1)
    assert abs(first.received_at - utcnow()) < timedelta(minutes=2)

    # A time the clerk types is kept as typed.
    at.text_input(key="cr1_name").input("王五")
    at.text_area(key="cr1_content").input("电话无人接听")
    at.selectbox(key="cr1_category").select_index(0)
    yesterday = clock.today() - timedelta(days=1)  # never in the future, whatever the hour
    at.date_input(key="cr1_day").set_value(yesterday)
    at.time_input(key="cr1_time").set_value(time(8, 5)).run()
    at.button(key="cr1_save").click().run()
    with demo_loaded.read() as r:
        second = r.session.get(Complaint, 2)
    assert clock.local(second.received_at).replace(tzinfo=None) == datetime.combine(
        yesterday, time(8, 5))
