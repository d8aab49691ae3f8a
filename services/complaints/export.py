"""The complaint list as a file: exactly the rows the reader's list shows for the same
filters, with the complainant masked as that reader sees them (ComplaintRow.identity), as
CSV or XLSX. Rows are read in keyset batches and written as they come, so memory stays at
one batch whatever the size, and `progress(done, total)` lets a page show how far it is.

The caller passes the words (headers, channel, status and satisfaction names in the
reader's language): services do not read the catalogs."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from db.models import User
from services.complaints import queries
from services.complaints.queries import ComplaintRow, Filters
from services.core import clock
from services.core.spreadsheet import CSV_BOM, StreamedBook, csv_lines
from services.core.uow import UnitOfWork

COLUMNS = (
    "id", "received_at", "channel", "district", "unit", "category", "content", "status",
    "deadline", "overdue", "escalated", "satisfaction", "complainant_name",
    "complainant_phone", "complainant_address", "source", "external_id",
)
# An XLSX sheet holds 1,048,576 rows; a larger export goes on to a second sheet.
SHEET_ROWS = 1_048_575

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Labels:
    """The words of the file in the reader's language; a missing one falls back to the
    stored key, so a new status never breaks an export."""

    headers: Mapping[str, str]
    channels: Mapping[str, str]
    statuses: Mapping[str, str]
    satisfactions: Mapping[str, str]
    yes: str
    no: str
    anonymous: str
    sources: Mapping[str, str] = field(default_factory=dict)  # "manual": 人工登记


def _cells(row: ComplaintRow, labels: Labels) -> dict[str, object]:
    who = row.identity
    return {
        "id": row.id,
        # The city's clock, as the list shows it; a spreadsheet has no time zones.
        "received_at": clock.local(row.received_at).replace(tzinfo=None, microsecond=0),
        "channel": labels.channels.get(row.channel, row.channel),
        "district": row.district or "",
        "unit": row.unit or "",
        "category": row.category,
        "content": row.content,
        "status": labels.statuses.get(row.status, row.status),
        "deadline": row.deadline,
        "overdue": labels.yes if row.overdue else labels.no,
        "escalated": labels.yes if row.escalated else labels.no,
        "satisfaction": labels.satisfactions.get(row.satisfaction, row.satisfaction)
        if row.satisfaction else "",
        "complainant_name": labels.anonymous if who.anonymous else who.name,
        "complainant_phone": who.phone,
        "complainant_address": who.address,
        "source": labels.sources.get(row.source, row.source),
        "external_id": row.external_id or "",
    }


def _batches(uow: UnitOfWork, actor: User, filters: Filters | None,
             progress: Progress | None, batch: int) -> Iterator[list[ComplaintRow]]:
    filters = filters or Filters()
    today = clock.today()
    total = queries.count_complaints(uow, actor=actor, filters=filters, today=today)
    done = 0
    if progress:
        progress(0, total)
    for rows in queries.iter_complaints(uow, actor=actor, filters=filters, batch=batch,
                                        today=today):
        yield rows
        done += len(rows)
        if progress:
            # Rows registered while the file is written can make it run past the count.
            progress(done, max(total, done))


def _headers(labels: Labels) -> list[str]:
    return [labels.headers.get(column, column) for column in COLUMNS]


def export_csv(uow: UnitOfWork, out: BinaryIO, *, actor: User, filters: Filters | None = None,
               labels: Labels, progress: Progress | None = None,
               batch: int = queries.EXPORT_BATCH) -> int:
    """UTF-8 with a byte-order mark (Excel on a Chinese Windows), formulas neutralised;
    written to `out` batch by batch. Returns the number of rows."""
    out.write(CSV_BOM)
    out.write(csv_lines([_headers(labels)]))
    written = 0
    for rows in _batches(uow, actor, filters, progress, batch):
        out.write(csv_lines([_cells(row, labels).values() for row in rows]))
        written += len(rows)
    return written


def export_xlsx(uow: UnitOfWork, out: BinaryIO | str, *, actor: User,
                filters: Filters | None = None, labels: Labels, progress: Progress | None = None,
                batch: int = queries.EXPORT_BATCH) -> int:
    """One sheet (more past an XLSX sheet's row limit), written row by row in constant
    memory (spreadsheet.StreamedBook); text is written as strings explicitly, so a typed
    `=...` stays text and never becomes a formula."""
    book = StreamedBook(out)
    headers, widths = _headers(labels), [_WIDTHS.get(name, 12) for name in COLUMNS]
    sheet, line = None, SHEET_ROWS
    written = 0
    try:
        for rows in _batches(uow, actor, filters, progress, batch):
            for row in rows:
                if line >= SHEET_ROWS:
                    sheet, line = book.sheet(headers, widths), 0
                line += 1
                book.write_row(sheet, line, _cells(row, labels).values())
            written += len(rows)
        if sheet is None:
            book.sheet(headers, widths)
    finally:
        book.close()
    return written


_WIDTHS = {"received_at": 17, "deadline": 11, "content": 60, "unit": 24,
           "complainant_address": 30}


def record_export(uow: UnitOfWork, *, actor: User, rows: int, kind: str,
                  filters: Filters | None) -> None:
    """Who took which list out of the system: an export carries identities for the office,
    so it is a fact for the audit log (the filters, never the rows)."""
    queries.require_reader(actor)  # the same right as reading the list
    shown = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
             for k, v in vars(filters or Filters()).items() if v not in (None, False)}
    uow.audit(actor, "complaint.export", "complaint", None,
              after={"rows": rows, "format": kind, "filters": shown})
