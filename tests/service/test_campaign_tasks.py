"""Battles and tasks as the office edits them: refused input says what is wrong and saves
nothing; a stale edit is refused; units deactivated while they have tasks are refused."""

from __future__ import annotations

from datetime import date

import pytest

from db.models import Milestone, Task, TaskUnit
from services.campaign import tasks
from services.campaign.tasks import MilestoneInput
from services.core.errors import Conflict, PermissionDenied, ValidationFailed
from services.org import structure
from tests.campaign_fixtures import MILESTONES
from tests.conftest import count_rows


def _task(uow, c, who="office", **kw):
    args = dict(battle_id=c["battle"].id, code="B4-T9", title="窗口服务提质",
                start_date=date(2026, 1, 1), due_date=date(2026, 12, 31),
                lead_unit_id=c["co"].id, milestones=MILESTONES)
    return uow.run(tasks.save_task, actor=c[who], **(args | kw))


@pytest.mark.parametrize(("change", "key"), [
    (dict(lead_unit_id=None), "campaign.lead_required"),
    (dict(due_date=date(2025, 12, 31)), "campaign.dates_order"),
    (dict(co_unit_ids=[0]), "campaign.lead_also_helper"),
    (dict(milestones=MILESTONES[:3]), "campaign.weights_sum"),
    (dict(milestones=[MilestoneInput("提前", date(2025, 6, 1), 100)]),
     "campaign.milestone_outside"),
    (dict(title="  "), "error.required"),
    (dict(code="B4-T2"), "campaign.code_taken"),
])
def test_a_bad_task_is_refused_and_nothing_is_saved(uow, campaign, change, key):
    if change.get("co_unit_ids") == [0]:
        change = dict(co_unit_ids=[campaign["co"].id])  # the lead named as co-unit too
    before = count_rows(uow, Task), count_rows(uow, Milestone), count_rows(uow, TaskUnit)
    with pytest.raises((ValidationFailed, Conflict)) as refused:
        _task(uow, campaign, **change)
    assert refused.value.message_key == key
    assert (count_rows(uow, Task), count_rows(uow, Milestone),
            count_rows(uow, TaskUnit)) == before


def test_only_the_office_and_admin_edit_tasks(uow, campaign):
    for who in ("leader", "lead_liaison", "inspector"):
        with pytest.raises(PermissionDenied):
            _task(uow, campaign, who=who)
    assert _task(uow, campaign, who="admin").code == "B4-T9"


def test_an_edit_replaces_units_and_milestones_and_a_stale_one_is_refused(uow, campaign):
    c = campaign
    task = _task(uow, c, co_unit_ids=[c["responsible"].id])
    edited = _task(uow, c, task_id=task.id, version=task.version, co_unit_ids=[],
                   responsible_unit_ids=[c["outsider"].id],
                   milestones=[MilestoneInput("一次完成", date(2026, 12, 31), 100)])
    assert edited.version == 2
    assert count_rows(uow, TaskUnit, TaskUnit.task_id == task.id) == 1
    assert count_rows(uow, Milestone, Milestone.task_id == task.id) == 1
    with pytest.raises(Conflict) as stale:
        _task(uow, c, task_id=task.id, version=task.version)
    assert stale.value.message_key == "error.stale_edit"


def test_an_inactive_unit_cannot_take_a_task(uow, campaign):
    c = campaign
    uow.run(structure.set_unit_active, actor=c["admin"], unit_id=c["outsider"].id, active=False)
    with pytest.raises(ValidationFailed) as refused:
        _task(uow, c, lead_unit_id=c["outsider"].id)
    assert refused.value.message_key == "campaign.unit_inactive"
    assert refused.value.params["unit"] == "市第一中学"


def test_a_unit_with_tasks_cannot_be_deactivated(uow, campaign):
    c = campaign
    for unit in ("lead", "co"):
        with pytest.raises(Conflict) as refused:
            uow.run(structure.set_unit_active, actor=c["admin"], unit_id=c[unit].id,
                    active=False)
        assert refused.value.message_key == "campaign.unit_has_tasks"
        assert refused.value.params["tasks"] == "B4-T2"
