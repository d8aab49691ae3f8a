"""Photo pipeline: real camera files from shared/testdata plus hostile files made here."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import struct
import time
import zlib
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat
from PIL.TiffImagePlugin import IFDRational

from services.core.errors import PhotoRejected
from services.photos import exif, imaging
from services.photos.imaging import IngestedPhoto, ingest
from services.photos.watermark import _LATIN_FONT_PATHS, FontSet, Watermark, system_fonts

PHOTOS = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "photos"
REAL_PHOTOS = sorted(p.name for p in PHOTOS.glob("*") if p.suffix.lower() != ".md")
ALLOWED_JPEG_MARKERS = {0xD8, 0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD, 0xDA}  # no APPn>0, no COM

pytestmark = pytest.mark.skipif(not PHOTOS.is_dir(), reason=f"test photos missing: {PHOTOS}")


# --- helpers ------------------------------------------------------------------------------


@cache
def ingest_file(name: str) -> IngestedPhoto:
    return ingest((PHOTOS / name).read_bytes())


def rejection(data: bytes) -> PhotoRejected:
    with pytest.raises(PhotoRejected) as caught:
        ingest(data)
    return caught.value


def encode(im: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, fmt, **params)
    return buffer.getvalue()


def textured(size: tuple[int, int]) -> Image.Image:
    """Gradients plus mild noise: compresses like a photo, not like a flat colour."""
    noise = Image.effect_noise(size, 12).convert("L")
    radial = Image.radial_gradient("L").resize(size)
    linear = Image.linear_gradient("L").resize(size)
    return Image.merge("RGB", (radial, Image.blend(linear, noise, 0.3), noise))


def jpeg_segments(data: bytes) -> list[int]:
    """Marker bytes of every segment up to the start of the scan."""
    assert data[:2] == b"\xff\xd8"
    markers, pos = [0xD8], 2
    while pos < len(data):
        assert data[pos] == 0xFF, f"bad segment at {pos}"
        marker = data[pos + 1]
        markers.append(marker)
        if marker == 0xDA:
            return markers
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    raise AssertionError("no scan found")


def open_clean_jpeg(data: bytes, max_edge: int) -> Image.Image:
    """Assert a derivative is a plain RGB JPEG with no metadata at all, and open it."""
    assert set(jpeg_segments(data)) <= ALLOWED_JPEG_MARKERS
    im = Image.open(io.BytesIO(data))
    assert (im.format, im.mode) == ("JPEG", "RGB")
    assert max(im.size) <= max_edge
    assert not im.getexif()
    assert not {"exif", "icc_profile", "xmp", "comment"} & set(im.info)
    im.load()
    return im


def mean_difference(a: Image.Image, b: Image.Image, size=(32, 24)) -> float:
    diff = ImageChops.difference(a.convert("RGB").resize(size), b.convert("RGB").resize(size))
    return sum(ImageStat.Stat(diff).mean) / 3


def png_chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of all-zero rows, compressed row block by row block so neither the
    file (tens of KB) nor the test's memory grows with the claimed size."""
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    block = row * 1000
    idat = b"".join(compressor.compress(block) for _ in range(height // 1000))
    idat += compressor.compress(row * (height % 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def exif_bytes(orientation=1, gps=None, taken="2026:11:20 10:30:00") -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x8769] = {0x9003: taken}
    if gps is not None:
        exif[0x8825] = gps
    return exif.tobytes()


def dms(d, m, s) -> tuple[IFDRational, ...]:
    return IFDRational(d, 1), IFDRational(m, 1), IFDRational(round(s * 1000), 1000)


# --- real photos --------------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_PHOTOS)
def test_real_photo_is_kept_verbatim_with_clean_derivatives(name):
    original = (PHOTOS / name).read_bytes()
    photo = ingest_file(name)
    assert photo.original == original
    assert photo.sha256 == hashlib.sha256(original).hexdigest()
    assert photo.mime == ("image/heic" if name.endswith(".HEIC") else "image/jpeg")
    display = open_clean_jpeg(photo.display, 2048)
    thumb = open_clean_jpeg(photo.thumbnail, 320)
    # Derivatives keep the upright aspect ratio of the original.
    for derivative in (display, thumb):
        assert derivative.width / derivative.height == pytest.approx(
            photo.width / photo.height, rel=0.02
        )
    assert max(display.size) == min(2048, max(photo.width, photo.height))


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_landscape_orientations_come_out_upright(orientation):
    reference = Image.open(PHOTOS / "jpg_orientation_landscape_1.jpg")
    name = f"jpg_orientation_landscape_{orientation}.jpg"
    photo = ingest_file(name)
    display = Image.open(io.BytesIO(photo.display))
    assert (photo.width, photo.height) == display.size == (600, 450)
    # Same picture as orientation 1 (the sample files differ only in their colour profile
    # and the digit drawn in the middle: ~14 here, a wrong rotation or flip scores > 50).
    assert mean_difference(display, reference) < 30
    # And what Pillow's own exif_transpose of the full image gives (a mirror image of this
    # picture scores 40 or more at full size).
    expected = ImageOps.exif_transpose(Image.open(PHOTOS / name))
    assert mean_difference(display, expected, size=display.size) < 8  # JPEG re-encoding


def test_portrait_orientation_6_comes_out_portrait():
    photo = ingest_file("jpg_orientation_portrait_6.jpg")
    display = Image.open(io.BytesIO(photo.display))
    assert (photo.width, photo.height) == display.size == (450, 600)
    expected = ImageOps.exif_transpose(Image.open(PHOTOS / "jpg_orientation_portrait_6.jpg"))
    assert mean_difference(display, expected, size=display.size) < 8  # JPEG re-encoding


@pytest.mark.parametrize(
    ("name", "lat", "lon", "taken_at"),
    [
        # 43°28'2.814"N 11°53'6.456"E, read from the GPS IFD by hand.
        ("jpg_gps_DSCN0010.jpg", 43.467448, 11.885127, datetime(2008, 10, 22, 16, 28, 39)),
        ("jpg_gps_DSCN0021.jpg", 43.467082, 11.884538, datetime(2008, 10, 22, 16, 38, 20)),
        # 39°3'4.84"N 94°17'19.58"W: the W ref makes the longitude negative.
        ("heic_IMG_5195.HEIC", 39.051344, -94.288772, datetime(2021, 4, 11, 15, 47, 53)),
    ],
)
def test_gps_and_capture_time_are_read(name, lat, lon, taken_at):
    photo = ingest_file(name)
    assert photo.gps_lat == pytest.approx(lat, abs=1e-5)
    assert photo.gps_lon == pytest.approx(lon, abs=1e-5)
    assert photo.taken_at == taken_at


def test_gps_ifd_without_coordinates_gives_none_but_keeps_time():
    # Canon 40D: GPS IFD holds only a version; DateTimeOriginal wins over DateTime.
    photo = ingest_file("jpg_Canon_40D.jpg")
    assert (photo.gps_lat, photo.gps_lon) == (None, None)
    assert photo.taken_at == datetime(2008, 5, 30, 15, 56, 1)


def test_heic_is_accepted_upright_and_resized():
    photo = ingest_file("heic_IMG_5195.HEIC")
    assert (photo.width, photo.height) == (2566, 3313)
    assert Image.open(io.BytesIO(photo.display)).size == (1586, 2048)
    assert Image.open(io.BytesIO(photo.thumbnail)).size == (248, 320)
    assert photo.suffix == ".heic"


def test_corrupted_10mp_jpeg_is_accepted_as_decodable():
    """Decision: libjpeg decodes jpg_corrupted.jpg with only a warning (the last rows come
    out grey, some blocks shifted); the picture is still usable evidence, so it is kept."""
    started = time.perf_counter()
    photo = ingest_file("jpg_corrupted.jpg")
    assert time.perf_counter() - started < 10
    assert (photo.width, photo.height) == (3648, 2736)
    assert Image.open(io.BytesIO(photo.display)).size == (2048, 1536)


def test_invalid_exif_just_means_no_metadata():
    photo = ingest_file("jpg_invalid_image00971.jpg")
    assert (photo.taken_at, photo.gps_lat, photo.gps_lon) == (None, None, None)
    assert (photo.width, photo.height) == (636, 227)


# --- refusals -----------------------------------------------------------------------------

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


def heic_sample() -> bytes:
    return (PHOTOS / "heic_IMG_5195.HEIC").read_bytes()


def truncated_jpeg(progressive: bool) -> bytes:
    data = encode(textured((640, 480)), "JPEG", quality=90, progressive=progressive)
    return data[: len(data) * 2 // 3]


@pytest.mark.parametrize(
    ("make", "key", "params"),
    [
        pytest.param(lambda: b"", "photo.empty", {}, id="empty"),
        pytest.param(
            lambda: b"\0" * (imaging.MAX_BYTES + 1), "photo.too_large", {"max_mb": 25}, id="26mb"
        ),
        pytest.param(lambda: SVG, "photo.unsupported_format", {}, id="svg"),
        pytest.param(
            lambda: encode(Image.new("P", (8, 8)), "GIF"), "photo.unsupported_format", {}, id="gif"
        ),
        pytest.param(
            lambda: encode(Image.new("RGB", (8, 8)), "TIFF"),
            "photo.unsupported_format",
            {},
            id="tiff",
        ),
        pytest.param(
            lambda: encode(Image.new("RGB", (8, 8)), "BMP"),
            "photo.unsupported_format",
            {},
            id="bmp",
        ),
        pytest.param(
            lambda: b"\0\0\0\x1cftypavif\0\0\0\0mif1miaf" + b"\0" * 64,
            "photo.unsupported_format",
            {},
            id="avif-brand",
        ),
        pytest.param(
            lambda: png_bomb(20_000, 20_000), "photo.too_many_pixels", {"max_mp": 50}, id="bomb"
        ),
        pytest.param(
            # 56 MP: above our limit but below Pillow's own bomb warning (89 MP).
            lambda: png_bomb(8_000, 7_000),
            "photo.too_many_pixels",
            {"max_mp": 50},
            id="56mp",
        ),
        pytest.param(lambda: truncated_jpeg(False), "photo.damaged", {}, id="truncated"),
        pytest.param(lambda: truncated_jpeg(True), "photo.damaged", {}, id="truncated-prog"),
        pytest.param(
            lambda: b"\xff\xd8\xff\xe0" + b"garbage" * 20, "photo.damaged", {}, id="jpeg-junk"
        ),
        pytest.param(
            lambda: encode(textured((64, 48)), "PNG")[:-200], "photo.damaged", {}, id="png-cut"
        ),
        # libheif itself decodes these, painting the missing tiles green.
        pytest.param(lambda: heic_sample()[:300_000], "photo.damaged", {}, id="heic-cut"),
        pytest.param(lambda: heic_sample()[:-1], "photo.damaged", {}, id="heic-cut-1-byte"),
        pytest.param(
            lambda: heic_sample()[:4] + b"ftypheic" + b"\0" * 8,
            "photo.damaged",
            {},
            id="heic-junk",
        ),
        pytest.param(
            lambda: encode(textured((64, 48)), "WEBP")[:-10], "photo.damaged", {}, id="webp-cut"
        ),
    ],
)
def test_refused(make, key, params):
    error = rejection(make())
    assert (error.message_key, error.params) == (key, params)


def test_text_file_named_jpg_is_refused_by_content(tmp_path):
    fake = tmp_path / "现场照片.jpg"
    fake.write_text("这不是照片 / not a photo", encoding="utf-8")
    assert rejection(fake.read_bytes()).message_key == "photo.unsupported_format"


def test_exactly_25_mb_passes_the_size_check():
    junk = b"x" * imaging.MAX_BYTES
    assert rejection(junk).message_key == "photo.unsupported_format"


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_bomb_warning_turned_error_is_still_a_refusal():
    # 100 MP sits between Pillow's warning (89 MP) and error (179 MP) thresholds.
    error = rejection(png_bomb(10_000, 10_000))
    assert error.message_key == "photo.too_many_pixels"


def test_pillow_global_pixel_limit_is_left_alone():
    before = Image.MAX_IMAGE_PIXELS
    rejection(png_bomb(20_000, 20_000))
    assert before == Image.MAX_IMAGE_PIXELS


# --- draft mode still decodes everything --------------------------------------------------


@pytest.fixture(scope="module")
def big_jpeg() -> bytes:
    """4400x3300: large enough that the display is decoded at 1/2 scale in draft mode."""
    return encode(textured((4400, 3300)), "JPEG", quality=80)


def test_big_jpeg_is_draft_decoded(big_jpeg):
    probe = Image.open(io.BytesIO(big_jpeg))
    assert probe.draft("RGB", (2048, 1536)) is not None  # libjpeg will scale by 1/2
    photo = ingest(big_jpeg)
    assert (photo.width, photo.height) == (4400, 3300)
    assert Image.open(io.BytesIO(photo.display)).size == (2048, 1536)


@pytest.mark.parametrize("keep", [0.5, 0.99])
def test_truncation_is_detected_in_draft_mode(big_jpeg, keep):
    cut = big_jpeg[: int(len(big_jpeg) * keep)]
    assert rejection(cut).message_key == "photo.damaged"


def test_missing_end_marker_only_is_detected(big_jpeg):
    assert rejection(big_jpeg[:-2]).message_key == "photo.damaged"


# --- accepted generated images ------------------------------------------------------------


def sixteen_bit_png() -> bytes:
    im = Image.new("I", (64, 48), 0x2000)
    im.paste(0xF000, (0, 24, 64, 48))
    return encode(im.convert("I;16"), "PNG")


def transparent_png() -> bytes:
    im = Image.new("RGBA", (64, 48), (255, 0, 0, 255))
    im.paste((0, 0, 0, 0), (0, 0, 64, 24))  # top half fully transparent
    return encode(im, "PNG")


def palette_png_with_transparency() -> bytes:
    im = Image.new("P", (64, 48), 1)
    im.putpalette([0, 0, 0, 0, 0, 255])
    im.paste(0, (0, 0, 64, 24))
    return encode(im, "PNG", transparency=0)


def mpo() -> bytes:
    frames = [Image.new("RGB", (64, 48), (0, 0, 255)), Image.new("RGB", (64, 48), "white")]
    return encode(frames[0], "MPO", save_all=True, append_images=frames[1:])


@pytest.mark.parametrize(
    ("make", "mime", "top_left", "bottom_right"),
    [
        pytest.param(
            lambda: encode(Image.new("CMYK", (64, 48), (0, 255, 255, 0)), "JPEG"),
            "image/jpeg",
            (255, 0, 0),
            (255, 0, 0),
            id="cmyk-jpeg",
        ),
        pytest.param(
            lambda: encode(Image.new("L", (64, 48), 90), "JPEG"),
            "image/jpeg",
            (90, 90, 90),
            (90, 90, 90),
            id="grey-jpeg",
        ),
        # Pillow alone would clip 16-bit values to white; they must be scaled to 8 bits.
        pytest.param(sixteen_bit_png, "image/png", (32, 32, 32), (240, 240, 240), id="png-16bit"),
        pytest.param(transparent_png, "image/png", (255, 255, 255), (255, 0, 0), id="png-alpha"),
        pytest.param(
            palette_png_with_transparency,
            "image/png",
            (255, 255, 255),
            (0, 0, 255),
            id="png-palette-transparent",
        ),
        pytest.param(
            lambda: encode(Image.new("LA", (64, 48), (0, 0)), "PNG"),
            "image/png",
            (255, 255, 255),
            (255, 255, 255),
            id="png-grey-alpha",
        ),
        pytest.param(
            lambda: encode(Image.new("RGB", (64, 48), (0, 128, 0)), "WEBP", lossless=True),
            "image/webp",
            (0, 128, 0),
            (0, 128, 0),
            id="webp",
        ),
        pytest.param(mpo, "image/jpeg", (0, 0, 255), (0, 0, 255), id="mpo"),
    ],
)
def test_accepted_modes_become_plain_rgb(make, mime, top_left, bottom_right):
    photo = ingest(make())
    assert photo.mime == mime
    assert (photo.width, photo.height) == (64, 48)
    display = open_clean_jpeg(photo.display, 2048)
    open_clean_jpeg(photo.thumbnail, 320)
    corner = (display.width - 3, display.height - 3)
    assert display.getpixel((2, 2)) == pytest.approx(top_left, abs=12)  # JPEG re-encoding
    assert display.getpixel(corner) == pytest.approx(bottom_right, abs=12)


def test_large_png_is_resized_for_both_derivatives():
    photo = ingest(encode(Image.new("RGB", (3000, 1000), "teal"), "PNG"))
    assert Image.open(io.BytesIO(photo.display)).size == (2048, 683)
    assert Image.open(io.BytesIO(photo.thumbnail)).size == (320, 107)


def test_large_transparent_png_is_shrunk_without_dark_fringes():
    im = Image.new("RGBA", (3001, 1000), (255, 255, 255, 255))
    im.paste((0, 0, 0, 0), (0, 0, 1500, 1000))  # left half transparent *black*
    display = Image.open(io.BytesIO(ingest(encode(im, "PNG", compress_level=1)).display))
    assert display.size == (2048, 682)
    # Opaque white beside transparent anything must flatten to plain white; resizing
    # without premultiplied alpha would smear the hidden black into a grey seam.
    assert all(low >= 250 for low, _ in display.getextrema())


def test_generated_jpeg_with_orientation_gps_south_west_and_time():
    gps = {1: "S", 2: dms(33, 51, 36.0), 3: "W", 4: dms(70, 39, 0.0)}
    data = encode(textured((400, 300)), "JPEG", exif=exif_bytes(6, gps))
    photo = ingest(data)
    assert (photo.width, photo.height) == (300, 400)
    assert Image.open(io.BytesIO(photo.display)).size == (300, 400)
    assert photo.gps_lat == pytest.approx(-33.86, abs=1e-6)
    assert photo.gps_lon == pytest.approx(-70.65, abs=1e-6)
    assert photo.taken_at == datetime(2026, 11, 20, 10, 30)
    assert b"Exif" not in photo.display and b"Exif" not in photo.thumbnail


def test_gps_at_zero_zero_means_no_fix():
    gps = {1: "N", 2: dms(0, 0, 0), 3: "E", 4: dms(0, 0, 0)}
    photo = ingest(encode(textured((40, 30)), "JPEG", exif=exif_bytes(gps=gps)))
    assert (photo.gps_lat, photo.gps_lon) == (None, None)


def test_comment_xmp_and_icc_are_not_carried_over():
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret-xmp</x:xmpmeta>'
    data = encode(
        textured((400, 300)),
        "JPEG",
        comment=b"secret-comment",
        xmp=xmp,
        icc_profile=icc,
        exif=exif_bytes(gps={1: "N", 2: dms(43, 28, 2.8), 3: "E", 4: dms(11, 53, 6.5)}),
    )
    source = Image.open(io.BytesIO(data))
    assert {"comment", "xmp", "icc_profile", "exif"} <= set(source.info)
    photo = ingest(data)
    for derivative in (photo.display, photo.thumbnail):
        open_clean_jpeg(derivative, 2048)
        assert b"secret" not in derivative


@pytest.mark.parametrize(
    ("values", "ref", "refs", "expected"),
    [
        ((43.0, 28.0, 2.814), "N", "NS", 43.467448),
        ((43.0, 28.0, 2.814), b"S\x00", "NS", -43.467448),
        ((11.0, 53.0, 6.456), "E", "EW", 11.885127),
        ((70.5,), "W", "EW", -70.5),
        ((IFDRational(70, 1), IFDRational(1, 0), IFDRational(0, 1)), "W", "EW", None),
        ((43.0, 28.0, 2.814), None, "NS", None),
        ((43.0, 28.0, 2.814), "X", "NS", None),
        ((91.0, 0.0, 0.0), "N", "NS", None),
        ("garbage", "N", "NS", None),
        ((), "N", "NS", None),
    ],
)
def test_gps_degrees(values, ref, refs, expected):
    result = exif.gps_degrees(values, ref, refs, 90 if refs == "NS" else 180)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2008:10:22 16:28:39", datetime(2008, 10, 22, 16, 28, 39)),
        ("2008:10:22 16:28:39\x00", datetime(2008, 10, 22, 16, 28, 39)),
        (b"2008-10-22 16:28:39", datetime(2008, 10, 22, 16, 28, 39)),
        ("0000:00:00 00:00:00", None),
        ("    :  :     :  :  ", None),
        (None, None),
        (20081022, None),
    ],
)
def test_parse_exif_datetime(value, expected):
    assert exif.parse_exif_datetime(value) == expected


def test_result_is_frozen_and_repr_leaves_out_the_bytes():
    photo = ingest_file("jpg_Canon_40D.jpg")
    with pytest.raises(dataclasses.FrozenInstanceError):
        photo.sha256 = "x"  # type: ignore[misc]
    assert len(repr(photo)) < 400


# --- watermark ----------------------------------------------------------------------------

CJK_LINES = ["2026-11-25 10:30 雄关区政务服务中心", "督查员 张三"]
LATIN_LINES = ["2026-11-25 10:30 Xiongguan District Service Center", "Inspector Zhang San"]
DEJAVU = next((p for p in _LATIN_FONT_PATHS if Path(p).is_file() and "DejaVu" in p), None)


@pytest.fixture(scope="module")
def plain_photo() -> IngestedPhoto:
    return ingest_file("jpg_mobile_jolla.jpg")


def watermarked(fonts: FontSet, watermark: Watermark) -> IngestedPhoto:
    return ingest((PHOTOS / "jpg_mobile_jolla.jpg").read_bytes(), watermark=watermark, fonts=fonts)


def region_difference(a: bytes, b: bytes, box) -> float:
    crop_a, crop_b = (Image.open(io.BytesIO(x)).crop(box) for x in (a, b))
    return sum(ImageStat.Stat(ImageChops.difference(crop_a, crop_b)).mean) / 3


def font_sets() -> list:
    cjk = system_fonts().cjk_path
    return [
        pytest.param(
            FontSet(cjk, None),
            id="cjk",
            marks=pytest.mark.skipif(cjk is None, reason="no CJK font installed"),
        ),
        pytest.param(
            FontSet(None, DEJAVU),
            id="dejavu",
            marks=pytest.mark.skipif(DEJAVU is None, reason="no DejaVu font"),
        ),
        pytest.param(FontSet(None, None), id="pillow-default"),
    ]


@pytest.mark.parametrize("fonts", font_sets())
def test_watermark_darkens_bottom_left_only(plain_photo, fonts):
    photo = watermarked(fonts, Watermark(CJK_LINES, LATIN_LINES))
    bottom_left = (0, 1536 - 60, 400, 1536)
    top_right = (1648, 0, 2048, 400)
    assert region_difference(photo.display, plain_photo.display, bottom_left) > 20
    assert region_difference(photo.display, plain_photo.display, top_right) < 1
    assert photo.thumbnail == plain_photo.thumbnail  # too small to carry a legible mark
    open_clean_jpeg(photo.display, 2048)


@pytest.mark.parametrize("fonts", font_sets()[1:])
def test_without_cjk_font_the_latin_lines_are_drawn(fonts):
    with_both = watermarked(fonts, Watermark(CJK_LINES, LATIN_LINES))
    latin_only = watermarked(fonts, Watermark(LATIN_LINES))
    assert with_both.display == latin_only.display


def test_without_cjk_font_or_latin_lines_cjk_characters_are_dropped():
    fonts = FontSet(None, DEJAVU)
    mixed = watermarked(fonts, Watermark(["督查员 Zhang San 张三"]))
    latin = watermarked(fonts, Watermark(["Zhang San"]))
    assert mixed.display == latin.display


def test_watermark_fits_small_and_long_cases():
    tiny = (PHOTOS / "jpg_Canon_40D.jpg").read_bytes()
    long_line = Watermark(["很长的单位名称" * 20, "督查员"], ["Very long unit name " * 20])
    for fonts in (system_fonts(), FontSet(None, None)):
        photo = ingest(tiny, watermark=long_line, fonts=fonts)
        assert Image.open(io.BytesIO(photo.display)).size == (100, 68)


def test_font_lookup_is_cached():
    assert system_fonts() is system_fonts()


def test_watermark_text_can_depend_on_the_capture_time():
    seen = []

    def stamp(taken_at):
        seen.append(taken_at)
        return Watermark(lines=("stamp",), latin_lines=("stamp",))

    data = (PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes()
    plain = imaging.ingest(data)
    marked = imaging.ingest(data, watermark=stamp)
    assert seen == [plain.taken_at] and seen[0] is not None
    assert marked.display != plain.display
