"""Reading an uploaded CSV or XLSX into a table of text, within limits that hold against a
crafted file: an XLSX is a zip, and a few kilobytes of it can expand into hundreds of
thousands of rows or gigabytes of XML. The zip's declared sizes are checked before it is
opened (Python's zip reader never inflates a member past its declared size), and rows are
read one at a time, stopping one past the limit, so the caller can say "too many rows"
without the rest ever being built."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from xml.etree import ElementTree

import pandas as pd
from openpyxl import load_workbook

from services.core.errors import ValidationFailed

MAX_BYTES = 5 * 1024 * 1024
# All members of an XLSX together, inflated: a real 5,000-row sheet is a few megabytes.
MAX_INFLATED_BYTES = 60 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
# Columns past this are not read (an import knows a handful).
MAX_COLUMNS = 64
# openpyxl parses every cell of a row before it can drop the columns past MAX_COLUMNS, and
# the whole style sheet: a row with millions of cells, or megabytes of styles, is refused
# before it is opened. Real rows have at most a few hundred cells, styled empty ones too.
MAX_CELLS_IN_ROW = 1000
MAX_PART_BYTES = {"xl/styles.xml": 4 * 1024 * 1024}


def read_table(filename: str, content: bytes, *, max_rows: int) -> pd.DataFrame:
    """Every cell as text, the first row as headers, at most `max_rows + 1` data rows (one
    more than allowed, so the caller can tell the file is too long). Raises
    ValidationFailed with a catalog key for a broken, oversized or unknown file."""
    if not content:
        raise ValidationFailed("import.empty_file")
    if len(content) > MAX_BYTES:
        raise ValidationFailed("import.too_large", max_mb=MAX_BYTES // (1024 * 1024))
    lower = filename.lower()
    try:
        if lower.endswith((".xlsx", ".xlsm")):
            frame = _frame(_xlsx_rows(content, max_rows + 2))
        elif lower.endswith((".csv", ".txt")):
            frame = _frame(_csv_rows(_decode(content), max_rows + 2))
        else:
            raise ValidationFailed("import.unknown_type")
    except ValidationFailed:
        raise
    except Exception as exc:  # pandas/openpyxl/zipfile raise many types for a damaged file
        raise ValidationFailed("import.unreadable", detail=type(exc).__name__) from exc
    return frame.fillna("")


def _csv_rows(text: str, limit: int) -> list[list[str]]:
    """Rows cut to MAX_COLUMNS as they are read: a line of 200,000 commas costs one list,
    not 200,000 columns (pandas would build them all before any could be dropped)."""
    rows = []
    for row in csv.reader(io.StringIO(text, newline="")):
        rows.append(row[:MAX_COLUMNS])
        if len(rows) >= limit:
            break
    return rows


def _xlsx_rows(content: bytes, limit: int) -> list[tuple]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
        inflated = sum(m.file_size for m in members)
        if len(members) > MAX_ZIP_MEMBERS or inflated > MAX_INFLATED_BYTES or any(
                m.file_size > MAX_PART_BYTES.get(m.filename, inflated) for m in members):
            raise ValidationFailed("import.too_large", max_mb=MAX_BYTES // (1024 * 1024))
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                _check_row_widths(archive, member.filename, limit)
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows = []
        for row in book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS):
            rows.append(row)
            if len(rows) >= limit:
                break
        return rows
    finally:
        book.close()


def _check_row_widths(archive: zipfile.ZipFile, name: str, limit: int) -> None:
    """Reads the sheet's XML as a stream (constant memory) up to `limit` rows."""
    rows = cells = 0
    with archive.open(name) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "c":
                    cells += 1
                    if cells > MAX_CELLS_IN_ROW:
                        raise ValidationFailed("import.too_wide", max=MAX_COLUMNS)
                continue
            if tag == "row":
                rows, cells = rows + 1, 0
                if rows >= limit:
                    return
            element.clear()


def _frame(rows: Sequence[tuple]) -> pd.DataFrame:
    if not rows:
        raise ValidationFailed("import.empty_file")
    cells = list(rows[0])
    while cells and cells[-1] is None:  # a read-only sheet pads rows to the width asked
        cells.pop()
    header = _headers(cells)
    width = len(header)
    body = [[_text(v) for v in (list(r) + [None] * width)[:width]] for r in rows[1:]]
    return pd.DataFrame(body, columns=header, dtype=str)


def _headers(cells: Iterable) -> list[str]:
    """As pandas names them: a blank header "Unnamed: n", a repeated one "name.1"."""
    names, seen = [], Counter()
    for n, cell in enumerate(cells):
        name = _text(cell) or f"Unnamed: {n}"
        names.append(f"{name}.{seen[name]}" if seen[name] else name)
        seen[name] += 1
    return names


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _decode(content: bytes) -> str:
    # Excel on a Chinese Windows saves CSV as GBK (a subset of GB18030); others use UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed("import.bad_encoding")
