"""Reminders (催办) from the office to the units, in bulk from the register: one row per
finding, shown on the liaison's start page until the finding is reported, counted per unit,
and e-mailed to the unit's liaisons where SMTP is configured.

The page e-mails after the commit (services/findings/urge_mail.py) what `urge` returned, and
records how that went with `record_delivery`: a mail server that is down never loses a
reminder, it stays "not e-mailed" with the error."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlmodel import select

from db.models import Finding, FindingUrge, Role, Unit, User
from db.timeutil import utcnow
from services.core import audit, clock
from services.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from services.core.permissions import can, require
from services.core.uow import UnitOfWork
from services.core.validation import clean_text
from services.core.visibility import unit_scope
from services.findings import batch
from services.findings import status as finding_status

NOTE_MAX = 500
# The liaison's start page shows the reminders of this many findings at most, newest first.
OPEN_LIMIT = 20
ERROR_MAX = 500


@dataclass(frozen=True)
class MailItem:
    finding_id: int
    description: str
    deadline: date | None


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    language: str | None


@dataclass(frozen=True)
class UrgeMail:
    """What to e-mail one unit: its reminders of this request, to its liaisons."""

    unit_id: int
    unit: str
    urge_ids: tuple[int, ...]
    items: tuple[MailItem, ...]
    note: str
    recipients: tuple[Recipient, ...]  # empty: no liaison of the unit has an address


@dataclass(frozen=True)
class UrgeOutcome:
    urges: list[FindingUrge]
    mails: list[UrgeMail]  # none for a repeated request: the first one mailed
    repeated: bool = False  # the same request again (a double click): nothing new


@dataclass(frozen=True)
class Delivery:
    urge_ids: tuple[int, ...]
    error: str = ""  # empty: sent


@dataclass(frozen=True)
class OpenUrge:
    finding_id: int
    description: str
    deadline: date | None
    overdue: bool
    urged_at: datetime
    note: str
    times: int  # reminders about this finding so far


@dataclass(frozen=True)
class UnitUrgeCount:
    unit_id: int
    unit: str
    urges: int


def urge(
    uow: UnitOfWork, *, actor: User, finding_ids: Iterable[int], note: str = "",
    client_key: str, now: datetime | None = None,
) -> UrgeOutcome:
    """A reminder for each finding, all waiting for their units, none reminded yet on this
    city day (by anyone): otherwise none is made and the refusal names the findings."""
    require(actor, "finding.review")
    key = batch.client_key(client_key)
    note = clean_text(note, field="note", max_len=NOTE_MAX, required=False)
    findings = batch.lock(uow, actor=actor, finding_ids=finding_ids)
    done = batch.earlier(uow, FindingUrge, {"urged_by": actor.id}, key, findings,
                         lambda row: row.note == note)
    if done:
        return UrgeOutcome(done, [], repeated=True)
    batch.require_waiting(findings)
    now = now or utcnow()
    day = clock.local_date(now)
    ids = [f.id for f in findings]
    already = uow.session.exec(
        select(FindingUrge.finding_id)
        .where(FindingUrge.finding_id.in_(ids), FindingUrge.urged_on == day)
        .order_by(FindingUrge.finding_id)
    ).all()
    if already:
        raise Conflict("finding.urged_today", ids=list(already))
    urges = [FindingUrge(client_key=key, finding_id=finding.id, unit_id=finding.unit_id,
                         urged_by=actor.id, urged_at=now, urged_on=day, note=note)
             for finding in findings]
    uow.session.add_all(urges)
    uow.flush()  # their ids for the audit log, in one flush
    for row in urges:
        audit.record(uow, actor, "finding.urge", row)
    return UrgeOutcome(urges, _mails(uow, urges, findings, note))


def _mails(uow: UnitOfWork, urges: list[FindingUrge], findings: list[Finding],
           note: str) -> list[UrgeMail]:
    by_id = {f.id: f for f in findings}
    unit_ids = sorted({u.unit_id for u in urges})
    names = dict(uow.session.exec(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
    liaisons = uow.session.exec(
        select(User).where(User.unit_id.in_(unit_ids), User.role == Role.UNIT, User.active,
                           User.email.is_not(None), User.email != "")
        .order_by(User.id)
    ).all()
    per_unit: dict[int, list[FindingUrge]] = defaultdict(list)
    for urge in urges:
        per_unit[urge.unit_id].append(urge)
    mails = []
    for unit_id in unit_ids:
        mine = per_unit[unit_id]
        mails.append(UrgeMail(
            unit_id=unit_id, unit=names[unit_id], urge_ids=tuple(u.id for u in mine),
            items=tuple(MailItem(u.finding_id, by_id[u.finding_id].description,
                                 by_id[u.finding_id].deadline) for u in mine),
            note=note,
            recipients=tuple(Recipient(p.display_name, p.email, p.language)
                             for p in liaisons if p.unit_id == unit_id),
        ))
    return mails


def record_delivery(uow: UnitOfWork, *, actor: User, deliveries: Iterable[Delivery]) -> None:
    """How the e-mail of the actor's own reminders went: sent (when), or the error."""
    require(actor, "finding.review")
    now = utcnow()
    deliveries = list(deliveries)
    ids = sorted({i for d in deliveries for i in d.urge_ids})
    rows = {r.id: r for r in uow.session.exec(
        select(FindingUrge).where(FindingUrge.id.in_(ids)).order_by(FindingUrge.id)
        .with_for_update()).all()} if ids else {}
    if len(rows) != len(ids):
        raise NotFound()
    for delivery in deliveries:
        for urge_id in delivery.urge_ids:
            row = rows[urge_id]
            if row.urged_by != actor.id:
                raise PermissionDenied(capability="finding.review")
            before = audit.state(row)
            if delivery.error:
                row.email_error = delivery.error[:ERROR_MAX]
            else:
                row.emailed_at, row.email_error = now, ""
            uow.session.add(row)
            audit.record(uow, actor, "finding.urge_mail", row, before)


def open_urges_for_unit(uow: UnitOfWork, *, actor: User, unit_id: int,
                        today: date | None = None) -> list[OpenUrge]:
    """The reminders about the unit's findings that still wait for it, the latest per
    finding, newest first: for the unit's own liaison (and the office)."""
    own = can(actor, "rectification.submit") and actor.unit_id == unit_id
    if not (own or can(actor, "finding.review")):
        raise PermissionDenied(capability="rectification.submit")
    today = today or clock.today()
    times = func.count(FindingUrge.id).label("times")
    latest = (
        select(FindingUrge.finding_id, func.max(FindingUrge.id).label("last"), times)
        .join(Finding, FindingUrge.finding_id == Finding.id)
        .where(Finding.unit_id == unit_id,
               Finding.status.in_(tuple(sorted(finding_status.AWAITING_UNIT))))
        .group_by(FindingUrge.finding_id)
        .subquery()
    )
    rows = uow.session.exec(
        select(FindingUrge, Finding.description, Finding.deadline, Finding.status,
               latest.c.times)
        .join(latest, FindingUrge.id == latest.c.last)
        .join(Finding, FindingUrge.finding_id == Finding.id)
        .order_by(FindingUrge.urged_at.desc(), FindingUrge.id.desc())
        .limit(OPEN_LIMIT)
    ).all()
    return [
        OpenUrge(u.finding_id, description, deadline,
                 finding_status.is_overdue(status, deadline, today), u.urged_at, u.note, n)
        for u, description, deadline, status, n in rows
    ]


# "Lately", as the urge form and the tracking page count reminders: this many city days.
RECENT_DAYS = 30


def recent_counts(uow: UnitOfWork, *, actor: User, today: date,
                  unit_ids: Iterable[int]) -> list[UnitUrgeCount]:
    """count_by_unit over the RECENT_DAYS city days up to today."""
    return count_by_unit(uow, actor=actor, since=today - timedelta(days=RECENT_DAYS - 1),
                         until=today, unit_ids=unit_ids)


def count_by_unit(uow: UnitOfWork, *, actor: User, since: date, until: date,
                  unit_ids: Iterable[int] | None = None) -> list[UnitUrgeCount]:
    """Reminders per unit sent on the city's days since..until (inclusive), most first;
    only the units given, if any. For readers of every unit's findings (an inspector's
    district limits theirs); a unit's liaison is refused."""
    if not (can(actor, "finding.view_all") or can(actor, "finding.view_confirmed")):
        raise PermissionDenied(capability="finding.view_all")
    if since > until:
        raise ValidationFailed("finding.period_reversed")
    n = func.count(FindingUrge.id)
    query = (
        select(FindingUrge.unit_id, Unit.name, n)
        .join(Unit, FindingUrge.unit_id == Unit.id)
        .where(FindingUrge.urged_on >= since, FindingUrge.urged_on <= until)
        .group_by(FindingUrge.unit_id, Unit.name)
        .order_by(n.desc(), Unit.name, FindingUrge.unit_id)
    )
    scope = unit_scope(actor, FindingUrge.unit_id)
    if scope is not None:
        query = query.where(scope)
    if unit_ids is not None:
        query = query.where(FindingUrge.unit_id.in_(sorted(set(unit_ids))))
    return [UnitUrgeCount(u, name, c) for u, name, c in uow.session.exec(query).all()]
