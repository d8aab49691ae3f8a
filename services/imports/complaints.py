"""Import complaints from hotline exports (12345 platforms, the provincial platform, open-data
files), streamed in chunks.

Rules, in the order a row meets them:
- A row whose mapped cells are all empty is skipped; so is a row repeating an earlier row's
  ticket number (工单编号) with the same content. The same number with other content fails
  ("duplicate external id", naming the first line), as does every row with a missing
  required value, a date no format reads, an unknown channel, unit, district or category,
  or a value the register refuses (a phone of three digits, a time in the future).
- A ticket number names one complaint per source: a row whose complaint exists already
  is unchanged when the file says what the complaint says, else it updates the complaint
  through the register's correction (audited, the complainant masked). Its status and
  history stay as they are.
- A new complaint is registered as "received", whatever status the export shows, with a
  status log row: the unit named in the file is where it belongs, but sending it there
  (assigned) is the office's decision in the workflow, and starts the unit's clock. A row
  without a name and a phone is anonymous.
- With `create_units_in` (a district), a unit the city does not know is created there
  through org's create_unit, which needs "org.manage" of `unit_actor`.

The whole file is one transaction, the caller's: a dry run is the same call rolled back
(UnitOfWork.dry_run), and a cancel (`cancelled()` returning True), a file that turns out
broken halfway (a line in another encoding) or a database error raises, so the caller
commits nothing and no half of a file is ever imported. On SQLite this holds the write lock
for the import (about 20 s for 100,000 rows); other writers wait (busy timeout 30 s).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import insert
from sqlmodel import select

from db.models import Complaint, ComplaintCategory, District, EscalationLevel, Unit, User
from db.timeutil import utcnow
from services.complaints import lifecycle
from services.complaints import register as complaint_register
from services.core import clock
from services.core.errors import DomainError, ValidationFailed
from services.core.permissions import require
from services.core.uow import UnitOfWork
from services.core.validation import clean_text
from services.imports import mapping as mappings
from services.imports import reimport, tables
from services.imports.complaint_report import (
    CREATED,
    FAILED,
    SKIPPED,
    UNCHANGED,
    UPDATED,
    ImportReport,
)
from services.imports.dates import parse_date, parse_datetime
from services.imports.mapping import Mapping
from services.imports.seen import SeenIds

# A 100,000-row export with long texts is 30 to 60 MB; 200 MB is refused unread.
MAX_BYTES = 100 * 1024 * 1024
CHUNK_ROWS = 2000
SOURCE_MAX = 50
EXTERNAL_ID_MAX = 64


class ImportCancelled(DomainError):
    default_key = "complaint_import.cancelled"


def import_complaints(
    uow: UnitOfWork, *, actor: User, filename: str, source: bytes | str | Path,
    mapping: Mapping, source_name: str, encoding: str | None = None,
    create_units_in: int | None = None, unit_actor: User | None = None,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    max_bytes: int = MAX_BYTES, chunk_rows: int = CHUNK_ROWS,
) -> ImportReport:
    """Imports every good row of the file in the caller's transaction and reports every
    row. File-level problems (unreadable, too big, required columns missing) raise
    ValidationFailed before anything is written; `progress(rows_read)` follows each chunk."""
    require(actor, "complaint.import")
    require(actor, "complaint.register")
    source_name = clean_text(source_name, field="source", max_len=SOURCE_MAX)
    report = ImportReport(filename=filename, mapping=mapping)
    with tables.open_table(filename, source, max_bytes=max_bytes, encoding=encoding,
                           header_score=mappings.header_score) as table:
        report.encoding, report.header_line = table.encoding, table.header_line
        report.header = table.header
        missing = mapping.missing(table.header)
        if missing:
            raise ValidationFailed("complaint_import.missing_columns", fields=missing)
        rows = _Rows(uow, actor, mapping, table.header, source_name, report,
                     create_units_in, unit_actor or actor)
        batch: list[tuple[int, list[str]]] = []
        read = 0
        for item in table.rows:
            batch.append(item)
            if len(batch) >= chunk_rows:
                read = _chunk(rows, batch, read, progress, cancelled)
                batch = []
        if batch:
            _chunk(rows, batch, read, progress, cancelled)
    uow.audit(actor, "complaint.import", "import", None,
              after={"file": filename, "source": source_name, **report.summary(),
                     "created_units": report.created_units})
    return report


@dataclass
class Peek:
    """The top of a file, for the mapping step: where its header is and what it says."""

    encoding: str | None
    header_line: int
    header: list[str]
    sample: list[list[str]]


def peek(filename: str, source: bytes | str | Path, *, encoding: str | None = None,
         rows: int = 5, max_bytes: int = MAX_BYTES) -> Peek:
    """Reads only the header and the first `rows` rows below it."""
    with tables.open_table(filename, source, max_bytes=max_bytes, encoding=encoding,
                           header_score=mappings.header_score) as table:
        sample = [cells for _, cells in itertools.islice(table.rows, rows)]
        return Peek(table.encoding, table.header_line, table.header, sample)


def _chunk(rows: _Rows, batch, read: int, progress, cancelled) -> int:
    if cancelled is not None and cancelled():
        raise ImportCancelled()
    rows.import_chunk(batch)
    read += len(batch)
    if progress is not None:
        progress(read)
    return read


class _Rows:
    """The names the file may use, loaded once; the rows of one chunk checked, compared
    with what the database holds, and written."""

    def __init__(self, uow: UnitOfWork, actor: User, mapping: Mapping, header: list[str],
                 source_name: str, report: ImportReport, create_units_in: int | None,
                 unit_actor: User) -> None:
        s = uow.session
        self.uow, self.actor, self.mapping, self.report = uow, actor, mapping, report
        self.source, self.create_units_in, self.unit_actor = (
            source_name, create_units_in, unit_actor)
        index = {name: n for n, name in enumerate(header)}
        self.columns = {f: index[c] for f, c in mapping.columns.items() if c in index}
        key = mappings.key
        # Held for the whole import: the session keeps loaded rows only while something
        # refers to them, and the register's checks look each row's unit, district and
        # category up by id (from the session, not the database, while these are held).
        self._held = [*s.exec(select(Unit)).all(), *s.exec(select(District)).all(),
                      *s.exec(select(ComplaintCategory)).all()]
        self.units = {key(r.name): r.id for r in self._held if isinstance(r, Unit)}
        self.districts = {key(r.name): r.id for r in self._held if isinstance(r, District)}
        self.categories = {key(r.name): r.id for r in self._held
                           if isinstance(r, ComplaintCategory) and r.active}
        self.seen = SeenIds()
        self.now = utcnow()

    # --- one row ----------------------------------------------------------------------

    def values(self, cells: list[str]) -> dict[str, str]:
        values = {f: cells[i].strip() for f, i in self.columns.items()}
        if "external_id" in values:  # ＧＤ００１ is GD001
            values["external_id"] = unicodedata.normalize("NFKC", values["external_id"])
        return values

    def check(self, line: int, values: dict[str, str]) -> _Checked | None:
        """The row as the register checks it, or None with the row reported as failed."""
        m, fail = self.mapping, self._fail(line, values.get("external_id", ""))

        def given(name: str) -> str:
            return values.get(name) or m.defaults.get(name, "")

        for name in mappings.REQUIRED:
            if not values.get(name):
                return fail("complaint_import.missing_value", field=name)
        received = parse_datetime(values["received_at"])
        if received is None:
            return fail("complaint_import.bad_date", field="received_at",
                        value=values["received_at"])
        deadline = None
        if values.get("deadline"):
            deadline = parse_date(values["deadline"])
            if deadline is None:
                return fail("complaint_import.bad_date", field="deadline",
                            value=values["deadline"])
        channel = mappings.channel_of(given("channel"), m)
        if channel is None:
            self.report.note_unknown("channel", given("channel"))
            return fail("complaint_import.bad_channel", value=given("channel"))
        refs, new_unit = {}, None
        for name, known in (("unit", self.units), ("district", self.districts),
                            ("category", self.categories)):
            raw = given(name)
            if not raw:
                refs[name] = None
                continue
            target = m.value(name, raw)
            found = known.get(mappings.key(target))
            if found is None and name == "unit" and self.create_units_in is not None:
                # Created only once the rest of the row has passed: a row that fails must
                # not leave a unit behind (a misspelt name becoming a unit).
                refs[name], new_unit = None, (raw, target)
                continue
            if found is None:
                self.report.note_unknown(name, raw)
                return fail(f"complaint_import.unknown_{name}", value=raw)
            refs[name] = found
        if refs["category"] is None:
            return fail("complaint_import.missing_value", field="category")
        escalated = mappings.escalated_of(values.get("escalated", ""))
        if escalated is None:
            return fail("complaint_import.bad_flag", field="escalated",
                        value=values["escalated"])
        level = EscalationLevel.NONE
        if escalated:
            level = (EscalationLevel.PROVINCE if channel == "provincial"
                     else EscalationLevel.CITY)
        name, phone = values.get("complainant_name", ""), values.get("complainant_phone", "")
        form = dict(
            channel=channel, received_at=clock.from_wall_clock(received),
            anonymous=not (name or phone), complainant_name=name,
            complainant_phone=phone, complainant_address=values.get("complainant_address", ""),
            unit_id=refs["unit"], district_id=refs["district"], category_id=refs["category"],
            content=values["content"], escalated=escalated, escalation_level=level,
        )
        try:
            fields, category = complaint_register.checked_fields(self.uow, **form)
        except ValidationFailed as err:
            return fail(err.message_key, **err.params)
        if deadline is not None and deadline < clock.local_date(fields["received_at"]):
            return fail("complaint.deadline_before_received")
        if new_unit is not None:
            form["unit_id"] = self._create_unit(new_unit[1])
            if form["unit_id"] is None:
                self.report.note_unknown("unit", new_unit[0])
                return fail("complaint_import.unknown_unit", value=new_unit[0])
            fields["unit_id"] = form["unit_id"]
            if fields["district_id"] is None:  # the place follows the unit, as registered
                fields["district_id"] = self.create_units_in
        return _Checked(line, values["external_id"], fields, form, category, deadline)

    def _fail(self, line: int, external_id: str):
        def fail(key: str, **params: Any) -> None:
            self.report.add(line, external_id, FAILED, key, **params)
        return fail

    def _create_unit(self, name: str) -> int | None:
        from services.org import structure  # org is only needed for this option

        try:
            with self.uow.session.begin_nested():
                unit = structure.create_unit(self.uow, actor=self.unit_actor, name=name,
                                             district_id=self.create_units_in)
        except ValidationFailed:
            return None
        self.units[mappings.key(unit.name)] = unit.id
        self._held.append(unit)
        self.report.created_units.append(unit.name)
        return unit.id

    # --- one chunk --------------------------------------------------------------------

    def import_chunk(self, batch: list[tuple[int, list[str]]]) -> None:
        report = self.report
        good: list[_Checked] = []
        lines_here: dict[str, int] = {}  # ticket number -> its first line in this chunk
        for line, cells in batch:
            values = self.values(cells)
            if not any(values.values()):
                report.add(line, "", SKIPPED, "complaint_import.empty_row")
                continue
            eid = values.get("external_id", "")
            if len(eid) > EXTERNAL_ID_MAX:
                report.add(line, eid[:EXTERNAL_ID_MAX], FAILED, "complaint_import.id_too_long",
                           max=EXTERNAL_ID_MAX)
                continue
            row = self.check(line, values)
            if eid:
                lines_here.setdefault(eid, line)
            if row is not None:
                good.append(row)
        earlier = self.seen.first_lines(lines_here)
        existing = self._existing({row.eid for row in good})
        firsts: dict[str, _Checked] = {}
        new: list[dict[str, Any]] = []
        for row in good:
            first_line = earlier.get(row.eid) or lines_here[row.eid]
            if first_line != row.line:
                self._repeat(row, firsts.get(row.eid) or existing.get(row.eid), first_line)
                continue
            firsts[row.eid] = row
            found = existing.get(row.eid)
            if found is None:
                new.append(self._new(row))
                report.add(row.line, row.eid, CREATED)
            else:
                self._again(row, found)
        self._write(new)
        self.seen.add((eid, line) for eid, line in lines_here.items() if eid not in earlier)

    def _again(self, row: _Checked, found: Complaint) -> None:
        """A ticket imported before: only what the hotline changed since is updated."""
        report, digests = self.report, reimport.snapshot(row.fields, row.deadline)
        plan = reimport.plan(found, row.fields, row.deadline)
        if not plan.changed:
            found.import_digests = digests
            report.add(row.line, row.eid, UNCHANGED,
                       "complaint_import.routing_kept" if plan.kept else "")
            return
        try:
            # Refuses before it writes anything, so the row fails and the file goes on.
            complaint_register.update_complaint(
                self.uow, actor=self.actor, complaint_id=found.id, version=found.version,
                deadline=row.deadline if "deadline" in plan.changed else None,
                **reimport.form_for(found, row.form, plan.changed))
        except ValidationFailed as err:
            report.add(row.line, row.eid, FAILED, err.message_key, **err.params)
            return
        found.import_digests = digests
        report.add(row.line, row.eid, UPDATED, "complaint_import.changed_routing_kept"
                   if plan.kept else "complaint_import.changed", fields=plan.changed)

    def _repeat(self, row: _Checked, first: _Checked | Complaint | None,
                first_line: int) -> None:
        """A ticket number met before in this file: the same row again is skipped; other
        content under the same number fails (which of the two is right, the office says)."""
        if isinstance(first, _Checked):
            differs = first.fields != row.fields or first.deadline != row.deadline
        else:
            differs = first is None or bool(reimport.plan(first, row.fields, row.deadline).changed)
        if differs:
            self.report.add(row.line, row.eid, FAILED, "complaint_import.duplicate_id",
                            first=first_line)
        else:
            self.report.add(row.line, row.eid, SKIPPED, "complaint_import.repeated_row",
                            first=first_line)

    def _existing(self, ids: set[str]) -> dict[str, Complaint]:
        if not ids:
            return {}
        query = select(Complaint).where(Complaint.source == self.source,
                                        Complaint.external_id.in_(sorted(ids)))
        return {c.external_id: c for c in self.uow.session.exec(query).all()}

    def _new(self, row: _Checked) -> dict[str, Any]:
        deadline = row.deadline or complaint_register.default_deadline(
            row.fields["received_at"], row.category)
        return row.fields | dict(
            deadline=deadline, source=self.source, external_id=row.eid,
            import_digests=reimport.snapshot(row.fields, row.deadline),
            status=lifecycle.RECEIVED, version=1, created_by=self.actor.id,
            created_at=self.now, updated_at=self.now)

    def _write(self, new: list[dict[str, Any]]) -> None:
        """One executemany per chunk on the Core table, not a model object per row:
        building SQLModel objects cost more than everything else an imported row needs.
        The ids are read back by ticket number (RETURNING would make SQLite insert row by
        row to keep the order)."""
        if not new:
            return
        session = self.uow.session
        session.connection().execute(insert(Complaint.__table__), new)
        ids = session.exec(select(Complaint.id).where(
            Complaint.source == self.source,
            Complaint.external_id.in_([row["external_id"] for row in new]))).all()
        lifecycle.log_created_many(session, list(ids), actor=self.actor, at=self.now)


class _Checked(NamedTuple):
    line: int
    eid: str
    fields: dict[str, Any]  # as the register stores them
    form: dict[str, Any]  # as the register's correction takes them
    category: ComplaintCategory
    deadline: date | None  # only when the file gives one
