"""A notice as its Word document (services/notices/document.py): the notice as the reader
may read it, its findings grouped by district and unit in reading order. What a notice says
about a finding is the finding's own text, unit, day and place; complainants are never named
(findings hold no complainant data, and nothing is read from complaints here)."""

from __future__ import annotations

import re
from collections import defaultdict

from sqlmodel import col, select

from db.models import Notice, Unit, User
from services.core import clock
from services.core.errors import NotFound
from services.core.uow import UnitOfWork
from services.dashboard.districts import top_places
from services.notices import queries, rules
from services.notices.document import FindingItem, NoticeText, render_docx

UNNUMBERED = "〔  〕号"  # a draft's preview: the number comes when it is issued
CITY_LEVEL = "市直单位"
_LIST = re.compile(r"[，,、;；\n]+")


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _LIST.split(text or "") if part.strip())


def document_text(uow: UnitOfWork, *, actor: User, notice_id: int) -> NoticeText:
    view = queries.get_notice(uow, actor=actor, notice_id=notice_id)
    notice = view.notice
    tops, places = top_places(uow)
    names = {p.id: p.name for p in places}
    units = dict(uow.session.exec(select(Unit.name, Unit.district_id).where(
        col(Unit.name).in_({f.unit for f in view.findings}))).all()) if view.findings else {}
    grouped: dict[str, dict[str, list[FindingItem]]] = defaultdict(lambda: defaultdict(list))
    for f in view.findings:
        place = units.get(f.unit)
        district = names.get(tops.get(place), CITY_LEVEL) if place else CITY_LEVEL
        grouped[district][f.unit].append(
            FindingItem(f.unit, f.description, clock.local_date(f.found_at)))
    issued = clock.local_date(notice.issued_at) if notice.issued_at else None
    return NoticeText(
        issuer_mark=f"{notice.issuing_office}文件", number=view.number or UNNUMBERED,
        title=notice.title, recipients=tuple(view.recipients), opening=notice.opening,
        findings=tuple((d, tuple((u, tuple(items)) for u, items in by_unit.items()))
                       for d, by_unit in grouped.items()),
        requirements=tuple(line.strip() for line in notice.requirements.splitlines()
                           if line.strip()),
        deadline=notice.rectification_deadline, issuing_office=notice.issuing_office,
        issued_on=issued, cc=_split(notice.cc),
        printed_by=notice.printing_office or notice.issuing_office,
        printed_on=notice.printing_date or issued)


def export_docx(uow: UnitOfWork, *, actor: User, notice_id: int) -> bytes:
    return render_docx(document_text(uow, actor=actor, notice_id=notice_id))


def find_issued(uow: UnitOfWork, *, actor: User, number: str | None = None) -> int:
    """The id of the issued notice with that number (嘉效办〔2026〕12号), or of the most
    recently issued one; NotFound if there is none the actor may read."""
    rows = uow.session.exec(
        select(Notice).where(Notice.status == rules.ISSUED, queries.visible(actor))
        .order_by(col(Notice.issued_at).desc(), col(Notice.id).desc())).all()
    for notice in rows:
        if number is None or rules.number_text(notice) == number.strip():
            return notice.id
    raise NotFound()
