"""A notice as its Word document (services/notices/document.py): the notice as the reader
may read it, its findings grouped by district and unit in reading order. What a notice says
about a finding is the finding's own text, unit, day and place; complainants are never named
(findings hold no complainant data, and nothing is read from complaints here)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import col, func, select

from db.models import Notice, Photo, Unit, User
from services.core import clock
from services.core.errors import NotFound
from services.core.uow import UnitOfWork
from services.dashboard.districts import top_places
from services.notices import queries, rules
from services.notices.document import FindingItem, NoticeText, render_docx
from services.photos.evidence import default_store
from services.photos.store import PhotoStore

UNNUMBERED = "〔  〕号"  # a draft's preview: the number comes when it is issued
CITY_LEVEL = "市直单位"
_LIST = re.compile(r"[，,、;；\n]+")


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _LIST.split(text or "") if part.strip())


# A notice prints at most this many photos: it is a document, not an album.
MAX_PHOTOS = 12


@dataclass(frozen=True)
class Rendered:
    """The notice's text, and the photos it could not print (a file gone from the store)."""

    text: NoticeText
    missing_photos: tuple[int, ...] = ()
    view: queries.NoticeView | None = None  # what the text was made from (the page's header)


def _photos(uow: UnitOfWork, view: queries.NoticeView,
            store: PhotoStore | None) -> tuple[tuple[tuple[bytes, str], ...], tuple[int, ...]]:
    """Each finding's first photo (the display copy: watermarked, no EXIF), captioned. The
    findings are those the reader was given with the notice (queries.get_notice), so a
    liaison sent the whole notice receives its photos of other units' findings too, as on
    paper; the register's rule (photo_bytes: its own unit only) is not the notice's."""
    ids = [f.id for f in view.findings]
    firsts = dict(uow.session.exec(
        select(Photo.finding_id, func.min(Photo.id)).where(col(Photo.finding_id).in_(ids))
        .group_by(Photo.finding_id)).all()) if ids else {}
    keys = dict(uow.session.exec(select(Photo.id, Photo.display_key).where(
        col(Photo.id).in_(list(firsts.values())))).all()) if firsts else {}
    store = store or default_store()
    printed, missing = [], []
    for finding in view.findings:
        photo_id = firsts.get(finding.id)
        if photo_id is None or len(printed) >= MAX_PHOTOS:
            continue
        try:
            data = store.open(keys[photo_id])
        except NotFound:
            missing.append(photo_id)
            continue
        printed.append((data, f"图{len(printed) + 1} {finding.unit}"))
    return tuple(printed), tuple(missing)


def render(uow: UnitOfWork, *, actor: User, notice_id: int,
           store: PhotoStore | None = None) -> Rendered:
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
    photos, missing = _photos(uow, view, store) if notice.with_photos else ((), ())
    issued = clock.local_date(notice.issued_at) if notice.issued_at else None
    return Rendered(NoticeText(
        issuer_mark=f"{notice.issuing_office}文件", number=view.number or UNNUMBERED,
        title=notice.title, recipients=tuple(view.recipients), opening=notice.opening,
        findings=tuple((d, tuple((u, tuple(items)) for u, items in by_unit.items()))
                       for d, by_unit in grouped.items()),
        requirements=_lines(notice.requirements), deadline=notice.rectification_deadline,
        attachments=_lines(notice.attachments), issuing_office=notice.issuing_office,
        issued_on=issued, cc=_split(notice.cc),
        printed_by=notice.printing_office or notice.issuing_office,
        printed_on=notice.printing_date or issued, photos=photos, kind=notice.kind,
        commended=tuple(view.reasons.items()), figures=_lines(notice.figures),
        extract_of=view.extract_of or ""), missing, view)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def export_docx(uow: UnitOfWork, *, actor: User, notice_id: int,
                store: PhotoStore | None = None) -> bytes:
    return render_docx(render(uow, actor=actor, notice_id=notice_id, store=store).text)


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
