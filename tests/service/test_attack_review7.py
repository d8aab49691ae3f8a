"""Review 7, as an attacker: complaint attachments (PDF checks) and findings opened from
complaints. Each test reproduces a hole: it fails now and passes once the hole is closed."""

from __future__ import annotations

import contextlib
import os
import struct
import time
import zlib

import pytest

from db.models import Finding, Role
from services.complaints import attachments, duplicates, workflow
from services.core.errors import DomainError
from services.findings import from_complaint, queries
from services.findings import status as finding_status
from services.photos import pdf_child
from tests.conftest import count_rows
from tests.factories import make_complaint, make_district, make_unit

# CPU seconds one upload may cost before it is accepted or refused. A real 300-page scan
# is read in a few hundredths of a second; the server has two cores for everybody.
CPU_BUDGET_S = 1.5


# --- hand-made PDFs ------------------------------------------------------------------------

def _classic_pdf(objects: list[bytes]) -> bytes:
    """Objects 1..n with a classic xref table; object 1 is the catalog."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _many_pages(n: int) -> bytes:
    """A well-formed PDF of n blank pages, about 100 bytes a page."""
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(n))
    return _classic_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>",
         b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
        + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * n)


def _xref_stream_pdf(pages_in_streams: list[tuple[bytes, bytes]]) -> bytes:
    """A PDF 1.5 file whose pages each live in an object stream of their own: each item is
    (the object stream's dictionary entries, its raw stream bytes) and holds one page."""
    out, rows = bytearray(b"%PDF-1.7\n"), {0: (0, 0, 65535)}

    def add(number: int, body: bytes) -> None:
        rows[number] = (1, len(out), 0)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    k = len(pages_in_streams)
    add(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    add(2, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % (3 + i) for i in range(k)), k))
    for i, (entries, raw) in enumerate(pages_in_streams):
        page, stream = 3 + i, 3 + k + i
        add(stream, b"<< /Type /ObjStm /N 1 %s /Length %d >>\nstream\n" % (entries, len(raw))
            + raw + b"\nendstream")
        rows[page] = (2, stream, 0)
    xref_number, xref = 3 + 2 * k, len(out)
    rows[xref_number] = (1, xref, 0)
    table = b"".join(struct.pack(">BIH", *rows[i]) for i in range(xref_number + 1))
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\n"
            b"stream\n" % (xref_number, xref_number + 1, len(table)) + table
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)


def _padded_page_stream(padding: int) -> tuple[bytes, bytes]:
    """An object stream holding one page followed by `padding` spaces, deflated: a few KB
    on the wire, and pypdf steps through every space one read() at a time."""
    head = b"3 0 "
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    packer = zlib.compressobj(9)
    raw = packer.compress(head + page) + packer.compress(b" " * padding) + packer.flush()
    return b"/First %d /Filter /FlateDecode" % len(head), raw


def _cpu_seconds(files) -> float:
    """The app process's CPU for checking `files`; the checking child's own CPU must stay
    under its cap (pdf_child.CPU_SECONDS) per file."""
    started, children = time.process_time(), os.times()
    with contextlib.suppress(DomainError):  # refused by name: fine, as long as it was quick
        attachments.prepare(files)
    after = os.times()
    child_cpu = (after.children_user - children.children_user
                 + after.children_system - children.children_system)
    assert child_cpu <= (pdf_child.CPU_SECONDS + 0.5) * len(files)
    return time.process_time() - started


# --- 1. PDF checks that cost the server minutes ------------------------------------------

def test_a_4_mb_pdf_of_40000_pages_costs_seconds_of_cpu_before_the_300_page_refusal():
    """The whole page tree is flattened (a PageObject per leaf) before the page count is
    compared with 300: 4 MB cost ~5 s of CPU and ~150 MB here, a 20 MB file ~1 min,
    and a form takes ten files."""
    assert _cpu_seconds([("来信.pdf", _many_pages(40_000))]) < CPU_BUDGET_S


def test_a_120_kb_pdf_with_whitespace_padded_object_streams_costs_seconds_of_cpu():
    """Four object streams deflated from 30 MB of spaces each: 120 KB on the wire, 4-6 s of
    CPU here, and accepted as a fine 4-page scan. pypdf lets a stream inflate to ~75 MB
    (72 KB deflated; 3-11 s of CPU each here), so a 20 MB upload holds ~270 of them: a
    quarter of an hour to most of an hour of CPU, holding the GIL of the Streamlit process,
    from any liaison's reply form (ten files a form)."""
    pdf = _xref_stream_pdf([_padded_page_stream(30_000_000)] * 4)
    assert len(pdf) < 150_000
    assert _cpu_seconds([("整改报告.pdf", pdf)]) < CPU_BUDGET_S


# --- 2. PDFs that crash the form instead of being refused by name --------------------------

_R6_ENCRYPT = (
    b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /O <" + b"00" * 48 + b"> /U <"
    + b"00" * 48 + b"> /OE <" + b"00" * 32 + b"> /UE <" + b"00" * 32 + b"> /Perms <"
    + b"00" * 16 + b"> /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >>"
    b" /StmF /StdCF /StrF /StdCF >>"
)


def _aes256_pdf() -> bytes:
    """AES-256 (R6) security handler, as scanners and "protect PDF" tools write it."""
    pdf = _classic_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
                        _R6_ENCRYPT])
    file_id = b"<00112233445566778899aabbccddeeff>"
    return pdf.replace(b"/Root 1 0 R >>",
                       b"/Root 1 0 R /Encrypt 4 0 R /ID [%s %s] >>" % (file_id, file_id))


@pytest.mark.parametrize("pdf", [
    pytest.param(_aes256_pdf(), id="aes256-encrypted"),
    pytest.param(_xref_stream_pdf([(b"/First 4 /Filter /BrotliDecode", b"3 0 42")]),
                 id="brotli-object-stream"),
    pytest.param(_xref_stream_pdf([(b"/First 4 /Filter /JBIG2Decode", b"3 0 42")]),
                 id="jbig2-object-stream"),
])
def test_a_pdf_needing_a_missing_codec_crashes_the_form_with_a_traceback(pdf):
    """pypdf raises DependencyError (cryptography, brotli, jbig2dec are not installed), which
    is not a PyPdfError: it escapes prepare(), reported()/saving() only catch DomainError,
    so the register or reply page shows a traceback instead of "文件“…”：PDF 文件已损坏"."""
    with contextlib.suppress(DomainError):  # refused by name, or accepted: both fine
        attachments.prepare([("扫描件.pdf", pdf)])


# --- 3. findings opened from complaints ----------------------------------------------------

@pytest.fixture
def city(uow, admin, office, make_user):
    xg = make_district(uow, actor=admin, name="雄关区")
    power = make_unit(uow, actor=admin, name="峪泉供电所", district=xg)
    water = make_unit(uow, actor=admin, name="雄关区供水公司", district=xg)
    return dict(
        office=office, power=power, water=water,
        power_liaison=make_user("liaison_power", Role.UNIT, unit_id=power.id),
        water_liaison=make_user("liaison_water", Role.UNIT, unit_id=water.id),
    )


def _open(uow, office, complaint):
    return uow.run(from_complaint.open_from_complaint, actor=office, complaint_id=complaint.id,
                   category="attitude", description="窗口人员态度生硬（来自投诉）")


def _awaiting(uow, liaison) -> set[int]:
    return {c.id for c in uow.query(queries.list_cases, actor=liaison,
                                    statuses=tuple(finding_status.AWAITING_UNIT))}


def test_a_misrouted_complaint_leaves_its_finding_with_the_unit_that_returned_it(uow, city):
    """The office opens a finding from a complaint about 峪泉供电所, sends it there; the unit
    returns it (not ours) and the office reassigns it to the water company. The finding
    stays with 供电所 (a rectifying finding cannot be withdrawn, and it counts as theirs,
    overdue included), and opening it again for the right unit gives 供电所's finding."""
    office = city["office"]
    complaint = make_complaint(uow, office=office, unit=city["power"])
    uow.run(workflow.assign, actor=office, complaint_id=complaint.id, version=None,
            unit_id=city["power"].id)
    finding = _open(uow, office, complaint)
    uow.run(workflow.return_to_office, actor=city["power_liaison"], complaint_id=complaint.id,
            reason="不是我单位的事项，应由供水公司办理")
    try:
        uow.run(workflow.assign, actor=office, complaint_id=complaint.id, version=None,
                unit_id=city["water"].id)
    except DomainError:
        return  # refusing to reassign while the finding is open is a fix too
    assert finding.id not in _awaiting(uow, city["power_liaison"])
    try:
        again = _open(uow, office, complaint)
    except DomainError:
        return
    assert again.unit_id == city["water"].id


def test_a_duplicate_complaint_opens_a_second_finding_for_the_same_matter(uow, city):
    """Two calls about the same window, linked as duplicates (lists and counts leave the
    copy out), still open two findings: the unit rectifies, and is counted, twice."""
    office = city["office"]
    first = make_complaint(uow, office=office, unit=city["power"])
    uow.run(workflow.assign, actor=office, complaint_id=first.id, version=None,
            unit_id=city["power"].id)
    copy = make_complaint(uow, office=office, unit=city["power"], phone="13900001111")
    uow.run(duplicates.link, actor=office, complaint_id=copy.id, version=None,
            original_id=first.id)
    _open(uow, office, first)
    with contextlib.suppress(DomainError):  # "a copy of #first: open it there" is a fix
        _open(uow, office, copy)
    assert count_rows(uow, Finding) == 1
    assert len(_awaiting(uow, city["power_liaison"])) == 1
