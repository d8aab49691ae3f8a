"""The office's follow-up calls (回访) to go with the city's complaints, as
services/complaints/workflow.py `follow_up` leaves them: every closed complaint that a unit
answered has one at its closed_at, satisfied or basically as the complaint's satisfaction
says; a reopened one, and a closed one that was first reopened, has an unsatisfied one with
the complainant's reason, after the reply (times drawn in complaints.py)."""

from __future__ import annotations

import numpy as np

from demo.city.bulk import NAT
from demo.complaints import UNSATISFIED

METHODS = {"phone": 82, "sms": 9, "visit": 5, "letter": 2, "other": 2}
REASONS = np.array(["群众反映问题仍未解决", *UNSATISFIED])


def columns(rng: np.random.Generator, complaints: dict, *, unsatisfied_at: np.ndarray,
            first_id: int, by: int) -> dict[str, np.ndarray]:
    """The follow-up rows of the `complaints` columns (complaints.py) made by the office
    account `by`, ordered by complaint and time; `unsatisfied_at`: each complaint's
    unsatisfied follow-up (NaT: none)."""
    ids = complaints["id"]
    satisfaction = np.array(complaints["satisfaction"], dtype=object)
    closing = (complaints["status"] == "closed") & (satisfaction != None)  # noqa: E711
    unhappy = unsatisfied_at != NAT
    complaint = np.concatenate([ids[unhappy], ids[closing]])
    at = np.concatenate([unsatisfied_at[unhappy], complaints["closed_at"][closing]])
    said = np.concatenate([np.full(int(unhappy.sum()), "unsatisfied"),
                           satisfaction[closing].astype(str)])
    order = np.lexsort((at, complaint))
    m = len(order)
    reopening = np.arange(m) < int(unhappy.sum())
    p = np.array(list(METHODS.values()), dtype=float)
    return {
        "id": np.arange(first_id, first_id + m, dtype=np.int64),
        "complaint_id": complaint[order],
        "by": np.full(m, by, dtype=np.int64),
        "at": at[order],
        "satisfaction": said[order],
        "method": np.array(list(METHODS))[rng.choice(len(METHODS), m, p=p / p.sum())],
        "note": np.where(reopening, REASONS[rng.integers(0, len(REASONS), m)], "")[order],
    }
