"""Inspections and findings by the hundred thousand for `manage.py demo --scale city`: each
finding with its whole status log (finding_status_change) and its rectification reports,
obeying services/findings/status.py. Checklist answers are left out (a visit's findings
carry its category); photos too.

A finding's life: draft -> open when the visit is submitted -> the office confirms it with a
deadline (rectifying; 8 % rejected) -> the unit reports (a rectification row, on time or
late: slower in a slow district) -> the office verifies it or reopens it (15 %, up to two
times). Whatever would lie after now has not happened yet, so recent findings are still
open or being fixed; a few old ones were never reported by their unit (overdue)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from demo.activity import FIXES, PROBLEMS
from demo.city.bulk import NAT
from services.fieldwork.visits import CATEGORIES, SEVERITIES

DAY = 86_400
KINDS = np.array(["open", "unannounced", "spot_check", "focused"])
SUMMARIES = np.array(["整体情况良好", "存在个别问题，已当场指出", "作风问题较突出，建议通报"])
REJECTED_NOTE, REOPENED_NOTE = "证据不足，不予认定", "复查发现问题仍然存在"


@dataclass(frozen=True)
class People:
    office: int
    inspectors: dict[int, np.ndarray]  # a unit's top district id (-1: city) -> inspector ids
    liaison: np.ndarray  # per unit (index), its liaison's user id


@dataclass(frozen=True)
class Visited:
    """Units as the field work sees them (parallel arrays)."""

    ids: np.ndarray
    tops: np.ndarray  # the top-level district (or town) id; -1 for city level
    slowness: np.ndarray  # rectification: 1 as the city does, more is later


def inspections(rng: np.random.Generator, *, n: int, first_id: int, start: int, now: int,
                utc_offset: int, units: Visited, people: People,
                template_id: int) -> dict[str, np.ndarray | list]:
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    unit = rng.integers(0, len(units.ids), n)
    days = rng.integers((start + utc_offset) // DAY + 1, (now + utc_offset) // DAY + 1, n)
    visited = days * DAY + rng.integers(9 * 3600, 17 * 3600, n) - utc_offset
    visited = np.sort(np.minimum(visited, now - 3 * 3600))
    inspector = np.empty(n, dtype=np.int64)
    city = people.inspectors[-1]
    for top in np.unique(units.tops[unit]):
        rows = np.flatnonzero(units.tops[unit] == top)
        pool = np.concatenate([people.inspectors.get(int(top), city), city])
        inspector[rows] = rng.choice(pool, len(rows))
    # A few visits of the last days are still drafts on the inspector's tablet.
    draft = (visited > now - 3 * DAY) & (rng.random(n) < 0.3)
    submitted = np.where(draft, NAT, visited + rng.integers(3600, 4 * 3600, n))
    return {
        "id": ids, "client_key": np.char.add("city-", ids.astype(str)),
        "unit_id": units.ids[unit], "kind": KINDS[rng.choice(4, n, p=[0.35, 0.35, 0.2, 0.1])],
        "template_id": np.full(n, template_id), "inspector_id": inspector,
        "visited_at": visited, "summary": SUMMARIES[rng.integers(0, 3, n)],
        "status": np.where(draft, "draft", "submitted"), "created_at": visited,
        "updated_at": np.where(draft, visited, submitted), "submitted_at": submitted,
        "version": np.ones(n, dtype=np.int64),
        "_unit": unit,  # not a column: which unit (index) each visit went to
    }


@dataclass
class Findings:
    finding: dict[str, list]
    log: dict[str, list]
    rectification: dict[str, list]
    reviewed: np.ndarray  # per inspection: every finding of it decided


def findings(seed: int, *, n: int, ids: tuple[int, int, int], now: int, utc_offset: int,
             visits: dict, units: Visited, people: People,
             deadline_days: dict[str, int]) -> Findings:
    """`ids`: the first finding, status change and rectification id."""
    rng = random.Random(seed)
    n_visits = len(visits["id"])
    which = sorted(rng.randrange(n_visits) for _ in range(n))
    f = {k: [] for k in ("id", "client_key", "inspection_id", "unit_id", "category",
                         "severity", "description", "responsible_person", "status",
                         "deadline", "created_at", "confirmed_at", "version")}
    log = {k: [] for k in ("id", "finding_id", "from_status", "to_status", "actor_id", "at",
                           "note")}
    rect = {k: [] for k in ("id", "client_key", "finding_id", "submitted_by", "text",
                            "submitted_at", "outcome", "verified_by", "verified_at",
                            "verify_note")}
    undecided = np.zeros(n_visits, dtype=bool)
    fid, lid, rid = ids
    visit_ids, visit_unit = visits["id"].tolist(), visits["_unit"].tolist()
    visited, submitted = visits["visited_at"].tolist(), visits["submitted_at"].tolist()
    inspector_of = visits["inspector_id"].tolist()
    nat = int(NAT)

    def step(frm, to, actor, at, note="") -> None:
        nonlocal lid
        log["id"].append(lid)
        log["finding_id"].append(fid)
        log["from_status"].append(frm)
        log["to_status"].append(to)
        log["actor_id"].append(actor)
        log["at"].append(at)
        log["note"].append(note)
        lid += 1

    for v in which:
        u = visit_unit[v]
        category = rng.choice(CATEGORIES)
        severity = rng.choices(SEVERITIES, weights=(6, 3, 1))[0]
        days = deadline_days[severity]
        created = visited[v] + rng.randrange(600, 3600)
        inspector, office, liaison = inspector_of[v], people.office, int(people.liaison[u])
        status, deadline, confirmed = "draft", None, nat
        step(None, "draft", inspector, created)
        if submitted[v] != nat:
            status = "open"
            step("draft", "open", inspector, max(created, submitted[v]))
            at = submitted[v] + rng.randrange(4 * 3600, 96 * 3600)
            if at < now and rng.random() < 0.08:
                status = "rejected"
                step("open", "rejected", office, at, REJECTED_NOTE)
            elif at < now:
                status, confirmed = "rectifying", at
                step("open", "rectifying", office, at)
                deadline = (at + utc_offset) // DAY + days
                never = rng.random() < 0.02  # the unit never reports: overdue
                late = units.slowness[u]
                for round_ in range(3):
                    at += int(rng.uniform(0.5, days * 1.2 * late + 1) * DAY)
                    if never or at >= now:
                        break
                    fix = rng.choice(FIXES)
                    step(status, "reported", liaison, at)
                    status = "reported"
                    _rect(rect, rid, fid, liaison, fix, at)
                    rid += 1
                    at += int(rng.uniform(0.5, 4) * DAY)
                    if at >= now:
                        break
                    outcome = "reopened" if rng.random() < 0.15 and round_ < 2 else "verified"
                    note = REOPENED_NOTE if outcome == "reopened" else ""
                    step("reported", outcome, office, at, note)
                    status = outcome
                    rect["outcome"][-1], rect["verified_by"][-1] = outcome, office
                    rect["verified_at"][-1], rect["verify_note"][-1] = at, note
                    if outcome == "verified":
                        break
                    deadline = (at + utc_offset) // DAY + days
        if status in ("draft", "open"):
            undecided[v] = True
        f["id"].append(fid)
        f["client_key"].append(f"city-{fid}")
        f["inspection_id"].append(visit_ids[v])
        f["unit_id"].append(int(units.ids[u]))
        f["category"].append(category)
        f["severity"].append(severity)
        f["description"].append(rng.choice(PROBLEMS[category]))
        f["responsible_person"].append(rng.choice("王李张刘陈") + "某")
        f["status"].append(status)
        f["deadline"].append(nat if deadline is None else deadline)
        f["created_at"].append(created)
        f["confirmed_at"].append(confirmed)
        f["version"].append(1)
        fid += 1
    as_arrays = ("deadline", "created_at", "confirmed_at")
    finding = {k: np.array(v, dtype=np.int64) if k in as_arrays else v for k, v in f.items()}
    log["at"] = np.array(log["at"], dtype=np.int64)
    rect["submitted_at"] = np.array(rect["submitted_at"], dtype=np.int64)
    rect["verified_at"] = np.array(rect["verified_at"], dtype=np.int64)
    reviewed = (visits["status"] == "submitted") & ~undecided
    return Findings(finding, log, rect, reviewed)


def _rect(rect: dict, rid: int, fid: int, liaison: int, text: str, at: int) -> None:
    for key, value in (("id", rid), ("client_key", f"city-{rid}"), ("finding_id", fid),
                       ("submitted_by", liaison), ("text", text), ("submitted_at", at),
                       ("outcome", None), ("verified_by", None), ("verified_at", int(NAT)),
                       ("verify_note", "")):
        rect[key].append(value)
