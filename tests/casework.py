"""Many findings at once, for tests of long lists: one submitted visit with `n` findings,
made through the services in the caller's open unit of work (the caller commits)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import select

from db.models import User
from demo import checklist as demo_checklist
from services.core import clock
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.fieldwork import checklists, visit_view
from services.fieldwork import visits as inspections
from services.findings import rectification, review
from services.org import structure


def template_and_unit(uow: UnitOfWork, *, office: User, unit: str) -> tuple[int, int]:
    """The demo checklist saved by the office, and the id of the demo unit named `unit`:
    what submitted_visit needs, on a database with the org demo loaded."""
    template = uow.run(checklists.save_template, actor=office, name=demo_checklist.NAME,
                       description="", items=demo_checklist.ITEMS)
    unit_id = next(u.id for u in uow.query(structure.list_units, actor=system_actor())
                   if u.name == unit)
    return template.id, unit_id


def submitted_visit(
    tx: UnitOfWork, *, inspector: User, unit_id: int, template_id: int, n: int,
    label: str = "问题",
) -> list[int]:
    """The ids of `n` open findings "<label> 001" ... of one submitted visit."""
    insp = inspections.start_visit(tx, actor=inspector, client_key=uuid.uuid4().hex,
                                   unit_id=unit_id, kind="open", template_id=template_id)
    view = visit_view.get_visit(tx, actor=inspector, inspection_id=insp.id)
    answers = {i.id: {"yes_no": "yes", "number": "2", "text": "无"}[i.answer_type]
               for i in view.template.items}
    inspections.save_answers(tx, actor=inspector, inspection_id=insp.id, answers=answers)
    ids = [
        inspections.save_finding(
            tx, actor=inspector, inspection_id=insp.id, client_key=uuid.uuid4().hex,
            category="discipline", severity="general", description=f"{label} {k:03d}",
        ).id
        for k in range(1, n + 1)
    ]
    inspections.submit_visit(tx, actor=inspector, inspection_id=insp.id)
    return ids


def confirm(tx: UnitOfWork, *, office: User, finding_ids: list[int], spread: int = 4) -> None:
    """Confirmed with deadlines a few days apart, several on each day: the list's order
    has ties on the deadline."""
    today = clock.today()
    for k, finding_id in enumerate(finding_ids):
        review.confirm_finding(tx, actor=office, finding_id=finding_id,
                               deadline=today + timedelta(days=10 + k % spread))


def report(tx: UnitOfWork, *, liaison: User, finding_ids: list[int]) -> None:
    for finding_id in finding_ids:
        rectification.submit_rectification(
            tx, actor=liaison, finding_id=finding_id, client_key=uuid.uuid4().hex,
            text="已整改完毕",
        )


def verify(tx: UnitOfWork, *, office: User, finding_ids: list[int]) -> None:
    for finding_id in finding_ids:
        rectification.verify(tx, actor=office, finding_id=finding_id, accept=True)


def confirmed_and_waiting(uow: UnitOfWork, *, unit: str, confirmed: int, waiting: int) -> None:
    """On a database with the org demo loaded: one submitted visit of inspector1 to the unit
    named `unit`, its first `confirmed` findings confirmed by the office (being rectified),
    `waiting` more not reviewed yet. Committed."""
    with uow.read() as r:
        named = {u.username: u for u in r.session.exec(
            select(User).where(User.username.in_(("office", "inspector1"))))}
    office, inspector = named["office"], named["inspector1"]
    template_id, unit_id = template_and_unit(uow, office=office, unit=unit)
    with UnitOfWork(uow.engine) as tx:
        ids = submitted_visit(tx, inspector=inspector, unit_id=unit_id,
                              template_id=template_id, n=confirmed + waiting, label=unit)
        confirm(tx, office=office, finding_ids=ids[:confirmed])
        tx.commit()
