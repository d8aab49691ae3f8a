"""The office's register: a complaint as it came in (channel, time, complainant, unit and
place concerned, category, content, escalation, deadline), its later corrections, and the
editable list of categories with their deadlines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import select

from db.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    District,
    EscalationLevel,
    Unit,
    User,
)
from db.timeutil import utcnow
from services.complaints import lifecycle, masking
from services.complaints.attachments import Prepared, attach
from services.core import audit, clock
from services.core.errors import PermissionDenied, ValidationFailed
from services.core.idempotency import get_or_create
from services.core.permissions import can, require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text

CHANNELS = tuple(ComplaintChannel)
LEVELS = tuple(EscalationLevel)
# A received time a little ahead of the server's clock is a PC's clock, not a typo.
CLOCK_SKEW = timedelta(minutes=10)


def audit_complaint(uow: UnitOfWork, actor: User, action: str, complaint: Complaint,
                    before: dict | None = None, *, extra: dict | None = None) -> None:
    """Every audit row about a complaint keeps the complainant masked."""
    audit.record(uow, actor, action, complaint, before, extra=extra,
                 redact=masking.masked_state)


def checked_fields(uow: UnitOfWork, *, channel: str, received_at: datetime, anonymous: bool,
            complainant_name: str, complainant_phone: str, complainant_address: str,
            unit_id: int | None, district_id: int | None, category_id: int, content: str,
            escalated: bool, escalation_level: str) -> tuple[dict, ComplaintCategory]:
    """The checked values of the register form (shared by registering, correcting and the
    import of hotline exports)."""
    s = uow.session
    if channel not in CHANNELS:
        raise ValidationFailed("complaint.channel_unknown", field="channel")
    if received_at is None or received_at.tzinfo is None:
        raise ValidationFailed("error.required", field="received_at")
    if received_at > utcnow() + CLOCK_SKEW:
        raise ValidationFailed("complaint.received_in_future", field="received_at")
    name = clean_text(complainant_name, field="complainant_name", max_len=50, required=False)
    phone = clean_text(complainant_phone, field="complainant_phone", max_len=30,
                       required=False)
    address = clean_text(complainant_address, field="complainant_address", max_len=200,
                         required=False)
    digits = masking.phone_digits(phone)
    if phone and not 7 <= len(digits) <= 15:
        raise ValidationFailed("complaint.phone_invalid", field="complainant_phone")
    if anonymous:
        name = phone = address = digits = ""
    elif not (name or phone):
        raise ValidationFailed("complaint.complainant_required", field="complainant_name")
    if category_id is None:
        raise ValidationFailed("complaint.category_required", field="complaint_category")
    category = s.get(ComplaintCategory, category_id)
    if category is None or not category.active:
        raise ValidationFailed("complaint.category_unknown", field="complaint_category")
    if unit_id is not None:
        unit = s.get(Unit, unit_id)
        if unit is None or not unit.active:
            raise ValidationFailed("complaint.unit_unknown", field="complaint_unit")
        if district_id is None:
            district_id = unit.district_id
    if district_id is not None and s.get(District, district_id) is None:
        raise ValidationFailed("complaint.district_unknown", field="district")
    content = clean_text(content, field="content", max_len=4000)
    if escalated and escalation_level not in set(LEVELS) - {EscalationLevel.NONE}:
        raise ValidationFailed("complaint.escalation_level_required", field="escalation_level")
    if not escalated:
        escalation_level = EscalationLevel.NONE
    return dict(
        channel=channel, received_at=received_at, anonymous=bool(anonymous),
        complainant_name=name, complainant_phone=phone, phone_digits=digits,
        complainant_address=address, unit_id=unit_id, district_id=district_id,
        category_id=category.id, content=content, escalated=bool(escalated),
        escalation_level=escalation_level,
    ), category


def default_deadline(received_at: datetime, category: ComplaintCategory):
    return clock.local_date(received_at) + timedelta(days=category.deadline_days)


def register_complaint(
    uow: UnitOfWork, *, actor: User, client_key: str, channel: str, received_at: datetime,
    category_id: int, content: str, anonymous: bool = False, complainant_name: str = "",
    complainant_phone: str = "", complainant_address: str = "", unit_id: int | None = None,
    district_id: int | None = None, escalated: bool = False,
    escalation_level: str = EscalationLevel.NONE, deadline=None,
    source: str = "manual", external_id: str | None = None,
    attachments: Sequence[Prepared] = (),
) -> Complaint:
    """A new complaint, received. The deadline defaults to the category's days from the
    day it was received. Saving twice with one client key registers it once, with its
    attachments (files checked by attachments.prepare) once."""
    require(actor, "complaint.register")
    client_key = clean_text(client_key, field="client_key", max_len=64)
    fields, category = checked_fields(
        uow, channel=channel, received_at=received_at, anonymous=anonymous,
        complainant_name=complainant_name, complainant_phone=complainant_phone,
        complainant_address=complainant_address, unit_id=unit_id, district_id=district_id,
        category_id=category_id, content=content, escalated=escalated,
        escalation_level=escalation_level,
    )
    deadline = deadline or default_deadline(received_at, category)
    if deadline < clock.local_date(received_at):
        raise ValidationFailed("complaint.deadline_before_received", field="complaint_deadline")

    def create() -> Complaint:
        return Complaint(**fields, deadline=deadline, source=source, external_id=external_id)

    complaint, created = get_or_create(
        uow, Complaint, client_key=client_key, owner={"created_by": actor.id}, target={},
        create=create,
    )
    if created:
        lifecycle.log_created(uow.session, complaint, actor=actor, at=complaint.created_at)
        audit_complaint(uow, actor, "complaint.register", complaint)
        attach(uow, actor=actor, prepared=attachments, complaint_id=complaint.id)
    return complaint


def update_complaint(
    uow: UnitOfWork, *, actor: User, complaint_id: int, version: int, deadline=None,
    **form,
) -> Complaint:
    """The office corrects what was registered (a misheard number, the wrong category).
    The status and the history do not change here."""
    require(actor, "complaint.register")
    complaint = uow.get(Complaint, complaint_id)
    check_version(complaint.version, version)
    fields, _ = checked_fields(uow, **form)
    if fields["unit_id"] != complaint.unit_id and complaint.status != lifecycle.RECEIVED:
        # Once sent, a complaint moves between units only through the workflow (assign,
        # return): a correction or a re-imported export must not hand it to another unit.
        raise ValidationFailed("complaint.unit_change_via_assign", field="complaint_unit")
    before = audit.state(complaint)
    for name, value in fields.items():
        setattr(complaint, name, value)
    if deadline is not None:
        if deadline < clock.local_date(complaint.received_at):
            raise ValidationFailed("complaint.deadline_before_received", field="complaint_deadline")
        complaint.deadline = deadline
    complaint.updated_at = utcnow()
    complaint.version += 1
    audit_complaint(uow, actor, "complaint.update", complaint, before)
    return complaint


# --- categories ---------------------------------------------------------------------------


def list_categories(
    uow: UnitOfWork, *, actor: User, include_inactive: bool = False
) -> list[ComplaintCategory]:
    if not (can(actor, "complaint.view") or can(actor, "complaint.handle")):
        raise PermissionDenied(capability="complaint.view")
    query = select(ComplaintCategory).order_by(ComplaintCategory.position, ComplaintCategory.id)
    if not include_inactive:
        query = query.where(ComplaintCategory.active)
    return list(uow.session.exec(query).all())


def _category_values(name: str, deadline_days: int) -> tuple[str, int]:
    name = clean_text(name, field="category_name", max_len=50)
    if not isinstance(deadline_days, int) or not 1 <= deadline_days <= 365:
        raise ValidationFailed("complaint.deadline_days_range", field="deadline_days")
    return name, deadline_days


def _name_free(uow: UnitOfWork, name: str, except_id: int | None = None) -> None:
    found = uow.session.exec(
        select(ComplaintCategory.id).where(ComplaintCategory.name == name)).first()
    if found is not None and found != except_id:
        raise ValidationFailed("complaint.category_taken", field="category_name")


def create_category(
    uow: UnitOfWork, *, actor: User, name: str, deadline_days: int
) -> ComplaintCategory:
    require(actor, "complaint.manage")
    name, deadline_days = _category_values(name, deadline_days)
    _name_free(uow, name)
    last = uow.session.exec(
        select(ComplaintCategory.position).order_by(ComplaintCategory.position.desc())
    ).first()
    category = ComplaintCategory(name=name, deadline_days=deadline_days,
                                 position=(last or 0) + 1)
    uow.session.add(category)
    audit.record(uow, actor, "complaint_category.create", category)
    return category


def update_category(
    uow: UnitOfWork, *, actor: User, category_id: int, version: int, name: str,
    deadline_days: int, active: bool,
) -> ComplaintCategory:
    """A category in use is retired (inactive), never deleted: old complaints keep it."""
    require(actor, "complaint.manage")
    name, deadline_days = _category_values(name, deadline_days)
    category = uow.get(ComplaintCategory, category_id)
    check_version(category.version, version)
    _name_free(uow, name, except_id=category.id)
    before = audit.state(category)
    category.name, category.deadline_days, category.active = name, deadline_days, bool(active)
    category.version += 1
    audit.record(uow, actor, "complaint_category.update", category, before)
    return category
