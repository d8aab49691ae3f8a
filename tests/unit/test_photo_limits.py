"""What keeps one upload from tying up photo decoding: a JPEG with an absurd number of
scans is refused before it is decoded, and an upload waits for a decode slot only so long."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from PIL import Image

from services.core.errors import PhotoRejected
from services.photos import evidence, imaging
from services.photos.jpeg_scans import MAX_MARKERS, MAX_SCANS, markers
from tests.conftest import PHOTOS

REAL_JPEGS = sorted(p.name for p in PHOTOS.glob("*.jpg"))

pytestmark = pytest.mark.skipif(not PHOTOS.is_dir(), reason=f"test photos missing: {PHOTOS}")


def encode(im: Image.Image, fmt: str = "JPEG", **params) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, fmt, **params)
    return buffer.getvalue()


def jpeg(mode: str = "RGB", size=(64, 48), **params) -> bytes:
    return encode(Image.effect_noise(size, 40).convert(mode), **params)


def scans(data: bytes) -> int:
    return sum(marker == 0xDA for marker in markers(data))


def with_last_scan_repeated(data: bytes, times: int) -> bytes:
    """The progressive file with its last scan (an AC refinement: the SOS segment and its
    entropy-coded data) sent `times` more times before EOI. Each repeat is a few dozen
    bytes; libjpeg still walks every block of the image for it."""
    assert data.endswith(b"\xff\xd9")
    last = data.rindex(b"\xff\xda")  # entropy-coded data never holds FF DA (stuffing)
    return data[:-2] + data[last:-2] * times + data[-2:]


@pytest.fixture
def opened(monkeypatch) -> list:
    """Records every call of the pipeline's Image.open step."""
    calls = []
    real_open = imaging._open

    def spy(data, kind):
        calls.append(kind)
        return real_open(data, kind)

    monkeypatch.setattr(imaging, "_open", spy)
    return calls


# --- scans --------------------------------------------------------------------------------


def test_a_jpeg_with_thousands_of_tiny_scans_is_refused_before_any_decoding(opened):
    # 1000x1000 keeps the test light; decoding it takes about a second of CPU, and the
    # same file at 7000x7000 (0.3 MB) kept a decode slot for 90 s before this check.
    flat = encode(Image.new("L", (1000, 1000), 128), progressive=True)
    hostile = with_last_scan_repeated(flat, 2_000)
    assert len(hostile) < 100_000 and scans(hostile) > 2_000
    started = time.perf_counter()
    with pytest.raises(PhotoRejected) as caught:
        imaging.ingest(hostile)
    assert time.perf_counter() - started < 1  # the walk takes about a millisecond
    assert (caught.value.message_key, caught.value.params) == ("photo.too_many_scans", {})
    assert opened == []  # refused from the marker walk alone


def test_the_scan_limit_is_exact(opened):
    plain = jpeg("L", progressive=True)
    at_limit = with_last_scan_repeated(plain, MAX_SCANS - scans(plain))
    assert scans(at_limit) == MAX_SCANS
    assert imaging.ingest(at_limit).mime == "image/jpeg"
    over = with_last_scan_repeated(plain, MAX_SCANS - scans(plain) + 1)
    with pytest.raises(PhotoRejected, match="photo.too_many_scans"):
        imaging.ingest(over)
    assert len(opened) == 1  # only the file at the limit was decoded


@pytest.mark.parametrize(("mode", "expected"), [("RGB", 10), ("L", 6), ("CMYK", 18)])
def test_ordinary_progressive_jpegs_are_accepted(mode, expected):
    data = jpeg(mode, (640, 480), progressive=True, quality=90)
    assert scans(data) == expected  # libjpeg's own progressive scripts
    photo = imaging.ingest(data)
    assert (photo.mime, photo.width, photo.height) == ("image/jpeg", 640, 480)


@pytest.mark.parametrize("name", REAL_JPEGS)
def test_real_camera_jpegs_have_one_scan(name):
    """Thumbnails inside EXIF are whole JPEGs with their own SOS; skipping segment bodies
    by their length keeps them out of the count."""
    assert scans((PHOTOS / name).read_bytes()) == 1


def test_exif_thumbnail_and_mpo_second_frame_are_not_counted():
    camera = (PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes()
    assert camera.count(b"\xff\xda") == 2 and scans(camera) == 1
    first, second = Image.new("RGB", (64, 48), "blue"), Image.new("RGB", (64, 48), "white")
    mpo = encode(first, "MPO", save_all=True, append_images=[second])
    assert mpo.count(b"\xff\xda") == 2 and scans(mpo) == 1


def test_the_walk_follows_libjpeg_through_stuffing_restarts_fill_and_stray_bytes():
    data = (
        b"\xff\xd8"
        + b"\xff\xe1\x00\x06\xff\xda\xff\xda"  # APP1 whose body looks like two SOS
        + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"  # SOS
        + b"\x12\xff\x00\x34\xff\xd0\x56\xff\xd7"  # data: stuffed FF, RST0, RST7
        + b"\xff\xff\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"  # fill bytes, then SOS
        + b"junk\xff\x00\xff\xfe\x00\x02"  # stray bytes, stuffing, then an empty COM
        + b"\xff\xd9"
        + b"\xff\xda\x00\x08"  # after EOI: never decoded
    )
    assert list(markers(data)) == [0xE1, 0xDA, 0xDA, 0xFE]


def test_restart_markers_are_not_scans():
    data = jpeg("RGB", (256, 256), restart_marker_blocks=4)
    assert sum(data.count(bytes([0xFF, rst])) for rst in range(0xD0, 0xD8)) > 50
    assert scans(data) == 1
    assert imaging.ingest(data).width == 256


def test_a_flood_of_empty_segments_is_refused_without_walking_it_all(opened):
    plain = jpeg()
    flood = plain[:-2] + b"\xff\xfe\x00\x02" * 1_000_000 + plain[-2:]  # 4 MB of COM
    started = time.perf_counter()
    with pytest.raises(PhotoRejected, match="photo.too_many_scans"):
        imaging.ingest(flood)
    assert time.perf_counter() - started < 1  # the whole walk would take seconds
    assert opened == []
    few = plain[:-2] + b"\xff\xfe\x00\x02" * (MAX_MARKERS - len(list(markers(plain)))) + plain[-2:]
    assert imaging.ingest(few).mime == "image/jpeg"


def test_truncated_or_malformed_jpegs_are_left_to_the_decoder():
    plain = jpeg(progressive=True)
    assert scans(plain[: len(plain) // 2]) >= 1
    assert list(markers(b"\xff\xd8\xff\xe1")) == [0xE1]  # no length: the walk just ends
    with pytest.raises(PhotoRejected, match="photo.damaged"):
        imaging.ingest(plain[: len(plain) // 2])


# --- decode slots -------------------------------------------------------------------------


class Slots:
    """Decode slots taken as other uploads would take them."""

    def __init__(self) -> None:
        self.held = 0

    def take(self, n: int) -> None:
        for _ in range(n):
            assert evidence._DECODING.acquire(blocking=False), "a decode slot was left taken"
            self.held += 1

    def give_back(self) -> None:
        self.held -= 1
        evidence._DECODING.release()


@pytest.fixture
def slots():
    taken = Slots()
    yield taken
    while taken.held:
        taken.give_back()


@pytest.mark.timeout(30)  # without the wait's timeout this would hang, not fail
def test_an_upload_gives_up_with_a_busy_message_while_both_slots_are_taken(slots, monkeypatch):
    monkeypatch.setattr(evidence, "DECODE_WAIT_S", 0.01)
    data = (PHOTOS / "jpg_Canon_40D.jpg").read_bytes()
    slots.take(2)
    with pytest.raises(PhotoRejected) as caught:
        evidence.ingest(data)
    assert (caught.value.message_key, caught.value.params) == ("photo.busy", {})
    slots.give_back()
    assert evidence.ingest(data).width == 100  # a free slot: the retry goes through


def test_a_refused_or_failed_decode_gives_its_slot_back(slots, monkeypatch):
    monkeypatch.setattr(evidence, "DECODE_WAIT_S", 0.01)
    with pytest.raises(PhotoRejected, match="photo.unsupported_format"):
        evidence.ingest(b"not a photo")

    def crash(data, watermark=None):
        raise RuntimeError("decoder bug")

    monkeypatch.setattr(imaging, "ingest", crash)
    with pytest.raises(RuntimeError):
        evidence.ingest(b"anything")
    slots.take(2)  # both are free again


def _png_with_empty_chunks(n: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, "PNG")
    data = buffer.getvalue()
    empty = struct.pack(">I4s", 0, b"zzZz") + struct.pack(">I", zlib.crc32(b"zzZz"))
    return data[:33] + empty * n + data[33:]  # after the 33-byte signature + IHDR


def test_a_png_made_of_masses_of_empty_chunks_is_refused_before_pillow_reads_it(monkeypatch):
    hostile = _png_with_empty_chunks(20_000)
    opened = []
    monkeypatch.setattr(imaging, "_open", lambda *a: opened.append(a))
    with pytest.raises(PhotoRejected) as err:
        imaging.ingest(hostile)
    assert err.value.message_key == "photo.too_many_chunks"
    assert opened == []


def test_a_png_with_a_few_extra_chunks_still_ingests():
    photo = imaging.ingest(_png_with_empty_chunks(50))
    assert (photo.width, photo.height) == (64, 64)
