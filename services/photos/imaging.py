"""Inspection photo pipeline: check, decode, read evidence metadata, make derivatives.

Pure functions on bytes: no database, no Streamlit, no files except font lookup.
`ingest` refuses anything it cannot fully decode with a `PhotoRejected` carrying a
`photo.*` catalog key, so a damaged upload is found while the inspector is still on site.
"""

from __future__ import annotations

import glob
import hashlib
import io
import logging
import math
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pillow_heif
from PIL import ExifTags, Image, ImageDraw, ImageFont

from services.core.errors import PhotoRejected
from services.photos.jpeg_scans import check_scans

pillow_heif.register_heif_opener()

logger = logging.getLogger(__name__)

MAX_MB = 25
MAX_BYTES = MAX_MB * 1024 * 1024
MAX_MP = 50
MAX_PIXELS = MAX_MP * 1_000_000
DISPLAY_LONG_EDGE = 2048
THUMB_LONG_EDGE = 320
JPEG_QUALITY = 85

SUFFIX_BY_MIME = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/heif": ".heif",
}


# --- public types -------------------------------------------------------------------------


@dataclass(frozen=True)
class Watermark:
    """Text for the display derivative. `latin_lines` is what gets drawn when the machine
    has no CJK font (Chinese drawn with a Latin font would come out as empty boxes)."""

    lines: Sequence[str]
    latin_lines: Sequence[str] | None = None

    def __post_init__(self) -> None:
        # Tuples keep the frozen value really immutable (and hashable).
        object.__setattr__(self, "lines", tuple(self.lines))
        if self.latin_lines is not None:
            object.__setattr__(self, "latin_lines", tuple(self.latin_lines))


@dataclass(frozen=True)
class FontSet:
    """Font files for the watermark; None means not available on this machine."""

    cjk_path: str | None
    latin_path: str | None


@dataclass(frozen=True)
class IngestedPhoto:
    """Everything kept for one accepted photo: the untouched original as evidence and the
    two derivatives that are actually served."""

    original: bytes = field(repr=False)
    sha256: str
    mime: str
    width: int  # upright, full resolution
    height: int
    taken_at: datetime | None  # camera wall-clock time, naive (EXIF has no zone)
    gps_lat: float | None
    gps_lon: float | None
    display: bytes = field(repr=False)  # JPEG, upright, <= 2048 px, no metadata
    thumbnail: bytes = field(repr=False)  # JPEG, upright, <= 320 px, no metadata

    @property
    def suffix(self) -> str:
        """File suffix for storing the original, derived from its content."""
        return SUFFIX_BY_MIME[self.mime]


def ingest(
    data: bytes,
    *,
    watermark: Watermark | Callable[[datetime | None], Watermark] | None = None,
    fonts: FontSet | None = None,
) -> IngestedPhoto:
    """Validate an uploaded photo and build everything the app stores for it.

    Raises PhotoRejected (photo.empty, photo.too_large, photo.unsupported_format,
    photo.too_many_scans, photo.too_many_pixels, photo.damaged). `fonts` defaults to what
    the system has."""
    _check_byte_size(data)
    kind = _sniff(data)
    if kind.is_heif:
        _check_heif_boxes(data)
    if kind is _JPEG:
        check_scans(data)  # decode time grows with the number of scans, not the bytes
    im = _open(data, kind)
    full_size = im.size  # before draft mode shrinks it
    _check_pixel_count(full_size)
    pixels = _decode(im)
    meta = _read_metadata(im)
    # libheif has already applied the HEIF rotation and mirror boxes, which are the ones
    # that count; an EXIF orientation in a HEIC is informational and must not rotate again.
    orientation = 1 if kind.is_heif else meta.orientation
    display = _upright(_shrunk_rgb(pixels, DISPLAY_LONG_EDGE), orientation)
    thumbnail = _shrink(display, THUMB_LONG_EDGE, Image.Resampling.LANCZOS)
    if callable(watermark):  # text that depends on the photo, e.g. its capture time
        watermark = watermark(meta.taken_at)
    if watermark is not None:
        display = draw_watermark(display, watermark, fonts or system_fonts())
    width, height = full_size[::-1] if orientation in _SWAPS_AXES else full_size
    return IngestedPhoto(
        original=data,
        sha256=hashlib.sha256(data).hexdigest(),
        mime=kind.mime,
        width=width,
        height=height,
        taken_at=meta.taken_at,
        gps_lat=meta.gps_lat,
        gps_lon=meta.gps_lon,
        display=_encode_jpeg(display),
        thumbnail=_encode_jpeg(thumbnail),
    )


# --- checks and decoding ------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    mime: str
    pillow_formats: tuple[str, ...]

    @property
    def is_heif(self) -> bool:
        return self.pillow_formats == ("HEIF",)


_JPEG = _Kind("image/jpeg", ("JPEG", "MPO"))  # phones often write MPO (JPEG + depth map)
_PNG = _Kind("image/png", ("PNG",))
_WEBP = _Kind("image/webp", ("WEBP",))
_HEIC = _Kind("image/heic", ("HEIF",))
_HEIF = _Kind("image/heif", ("HEIF",))
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_HEIF_BRANDS = {b"mif1", b"msf1"}


def _check_byte_size(data: bytes) -> None:
    if not data:
        raise PhotoRejected("photo.empty")
    if len(data) > MAX_BYTES:
        raise PhotoRejected("photo.too_large", max_mb=MAX_MB)


def _sniff(data: bytes) -> _Kind:
    """Decide the format from the magic bytes, never from the file name."""
    if data.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _WEBP
    if data[4:8] == b"ftyp":
        # Only the major brand: AVIF files list mif1 as compatible and must stay refused.
        brand = data[8:12]
        if brand in _HEIC_BRANDS:
            return _HEIC
        if brand in _HEIF_BRANDS:
            return _HEIF
    raise PhotoRejected("photo.unsupported_format")


def _check_heif_boxes(data: bytes) -> None:
    """libheif decodes a cut-off HEIC without complaint, painting the missing tiles flat
    green, so check that every top-level box is as long as it says it is."""
    pos = 0
    while len(data) - pos >= 8:
        size = int.from_bytes(data[pos : pos + 4], "big")
        if size == 1:
            size = int.from_bytes(data[pos + 8 : pos + 16], "big")
        elif size == 0:  # "extends to the end of the file"
            return
        if size < 8 or pos + size > len(data):
            raise PhotoRejected("photo.damaged")
        pos += size


def _open(data: bytes, kind: _Kind) -> Image.Image:
    try:
        # Restricting formats keeps Pillow from falling back to any other plugin.
        return Image.open(io.BytesIO(data), formats=kind.pillow_formats)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # The warning only arrives here when warnings are turned into errors.
        raise PhotoRejected("photo.too_many_pixels", max_mp=MAX_MP) from exc
    except Exception as exc:  # any decoder complaint about untrusted bytes is a refusal
        logger.info("photo header unreadable as %s: %r", kind.mime, exc)
        raise PhotoRejected("photo.damaged") from exc


def _check_pixel_count(size: tuple[int, int]) -> None:
    if size[0] * size[1] > MAX_PIXELS:
        raise PhotoRejected("photo.too_many_pixels", max_mp=MAX_MP)


def _decode(im: Image.Image) -> Image.Image:
    """Decode every pixel so damage shows now, not when someone opens the evidence.

    For JPEG, draft mode lets libjpeg scale in the DCT domain; it still entropy-decodes the
    whole stream, so truncation is detected all the same (tests pin this)."""
    if im.format in _JPEG.pillow_formats:
        target = _fit(im.size, DISPLAY_LONG_EDGE)
        if target != im.size:
            im.draft("RGB", target)
    try:
        im.load()
    except Exception as exc:
        logger.info("photo failed to decode: %r", exc)
        raise PhotoRejected("photo.damaged") from exc
    return im


# --- metadata -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Metadata:
    orientation: int = 1
    taken_at: datetime | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None


def _read_metadata(im: Image.Image) -> _Metadata:
    """EXIF is optional evidence: anything unreadable simply yields no value."""
    try:
        exif = im.getexif()
    except Exception as exc:  # noqa: BLE001 - malformed EXIF fails in many ways; none matter
        logger.info("unreadable EXIF ignored: %r", exc)
        return _Metadata()
    lat, lon = _safe(lambda: _gps(exif.get_ifd(ExifTags.IFD.GPSInfo)), (None, None))
    return _Metadata(
        orientation=_safe(lambda: _orientation(exif), 1),
        taken_at=_safe(lambda: _taken_at(exif), None),
        gps_lat=lat,
        gps_lon=lon,
    )


def _safe(read, default):
    try:
        return read()
    except Exception as exc:  # noqa: BLE001 - as above, per field
        logger.info("unreadable EXIF field ignored: %r", exc)
        return default


def _orientation(exif: Image.Exif) -> int:
    value = exif.get(ExifTags.Base.Orientation, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _taken_at(exif: Image.Exif) -> datetime | None:
    original = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal)
    return parse_exif_datetime(original) or parse_exif_datetime(exif.get(ExifTags.Base.DateTime))


def parse_exif_datetime(value: object) -> datetime | None:
    """'2008:10:22 16:28:39' → datetime; blank or zeroed values (unset clocks) → None."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    text = value.strip().strip("\x00").strip()[:19]
    for pattern in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _gps(gps_ifd: dict) -> tuple[float | None, float | None]:
    lat = gps_degrees(
        gps_ifd.get(ExifTags.GPS.GPSLatitude), gps_ifd.get(ExifTags.GPS.GPSLatitudeRef), "NS", 90
    )
    lon = gps_degrees(
        gps_ifd.get(ExifTags.GPS.GPSLongitude), gps_ifd.get(ExifTags.GPS.GPSLongitudeRef), "EW", 180
    )
    if lat is None or lon is None or (lat == 0 and lon == 0):
        # 0,0 is what several cameras write when they had no fix.
        return None, None
    return lat, lon


def gps_degrees(values: object, ref: object, refs: str, limit: float) -> float | None:
    """Degrees/minutes/seconds rationals plus an N/S or E/W ref → signed decimal degrees.

    `refs` is "NS" or "EW" (positive first). A missing ref or a zero denominator gives None:
    an unsigned or undefined coordinate is no evidence."""
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if not isinstance(ref, str) or not isinstance(values, tuple | list) or not values:
        return None
    ref = ref.strip("\x00 ").upper()[:1]
    if not ref or ref not in refs:
        return None
    try:
        parts = [float(v) for v in values[:3]]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    degrees = sum(abs(p) / 60**i for i, p in enumerate(parts))
    if not math.isfinite(degrees) or degrees > limit:
        return None
    return -degrees if ref == refs[1] else degrees


# --- derivatives --------------------------------------------------------------------------

# Same mapping as ImageOps.exif_transpose, applied after shrinking because rotating the
# 2048 px image is four to six times cheaper than rotating the full-resolution one.
_TRANSPOSE_FOR_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SWAPS_AXES = {5, 6, 7, 8}
_SIXTEEN_BIT_MODES = {"I", "I;16", "I;16B", "I;16L", "I;16N"}


def _fit(size: tuple[int, int], long_edge: int) -> tuple[int, int]:
    width, height = size
    scale = long_edge / max(width, height)
    if scale >= 1:
        return size
    return max(1, round(width * scale)), max(1, round(height * scale))


def _shrink(
    im: Image.Image, long_edge: int, resample: Image.Resampling = Image.Resampling.BICUBIC
) -> Image.Image:
    # Bicubic for the display: next to Lanczos it is visually the same at these ratios and
    # about a third faster on 12 MP photos (see BENCHMARKS.md).
    size = _fit(im.size, long_edge)
    if size == im.size:
        return im
    return im.resize(size, resample, reducing_gap=3.0)


def _upright(im: Image.Image, orientation: int) -> Image.Image:
    method = _TRANSPOSE_FOR_ORIENTATION.get(orientation)
    return im if method is None else im.transpose(method)


def _shrunk_rgb(im: Image.Image, long_edge: int) -> Image.Image:
    """Shrink before any other conversion where the mode allows, so that flattening and
    mode changes touch the 2048 px image rather than a 50 MP one."""
    small = _shrink(_resizable(im), long_edge)
    if small.mode in ("RGBA", "LA"):
        return _flatten_on_white(small.convert("RGBA"))
    return small if small.mode == "RGB" else small.convert("RGB")  # L, CMYK, YCbCr


def _resizable(im: Image.Image) -> Image.Image:
    """Bring modes that Pillow cannot resize with a filter (or would clip) into ones it can.
    RGBA and LA stay: Pillow resizes them with premultiplied alpha."""
    if im.mode in _SIXTEEN_BIT_MODES:
        # Pillow's own I;16 → L conversion clips at 255 instead of scaling (all white).
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if im.mode in ("P", "PA", "1", "RGBa", "La") or "transparency" in im.info:
        has_alpha = im.mode in ("PA", "RGBa", "La") or "transparency" in im.info
        return im.convert("RGBA" if has_alpha else "RGB")
    return im


def _flatten_on_white(rgba: Image.Image) -> Image.Image:
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _encode_jpeg(im: Image.Image) -> bytes:
    # Pillow carries comment/XMP from im.info into the file; served copies must carry none.
    im.info = {}
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=JPEG_QUALITY, exif=b"")
    return buffer.getvalue()


# --- watermark ----------------------------------------------------------------------------

_BAND_RGBA = (0, 0, 0, 150)
_TEXT_RGBA = (255, 255, 255, 255)
_MIN_FONT_PX = 10


def draw_watermark(im: Image.Image, watermark: Watermark, fonts: FontSet) -> Image.Image:
    """Return a copy of `im` with the lines bottom-left on a semi-transparent dark band."""
    lines, font_path = _choose_text(watermark, fonts)
    if not any(line.strip() for line in lines):
        return im
    text = "\n".join(lines)
    out = im.copy()
    draw = ImageDraw.Draw(out, "RGBA")
    margin = max(4, min(out.size) // 60)
    font = _fitting_font(draw, text, font_path, out.width - 4 * margin, min(out.size))
    spacing = max(2, _font_px(font) // 4)
    *_, text_right, text_bottom = draw.multiline_textbbox((0, 0), text, font=font, spacing=spacing)
    band_top = max(0, out.height - text_bottom - 2 * margin)
    band = (0, band_top, min(out.width, text_right + 3 * margin), out.height)
    draw.rectangle(band, fill=_BAND_RGBA)
    draw.multiline_text(
        (margin * 1.5, band_top + margin), text, font=font, fill=_TEXT_RGBA, spacing=spacing
    )
    return out


def _choose_text(watermark: Watermark, fonts: FontSet) -> tuple[tuple[str, ...], str | None]:
    if fonts.cjk_path:
        return tuple(watermark.lines), fonts.cjk_path
    if watermark.latin_lines is not None:
        return tuple(watermark.latin_lines), fonts.latin_path
    return tuple(_latin_only(line) for line in watermark.lines), fonts.latin_path


def _latin_only(line: str) -> str:
    """Drop what a Latin font cannot draw, rather than drawing empty boxes."""
    kept = "".join(ch if ord(ch) < 0x0250 else " " for ch in line)
    return " ".join(kept.split())


def _fitting_font(
    draw: ImageDraw.ImageDraw, text: str, path: str | None, max_width: int, short_edge: int
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    size = max(_MIN_FONT_PX, round(short_edge * 0.028))
    font = _font(path, size)
    width = draw.multiline_textbbox((0, 0), text, font=font)[2]
    if width > max_width > 0:
        # Text width is close to linear in the font size, so one correction suffices.
        font = _font(path, max(_MIN_FONT_PX, int(size * max_width / width)))
    return font


def _font_px(font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> int:
    return int(getattr(font, "size", 11))


@lru_cache(maxsize=32)
def _font(path: str | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if path:
        try:
            return ImageFont.truetype(path, size, index=_simplified_chinese_face(path))
        except OSError as exc:
            logger.warning("watermark font %s unusable, using Pillow's default: %r", path, exc)
    return ImageFont.load_default(size)


@lru_cache(maxsize=8)
def _simplified_chinese_face(path: str) -> int:
    """In a font collection, the index of the Simplified Chinese face (glyph shapes differ
    between the SC, TC and JP faces of the same font); 0 for single fonts."""
    if not path.lower().endswith(".ttc"):
        return 0
    for index in range(16):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0] or ""
        except OSError:
            break
        if any(tag in family for tag in (" SC", "GB", " CN", "Micro Hei", "Zen Hei")):
            return index
    return 0


_CJK_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
_CJK_FONT_GLOBS = (
    "/usr/share/fonts/**/*SansCJK*Regular*",
    "/usr/share/fonts/**/*CJK*",
    "/usr/share/fonts/**/wqy*",
    "/usr/local/share/fonts/**/*CJK*",
)
_LATIN_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


@lru_cache(maxsize=1)
def system_fonts() -> FontSet:
    """Look the fonts up once per process (a font installed later needs a restart)."""
    fonts = FontSet(cjk_path=_find_cjk_font(), latin_path=_first_existing(_LATIN_FONT_PATHS))
    if fonts.cjk_path is None:
        logger.warning("no CJK font found; watermarks fall back to Latin text")
    return fonts


def _first_existing(paths: Sequence[str]) -> str | None:
    return next((p for p in paths if Path(p).is_file()), None)


def _find_cjk_font() -> str | None:
    found = _first_existing(_CJK_FONT_PATHS)
    if found:
        return found
    for pattern in _CJK_FONT_GLOBS:
        matches = sorted(glob.glob(pattern, recursive=True))
        if matches:
            return matches[0]
    return _fc_list_chinese_font()


def _fc_list_chinese_font() -> str | None:
    if shutil.which("fc-list") is None:
        return None
    try:
        result = subprocess.run(
            ["fc-list", ":lang=zh-cn", "file"],
            capture_output=True,
            text=True,
            timeout=3,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.strip().rstrip(":") for line in result.stdout.splitlines())
    return next((f for f in files if f), None)
