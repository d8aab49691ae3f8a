"""Service-hall entry plans: the office asks units to move in, a liaison drafts and submits
the plan, the office approves it or returns it with comments; refused moves say why, every
change is logged and audited; who reads which plan."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import AuditEvent, HallPlan, HallPlanStatusChange
from services.campaign import hall_plans
from services.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from tests.conftest import count_rows

PLAN = dict(approval_items=["低压居民用电报装", "高压用电报装", " 低压居民用电报装 "],
            rules="首问负责、一次性告知、限时办结", staffing="首席代表 1 名、窗口人员 2 名")


def _save(uow, c, who="lead_liaison", **kw):
    return uow.run(hall_plans.save_plan, actor=c[who], **(PLAN | kw))


def test_asked_drafted_submitted_approved_with_a_log_row_each(uow, campaign):
    c = campaign
    assert uow.run(hall_plans.require_units, actor=c["office"],
                   unit_ids=[c["lead"].id, c["co"].id]) == 2
    draft = _save(uow, c)
    assert draft.status == "draft" and draft.approval_items == ["低压居民用电报装", "高压用电报装"]
    sent = _save(uow, c, submit=True, version=draft.version)
    assert sent.status == "submitted" and sent.submitted_at is not None
    done = uow.run(hall_plans.decide, actor=c["office"], plan_id=sent.id, approve=True,
                   version=sent.version)
    assert done.status == "approved"
    with uow.read() as r:
        log = r.session.exec(select(HallPlanStatusChange.to_status).where(
            HallPlanStatusChange.hall_plan_id == done.id).order_by(HallPlanStatusChange.id)).all()
        audited = r.session.exec(select(AuditEvent.action).where(
            AuditEvent.entity == "hall_plan").order_by(AuditEvent.id)).all()
    assert log == ["required", "draft", "submitted", "approved"]
    assert audited[:1] == ["hall_plan.require"] and audited[-1] == "hall_plan.approve"
    states = {r.unit: r.state for r in uow.query(hall_plans.overview, actor=c["office"])}
    assert states == {"市供电公司": "in", "市政务服务中心": "missing"}


def test_a_returned_plan_comes_back_with_comments_and_is_submitted_again(uow, campaign):
    c = campaign
    sent = _save(uow, c, submit=True)
    with pytest.raises(ValidationFailed) as refused:  # returning says why
        uow.run(hall_plans.decide, actor=c["office"], plan_id=sent.id, approve=False)
    assert refused.value.message_key == "error.required"
    back = uow.run(hall_plans.decide, actor=c["office"], plan_id=sent.id, approve=False,
                   comment="请补充 AB 岗安排")
    mine = uow.query(hall_plans.mine, actor=c["lead_liaison"])
    assert (mine.status, mine.office_comment, mine.state) == ("returned", "请补充 AB 岗安排",
                                                              "pending")
    again = _save(uow, c, staffing="首席代表 1 名、窗口人员 2 名、AB 岗 2 名", submit=True,
                  version=back.version)
    assert again.status == "submitted"


def test_what_may_not_happen_is_refused_and_nothing_half_saved(uow, campaign):
    c = campaign
    with pytest.raises(ValidationFailed) as refused:  # submitting needs every part
        _save(uow, c, approval_items=[], submit=True)
    assert refused.value.params["field"] == "hall_items"
    assert count_rows(uow, HallPlan) == 0
    sent = _save(uow, c, submit=True)
    with pytest.raises(ValidationFailed) as refused:  # waiting for the office
        _save(uow, c, rules="改了", version=sent.version)
    assert refused.value.message_key == "campaign.hall_submitted"
    done = uow.run(hall_plans.decide, actor=c["office"], plan_id=sent.id, approve=True)
    with pytest.raises(InvalidTransition):  # an approved plan is decided once
        uow.run(hall_plans.decide, actor=c["office"], plan_id=done.id, approve=False,
                comment="再看看")
    with pytest.raises(Conflict):
        uow.run(hall_plans.decide, actor=c["office"], plan_id=done.id, approve=True,
                version=sent.version)


def test_who_may_do_and_read_what(uow, campaign):
    c = campaign
    for who in ("office", "leader"):
        with pytest.raises(PermissionDenied):
            _save(uow, c, who=who)
    sent = _save(uow, c, submit=True)
    for who in ("lead_liaison", "leader", "co_liaison"):
        with pytest.raises(PermissionDenied):
            uow.run(hall_plans.decide, actor=c[who], plan_id=sent.id, approve=True)
        with pytest.raises(PermissionDenied):
            uow.run(hall_plans.require_units, actor=c[who], unit_ids=[c["co"].id])
    assert uow.query(hall_plans.overview, actor=c["co_liaison"]) == []
    assert [r.unit for r in uow.query(hall_plans.overview, actor=c["leader"])] == ["市供电公司"]
    with pytest.raises(PermissionDenied):
        uow.query(hall_plans.overview, actor=c["inspector"])


def test_a_plans_log_is_read_by_its_readers_only(uow, campaign):
    from services.core.errors import NotFound

    c = campaign
    sent = _save(uow, c, submit=True)
    uow.run(hall_plans.decide, actor=c["office"], plan_id=sent.id, approve=False,
            comment="请补充 AB 岗安排")
    log = uow.query(hall_plans.history, actor=c["lead_liaison"], plan_id=sent.id)
    assert [(s.from_status, s.to_status) for s in log] == [
        (None, "draft"), ("draft", "submitted"), ("submitted", "returned")]
    assert log[-1].note == "请补充 AB 岗安排" and log[-1].actor == "Office"
    with pytest.raises(NotFound):
        uow.query(hall_plans.history, actor=c["co_liaison"], plan_id=sent.id)
