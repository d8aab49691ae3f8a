"""A row imported again: what the hotline changed since its last import, and only that.

Each imported complaint keeps a digest of each of the file's values at its last import
(Complaint.import_digests: digests, not values, so no second copy of the complainant's
identity lies beside the masked one).
A row that says what it said last time is unchanged, whatever the office corrected since (a
misheard phone, the right category): a daily cumulative export must not undo a clerk's
work. A row the hotline changed updates the fields it changed, and no other. The unit and
place of a complaint the office has already sent stay as they are (it moves between units
through the workflow), and the report says so.

Complaints imported before the values were kept are compared with what they hold now."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from db.models import Complaint
from services.complaints import lifecycle

FORM_FIELDS = ("channel", "received_at", "anonymous", "complainant_name",
               "complainant_phone", "complainant_address", "unit_id", "district_id",
               "category_id", "content", "escalated", "escalation_level")
ROUTING = ("unit_id", "district_id")


@dataclass(frozen=True)
class Plan:
    changed: list[str]  # the fields to update
    kept: list[str]  # changed by the hotline, kept by the office's routing


def snapshot(fields: dict[str, Any], deadline) -> dict[str, str]:
    """A digest of each of the row's values as the register stores them."""
    return {k: _digest(fields[k]) for k in FORM_FIELDS} | {"deadline": _digest(deadline)}


def plan(complaint: Complaint, fields: dict[str, Any], deadline) -> Plan:
    last = complaint.import_digests
    if last is None:
        changed = [k for k in FORM_FIELDS if getattr(complaint, k) != fields[k]]
        if deadline is not None and complaint.deadline != deadline:
            changed.append("deadline")
    else:
        now = snapshot(fields, deadline)
        changed = [k for k in (*FORM_FIELDS, "deadline") if now[k] != last.get(k)]
        if deadline is None and "deadline" in changed:
            changed.remove("deadline")  # the file stopped giving one: keep the complaint's
    kept = []
    if complaint.status != lifecycle.RECEIVED:
        kept = [k for k in changed if k in ROUTING]
        changed = [k for k in changed if k not in ROUTING]
    return Plan(changed, kept)


def form_for(complaint: Complaint, row_form: dict[str, Any], changed: list[str]
             ) -> dict[str, Any]:
    """The correction's form: the complaint as it is, with the fields the hotline changed."""
    return {k: row_form[k] if k in changed else getattr(complaint, k) for k in FORM_FIELDS}


def _digest(value: Any) -> str:
    text = "" if value is None else (value.isoformat() if hasattr(value, "isoformat")
                                     else str(value))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
