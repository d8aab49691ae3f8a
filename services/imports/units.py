"""Import units from CSV or XLSX: every row checked, a report per row, and only rows
without errors written, in the caller's transaction. A preview is the import rolled back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlmodel import select

from db.models import District, Industry, Unit, User
from services.core.errors import DomainError, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.imports import tables
from services.org import structure

MAX_ROWS = 5000

# Canonical column -> headers accepted for it (Chinese as users type them, or English).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "单位名称", "单位", "name", "unit"),
    "district": ("区", "所属区", "区镇", "所属区镇", "district"),
    "industry": ("行业", "所属行业", "industry"),
    "supervisor": ("主管部门", "supervisor", "supervising department"),
    "first_responsible": ("第一责任人", "first responsible", "first_responsible"),
}
REQUIRED = ("name", "district", "industry", "first_responsible")


@dataclass
class RowIssue:
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportRow:
    line: int  # as the user sees it in a spreadsheet: the header is line 1
    values: dict[str, str]
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    file_issues: list[RowIssue] = field(default_factory=list)
    skipped_empty: int = 0
    created: int = 0

    @property
    def valid(self) -> int:
        return sum(r.ok for r in self.rows)

    @property
    def invalid(self) -> int:
        return len(self.rows) - self.valid


def _map_columns(frame: pd.DataFrame) -> dict[str, str]:
    aliases = {alias.lower(): canon for canon, names in HEADERS.items() for alias in names}
    mapping: dict[str, str] = {}
    for col in frame.columns:
        canon = aliases.get(str(col).strip().lower())
        if canon and canon not in mapping:
            mapping[canon] = col
    return mapping


def import_units(
    uow: UnitOfWork,
    *,
    actor: User,
    filename: str,
    content: bytes,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Creates every row without errors through org's create_unit (its rules, its audit) in
    the caller's transaction. A preview is the same call rolled back: the caller does not
    commit, so the report shows exactly what a real import would do."""
    require(actor, "org.manage")
    report = ImportReport()
    try:
        frame = tables.read_table(filename, content, max_rows=MAX_ROWS)
    except ValidationFailed as err:
        report.file_issues.append(RowIssue(err.message_key, err.params))
        return report
    columns = _map_columns(frame)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        report.file_issues.append(RowIssue("import.missing_columns", {"columns": missing}))
        return report
    if len(frame) > MAX_ROWS:
        report.file_issues.append(RowIssue("import.too_many_rows", {"max": MAX_ROWS}))
        return report
    if frame.empty:
        report.file_issues.append(RowIssue("import.no_rows"))
        return report

    names = _Names(uow)
    total = len(frame)
    for idx, raw in enumerate(frame.to_dict("records")):
        values = {c: str(raw.get(columns.get(c), "") or "").strip() for c in HEADERS}
        if not any(values.values()):
            report.skipped_empty += 1
            continue
        row = ImportRow(line=idx + 2, values=values)
        report.rows.append(row)
        refs = names.resolve(row)
        if refs is not None:
            _create(uow, actor, row, refs, names)
            report.created += row.ok
        names.lines.setdefault(values["name"], row.line)
        if progress:
            progress(idx + 1, total)
    uow.audit(actor, "unit.import", "import", None,
              after={"file": filename, "created": report.created, "invalid": report.invalid})
    return report


def _create(uow: UnitOfWork, actor: User, row: ImportRow, refs: dict, names: _Names) -> None:
    # A savepoint per row (released on success, rolled back on a refusal): a row the unit
    # rules refuse leaves the rows before it intact. The outer transaction is the caller's.
    try:
        with uow.session.begin_nested():
            unit = structure.create_unit(
                uow, actor=actor, name=row.values["name"],
                first_responsible=row.values["first_responsible"], **refs,
            )
    except DomainError as err:
        row.issues.append(RowIssue(err.message_key, err.params))
        return
    names.units[unit.name] = unit.id


class _Names:
    """Name -> id maps loaded once, extended with the rows created so far, so that a unit
    may name a supervising department listed above it in the same file."""

    def __init__(self, uow: UnitOfWork) -> None:
        s = uow.session
        self.districts = {n: i for i, n in s.exec(select(District.id, District.name)).all()}
        self.industries = {n: i for i, n in s.exec(select(Industry.id, Industry.name)).all()}
        self.units = {n: i for i, n in s.exec(select(Unit.id, Unit.name)).all()}
        # Name -> the file's first line with it: a repeat is said to be one, not "exists".
        self.lines: dict[str, int] = {}

    def resolve(self, row: ImportRow) -> dict[str, int | None] | None:
        """The ids the row names, or None with the row's issues filled in."""
        v = row.values
        if not v["name"]:
            row.issues.append(RowIssue("import.name_missing"))
        elif v["name"] in self.lines:
            row.issues.append(RowIssue("import.name_repeated", {"line": self.lines[v["name"]]}))
        elif v["name"] in self.units:
            row.issues.append(RowIssue("import.name_taken", {"name": v["name"]}))
        if not v["first_responsible"]:
            row.issues.append(RowIssue("import.first_responsible_missing"))
        for column, known, key in (
            ("district", self.districts, "import.district_unknown"),
            ("industry", self.industries, "import.industry_unknown"),
            ("supervisor", self.units, "import.supervisor_unknown"),
        ):
            if v[column] and v[column] not in known:
                row.issues.append(RowIssue(key, {"name": v[column]}))
        if row.issues:
            return None
        return {
            "district_id": self.districts.get(v["district"]),
            "industry_id": self.industries.get(v["industry"]),
            "supervisor_id": self.units.get(v["supervisor"]),
        }
