"""Every move of a complaint after it is registered. The office assigns, decides on
extensions, follows up with the complainant and closes; the unit's liaison signs for,
replies, returns a misrouted complaint or asks for more time. Each move checks the actor's
capability and, for a unit, that the complaint is its own; a move the lifecycle does not
allow is refused with InvalidTransition (shown as a sentence naming both statuses)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import select

from db.models import (
    Complaint,
    ComplaintExtension,
    ComplaintFollowUp,
    ComplaintReply,
    ComplaintStatusChange,
    ContactMethod,
    ExtensionDecision,
    Satisfaction,
    Unit,
    User,
)
from db.timeutil import utcnow
from services.complaints import lifecycle
from services.complaints.attachments import Prepared, attach
from services.complaints.register import audit_complaint
from services.core import audit, clock
from services.core.errors import NotFound, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import check_version, clean_text
from services.findings import from_complaint


def _unit_complaint(uow: UnitOfWork, actor: User, complaint_id: int) -> Complaint:
    """The complaint, locked, if it was sent to the actor's unit; NotFound otherwise (a
    unit learns nothing about complaints that are not its own)."""
    require(actor, "complaint.handle")
    complaint = uow.get(Complaint, complaint_id)
    if actor.unit_id is None or complaint.sent_to_unit_id != actor.unit_id:
        raise NotFound()
    return complaint


def _office_complaint(uow: UnitOfWork, actor: User, complaint_id: int,
                      version: int | None) -> Complaint:
    require(actor, "complaint.manage")
    complaint = uow.get(Complaint, complaint_id)
    check_version(complaint.version, version)
    return complaint


def assign(uow: UnitOfWork, *, actor: User, complaint_id: int, version: int | None,
           unit_id: int, deadline: date | None = None, note: str = "") -> Complaint:
    """Sends the complaint to a unit (again, after a return). The place follows the unit
    when none was given."""
    complaint = _office_complaint(uow, actor, complaint_id, version)
    if unit_id is None:
        raise ValidationFailed("complaint.assign_unit_required", field="complaint_unit")
    unit = uow.session.get(Unit, unit_id)
    if unit is None or not unit.active:
        raise ValidationFailed("complaint.unit_unknown", field="complaint_unit")
    note = clean_text(note, field="note", max_len=2000, required=False)
    if deadline is not None and deadline < clock.today():
        raise ValidationFailed("complaint.deadline_past", field="complaint_deadline")
    from_complaint.follow_reassignment(uow, actor=actor, complaint_id=complaint.id,
                                       unit_id=unit.id)
    before = audit.state(complaint)
    lifecycle.move(uow.session, complaint, lifecycle.ASSIGNED, actor=actor, note=note)
    complaint.unit_id = complaint.sent_to_unit_id = unit.id
    _withdraw_extensions(uow, complaint.id)
    if complaint.district_id is None:
        complaint.district_id = unit.district_id
    if deadline is not None:
        complaint.deadline = deadline
    audit_complaint(uow, actor, "complaint.assign", complaint, before)
    return complaint


def sign(uow: UnitOfWork, *, actor: User, complaint_id: int) -> Complaint:
    """签收: the unit has seen it. Signing twice (a double tap) is one signature."""
    complaint = _unit_complaint(uow, actor, complaint_id)
    if complaint.status == lifecycle.SIGNED:
        return complaint
    before = audit.state(complaint)
    lifecycle.move(uow.session, complaint, lifecycle.SIGNED, actor=actor)
    audit_complaint(uow, actor, "complaint.sign", complaint, before)
    return complaint


def reply(uow: UnitOfWork, *, actor: User, complaint_id: int, action_taken: str,
          result: str, attachments: Sequence[Prepared] = ()) -> ComplaintReply:
    """The unit's answer: what it did and what came of it, with photos or scans (checked
    by attachments.prepare). A reopened complaint is answered again; an assigned one is
    signed for by answering it."""
    action_taken = clean_text(action_taken, field="action_taken", max_len=4000)
    result = clean_text(result, field="result", max_len=2000)
    complaint = _unit_complaint(uow, actor, complaint_id)
    s = uow.session
    same = _same_reply(uow, complaint, action_taken, result)
    if same is not None:
        return same  # the answer sent twice (a double click, a retry): stored once
    before = audit.state(complaint)
    if complaint.status == lifecycle.ASSIGNED:
        lifecycle.move(s, complaint, lifecycle.SIGNED, actor=actor)
    lifecycle.move(s, complaint, lifecycle.REPLIED, actor=actor)
    answer = ComplaintReply(complaint_id=complaint.id, unit_id=complaint.unit_id, by=actor.id,
                            action_taken=action_taken, result=result)
    s.add(answer)
    # A request for more time is moot once the unit has answered.
    _withdraw_extensions(uow, complaint.id)
    audit_complaint(uow, actor, "complaint.reply", complaint, before)
    audit.record(uow, actor, "complaint_reply.create", answer)
    attach(uow, actor=actor, prepared=attachments, reply_id=answer.id)
    return answer


def return_to_office(uow: UnitOfWork, *, actor: User, complaint_id: int,
                     reason: str) -> Complaint:
    """退回: not this unit's matter. The office reassigns it."""
    reason = clean_text(reason, field="reason", max_len=2000)
    require(actor, "complaint.handle")
    complaint = uow.get(Complaint, complaint_id)
    if _just_returned_by(uow, complaint, actor, reason):
        return complaint  # the return sent twice: the unit no longer holds it, and that is fine
    complaint = _unit_complaint(uow, actor, complaint_id)
    before = audit.state(complaint)
    lifecycle.move(uow.session, complaint, lifecycle.RETURNED, actor=actor, note=reason)
    complaint.sent_to_unit_id = None
    _withdraw_extensions(uow, complaint.id)
    audit_complaint(uow, actor, "complaint.return", complaint, before)
    return complaint


def _same_reply(uow: UnitOfWork, complaint: Complaint, action_taken: str,
                result: str) -> ComplaintReply | None:
    if complaint.status != lifecycle.REPLIED:
        return None
    last = uow.session.exec(select(ComplaintReply).where(
        ComplaintReply.complaint_id == complaint.id).order_by(ComplaintReply.id.desc())).first()
    if last and (last.unit_id, last.action_taken, last.result) == (
            complaint.sent_to_unit_id, action_taken, result):
        return last
    return None


def _just_returned_by(uow: UnitOfWork, complaint: Complaint, actor: User, reason: str) -> bool:
    if complaint.status != lifecycle.RETURNED:
        return False
    last = uow.session.exec(select(ComplaintStatusChange).where(
        ComplaintStatusChange.complaint_id == complaint.id)
        .order_by(ComplaintStatusChange.id.desc())).first()
    return bool(last and last.to_status == lifecycle.RETURNED and last.actor_id == actor.id
                and last.note == reason)


def _withdraw_extensions(uow: UnitOfWork, complaint_id: int) -> None:
    """A unit's open request for more time goes with the complaint when it is returned or
    sent elsewhere: the next unit asks for itself, and is not bound by another's reason."""
    for request in uow.session.exec(
            select(ComplaintExtension).where(ComplaintExtension.complaint_id == complaint_id,
                                             ComplaintExtension.decision.is_(None))):
        request.decision, request.decided_at = ExtensionDecision.WITHDRAWN, utcnow()


def ask_extension(uow: UnitOfWork, *, actor: User, complaint_id: int, reason: str,
                  new_deadline: date) -> ComplaintExtension:
    """延期: one open request at a time, for a later date than the current deadline."""
    reason = clean_text(reason, field="reason", max_len=2000)
    complaint = _unit_complaint(uow, actor, complaint_id)
    if complaint.status not in lifecycle.AWAITING_UNIT:
        raise ValidationFailed("complaint.extension_not_now")
    if new_deadline is None or new_deadline <= complaint.deadline:
        raise ValidationFailed("complaint.extension_not_later", field="new_deadline")
    if new_deadline < clock.today():
        raise ValidationFailed("complaint.extension_past", field="new_deadline")
    if _pending_extension(uow, complaint.id) is not None:
        raise ValidationFailed("complaint.extension_pending")
    request = ComplaintExtension(complaint_id=complaint.id, requested_by=actor.id,
                                 reason=reason, new_deadline=new_deadline)
    uow.session.add(request)
    audit.record(uow, actor, "complaint_extension.ask", request)
    return request


def _pending_extension(uow: UnitOfWork, complaint_id: int) -> ComplaintExtension | None:
    return uow.session.exec(
        select(ComplaintExtension).where(ComplaintExtension.complaint_id == complaint_id,
                                         ComplaintExtension.decision.is_(None))
    ).first()


def decide_extension(uow: UnitOfWork, *, actor: User, extension_id: int, grant: bool,
                     note: str = "") -> ComplaintExtension:
    """Granted: the new date becomes the deadline. Refused: the reason is required."""
    require(actor, "complaint.manage")
    note = clean_text(note, field="note", max_len=2000, required=not grant)
    request = uow.get(ComplaintExtension, extension_id)
    if request.decision is not None:
        raise ValidationFailed("complaint.extension_decided")
    complaint = uow.get(Complaint, request.complaint_id)
    if complaint.status not in lifecycle.AWAITING_UNIT:
        # Answered, returned or closed meanwhile: more time means nothing now.
        raise ValidationFailed("complaint.extension_not_now")
    before = audit.state(request)
    request.decision = ExtensionDecision.GRANTED if grant else ExtensionDecision.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor.id, utcnow(), note
    if grant:
        complaint_before = audit.state(complaint)
        complaint.deadline = request.new_deadline
        complaint.version += 1
        audit_complaint(uow, actor, "complaint.extend", complaint, complaint_before)
    audit.record(uow, actor, "complaint_extension.decide", request, before)
    return request


def follow_up(uow: UnitOfWork, *, actor: User, complaint_id: int, version: int | None,
              satisfaction: str, method: str, note: str = "") -> ComplaintFollowUp:
    """回访 after the unit's reply. Satisfied or basically satisfied closes the complaint;
    unsatisfied reopens it to the unit, and the note (the reason) is required."""
    if satisfaction not in tuple(Satisfaction):
        raise ValidationFailed("complaint.satisfaction_required", field="satisfaction")
    if method not in tuple(ContactMethod):
        raise ValidationFailed("complaint.method_required", field="method")
    unsatisfied = satisfaction == Satisfaction.UNSATISFIED
    note = clean_text(note, field="note", max_len=2000, required=unsatisfied)
    complaint = _office_complaint(uow, actor, complaint_id, version)
    s = uow.session
    before = audit.state(complaint)
    to = lifecycle.REOPENED if unsatisfied else lifecycle.CLOSED
    lifecycle.move(s, complaint, to, actor=actor, note=note)
    complaint.satisfaction = satisfaction
    record = ComplaintFollowUp(complaint_id=complaint.id, by=actor.id,
                               satisfaction=satisfaction, method=method, note=note)
    s.add(record)
    audit_complaint(uow, actor, "complaint.follow_up", complaint, before)
    return record


def close_directly(uow: UnitOfWork, *, actor: User, complaint_id: int, version: int | None,
                   note: str) -> Complaint:
    """The office settled it itself (explained on the phone, not a matter for a unit)."""
    note = clean_text(note, field="note", max_len=2000)
    complaint = _office_complaint(uow, actor, complaint_id, version)
    before = audit.state(complaint)
    lifecycle.move(uow.session, complaint, lifecycle.CLOSED, actor=actor, note=note)
    audit_complaint(uow, actor, "complaint.close", complaint, before)
    return complaint
