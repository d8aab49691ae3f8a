"""The complainant's identity protects them from retaliation: the office and administrators
see it in full; every other role, above all the unit concerned, sees it masked, wherever a
complaint is shown (pages, lists, exports, notices) and in the audit log for everyone.

    张三丰 -> 张*      13812341234 -> 138****1234      6221234 -> *****34
    雄关区新华路12号 -> 雄关区***  (the complaint's own place; nothing of the address itself)

Services build what they return through `identity_for(actor, complaint)`, so a role
without "complaint.identity" has no way to get the full values from any of them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from db.models import Complaint, User
from services.core.permissions import can

HIDDEN = "***"
# Fields of a complaint that name the complainant (and what the audit log keeps of them).
IDENTITY_FIELDS = ("complainant_name", "complainant_phone", "phone_digits", "complainant_address")


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*"  # one star whatever the length: the length tells something too


def mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if not digits:
        return ""
    if len(digits) >= 11:  # a mobile number: 138****1234 still hides four digits
        return digits[:3] + "****" + digits[-4:]
    # A landline is short: 3 + 4 shown would be all of a 7-digit number.
    return "*" * (len(digits) - 2) + digits[-2:]


def mask_address(address: str, place: str | None = None) -> str:
    """Only the complaint's own place (its district, already shown beside it), never a part
    of the address: a prefix cut at the first 区 would keep 幸福小区 and the house number."""
    if not (address or "").strip():
        return ""
    return (place or "") + HIDDEN


def phone_digits(phone: str) -> str:
    """What two ways of writing one number share: 0937-6221234, (0937) 622 1234 and
    ０９３７６２２１２３４ all give 09376221234; a +86 or 0086 prefix is dropped."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    digits = "".join(str(int(ch)) for ch in digits)  # full-width digits as ASCII
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 11:
            digits = digits[len(prefix):]
    return digits[:20]


@dataclass(frozen=True)
class Identity:
    anonymous: bool
    name: str
    phone: str
    address: str
    masked: bool


def may_see_identity(actor: User | None) -> bool:
    return can(actor, "complaint.identity")


def identity_for(actor: User | None, complaint: Complaint, place: str | None = None) -> Identity:
    """`place`: the name of the complaint's district, the most a masked address shows."""
    if complaint.anonymous:
        return Identity(True, "", "", "", masked=not may_see_identity(actor))
    if may_see_identity(actor):
        return Identity(False, complaint.complainant_name, complaint.complainant_phone,
                        complaint.complainant_address, masked=False)
    return Identity(False, mask_name(complaint.complainant_name),
                    mask_phone(complaint.complainant_phone),
                    mask_address(complaint.complainant_address, place), masked=True)


def masked_state(state: dict) -> dict:
    """An audit copy of a complaint with the identity masked: the audit log is read and
    exported by people who may not see who complained."""
    masked = dict(state)
    masked.pop("import_digests", None)  # bookkeeping of the import, not the complaint
    if "complainant_name" in masked:
        masked["complainant_name"] = mask_name(masked["complainant_name"])
    if "complainant_phone" in masked:
        masked["complainant_phone"] = mask_phone(masked["complainant_phone"])
    if "phone_digits" in masked:
        masked["phone_digits"] = mask_phone(masked["phone_digits"])
    if "complainant_address" in masked:
        masked["complainant_address"] = mask_address(masked["complainant_address"])
    return masked
