"""What an import of complaints did, or would do in a dry run: counts of created, updated,
unchanged, skipped and failed rows, and a line with its reason for every row that was not
simply created or left unchanged (so the report stays small however long the file)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from services.core import spreadsheet
from services.imports.mapping import Mapping

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
SKIPPED, FAILED = "skipped", "failed"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, SKIPPED, FAILED)
# Distinct unknown names kept per field for the mapping step (a file of garbage stops here).
MAX_UNKNOWN = 200

# (catalog key, params) -> text in the reader's language; the caller brings its translator.
Describe = Callable[[str, dict[str, Any]], str]


@dataclass
class RowOutcome:
    line: int
    external_id: str
    outcome: str
    key: str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportReport:
    filename: str
    encoding: str | None = None
    header_line: int = 1
    header: list[str] = field(default_factory=list)
    mapping: Mapping = field(default_factory=Mapping)
    counts: Counter = field(default_factory=Counter)
    rows: list[RowOutcome] = field(default_factory=list)
    # Field -> raw value the city does not know -> how many rows name it.
    unknown: dict[str, Counter] = field(default_factory=dict)
    created_units: list[str] = field(default_factory=list)
    dry_run: bool = False

    def add(self, line: int, external_id: str, outcome: str, key: str = "",
            **params: Any) -> None:
        self.counts[outcome] += 1
        if outcome not in (CREATED, UNCHANGED):
            self.rows.append(RowOutcome(line, external_id, outcome, key, params))

    def note_unknown(self, name: str, raw: str) -> None:
        seen = self.unknown.setdefault(name, Counter())
        if raw in seen or len(seen) < MAX_UNKNOWN:
            seen[raw] += 1

    @property
    def total(self) -> int:
        return sum(self.counts[o] for o in OUTCOMES)

    @property
    def ok(self) -> bool:
        """Every row imported, unchanged or skipped by rule (an empty or repeated row)."""
        return self.counts[FAILED] == 0

    def summary(self) -> dict[str, int]:
        return {o: self.counts[o] for o in OUTCOMES}

    def frame(self, describe: Describe, labels: dict[str, str]) -> pd.DataFrame:
        """The rows with something to say; `labels` names the columns (line, external_id,
        outcome, reason) and the outcomes in the reader's language."""
        return pd.DataFrame({
            labels["line"]: [r.line for r in self.rows],
            labels["external_id"]: [r.external_id for r in self.rows],
            labels["outcome"]: [labels.get(r.outcome, r.outcome) for r in self.rows],
            labels["reason"]: [describe(r.key, r.params) if r.key else "" for r in self.rows],
        })

    def to_csv(self, describe: Describe, labels: dict[str, str]) -> bytes:
        """One CSV a clerk opens in Excel: a line per outcome with its count (no line
        number), then the rows with something to say."""
        rows = self.frame(describe, labels)
        counts = pd.DataFrame({
            labels["line"]: [""] * len(OUTCOMES), labels["external_id"]: [""] * len(OUTCOMES),
            labels["outcome"]: [labels.get(o, o) for o in OUTCOMES],
            labels["reason"]: [str(self.counts[o]) for o in OUTCOMES],
        })
        return spreadsheet.to_csv(pd.concat([counts, rows.astype(object)], ignore_index=True))


def describer(translate: Callable[..., str]) -> Describe:
    """Reasons in the reader's language: field names become the import's names for them."""

    def describe(key: str, params: dict[str, Any]) -> str:
        params = dict(params)
        if "field" in params:
            params["field"] = translate(f"complaint_import.field.{params['field']}")
        if "fields" in params:
            params["fields"] = [translate(f"complaint_import.field.{f}")
                                for f in params["fields"]]
        return translate(key, **params)

    return describe


def labels(translate: Callable[..., str]) -> dict[str, str]:
    """Column and outcome names of the report, in the reader's language."""
    names = {c: translate(f"complaint_import.report.{c}")
             for c in ("line", "external_id", "outcome", "reason")}
    return names | {o: translate(f"complaint_import.outcome.{o}") for o in OUTCOMES}
