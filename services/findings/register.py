"""The findings register (issue 10): every finding the reader may see, from visits and from
complaints, filtered, counted, sorted and paged in SQL through the visibility filter
(services/core/visibility.finding_filter), as small rows a list shows, with a thumbnail.

The filters travel in the page's URL: RegisterFilters.to_query / from_query turn them into
plain strings and back, ignoring whatever a hand-edited link gets wrong."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from sqlalchemy import case, exists, func
from sqlalchemy.orm import aliased
from sqlmodel import select

from db.models import (
    District,
    Finding,
    FindingStatusChange,
    Inspection,
    InspectionKind,
    Photo,
    Severity,
    Unit,
    User,
)
from services.complaints.queries import LIST_COUNT_CAP
from services.core import clock
from services.core.errors import PermissionDenied, ValidationFailed
from services.core.permissions import can
from services.core.uow import UnitOfWork
from services.core.visibility import district_subtree, finding_filter
from services.fieldwork.visits import CATEGORIES
from services.findings import status as finding_status
from services.findings.queries import overdue_clause
from services.photos.attachments import photo_ref
from services.photos.evidence import PhotoRef

MAX_PAGE = 200
# The register counts up to this many matches, then says "more" (see LIST_COUNT_CAP).
COUNT_CAP = LIST_COUNT_CAP
# The kind of visit of a finding the office opened from a complaint, without a visit.
FROM_COMPLAINT = "complaint"
VISIT_KINDS = (*(k.value for k in InspectionKind), FROM_COMPLAINT)
SEVERITIES = tuple(s.value for s in Severity)
STATUSES = tuple(s.value for s in finding_status.STATUSES)
# Largest id a link may name: a crafted number is ignored rather than overflowing a column.
_MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class RegisterFilters:
    """What the register shows; every field optional. Found dates are the city's days,
    inclusive; a district includes its towns and communities; the booleans filter both
    ways (True: only those, False: only the others, None: all)."""

    found_from: date | None = None
    found_to: date | None = None
    district_id: int | None = None
    unit_id: int | None = None
    industry_id: int | None = None
    visit_kind: str | None = None  # an inspection kind, or FROM_COMPLAINT
    category: str | None = None
    severity: str | None = None
    status: str | None = None
    overdue: bool | None = None  # waiting for the unit past its deadline
    reopened: bool | None = None  # reopened at least once (its status log says so)
    has_photos: bool | None = None
    circulated: bool | None = None  # named in an issued notice (通报)

    def to_query(self) -> dict[str, str]:
        """The filters set, as URL query parameters (plain strings)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[_PARAMS[f.name][0]] = _format(value)
        return out

    @classmethod
    def from_query(cls, params: Mapping[str, object]) -> RegisterFilters:
        """Filters from URL query parameters. A value that is malformed, out of range or
        unknown is left out, as if the link had not named it; nothing here raises."""
        values = {}
        get = params.get if isinstance(params, Mapping) else lambda _key: None
        for name, (key, parse) in _PARAMS.items():
            raw = get(key)
            if isinstance(raw, list | tuple):  # a repeated parameter: the last one counts
                raw = raw[-1] if raw else None
            if not isinstance(raw, str):
                continue
            try:
                value = parse(raw.strip())
            except (ValueError, OverflowError):
                continue
            if value is not None:
                values[name] = value
        return cls(**values)


def _format(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _day(raw: str) -> date | None:
    return date.fromisoformat(raw) if len(raw) == 10 else None  # YYYY-MM-DD only


def _id(raw: str) -> int | None:
    number = int(raw) if raw.isascii() and raw.isdigit() else 0
    return number if 0 < number <= _MAX_ID else None


def _flag(raw: str) -> bool | None:
    return {"1": True, "0": False}.get(raw)


def _one_of(choices: tuple[str, ...]):
    return lambda raw: raw if raw in choices else None


# Field -> (query parameter, parser of its string).
_PARAMS = {
    "found_from": ("from", _day),
    "found_to": ("to", _day),
    "district_id": ("district", _id),
    "unit_id": ("unit", _id),
    "industry_id": ("industry", _id),
    "visit_kind": ("kind", _one_of(VISIT_KINDS)),
    "category": ("category", _one_of(CATEGORIES)),
    "severity": ("severity", _one_of(SEVERITIES)),
    "status": ("status", _one_of(STATUSES)),
    "overdue": ("overdue", _flag),
    "reopened": ("reopened", _flag),
    "has_photos": ("photos", _flag),
    "circulated": ("circulated", _flag),
}
# The URL parameters the filters use, for a page that clears those no longer set.
QUERY_PARAMS = tuple(key for key, _ in _PARAMS.values())


@dataclass(frozen=True)
class RegisterRow:
    id: int
    unit_id: int
    unit: str
    district: str | None  # the unit's place (district, town or community); None: city level
    visit_kind: str  # an inspection kind, or FROM_COMPLAINT
    inspection_id: int | None
    complaint_id: int | None
    category: str
    severity: str
    description: str
    status: str
    found_at: datetime  # the visit's time, or when the office opened it from a complaint
    deadline: date | None
    overdue: bool
    reopened: bool
    photo_count: int
    thumbnail: PhotoRef | None  # the first photo (no GPS: see photo_ref)
    circulated: bool = False  # named in an issued notice


def require_reader(actor: User) -> None:
    """Who may open the register at all; which findings they see is finding_filter's."""
    if not any(can(actor, c) for c in
               ("finding.view_all", "finding.view_confirmed", "rectification.submit")):
        raise PermissionDenied(capability="finding.view_all")


# When the finding was found: the visit, or (no visit) when it was opened.
_found = func.coalesce(Inspection.visited_at, Finding.created_at)
_REOPENED = (
    exists()
    .where(FindingStatusChange.finding_id == Finding.id,
           FindingStatusChange.to_status == finding_status.REOPENED)
)
_HAS_PHOTOS = exists().where(Photo.finding_id == Finding.id)


def _rank(column, order: tuple[str, ...]):
    """A column's values in a stated order, for sorting (not the alphabet of their keys)."""
    return case({value: k for k, value in enumerate(order)}, value=column, else_=len(order))


# Sort keys a list may ask for -> the column; the id follows, always.
SORTS = {
    "found": _found,
    "deadline": Finding.deadline,
    "unit": Unit.name,
    "severity": _rank(Finding.severity, SEVERITIES),
    "status": _rank(Finding.status, STATUSES),
}
# The URL parameter of the sort: "deadline" (descending) or "deadline.asc".
SORT_PARAM = "sort"


def parse_sort(raw: object) -> tuple[str, bool] | None:
    """(sort key, descending) from the sort's URL value; None for anything else."""
    if not isinstance(raw, str):
        return None
    key, _, order = raw.strip().partition(".")
    if key not in SORTS or order not in ("", "asc"):
        return None
    return key, order != "asc"


def format_sort(sort: str, descending: bool) -> str:
    return sort + ("" if descending else ".asc")


def _conditions(actor: User, filters: RegisterFilters, today: date) -> list:
    f = filters
    # The register holds problems found, not an inspector's drafts still on the tablet.
    where = [finding_filter(actor), Finding.status != finding_status.DRAFT]
    if f.found_from:
        where.append(_found >= clock.start_of_day(f.found_from))
    if f.found_to:
        where.append(_found < clock.start_of_day(f.found_to + timedelta(days=1)))
    if f.district_id:
        where.append(Finding.unit_id.in_(
            select(Unit.id).where(Unit.district_id.in_(district_subtree(f.district_id)))))
    if f.unit_id:
        where.append(Finding.unit_id == f.unit_id)
    if f.industry_id:
        where.append(Finding.unit_id.in_(
            select(Unit.id).where(Unit.industry_id == f.industry_id)))
    if f.visit_kind == FROM_COMPLAINT:
        where.append(Finding.inspection_id.is_(None))
    elif f.visit_kind:
        where.append(Inspection.kind == f.visit_kind)
    for column, value in ((Finding.category, f.category), (Finding.severity, f.severity),
                          (Finding.status, f.status)):
        if value:
            where.append(column == value)
    for clause, wanted in ((overdue_clause(today), f.overdue), (_REOPENED, f.reopened),
                           (_HAS_PHOTOS, f.has_photos),
                           (Finding.circulated_at.is_not(None), f.circulated)):
        if wanted is not None:
            where.append(clause if wanted else ~clause)
    return where


def count_register(uow: UnitOfWork, *, actor: User,
                   filters: RegisterFilters = RegisterFilters(), today: date | None = None,
                   cap: int | None = COUNT_CAP) -> int:
    """How many findings the register shows for these filters. Counting stops past `cap`:
    the result is then cap + 1, meaning "more than cap"; None counts them all."""
    require_reader(actor)
    matches = (
        select(Finding.id)
        .join(Inspection, Finding.inspection_id == Inspection.id, isouter=True)
        .where(*_conditions(actor, filters, today or clock.today()))
    )
    if cap is not None:
        matches = matches.limit(cap + 1)
    return uow.session.exec(select(func.count()).select_from(matches.subquery())).one()


def list_register(
    uow: UnitOfWork, *, actor: User, filters: RegisterFilters = RegisterFilters(),
    sort: str = "found", descending: bool = True, offset: int = 0, limit: int = 50,
    today: date | None = None,
) -> list[RegisterRow]:
    """One page of the register, newest found first by default. Every order ends with the
    id (in the same direction), a total order: pages of `limit` from `offset` neither
    repeat nor skip a finding while nothing changes. count_register counts the same rows."""
    require_reader(actor)
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise ValidationFailed("finding.page_invalid")
    today = today or clock.today()
    # The page's ids first, sorted on the narrow row; its columns then for those 50 only
    # (at city scale, sorting every match with all its columns cost most of the time).
    ids = uow.session.exec(
        _ordered(actor, filters, sort, descending, today, Finding.id)
        .offset(offset).limit(limit)).all()
    found = {r[0]: r for r in uow.session.exec(_columns().where(Finding.id.in_(ids))).all()}
    return _rows(uow, [found[i] for i in ids if i in found], today)


def iter_register(
    uow: UnitOfWork, *, actor: User, filters: RegisterFilters = RegisterFilters(),
    sort: str = "found", descending: bool = True, batch: int = 500, limit: int | None = None,
    today: date | None = None,
) -> Iterator[list[RegisterRow]]:
    """Every row list_register would show for these filters in this order (at most
    `limit`), in batches: one query read as it goes (one snapshot, rather than pages that a
    change between them could shift), each batch's photos in one more query."""
    require_reader(actor)
    if batch < 1:
        raise ValidationFailed("finding.page_invalid")
    today = today or clock.today()
    query = _ordered(actor, filters, sort, descending, today, *_COLUMNS)
    if limit is not None:
        query = query.limit(limit)
    result = uow.session.exec(query.execution_options(yield_per=batch))
    for found in result.partitions():
        yield _rows(uow, found, today)


_place = aliased(District)
# A row's columns, as _rows reads them (whether it was reopened: _reopened, per batch).
_COLUMNS = (Finding.id, Finding.unit_id, Unit.name, _place.name, Inspection.kind,
            Finding.inspection_id, Finding.complaint_id, Finding.category, Finding.severity,
            Finding.description, Finding.status, _found, Finding.deadline,
            Finding.circulated_at.is_not(None))


def _columns():
    """SELECT of a row's columns over a finding, its visit, unit and place."""
    return (
        select(*_COLUMNS)
        .select_from(Finding)
        .join(Inspection, Finding.inspection_id == Inspection.id, isouter=True)
        .join(Unit, Finding.unit_id == Unit.id)
        .join(_place, Unit.district_id == _place.id, isouter=True)
    )


def _ordered(actor: User, filters: RegisterFilters, sort: str, descending: bool, today: date,
             *columns):
    """The register's `columns` for these filters, in the chosen order ending with the id."""
    if sort not in SORTS:
        raise ValidationFailed("finding.sort_unknown")
    keys = (SORTS[sort], Finding.id)
    order = [k.desc() for k in keys] if descending else list(keys)
    if sort == "deadline":  # a finding without one (not confirmed yet) comes last both ways
        order.insert(0, Finding.deadline.is_(None))
    query = select(*columns).select_from(Finding).join(
        Inspection, Finding.inspection_id == Inspection.id, isouter=True)
    if len(columns) > 1 or sort == "unit":
        query = query.join(Unit, Finding.unit_id == Unit.id)
    if len(columns) > 1:
        query = query.join(_place, Unit.district_id == _place.id, isouter=True)
    return query.where(*_conditions(actor, filters, today)).order_by(*order)


def _rows(uow: UnitOfWork, found, today: date) -> list[RegisterRow]:
    ids = [r[0] for r in found]
    photos, again = _first_photos(uow, ids), _reopened(uow, ids)
    return [
        RegisterRow(
            id=fid, unit_id=unit_id, unit=unit, district=district,
            visit_kind=kind or FROM_COMPLAINT, inspection_id=inspection_id,
            complaint_id=complaint_id, category=category, severity=severity,
            description=description, status=status, found_at=found_at, deadline=deadline,
            overdue=finding_status.is_overdue(status, deadline, today),
            reopened=fid in again, photo_count=photos.get(fid, (0, None))[0],
            thumbnail=photos.get(fid, (0, None))[1], circulated=bool(circulated),
        )
        for (fid, unit_id, unit, district, kind, inspection_id, complaint_id, category,
             severity, description, status, found_at, deadline, circulated) in found
    ]


def _reopened(uow: UnitOfWork, finding_ids: list[int]) -> set[int]:
    """Those of the findings reopened at least once (the status log says so)."""
    if not finding_ids:
        return set()
    return set(uow.session.exec(
        select(FindingStatusChange.finding_id).distinct()
        .where(FindingStatusChange.finding_id.in_(finding_ids),
               FindingStatusChange.to_status == finding_status.REOPENED)).all())


def _first_photos(uow: UnitOfWork, finding_ids: list[int]) -> dict[int, tuple[int, PhotoRef]]:
    """Finding id -> (how many photos, the first one), for a page in one query. The reader
    may see these findings, and so their photos (services/photos/evidence.photo_bytes)."""
    if not finding_ids:
        return {}
    per = (
        select(Photo.finding_id, func.count(Photo.id).label("n"),
               func.min(Photo.id).label("first"))
        .where(Photo.finding_id.in_(finding_ids))
        .group_by(Photo.finding_id)
        .subquery()
    )
    rows = uow.session.exec(select(Photo, per.c.n).join(per, Photo.id == per.c.first)).all()
    return {p.finding_id: (n, photo_ref(p)) for p, n in rows}
