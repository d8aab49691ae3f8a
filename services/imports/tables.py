"""Reading an uploaded CSV or XLSX into a table of text, within limits that hold against a
crafted file: an XLSX is a zip, and a few kilobytes of it can expand into hundreds of
thousands of rows or gigabytes of XML. The zip's declared sizes are checked before it is
opened (Python's zip reader never inflates a member past its declared size), and rows are
read one at a time, stopping one past the limit, so the caller can say "too many rows"
without the rest ever being built.

`read_table` gives a small file as one DataFrame (the unit import); `open_table` streams a
large one row by row (hotline exports of 100,000 complaints), in a given or detected
encoding, with the header found among the first rows when a title sits above it."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree

import pandas as pd
from openpyxl import load_workbook

from services.core.errors import ValidationFailed
from services.imports import encodings

MAX_BYTES = 5 * 1024 * 1024
# A cell as long as the largest file any import takes (services/imports/complaints.py).
MAX_FIELD = 128 * 1024 * 1024
LONE_CR = re.compile(r"(?<=\r)(?!\n)")
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
# An XLSX may inflate to this many times its size limit (sheet XML compresses about 10:1).
INFLATION = MAX_INFLATED_BYTES // MAX_BYTES
# Where a header row is looked for, when a title or notes sit above it.
HEADER_SCAN_ROWS = 20
_ZIP_MAGIC = b"PK\x03\x04"


def read_table(filename: str, content: bytes, *, max_rows: int) -> pd.DataFrame:
    """Every cell as text, the first row as headers, at most `max_rows + 1` data rows (one
    more than allowed, so the caller can tell the file is too long). Raises
    ValidationFailed with a catalog key for a broken, oversized or unknown file."""
    with open_table(filename, content, max_bytes=MAX_BYTES) as table:
        body = [cells for _line, cells in islice(table.rows, max_rows + 1)]
    return pd.DataFrame(body, columns=table.header, dtype=str)


def _check_zip(source: BinaryIO, max_bytes: int) -> None:
    with zipfile.ZipFile(source) as archive:
        members = archive.infolist()
        inflated = sum(m.file_size for m in members)
        if len(members) > MAX_ZIP_MEMBERS or inflated > max_bytes * INFLATION or any(
                m.file_size > MAX_PART_BYTES.get(m.filename, inflated) for m in members):
            raise ValidationFailed("import.too_large", max_mb=max_bytes // (1024 * 1024))
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                _check_row_widths(archive, member.filename)
    source.seek(0)


def _check_row_widths(archive: zipfile.ZipFile, name: str) -> None:
    """Reads the sheet's XML as a stream, in constant memory, before openpyxl does."""
    cells, data = 0, None
    with archive.open(name) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "c":
                    cells += 1
                    if cells > MAX_CELLS_IN_ROW:
                        raise ValidationFailed("import.too_wide", max=MAX_COLUMNS)
                elif tag == "sheetData":
                    data = element
                continue
            if tag == "row":
                cells = 0
                if data is not None:
                    data.remove(element)  # a read row is dropped: memory stays flat
            element.clear()


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


# --- streaming ------------------------------------------------------------------------------


@dataclass
class TableStream:
    """An open table: its header, where it was found, and the rows below it as
    (line as a spreadsheet numbers it, cells as text padded to the header's width)."""

    header: list[str]
    header_line: int
    encoding: str | None  # None for a workbook
    rows: Iterator[tuple[int, list[str]]]


@contextmanager
def open_table(
    filename: str, source: bytes | str | Path, *, max_bytes: int, encoding: str | None = None,
    header_score: Callable[[list[str]], int] | None = None,
) -> Iterator[TableStream]:
    """A CSV or XLSX read a row at a time, so memory does not grow with the file. `source`
    is the upload's bytes or a path (the command line). `encoding` overrides the detected
    one for a CSV. `header_score` rates a row as a header (how many known column names it
    holds): the best of the first rows is the header, the first row when none scores."""
    size = len(source) if isinstance(source, bytes) else os.path.getsize(source)
    if size == 0:
        raise ValidationFailed("import.empty_file")
    if size > max_bytes:
        # Said before a byte is read: a 200 MB file costs nothing to refuse.
        raise ValidationFailed("import.too_large", max_mb=max_bytes // (1024 * 1024))
    chosen = encodings.normalize(encoding)
    with (io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")) as fh:
        head = fh.read(encodings.SAMPLE_BYTES)
        fh.seek(0)
        lower = filename.lower()
        book = None
        try:
            with _read_errors():
                if b"\x00" in head[:4096] and not head.startswith(_ZIP_MAGIC):
                    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
                        # UTF-16 ("Unicode text" from Excel): a CSV in an encoding we
                        # do not read, not a file of another kind.
                        raise ValidationFailed("import.bad_encoding")
                    if lower.endswith((".xlsx", ".xlsm")):
                        raise ValidationFailed("import.unreadable", detail="not a zip")
                    raise ValidationFailed("import.unknown_type")  # a picture, a PDF, an .xls
                if head.startswith(_ZIP_MAGIC):
                    # A workbook by its content, whatever its name says.
                    _check_zip(fh, max_bytes)
                    book = load_workbook(fh, read_only=True, data_only=True)
                    cells = book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)
                    table = _stream(((_text(v) or "" for v in r) for r in cells), None,
                                    header_score)
                elif lower.endswith((".xlsx", ".xlsm")):
                    raise ValidationFailed("import.unreadable", detail="not a zip")
                elif lower.endswith((".csv", ".txt")):
                    used = chosen or encodings.detect(head)
                    table = _stream(_csv_rows(fh, used), used, header_score)
                else:
                    raise ValidationFailed("import.unknown_type")
            # Errors of the caller's own work (a cancel, a database error) pass unchanged.
            table.rows = _guarded(table.rows)
            yield table
        finally:
            if book is not None:
                book.close()


@contextmanager
def _read_errors() -> Iterator[None]:
    try:
        yield
    except ValidationFailed:
        raise
    except UnicodeDecodeError as exc:
        raise ValidationFailed("import.bad_encoding") from exc
    except Exception as exc:  # csv/openpyxl/zipfile raise many types for a damaged file
        raise ValidationFailed("import.unreadable", detail=type(exc).__name__) from exc


def _guarded(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    while True:
        with _read_errors():
            item = next(rows, None)
        if item is None:
            return
        yield item


def _csv_rows(fh: BinaryIO, encoding: str) -> Iterator[Iterable[str]]:
    """Decoded a line at a time, so a line in another encoding (mixed files) is named: no
    byte of a GBK or UTF-8 character is a line feed, so splitting first is safe."""

    def lines() -> Iterator[str]:
        for number, raw in enumerate(fh, start=1):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ValidationFailed("complaint_import.bad_encoding_at", line=number) from exc
            # Old Mac files end lines with a lone CR: the reader wants one line at a time.
            yield from (part for part in LONE_CR.split(text) if part) if "\r" in text else (
                text,)

    # One cell may be as long as the file (a pasted e-mail thread): the row then fails on
    # its own, as too long, instead of the reader refusing the whole file.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD))
    for row in csv.reader(lines()):
        yield row[:MAX_COLUMNS]


def _stream(rows: Iterator[Iterable[str]], encoding: str | None,
            header_score: Callable[[list[str]], int] | None) -> TableStream:
    rows = iter(rows)
    first = []
    for row in rows:
        first.append(list(row))
        if len(first) >= (HEADER_SCAN_ROWS if header_score else 1):
            break
    at = 0
    if header_score is not None:
        scores = [header_score([c.strip() for c in row]) for row in first]
        if scores and max(scores) > 0:
            at = scores.index(max(scores))
    if not first or not any(c.strip() for c in first[at]):
        raise ValidationFailed("import.empty_file")
    cells = [c.strip() for c in first[at]]
    while cells and not cells[-1]:
        cells.pop()
    header = _headers(cells)
    width = len(header)

    def body() -> Iterator[tuple[int, list[str]]]:
        line = at + 1
        for row in first[at + 1:]:
            line += 1
            yield line, (row + [""] * width)[:width]
        for row in rows:
            line += 1
            row = list(row)
            yield line, (row + [""] * width)[:width]

    return TableStream(header, at + 1, encoding, body())
