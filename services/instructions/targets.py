"""What an instruction is about. A leader may instruct only on what it may read (the same
visibility rules as the lists: confirmed findings, complaints, tasks); the unit concerned
is derived here, never typed. A complaint is described by its number, category, unit and
the day it came in: nothing of the complainant (name, phone, address) or of the text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from db.models import Complaint, ComplaintCategory, Finding, InstructionTarget, Task, Unit, User
from services.campaign.access import readable_task
from services.complaints.visibility import complaint_visible
from services.core import clock
from services.core.errors import NotFound, ValidationFailed
from services.core.uow import UnitOfWork
from services.core.visibility import finding_visible

COMPLAINT, FINDING, TASK = (InstructionTarget.COMPLAINT, InstructionTarget.FINDING,
                            InstructionTarget.TASK)
KINDS = tuple(k.value for k in InstructionTarget)


@dataclass(frozen=True)
class Target:
    """A record an instruction is about, as every reader may see it.

    complaint: category is the category's name, day the day it was received;
    finding: category is the finding's category code, severity its code, day its deadline;
    task: code and title, day its due date. unit: the unit concerned (a task's lead)."""

    kind: str
    id: int
    unit: str | None = None
    category: str = ""
    severity: str = ""
    code: str = ""
    title: str = ""
    day: date | None = None


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationFailed("instruction.bad_kind")
    return kind


def concerned_unit(uow: UnitOfWork, actor: User, kind: str, target_id: int) -> int | None:
    """The unit an instruction on this record concerns; NotFound when the record does not
    exist or is not the actor's to read (an unconfirmed finding, for a leader)."""
    s = uow.session
    if check_kind(kind) == COMPLAINT:
        complaint = s.get(Complaint, target_id)
        if complaint is None or not complaint_visible(s, actor, target_id):
            raise NotFound()
        return complaint.unit_id
    if kind == FINDING:
        finding = s.get(Finding, target_id)
        if finding is None or not finding_visible(s, actor, target_id):
            raise NotFound()
        return finding.unit_id
    return readable_task(uow, actor, target_id).lead_unit_id


# Per kind: the table, what is read of a record (never a complainant's identity, nor a
# complaint's or finding's text), and the Target made of it.
_READS = {
    COMPLAINT: (
        Complaint,
        select(Complaint.id, ComplaintCategory.name, Unit.name, Complaint.received_at)
        .join(ComplaintCategory, Complaint.category_id == ComplaintCategory.id)
        .join(Unit, Complaint.unit_id == Unit.id, isouter=True),
        lambda i, category, unit, received: Target(
            COMPLAINT, i, unit, category=category, day=clock.local_date(received))),
    FINDING: (
        Finding,
        select(Finding.id, Finding.category, Finding.severity, Unit.name, Finding.deadline)
        .join(Unit, Finding.unit_id == Unit.id),
        lambda i, category, severity, unit, deadline: Target(
            FINDING, i, unit, category=category, severity=severity, day=deadline)),
    TASK: (
        Task,
        select(Task.id, Task.code, Task.title, Unit.name, Task.due_date)
        .join(Unit, Task.lead_unit_id == Unit.id),
        lambda i, code, title, unit, due: Target(TASK, i, unit, code=code, title=title,
                                                 day=due)),
}


def describe(uow: UnitOfWork, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Target]:
    """The targets of (kind, id) pairs, a query per kind. Only for instructions the reader
    may already see: what is shown is no more than the instruction's own context."""
    ids: dict[str, set[int]] = defaultdict(set)
    for kind, target_id in keys:
        ids[kind].add(target_id)
    found = {}
    for kind, wanted in ids.items():
        model, query, make = _READS[kind]
        for row in uow.session.exec(query.where(model.id.in_(wanted))).all():
            target = make(*row)
            found[kind, target.id] = target
    return found
