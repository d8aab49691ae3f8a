"""The watermark on a photo's display copy: text bottom-left on a dark band, in a CJK font
when the machine has one, otherwise in Latin text."""

from __future__ import annotations

import glob
import logging
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)


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
