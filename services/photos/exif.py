"""Evidence metadata from a photo's EXIF: capture time, GPS position, orientation.

EXIF is optional evidence written by all sorts of cameras: anything unreadable simply
yields no value, it never refuses the photo."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime

from PIL import ExifTags, Image

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Metadata:
    orientation: int = 1
    taken_at: datetime | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None


def read_metadata(im: Image.Image) -> Metadata:
    """What the camera recorded; an unreadable field has its default (orientation 1)."""
    try:
        exif = im.getexif()
    except Exception as exc:  # noqa: BLE001 - malformed EXIF fails in many ways; none matter
        logger.info("unreadable EXIF ignored: %r", exc)
        return Metadata()
    lat, lon = _safe(lambda: _gps(exif.get_ifd(ExifTags.IFD.GPSInfo)), (None, None))
    return Metadata(
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
