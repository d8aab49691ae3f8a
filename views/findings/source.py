"""Where a finding came from, in one line: an inspection on the day of the visit, or a
complaint the office opened it from. A liaison and a verifier both need to know which."""

from __future__ import annotations

from services.findings.queries import FindingCase
from ui.context import local_time, t


def source(case: FindingCase) -> str:
    if case.complaint_id is not None:
        return t("finding_source.complaint", id=case.complaint_id,
                 at=local_time(case.visited_at))
    return t("finding_source.inspection", at=local_time(case.visited_at))
