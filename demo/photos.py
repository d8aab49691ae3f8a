"""Photos drawn by the demo generator: service-hall scenes with a counter, a sign and
people, carrying EXIF capture time and GPS near Jiayuguan like a tablet camera's."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from PIL import Image, ImageDraw, ImageFont

from services.photos import imaging, watermark
from services.photos.store import PhotoStore

SIZE = (1600, 1200)
JIAYUGUAN = (39.77, 98.29)
SIGNS = ["服务承诺", "办事指南", "投诉电话 12345", "AB岗公示", "限时办结", "首问责任"]


def _font(size: int):
    fonts = watermark.system_fonts()
    for path in (fonts.cjk_path, fonts.latin_path):
        if path:
            try:
                return ImageFont.truetype(path, size, index=0)
            except OSError:
                continue
    return ImageFont.load_default(size)


def _rational(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    return (float(degrees), float(minutes), round((minutes_full - minutes) * 60, 2))


def draw(rng: random.Random, taken_at: datetime) -> bytes:
    wall = tuple(rng.randint(170, 235) for _ in range(3))
    im = Image.new("RGB", SIZE, wall)
    d = ImageDraw.Draw(im)
    d.rectangle((0, 820, SIZE[0], SIZE[1]), fill=(120 + rng.randint(0, 40),) * 3)  # floor
    d.rectangle((150, 560, 1450, 860), fill=(90, 110, 150), outline=(40, 40, 60), width=6)
    for x in range(260, 1400, 380):  # windows of the counter, with a person behind some
        d.rectangle((x, 600, x + 260, 760), fill=(210, 225, 240))
        if rng.random() < 0.6:
            d.ellipse((x + 90, 470, x + 170, 550), fill=(230, 190, 160))
            d.rectangle((x + 70, 550, x + 190, 620), fill=tuple(rng.randint(20, 90) for _ in "rgb"))
    sign = rng.choice(SIGNS)
    d.rectangle((520, 120, 1080, 300), fill=(180, 30, 40))
    d.text((560, 160), sign, font=_font(80), fill=(255, 240, 200))
    for _ in range(40):  # grain, so that photos do not compress to nothing
        x, y = rng.randint(0, SIZE[0] - 40), rng.randint(0, SIZE[1] - 40)
        d.rectangle((x, y, x + 30, y + 30), outline=tuple(rng.randint(0, 255) for _ in "rgb"))
    exif = Image.Exif()
    exif[0x0132] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[0x9003] = taken_at.strftime("%Y:%m:%d %H:%M:%S")
    lat = JIAYUGUAN[0] + rng.uniform(-0.05, 0.05)
    lon = JIAYUGUAN[1] + rng.uniform(-0.05, 0.05)
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: _rational(lat), 3: "E", 4: _rational(lon)})
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80, exif=exif)
    return buf.getvalue()


def pool(
    rng: random.Random, store: PhotoStore, n: int, report: Callable[[float, str], None]
) -> list[tuple[imaging.IngestedPhoto, tuple[str, str, str]]]:
    """`n` drawn photos, ingested and stored once; demo findings and reports share them."""
    out = []
    for i in range(n):
        taken = datetime(2026, 1, 1, 9) + timedelta(
            days=rng.randint(0, 300), minutes=rng.randint(0, 480)
        )
        ingested = imaging.ingest(draw(rng, taken))
        keys = (
            store.put(ingested.original, suffix=ingested.suffix),
            store.put_derivative(ingested.sha256, "display", ingested.display),
            store.put_derivative(ingested.sha256, "thumb", ingested.thumbnail),
        )
        out.append((ingested, keys))
        report(0.3 * (i + 1) / n, "photos")
    return out
