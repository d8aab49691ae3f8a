"""The findings register's export buttons (views/findings/register_export.py): each reader
gets the file of the rows their register shows for the URL's filters, named with the day,
offered for download, and audited; too many rows are refused with a message."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from db.models import AuditEvent
from services.core import clock
from services.findings import register_export
from tests.app.conftest import page, texts
from tests.app.test_findings_register_page import CONFIRMED, WAITING
from tests.app.test_findings_register_page import register as register  # noqa: F401 (fixture)
from tests.conftest import count_rows


def _downloads(at):
    return at.get("download_button")


def _csv_ids(data: bytes) -> list[int]:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    return [int(r["编号"]) for r in rows]


def test_the_office_exports_the_filtered_rows_as_csv_and_xlsx(register):  # noqa: F811
    at = page("findings_register", "office", register, status="rectifying")
    assert not at.exception
    assert not _downloads(at)  # nothing built yet
    at.button(key="frx_csv").click().run()
    assert not at.exception
    (_chosen, kind, data, name, rows) = at.session_state["frx_ready"]
    assert kind == "csv" and rows == CONFIRMED
    assert name == f"问题台账-{clock.today().isoformat()}.csv"
    ids = _csv_ids(data)
    assert len(ids) == CONFIRMED and ids == sorted(ids, reverse=True)  # newest first
    assert len(_downloads(at)) == 1
    assert f"已导出 {CONFIRMED} 条问题" in texts(at)

    at.button(key="frx_xlsx").click().run()
    assert not at.exception
    (_chosen, kind, data, name, rows) = at.session_state["frx_ready"]
    assert kind == "xlsx" and name.endswith(".xlsx") and rows == CONFIRMED
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.max_row == CONFIRMED + 1 and sheet.cell(1, 1).value == "编号"
    assert len(_downloads(at)) == 1
    assert count_rows(register, AuditEvent, AuditEvent.action == "finding.export") == 2


def test_a_leader_exports_only_the_confirmed_findings(register):  # noqa: F811
    at = page("findings_register", "leader", register)
    at.button(key="frx_csv").click().run()
    assert not at.exception
    assert len(_csv_ids(at.session_state["frx_ready"][2])) == CONFIRMED


def test_a_file_of_other_filters_is_not_offered_for_these(register):  # noqa: F811
    at = page("findings_register", "office", register)
    at.button(key="frx_csv").click().run()
    assert len(_csv_ids(at.session_state["frx_ready"][2])) == CONFIRMED + WAITING
    at.selectbox(key="fr_status").set_value("open").run()
    assert not at.exception
    assert not _downloads(at)


def test_too_many_rows_are_refused_on_the_page(register, monkeypatch):  # noqa: F811
    monkeypatch.setattr(register_export, "EXPORT_CAP", 10)
    at = page("findings_register", "office", register)
    at.button(key="frx_xlsx").click().run()
    assert not at.exception
    assert "符合筛选条件的问题超过 10 条" in texts(at)
    assert "缩小筛选范围" in texts(at)
    assert not _downloads(at)
    assert count_rows(register, AuditEvent, AuditEvent.action == "finding.export") == 0


@pytest.mark.parametrize("username", ["inspector1", "admin"])
def test_the_buttons_are_there_for_every_reader(register, username):  # noqa: F811
    at = page("findings_register", username, register)
    assert not at.exception
    assert {"frx_csv", "frx_xlsx"} <= {b.key for b in at.button}
