"""Possible duplicates while registering, and linking a duplicate to its original.

The same matter often arrives twice: the same caller rings again, or a neighbour writes
about the same counter. A candidate is a complaint received within 30 days before or after
this one, from the same phone number, or about the same unit with similar content. Chinese
is compared character by character (rapidfuzz's normalised Indel similarity on the text
with spaces and punctuation removed), so no word segmentation is needed. The office decides;
nothing is linked automatically."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz
from sqlalchemy import or_
from sqlmodel import select

from db.models import Complaint, Finding, User
from services.complaints import masking
from services.complaints.register import audit_complaint
from services.core import audit
from services.core.errors import ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import check_version

WINDOW = timedelta(days=30)
# Similarity (0-100) from which the same unit's complaint is shown as a possible duplicate.
SIMILAR = 45.0
_CANDIDATES = 200
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Suggestion:
    complaint_id: int
    received_at: datetime
    same_phone: bool
    similarity: float  # 0-100, of the content
    content: str


def normalise(text: str) -> str:
    """Full-width to half-width, case folded, spaces and punctuation removed."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "").casefold())


def similarity(a: str, b: str) -> float:
    return fuzz.ratio(normalise(a), normalise(b))


def suggest(
    uow: UnitOfWork, *, actor: User, received_at: datetime, content: str,
    phone: str = "", unit_id: int | None = None, exclude_id: int | None = None,
    limit: int = 5,
) -> list[Suggestion]:
    """Most likely first: the same phone, then the most similar content."""
    require(actor, "complaint.register")
    digits = masking.phone_digits(phone)
    same_source = []
    if digits:
        same_source.append(Complaint.phone_digits == digits)
    if unit_id is not None:
        same_source.append(Complaint.unit_id == unit_id)
    if not same_source or received_at is None:
        return []
    query = (
        select(Complaint)
        .where(or_(*same_source),
               Complaint.received_at.between(received_at - WINDOW, received_at + WINDOW))
        .order_by(Complaint.received_at.desc())
        .limit(_CANDIDATES)
    )
    if exclude_id is not None:
        query = query.where(Complaint.id != exclude_id)
    found = []
    for other in uow.session.exec(query):
        score = similarity(content, other.content) if content else 0.0
        same_phone = bool(digits) and other.phone_digits == digits
        if same_phone or (other.unit_id == unit_id and score >= SIMILAR):
            found.append(Suggestion(other.id, other.received_at, same_phone, round(score, 1),
                                    other.content))
    found.sort(key=lambda s: (not s.same_phone, -s.similarity))
    return found[:limit]


def link(uow: UnitOfWork, *, actor: User, complaint_id: int, version: int | None,
         original_id: int | None) -> Complaint:
    """Marks the complaint as a duplicate of `original_id` (None: not a duplicate after
    all). A chain is followed to its first complaint, so counts leave out every copy."""
    require(actor, "complaint.manage")
    complaint = uow.get(Complaint, complaint_id)
    check_version(complaint.version, version)
    before = audit.state(complaint)
    if original_id is not None:
        original = uow.get(Complaint, original_id)
        while original.duplicate_of_id is not None:
            original = uow.get(Complaint, original.duplicate_of_id)
        if original.id == complaint.id:
            raise ValidationFailed("complaint.duplicate_of_itself")
        opened = uow.session.exec(select(Finding.id).where(
            Finding.complaint_id == complaint.id)).first()
        if opened is not None:
            # A copy opens no finding; one already opened from this complaint would let the
            # original open a second for the same matter.
            raise ValidationFailed("complaint.has_finding", finding=opened)
        original_id = original.id
        # Whatever was linked to this one now points at the first complaint too.
        for copy in uow.session.exec(
                select(Complaint).where(Complaint.duplicate_of_id == complaint.id)):
            copy.duplicate_of_id = original_id
    complaint.duplicate_of_id = original_id
    complaint.version += 1
    audit_complaint(uow, actor, "complaint.link_duplicate" if original_id else
                    "complaint.unlink_duplicate", complaint, before)
    return complaint
