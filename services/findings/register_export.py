"""The findings register as a file (issue 10): exactly the rows the reader's register shows
for the same filters, in the same order (register.iter_register, through the same
visibility filter), as CSV or XLSX. Rows are read and written batch by batch, and
`progress(fraction, stage)` lets a page show how far it is.

At most EXPORT_CAP rows: a larger export is refused before anything is written, with a
message that asks the reader to narrow the filters.

Photos. The CSV holds each finding's photo count. The XLSX also shows the first photo of
the first PHOTO_ROWS findings that have one, as a small JPEG made anew from the served
thumbnail (upright, no EXIF, no GPS: photo_bytes' "thumb" variant, shrunk by
imaging.smaller_jpeg), in the last column. Past that many, the cell says how many photos
the finding has and its number instead ("照片 3 张 · 问题 #123"), to be opened in the app:
500 thumbnails keep the workbook near 2 MB and quick to build and open, where embedding
twenty thousand would make a file too big to mail. A thumbnail whose file is missing
from the store gets the same text, rather than failing the export.

The caller passes `translate` (the page's t): the words of the file in the reader's
language; services do not pick the language."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import BinaryIO

from db.models import User
from services.core import clock
from services.core.errors import NotFound, ValidationFailed
from services.core.spreadsheet import CSV_BOM, StreamedBook, csv_lines
from services.core.uow import UnitOfWork
from services.findings import register
from services.findings.register import RegisterFilters, RegisterRow
from services.photos import evidence, imaging
from services.photos.store import PhotoStore

EXPORT_CAP = 20_000
PHOTO_ROWS = 500
THUMB_PX = 96  # the long edge of a thumbnail in the sheet
BATCH = 500
ALL = RegisterFilters()
COLUMNS = (
    "id", "found_at", "unit", "district", "visit_kind", "category", "severity", "status",
    "deadline", "overdue", "reopened", "circulated", "photo_count", "description",
)
PHOTO_COLUMN = "photo"  # the XLSX's last column
# How much of the bar writing the rows takes; the rest is packing the XLSX file.
_ROWS_SHARE = 0.9

# progress(fraction done 0..1, stage): "rows" while rows are written, "photos" while a
# batch's thumbnails are read, "saving" while the file is packed, "done" at the end.
Progress = Callable[[float, str], None]
Translate = Callable[..., str]


def _cells(row: RegisterRow, tr: Translate) -> dict[str, object]:
    yes, no = tr("register_export.yes"), tr("register_export.no")
    kind = (tr("register_ui.from_complaint") if row.visit_kind == register.FROM_COMPLAINT
            else tr(f"kind_inspection.{row.visit_kind}"))
    return {
        "id": row.id,
        # The city's clock, as the register shows it; a spreadsheet has no time zones.
        "found_at": clock.local(row.found_at).replace(tzinfo=None, microsecond=0),
        "unit": row.unit,
        "district": row.district or tr("register_ui.city_level"),
        "visit_kind": kind,
        "category": tr(f"category.{row.category}"),
        "severity": tr(f"severity.{row.severity}"),
        "status": tr(f"finding_status.{row.status}"),
        "deadline": row.deadline,
        "overdue": yes if row.overdue else no,
        "reopened": yes if row.reopened else no,
        "circulated": yes if row.circulated else no,
        "photo_count": row.photo_count,
        "description": row.description,
    }


def headers(tr: Translate, columns=COLUMNS) -> list[str]:
    return [tr(f"register_export.header.{c}") for c in columns]


def _batches(uow: UnitOfWork, actor: User, filters: RegisterFilters, sort: str,
             descending: bool) -> Iterator[tuple[list[RegisterRow], float]]:
    """The rows in batches, each with the fraction of all rows done once it is written.
    Too many rows are refused here, before the caller writes anything."""
    today = clock.today()
    total = register.count_register(uow, actor=actor, filters=filters, today=today,
                                    cap=EXPORT_CAP)
    if total > EXPORT_CAP:
        raise ValidationFailed("register_export.too_many", max=f"{EXPORT_CAP:,}")
    rows = register.iter_register(uow, actor=actor, filters=filters, sort=sort,
                                  descending=descending, batch=BATCH, limit=EXPORT_CAP,
                                  today=today)
    return _fractions(rows, total)


def _fractions(batches: Iterator[list[RegisterRow]],
               total: int) -> Iterator[tuple[list[RegisterRow], float]]:
    done = 0
    for rows in batches:
        done += len(rows)
        # Findings added while the file is written can make it run past the count.
        yield rows, done / max(total, done)


def _report(progress: Progress | None, fraction: float, stage: str) -> None:
    if progress:
        progress(fraction, stage)


def export_csv(uow: UnitOfWork, out: BinaryIO, *, actor: User,
               filters: RegisterFilters = ALL, sort: str = "found",
               descending: bool = True, translate: Translate,
               progress: Progress | None = None) -> int:
    """UTF-8 with a byte-order mark (Excel on a Chinese Windows), formulas neutralised;
    written to `out` batch by batch. Returns the number of rows."""
    batches = _batches(uow, actor, filters, sort, descending)
    out.write(CSV_BOM)
    out.write(csv_lines([headers(translate)]))
    _report(progress, 0.0, "rows")
    written = 0
    for rows, fraction in batches:
        out.write(csv_lines([_cells(row, translate).values() for row in rows]))
        written += len(rows)
        _report(progress, fraction, "rows")
    _report(progress, 1.0, "done")
    return written


_WIDTHS = {"found_at": 17, "unit": 24, "deadline": 11, "description": 60,
           PHOTO_COLUMN: THUMB_PX / 7 + 2}


def export_xlsx(uow: UnitOfWork, out: BinaryIO | str, *, actor: User,
                filters: RegisterFilters = ALL, sort: str = "found",
                descending: bool = True, translate: Translate,
                progress: Progress | None = None, store: PhotoStore | None = None) -> int:
    """One sheet, written row by row (spreadsheet.StreamedBook: text stays text), with the
    first photo of the first PHOTO_ROWS photo-bearing rows as an image in the last cell
    (see the module's note). Returns the number of rows."""
    batches = _batches(uow, actor, filters, sort, descending)
    columns = (*COLUMNS, PHOTO_COLUMN)
    book = StreamedBook(out)
    sheet = book.sheet(headers(translate, columns), [_WIDTHS.get(c, 12) for c in columns])
    embedded, line, before = 0, 0, 0.0
    _report(progress, 0.0, "rows")
    try:
        for rows, fraction in batches:
            wanted = [r for r in rows if r.thumbnail][:max(PHOTO_ROWS - embedded, 0)]
            if wanted:
                _report(progress, _ROWS_SHARE * before, "photos")
            thumbs = {r.id: _thumbnail(uow, actor, r, store) for r in wanted}
            for row in rows:
                line += 1
                embedded += _write(book, sheet, line, row, thumbs.get(row.id), translate)
            before = fraction
            _report(progress, _ROWS_SHARE * fraction, "rows")
        _report(progress, _ROWS_SHARE, "saving")
    finally:
        book.close()
    _report(progress, 1.0, "done")
    return line


def _write(book: StreamedBook, sheet, line: int, row: RegisterRow, thumb: bytes | None,
           translate: Translate) -> int:
    """One row; its thumbnail, or what stands for its photos, in the last cell. Returns
    how many images it embedded (0 or 1)."""
    photo_col = len(COLUMNS)
    if thumb:
        sheet.set_row(line, (THUMB_PX + 4) * 0.75)  # points, from pixels; before the cells
    book.write_row(sheet, line, _cells(row, translate).values())
    if thumb:
        sheet.insert_image(line, photo_col, f"{row.id}.jpg", {
            "image_data": io.BytesIO(thumb), "x_offset": 2, "y_offset": 2,
            "object_position": 1})
        return 1
    if row.photo_count:
        sheet.write_string(line, photo_col, translate(
            "register_export.photo_ref", n=row.photo_count, id=row.id))
    return 0


def list_thumbnails(uow: UnitOfWork, *, actor: User, rows: list[RegisterRow],
                    store: PhotoStore | None = None) -> dict[int, bytes]:
    """Finding id -> its first photo, small and bare, for a page of the register's list."""
    return {row.id: thumb for row in rows if row.thumbnail is not None
            and (thumb := _thumbnail(uow, actor, row, store)) is not None}


def _thumbnail(uow: UnitOfWork, actor: User, row: RegisterRow,
               store: PhotoStore | None) -> bytes | None:
    """The row's first photo, small and bare; None when its file cannot be read."""
    try:
        data = evidence.photo_bytes(uow, actor=actor, photo_id=row.thumbnail.id,
                                    variant="thumb", store=store)
        return imaging.smaller_jpeg(data, THUMB_PX)
    except (NotFound, ValidationFailed, OSError):  # gone, a bad key, or not an image
        return None


def record_export(uow: UnitOfWork, *, actor: User, rows: int, kind: str,
                  filters: RegisterFilters, sort: str, descending: bool) -> None:
    """Who took which part of the register out of the system: a fact for the audit log
    (the filters and the order, never the rows)."""
    register.require_reader(actor)  # the same right as reading the register
    uow.audit(actor, "finding.export", "finding", None,
              after={"rows": rows, "format": kind, "filters": filters.to_query(),
                     "sort": sort, "descending": descending})
