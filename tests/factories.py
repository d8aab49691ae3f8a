"""Factories: the records a test starts from, made through the real services.

Plain keyword-only functions (in the style of full-stack-fastapi-template's tests/utils):
each write is one `uow.run(...)`, committed as a page's would be, so a test starts from what
the app itself stores, capability and scope checks included. The defaults are dull values; a
test names only what matters to it."""

from __future__ import annotations

import io
import uuid
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, NamedTuple

from db.models import District, Finding, Inspection, Rectification, Unit, User, VisitPlan
from db.timeutil import utcnow
from demo import checklist as demo_checklist
from services.complaints import register as complaint_register
from services.core import clock
from services.core.uow import UnitOfWork
from services.fieldwork import checklists, visit_view, visits
from services.fieldwork import plans as visit_plans
from services.findings import rectification, review
from services.identity import auth
from services.org import structure as org
from services.photos import evidence
from services.photos.store import PhotoStore

# What an inspector answers on an item that passes, by the item's answer type.
PASSING = {"yes_no": "yes", "number": "3", "text": "无"}


def _key(client_key: str | None) -> str:
    return client_key or uuid.uuid4().hex


# --- organisation and checklists ------------------------------------------------------------


def make_district(
    uow: UnitOfWork, *, actor: User, name: str, kind: str = "district",
    parent: District | None = None,
) -> District:
    return uow.run(org.create_district, actor=actor, name=name, kind=kind,
                   parent_id=parent.id if parent else None)


def make_unit(uow: UnitOfWork, *, actor: User, name: str, district: District | None = None) -> Unit:
    return uow.run(org.create_unit, actor=actor, name=name,
                   district_id=district.id if district else None)


def make_template(
    uow: UnitOfWork, *, actor: User, name: str = demo_checklist.NAME, description: str = "",
    items: Sequence[checklists.ItemSpec] = demo_checklist.ITEMS,
) -> checklists.TemplateView:
    """A saved checklist, returned as the services show it (with its items' ids)."""
    saved = uow.run(checklists.save_template, actor=actor, name=name, description=description,
                    items=list(items))
    return uow.query(checklists.get_template, actor=actor, template_id=saved.id)


def make_plan(
    uow: UnitOfWork, *, actor: User, unit: Unit | int, template, inspectors: Sequence[User],
    kind: str = "unannounced", days: int = 7, **kw: Any,
) -> VisitPlan:
    """A visit plan whose window opens today and lasts `days`; `kw` go to save_plan
    (plan_id and version to edit one, note)."""
    today = clock.today()
    return uow.run(
        visit_plans.save_plan, actor=actor, unit_id=getattr(unit, "id", unit), kind=kind,
        window_start=today, window_end=today + timedelta(days=days), template_id=template.id,
        inspector_ids=[i.id for i in inspectors], **kw,
    )


# --- an inspector's visit -------------------------------------------------------------------


class MadeVisit(NamedTuple):
    inspection: Inspection
    findings: tuple[Finding, ...]


def make_draft(
    uow: UnitOfWork, *, inspector: User, unit: Unit | int | None = None, template=None,
    plan: VisitPlan | None = None, kind: str = "open", client_key: str | None = None,
) -> Inspection:
    """A visit just started, nothing answered: at a unit with a template, or from a plan."""
    if plan is not None:
        return uow.run(visits.start_visit, actor=inspector, client_key=_key(client_key),
                       plan_id=plan.id)
    return uow.run(visits.start_visit, actor=inspector, client_key=_key(client_key),
                   unit_id=getattr(unit, "id", unit), kind=kind, template_id=template.id)


def answer_all(
    uow: UnitOfWork, *, inspector: User, visit: Inspection, failing: Sequence[str] = (),
) -> visit_view.VisitView:
    """Every item of the visit answered: those whose text is in `failing` fail ("no"),
    the others pass. Returns the visit as it was before the answers."""
    view = uow.query(visit_view.get_visit, actor=inspector, inspection_id=visit.id)
    answers = {
        item.id: "no" if item.text in failing else PASSING[item.answer_type]
        for item in view.template.items
    }
    uow.run(visits.save_answers, actor=inspector, inspection_id=visit.id, answers=answers)
    return view


def make_finding(
    uow: UnitOfWork, *, inspector: User, visit: Inspection, category: str = "other",
    severity: str = "general", description: str = "问题", photo: bytes | None = None,
    store: PhotoStore | None = None, client_key: str | None = None, **kw: Any,
) -> Finding:
    """A finding on a draft, with one photo if given; `kw` go to save_finding
    (responsible_person, item_id)."""
    finding = uow.run(visits.save_finding, actor=inspector, inspection_id=visit.id,
                      client_key=_key(client_key), category=category, severity=severity,
                      description=description, **kw)
    if photo is not None:
        uow.run(evidence.add_finding_photo, actor=inspector, finding_id=finding.id, data=photo,
                store=store)
    return finding


def make_visit(
    uow: UnitOfWork, *, inspector: User, unit: Unit | int, template, kind: str = "open",
    failing: Sequence[str] = (), answers: Mapping[int, str] | None = None,
    summary: str | None = None, findings: Sequence[Mapping[str, Any]] = (),
    photo: bytes | None = None, store: PhotoStore | None = None, submit: bool = False,
) -> MadeVisit:
    """A visit as an inspector records it: every item answered (see answer_all; or exactly
    `answers`, none if empty), a summary, one finding per entry of `findings` (arguments of
    make_finding, each with `photo`), then submitted if `submit`."""
    visit = make_draft(uow, inspector=inspector, unit=unit, template=template, kind=kind)
    if answers is None:
        answer_all(uow, inspector=inspector, visit=visit, failing=failing)
    elif answers:
        uow.run(visits.save_answers, actor=inspector, inspection_id=visit.id,
                answers=dict(answers))
    if summary is not None:
        uow.run(visits.save_details, actor=inspector, inspection_id=visit.id, summary=summary)
    made = tuple(
        make_finding(uow, inspector=inspector, visit=visit, photo=photo, store=store, **spec)
        for spec in findings
    )
    if submit:
        submit_visit(uow, inspector=inspector, visit=visit)
    return MadeVisit(visit, made)


def submit_visit(uow: UnitOfWork, *, inspector: User, visit: Inspection) -> Inspection:
    return uow.run(visits.submit_visit, actor=inspector, inspection_id=visit.id)


# --- review and rectification ---------------------------------------------------------------


def confirm(uow: UnitOfWork, *, actor: User, finding: Finding | int, **kw: Any) -> Finding:
    """The office confirms a submitted finding; `kw` go to confirm_finding (deadline...)."""
    return uow.run(review.confirm_finding, actor=actor, finding_id=getattr(finding, "id", finding),
                   **kw)


def report(
    uow: UnitOfWork, *, actor: User, finding: Finding | int, text: str = "已整改",
    photos: Sequence[bytes] = (), store: PhotoStore | None = None,
    client_key: str | None = None,
) -> Rectification:
    """The unit reports a confirmed finding as fixed."""
    return uow.run(rectification.submit_rectification, actor=actor,
                   finding_id=getattr(finding, "id", finding), client_key=_key(client_key),
                   text=text, photo_files=list(photos), store=store)


def sign_in(uow: UnitOfWork, *, username: str, password: str, client: str = "test",
            now=None) -> User:
    """Both of sign-in's transactions, as the sign-in page runs them."""
    attempt = uow.run(auth.begin_sign_in, username=username, client=client, now=now)
    return uow.run(auth.finish_sign_in, attempt=attempt, password=password)


# --- complaints -----------------------------------------------------------------------------


def complaint_categories(uow: UnitOfWork, actor: User) -> dict[str, int]:
    """The seeded categories by name (工作不到位, 服务态度差, ...)."""
    return {c.name: c.id for c in uow.query(complaint_register.list_categories, actor=actor)}


def make_complaint(
    uow: UnitOfWork, *, office: User, unit: Unit | None = None, category: str = "服务态度差",
    content: str = "窗口工作人员态度生硬，让我反复跑了三趟", received_at=None,
    name: str = "张三丰", phone: str = "13812341234", address: str = "雄关区新华路12号",
    **kw: Any,
):
    received_at = received_at or utcnow() - timedelta(hours=1)
    return uow.run(
        complaint_register.register_complaint, actor=office, client_key=_key(None),
        channel=kw.pop("channel", "phone"), received_at=received_at,
        category_id=complaint_categories(uow, office)[category], content=content,
        complainant_name=name, complainant_phone=phone, complainant_address=address,
        unit_id=unit.id if unit else None, **kw,
    )


def a_pdf(pages: int = 2) -> bytes:
    """A real PDF of blank A4 pages, as a scanner's would be read."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)  # A4 in points
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
