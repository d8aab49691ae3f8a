"""The read side of complaints: filtered, sorted and paged in SQL through the visibility
filter, as small typed rows with the complainant masked for the reader."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import select

from db.models import (
    Complaint,
    ComplaintCategory,
    ComplaintExtension,
    ComplaintFollowUp,
    ComplaintReply,
    ComplaintStatusChange,
    District,
    Unit,
    User,
)
from db.timeutil import utcnow
from services.complaints import lifecycle, masking
from services.complaints.masking import Identity
from services.complaints.visibility import complaint_filter
from services.core import clock
from services.core.errors import NotFound, PermissionDenied, ValidationFailed
from services.core.lifecycle import StatusChangeRow
from services.core.permissions import can
from services.core.uow import UnitOfWork
from services.core.visibility import district_subtree

MAX_PAGE = 500
# Rows an export reads per statement: large enough that round trips do not dominate, small
# enough that one batch of ORM objects stays a few megabytes.
EXPORT_BATCH = 2_000


@dataclass(frozen=True)
class Filters:
    """What a list shows; every field optional. Dates are the city's days, inclusive."""

    received_from: date | None = None
    received_to: date | None = None
    channel: str | None = None
    district_id: int | None = None  # with its towns and communities
    unit_id: int | None = None
    industry_id: int | None = None
    category_id: int | None = None
    status: str | None = None
    overdue: bool | None = None
    escalated: bool | None = None
    satisfaction: str | None = None
    # Linked duplicates are left out of lists and counts unless asked for.
    include_duplicates: bool = False


# Sort keys a list may ask for -> the column; anything else is refused.
SORTS = {
    "received": Complaint.received_at,
    "deadline": Complaint.deadline,
    "status": Complaint.status,
    "id": Complaint.id,
}


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    received_at: datetime
    channel: str
    unit_id: int | None
    unit: str | None
    district: str | None
    category: str
    content: str
    status: str
    deadline: date
    overdue: bool
    sign_late: bool
    escalated: bool
    escalation_level: str
    satisfaction: str | None
    duplicate_of_id: int | None
    source: str
    external_id: str | None
    identity: Identity
    version: int


def require_reader(actor: User) -> None:
    if not (can(actor, "complaint.view") or can(actor, "complaint.handle")):
        raise PermissionDenied(capability="complaint.view")


def _conditions(actor: User, filters: Filters, today: date) -> list:
    conditions = [complaint_filter(actor)]
    f = filters
    if f.received_from:
        conditions.append(Complaint.received_at >= clock.start_of_day(f.received_from))
    if f.received_to:
        conditions.append(Complaint.received_at < clock.start_of_day(
            date.fromordinal(f.received_to.toordinal() + 1)))
    if f.channel:
        conditions.append(Complaint.channel == f.channel)
    if f.district_id:
        conditions.append(Complaint.district_id.in_(district_subtree(f.district_id)))
    if f.unit_id:
        conditions.append(Complaint.unit_id == f.unit_id)
    if f.industry_id:
        conditions.append(Complaint.unit_id.in_(
            select(Unit.id).where(Unit.industry_id == f.industry_id)))
    if f.category_id:
        conditions.append(Complaint.category_id == f.category_id)
    if f.status:
        conditions.append(Complaint.status == f.status)
    if f.overdue is not None:
        late = and_(Complaint.status.in_(lifecycle.AWAITING_UNIT), Complaint.deadline < today)
        conditions.append(late if f.overdue else ~late)
    if f.escalated is not None:
        conditions.append(Complaint.escalated == f.escalated)
    if f.satisfaction:
        conditions.append(Complaint.satisfaction == f.satisfaction)
    if not f.include_duplicates:
        conditions.append(Complaint.duplicate_of_id.is_(None))
    return conditions


# Where the list stops counting: it then shows "10,000+". Counting every match of a
# million rows costs a scan of all of them (about a second on SQLite), while a clerk who
# has ten thousand matches narrows the filters rather than pages; exact totals by
# district, month or status are the dashboard's.
LIST_COUNT_CAP = 10_000


def count_complaints(uow: UnitOfWork, *, actor: User, filters: Filters = Filters(),
                     today: date | None = None, cap: int | None = None) -> int:
    """How many complaints the list shows for these filters. With `cap`, counting stops
    past it: the result is then cap + 1, meaning "more than cap"."""
    require_reader(actor)
    today = today or clock.today()
    conditions = _conditions(actor, filters, today)
    if cap is None:
        query = select(func.count()).select_from(Complaint).where(*conditions)
    else:
        matches = select(Complaint.id).where(*conditions).limit(cap + 1).subquery()
        query = select(func.count()).select_from(matches)
    return uow.session.exec(query).one()


def waiting_for_unit(uow: UnitOfWork, *, actor: User,
                     today: date | None = None) -> tuple[int, int]:
    """(owed, overdue): the complaints the reader's unit owes an answer on, in one query
    (the liaison's start page shows both on every run)."""
    require_reader(actor)
    today = today or clock.today()
    late = case((Complaint.deadline < today, 1), else_=0)
    owed, overdue = uow.session.exec(
        select(func.count(), func.coalesce(func.sum(late), 0))
        .where(complaint_filter(actor), Complaint.status.in_(lifecycle.AWAITING_UNIT))
    ).one()
    return owed, overdue


def list_complaints(
    uow: UnitOfWork, *, actor: User, filters: Filters = Filters(), sort: str = "received",
    descending: bool = True, offset: int = 0, limit: int = 50, today: date | None = None,
    now: datetime | None = None,
) -> list[ComplaintRow]:
    require_reader(actor)
    if sort not in SORTS:
        raise ValidationFailed("complaint.sort_unknown")
    if not 1 <= limit <= MAX_PAGE or offset < 0:
        raise ValidationFailed("complaint.page_invalid")
    today, now = today or clock.today(), now or utcnow()
    place = aliased(District)
    column = SORTS[sort]
    order = (column.desc(), Complaint.id.desc()) if descending else (column, Complaint.id)
    query = (
        select(Complaint, Unit.name, place.name, ComplaintCategory.name)
        .join(Unit, Complaint.unit_id == Unit.id, isouter=True)
        .join(place, Complaint.district_id == place.id, isouter=True)
        .join(ComplaintCategory, Complaint.category_id == ComplaintCategory.id)
        .where(*_conditions(actor, filters, today))
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    return [_row(actor, c, unit, district, category, today, now)
            for c, unit, district, category in uow.session.exec(query)]


def iter_complaints(
    uow: UnitOfWork, *, actor: User, filters: Filters = Filters(), batch: int = EXPORT_BATCH,
    today: date | None = None, now: datetime | None = None,
) -> Iterator[list[ComplaintRow]]:
    """Every row the list would show for these filters, newest first (the list's default
    order), in batches. Keyset paging on (received_at, id) rather than OFFSET: each batch
    starts from an index position, so the last batch of a million rows costs what the
    first does, and memory holds one batch whatever the total."""
    require_reader(actor)
    if batch < 1:
        raise ValidationFailed("complaint.page_invalid")
    today, now = today or clock.today(), now or utcnow()
    place = aliased(District)
    # Plain columns rather than Complaint objects: no identity map to fill and empty again
    # for every row, which took half the time of an export. _row reads them by name.
    base = (
        select(*_ROW_COLUMNS, Unit.name.label("unit_name"), place.name.label("district_name"),
               ComplaintCategory.name.label("category_name"))
        .join(Unit, Complaint.unit_id == Unit.id, isouter=True)
        .join(place, Complaint.district_id == place.id, isouter=True)
        .join(ComplaintCategory, Complaint.category_id == ComplaintCategory.id)
        .where(*_conditions(actor, filters, today))
        .order_by(Complaint.received_at.desc(), Complaint.id.desc())
        .limit(batch)
    )
    after: tuple[datetime, int] | None = None
    while True:
        query = base
        if after is not None:
            received, last_id = after
            # Spelled as a range on received_at plus a tie-break, not as a row value, so
            # both SQLite and PostgreSQL walk the received_at index from that point.
            query = query.where(
                Complaint.received_at <= received,
                or_(Complaint.received_at < received, Complaint.id < last_id))
        found = uow.session.exec(query).all()
        if not found:
            return
        yield [_row(actor, r, r.unit_name, r.district_name, r.category_name, today, now)
               for r in found]
        after = (found[-1].received_at, found[-1].id)
        if len(found) < batch:
            return


# What _row and masking.identity_for read of a complaint.
_ROW_COLUMNS = (
    Complaint.id, Complaint.received_at, Complaint.channel, Complaint.unit_id,
    Complaint.content, Complaint.status, Complaint.deadline, Complaint.assigned_at,
    Complaint.escalated, Complaint.escalation_level, Complaint.satisfaction,
    Complaint.duplicate_of_id, Complaint.source, Complaint.external_id, Complaint.version,
    Complaint.anonymous, Complaint.complainant_name, Complaint.complainant_phone,
    Complaint.complainant_address,
)


def _row(actor: User, c: Complaint, unit: str | None, district: str | None, category: str,
         today: date, now: datetime) -> ComplaintRow:
    return ComplaintRow(
        id=c.id, received_at=c.received_at, channel=c.channel, unit_id=c.unit_id, unit=unit,
        district=district, category=category, content=c.content, status=c.status,
        deadline=c.deadline, overdue=lifecycle.is_overdue(c.status, c.deadline, today),
        sign_late=lifecycle.is_sign_late(c.status, c.assigned_at, now),
        escalated=c.escalated, escalation_level=c.escalation_level,
        satisfaction=c.satisfaction, duplicate_of_id=c.duplicate_of_id, source=c.source,
        external_id=c.external_id, identity=masking.identity_for(actor, c, district),
        version=c.version,
    )


@dataclass(frozen=True)
class ReplyRow:
    id: int
    unit: str
    by: str
    at: datetime
    action_taken: str
    result: str


@dataclass(frozen=True)
class FollowUpRow:
    by: str
    at: datetime
    satisfaction: str
    method: str
    note: str


@dataclass(frozen=True)
class ExtensionRow:
    id: int
    requested_by: str
    requested_at: datetime
    reason: str
    new_deadline: date
    decision: str | None
    decision_note: str


@dataclass(frozen=True)
class ComplaintDetail:
    row: ComplaintRow
    category_id: int
    district_id: int | None
    log: list[StatusChangeRow] = field(default_factory=list)
    replies: list[ReplyRow] = field(default_factory=list)
    follow_ups: list[FollowUpRow] = field(default_factory=list)
    extensions: list[ExtensionRow] = field(default_factory=list)


def get_complaint(uow: UnitOfWork, *, actor: User, complaint_id: int,
                  today: date | None = None, now: datetime | None = None) -> ComplaintDetail:
    require_reader(actor)
    if not 0 < complaint_id < 2**31:  # a crafted number in a link: not found, not a crash
        raise NotFound()
    s = uow.session
    place = aliased(District)
    found = s.exec(
        select(Complaint, Unit.name, place.name, ComplaintCategory.name)
        .join(Unit, Complaint.unit_id == Unit.id, isouter=True)
        .join(place, Complaint.district_id == place.id, isouter=True)
        .join(ComplaintCategory, Complaint.category_id == ComplaintCategory.id)
        .where(Complaint.id == complaint_id, complaint_filter(actor))
    ).first()
    if found is None:
        raise NotFound()
    c, unit, district, category = found
    row = _row(actor, c, unit, district, category, today or clock.today(), now or utcnow())
    names = _user_names(uow)
    log = [StatusChangeRow(ch.from_status, ch.to_status, names(ch.actor_id), ch.at, ch.note)
           for ch in s.exec(select(ComplaintStatusChange)
                            .where(ComplaintStatusChange.complaint_id == c.id)
                            .order_by(ComplaintStatusChange.id))]
    replies = [ReplyRow(r.id, unit_name, names(r.by), r.at, r.action_taken, r.result)
               for r, unit_name in s.exec(
                   select(ComplaintReply, Unit.name).join(Unit, ComplaintReply.unit_id == Unit.id)
                   .where(ComplaintReply.complaint_id == c.id).order_by(ComplaintReply.id))]
    follow_ups = [FollowUpRow(names(f.by), f.at, f.satisfaction, f.method, f.note)
                  for f in s.exec(select(ComplaintFollowUp)
                                  .where(ComplaintFollowUp.complaint_id == c.id)
                                  .order_by(ComplaintFollowUp.id))]
    extensions = [ExtensionRow(e.id, names(e.requested_by), e.requested_at, e.reason,
                               e.new_deadline, e.decision, e.decision_note)
                  for e in s.exec(select(ComplaintExtension)
                                  .where(ComplaintExtension.complaint_id == c.id)
                                  .order_by(ComplaintExtension.id))]
    return ComplaintDetail(row, c.category_id, c.district_id, log, replies, follow_ups,
                           extensions)


def _user_names(uow: UnitOfWork):
    cache: dict[int, str] = {}

    def name(user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in cache:
            user = uow.session.get(User, user_id)
            cache[user_id] = user.display_name if user else "?"
        return cache[user_id]

    return name


def earlier_by_phone(uow: UnitOfWork, *, actor: User, phone: str,
                     limit: int = 20) -> list[ComplaintRow]:
    """The caller's earlier complaints, for the office while registering. Looking a person
    up by number is itself a use of their identity: the office and administrators only."""
    if not masking.may_see_identity(actor):
        raise PermissionDenied(capability="complaint.identity")
    digits = masking.phone_digits(phone)
    if len(digits) < 7:
        return []
    today, now = clock.today(), utcnow()
    place = aliased(District)
    query = (
        select(Complaint, Unit.name, place.name, ComplaintCategory.name)
        .join(Unit, Complaint.unit_id == Unit.id, isouter=True)
        .join(place, Complaint.district_id == place.id, isouter=True)
        .join(ComplaintCategory, Complaint.category_id == ComplaintCategory.id)
        .where(Complaint.phone_digits == digits)
        .order_by(Complaint.received_at.desc())
        .limit(limit)
    )
    return [_row(actor, c, u, d, cat, today, now) for c, u, d, cat in uow.session.exec(query)]
