"""The office's workbench: a count of each thing that waits for it, each opening its list.
Composed of the domains' own counts; nothing is counted here twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.models import User
from services.campaign import hall_plans, reporting
from services.campaign.calendar import Timeliness
from services.complaints import counts as complaint_counts
from services.core import clock
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.findings import queries as finding_queries
from services.findings import review
from services.findings import status as finding_status
from services.instructions import queries as instructions
from services.notices import queries as notice_queries
from services.notices import rules as notice_rules


@dataclass(frozen=True)
class Workbench:
    inspections_to_review: int
    complaints_new: int
    complaints_due_soon: int
    complaints_overdue: int
    extensions_to_decide: int
    rectifications_to_verify: int
    rectifications_overdue: int
    reports_missing: int
    hall_plans_to_decide: int
    instructions_open: int
    notices_awaiting_sign_off: int  # with a leader: the office follows them up
    notices_to_issue: int  # signed off: the office numbers and sends them


def workbench(uow: UnitOfWork, *, actor: User, today: date | None = None) -> Workbench:
    require(actor, "workbench.view")
    today = today or clock.today()
    complaints = complaint_counts.office_counts(uow, actor=actor, today=today)
    to_verify, _ = finding_queries.count_cases(
        uow, actor=actor, statuses=(finding_status.REPORTED,))
    _, overdue = finding_queries.count_cases(
        uow, actor=actor, statuses=tuple(sorted(finding_status.AWAITING_UNIT)))
    owed = reporting.owed_reports(uow, actor=actor, today=today)
    plans = hall_plans.overview(uow, actor=actor)
    notices = notice_queries.count_by_status(uow, actor=actor)
    return Workbench(
        inspections_to_review=len(review.list_pending(uow, actor=actor)),
        complaints_new=complaints.new, complaints_due_soon=complaints.due_soon,
        complaints_overdue=complaints.overdue, extensions_to_decide=complaints.extensions,
        rectifications_to_verify=to_verify, rectifications_overdue=overdue,
        reports_missing=sum(r.timeliness == Timeliness.MISSING for r in owed),
        hall_plans_to_decide=sum(p.status == hall_plans.SUBMITTED for p in plans),
        instructions_open=instructions.count_open(uow, actor=actor),
        notices_awaiting_sign_off=notices.get(notice_rules.AWAITING, 0),
        notices_to_issue=notices.get(notice_rules.SIGNED, 0),
    )
