"""The office's workbench counts what waits for it, on SQLite and PostgreSQL; nobody else
has one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db.timeutil import utcnow
from services.complaints import duplicates, workflow
from services.core.errors import PermissionDenied
from services.dashboard import workbench
from tests.factories import make_complaint


def test_it_counts_complaints_new_overdue_and_leaves_copies_out(uow, campaign):
    c = campaign
    office = c["office"]
    fresh = make_complaint(uow, office=office, unit=c["lead"])
    copy = make_complaint(uow, office=office, unit=c["lead"], phone="13900001111")
    uow.run(duplicates.link, actor=office, complaint_id=copy.id, version=None,
            original_id=fresh.id)
    late = make_complaint(uow, office=office, unit=c["lead"], phone="13900002222",
                          received_at=utcnow() - timedelta(days=40))
    uow.run(workflow.assign, actor=office, complaint_id=late.id, version=None,
            unit_id=c["lead"].id)
    counts = uow.query(workbench.workbench, actor=office)
    assert (counts.complaints_new, counts.complaints_overdue) == (1, 1)
    assert counts.hall_plans_to_decide == counts.inspections_to_review == 0


@pytest.mark.parametrize("who", ["leader", "admin", "lead_liaison", "inspector"])
def test_only_the_office_has_a_workbench(uow, campaign, who):
    with pytest.raises(PermissionDenied):
        uow.query(workbench.workbench, actor=campaign[who])
