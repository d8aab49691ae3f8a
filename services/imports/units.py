"""Import units from CSV or XLSX: every row checked, a report per row, and only rows
without errors written, in one transaction. A dry run gives the preview."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlmodel import select

from db.models import District, Industry, Unit, User
from services.core.errors import ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork, snapshot

MAX_BYTES = 5 * 1024 * 1024
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


def read_table(filename: str, content: bytes) -> pd.DataFrame:
    """Every cell as text; raises ValidationFailed with a catalog key for a broken file."""
    if not content:
        raise ValidationFailed("import.empty_file")
    if len(content) > MAX_BYTES:
        raise ValidationFailed("import.too_large", max_mb=MAX_BYTES // (1024 * 1024))
    lower = filename.lower()
    try:
        if lower.endswith((".xlsx", ".xlsm")):
            frame = pd.read_excel(io.BytesIO(content), dtype=str, engine="openpyxl")
        elif lower.endswith((".csv", ".txt")):
            frame = pd.read_csv(io.StringIO(_decode(content)), dtype=str, skip_blank_lines=False)
        else:
            raise ValidationFailed("import.unknown_type")
    except ValidationFailed:
        raise
    except Exception as exc:  # pandas/openpyxl raise many types for a damaged file
        raise ValidationFailed("import.unreadable", detail=type(exc).__name__) from exc
    return frame.fillna("")


def _decode(content: bytes) -> str:
    # Excel on a Chinese Windows saves CSV as GBK (a subset of GB18030); others use UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed("import.bad_encoding")


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
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    require(actor, "org.manage")
    report = ImportReport()
    try:
        frame = read_table(filename, content)
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

    with uow:
        lookup = _Lookup(uow)
        total = len(frame)
        for idx, raw in enumerate(frame.to_dict("records")):
            values = {c: str(raw.get(columns.get(c), "") or "").strip() for c in HEADERS}
            if not any(values.values()):
                report.skipped_empty += 1
                continue
            row = ImportRow(line=idx + 2, values=values)
            unit = lookup.build(row)
            report.rows.append(row)
            if unit is not None and not dry_run:
                uow.session.add(unit)
                uow.flush()
                uow.audit(actor, "unit.import", "unit", unit.id, after=snapshot(unit))
                report.created += 1
            if progress:
                progress(idx + 1, total)
        if not dry_run:
            uow.commit()
    return report


class _Lookup:
    """Name -> id maps loaded once, extended with the rows accepted so far, so that a unit
    may name a supervising department listed above it in the same file."""

    def __init__(self, uow: UnitOfWork) -> None:
        s = uow.session
        self.districts = {n: i for i, n in s.exec(select(District.id, District.name)).all()}
        self.industries = {n: i for i, n in s.exec(select(Industry.id, Industry.name)).all()}
        self.units: dict[str, int | None] = {
            n: i for i, n in s.exec(select(Unit.id, Unit.name)).all()
        }
        self.pending: dict[str, Unit] = {}

    def build(self, row: ImportRow) -> Unit | None:
        v = row.values
        if not v["name"]:
            row.issues.append(RowIssue("import.name_missing"))
        elif len(v["name"]) > 200:
            row.issues.append(RowIssue("error.too_long", {"field": "name", "max": 200}))
        elif v["name"] in self.units or v["name"] in self.pending:
            row.issues.append(RowIssue("import.name_taken", {"name": v["name"]}))
        if v["district"] and v["district"] not in self.districts:
            row.issues.append(RowIssue("import.district_unknown", {"name": v["district"]}))
        if v["industry"] and v["industry"] not in self.industries:
            row.issues.append(RowIssue("import.industry_unknown", {"name": v["industry"]}))
        supervisor = v["supervisor"]
        if supervisor and supervisor not in self.units and supervisor not in self.pending:
            row.issues.append(RowIssue("import.supervisor_unknown", {"name": supervisor}))
        if len(v["first_responsible"]) > 100:
            row.issues.append(
                RowIssue("error.too_long", {"field": "first_responsible", "max": 100})
            )
        if row.issues:
            return None
        unit = Unit(
            name=v["name"],
            district_id=self.districts.get(v["district"]),
            industry_id=self.industries.get(v["industry"]),
            supervisor_id=self._unit_id(supervisor),
            first_responsible=v["first_responsible"],
        )
        self.pending[unit.name] = unit
        return unit

    def _unit_id(self, name: str) -> int | None:
        if not name:
            return None
        if name in self.units:
            return self.units[name]
        return self.pending[name].id  # flushed already, since rows are written in order
