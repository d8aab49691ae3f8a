"""Reading uploaded tables: a crafted XLSX that inflates to hundreds of thousands of rows or
to gigabytes of XML is refused or cut short without being built in memory."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from services.core.errors import ValidationFailed
from services.imports import tables

SHEET = "xl/worksheets/sheet1.xml"


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_sheet(xml: str) -> bytes:
    """A real workbook whose first sheet is replaced by `xml` (what a crafted file does)."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["名称"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = xml.encode() if item.filename == SHEET else source.read(item.filename)
            target.writestr(item.filename, data)
    return out.getvalue()


def _sheet(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
            '"http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{body}</sheetData></worksheet>")


def test_two_hundred_thousand_rows_in_a_small_file_are_cut_short():
    row = '<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>单位</t></is></c></row>'
    content = _with_sheet(_sheet("".join(row.format(n=n) for n in range(1, 200_001))))
    assert len(content) < tables.MAX_BYTES  # small enough to pass the size check
    frame = tables.read_table("units.xlsx", content, max_rows=5000)
    assert len(frame) == 5001  # one past the limit: the caller says "too many rows"


def test_a_zip_that_inflates_past_the_limit_is_refused_unopened():
    padding = " " * (tables.MAX_INFLATED_BYTES + 1)
    content = _with_sheet(_sheet("") + padding)
    assert len(content) < tables.MAX_BYTES
    with pytest.raises(ValidationFailed) as err:
        tables.read_table("units.xlsx", content, max_rows=5000)
    assert err.value.message_key == "import.too_large"


def test_thousands_of_columns_are_not_read():
    wide = _xlsx([[f"列{n}" for n in range(300)]])
    frame = tables.read_table("units.xlsx", wide, max_rows=10)
    assert frame.shape[1] == tables.MAX_COLUMNS


def test_cells_come_back_as_the_text_a_user_sees():
    content = _xlsx([["名称", "编号", "比例", "日期", "空", "名称"],
                     ["甲", 12, 0.5, datetime(2026, 11, 25, 9, 30), None, "重复的列"]])
    frame = tables.read_table("u.xlsx", content, max_rows=10)
    assert list(frame.columns) == ["名称", "编号", "比例", "日期", "空", "名称.1"]
    assert frame.iloc[0].tolist() == ["甲", "12", "0.5", "2026-11-25 09:30:00", "", "重复的列"]


@pytest.mark.parametrize(("content", "key"), [
    (b"PK\x03\x04broken", "import.unreadable"),
    (_with_sheet("<worksheet"), "import.unreadable"),
])
def test_damaged_workbooks_are_unreadable(content, key):
    with pytest.raises(ValidationFailed) as err:
        tables.read_table("u.xlsx", content, max_rows=10)
    assert err.value.message_key == key


def test_a_row_of_millions_of_cells_is_refused_before_openpyxl_parses_it(monkeypatch):
    """A 20 KB upload whose one row holds 200,000 cells (the attack used 3.8 million: 30 s
    and 1.8 GB in openpyxl, which parses a whole row before dropping columns)."""
    sheet = _sheet('<row r="1">' + '<c t="inlineStr"><is><t>x</t></is></c>' * 200_000
                   + "</row>")
    content = _with_sheet(sheet)
    opened = []
    monkeypatch.setattr(tables, "load_workbook", lambda *a, **k: opened.append(1))
    with pytest.raises(ValidationFailed) as err:
        tables.read_table("units.xlsx", content, max_rows=10)
    assert err.value.message_key == "import.too_wide"
    assert opened == []


def test_a_style_sheet_of_megabytes_is_refused_unopened():
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["名称"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = data.replace(b"</styleSheet>", b"<x/>" * 2_000_000 + b"</styleSheet>")
            target.writestr(item.filename, data)
    with pytest.raises(ValidationFailed) as err:
        tables.read_table("units.xlsx", out.getvalue(), max_rows=10)
    assert err.value.message_key == "import.too_large"


def test_a_csv_line_of_200000_commas_becomes_64_columns_and_a_wide_row_keeps_its_values():
    with pytest.raises(ValidationFailed) as err:  # a header of nothing but commas
        tables.read_table("u.csv", ("," * 200_000 + "\n甲\n").encode(), max_rows=10)
    assert err.value.message_key == "import.empty_file"
    wide_header = tables.read_table("u.csv", ("名称" + "," * 200_000 + "\n甲\n").encode(),
                                    max_rows=10)
    assert wide_header.shape == (1, 1)
    wide_row = tables.read_table("u.csv", ("名称,区\n甲,乙" + "," * 200_000 + "\n").encode(),
                                 max_rows=10)
    assert wide_row.iloc[0].tolist() == ["甲", "乙"]
