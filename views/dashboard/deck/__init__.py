"""The dashboard as a meeting deck, made offline: a PDF (cover, then one panel a page) or a ZIP
of PNG images (one a panel, 1920 x 1080). No Streamlit here: the dashboard page builds the
panels, calls to_pdf / to_png_zip and offers the bytes for download; a DeckError (no browser,
timeout, failure, busy) carries a catalog key for the page to show.

    from views.dashboard.deck import DeckError, Panel, to_pdf
    pdf = to_pdf([Panel("各区问题数", fig, table)], title="效能督查", subtitle="2026年1-6月")

How it is printed, and why Chromium's own command line rather than kaleido: browser.py."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence

from PIL import Image

from views.dashboard.deck import browser, pdf_text, slides
from views.dashboard.deck.browser import BrowserMissing, DeckError, find_browser
from views.dashboard.deck.slides import HEIGHT, WIDTH, Panel

__all__ = ["BrowserMissing", "DeckError", "Panel", "find_browser", "to_pdf", "to_png_zip"]

SCALE = 1.5  # a 1280 x 720 slide as a 1920 x 1080 image
# Slides per screenshot: one tall window, cut into images. Chromium draws a screenshot as
# one surface; 8 slides are 8,640 px high, well within its limits.
PER_SHOT = 8


def to_pdf(panels: Sequence[Panel], *, title: str, subtitle: str = "") -> bytes:
    """A 16:9 PDF: the cover (title, subtitle: filters, time of the data), then one page a
    panel. Its text is searchable (Chinese included) and every typed text is escaped."""
    html = slides.page(list(panels), title=title, subtitle=subtitle, cover=True)
    return pdf_text.searchable(browser.render(html, output="pdf"))


def to_png_zip(panels: Sequence[Panel], *, title: str = "") -> bytes:
    """A ZIP of one PNG a panel (1920 x 1080), named 01-<title>.png, 02-..., in order."""
    panels = list(panels)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for start in range(0, len(panels), PER_SHOT):
            chunk = panels[start:start + PER_SHOT]
            for offset, image in enumerate(_shots(chunk, title=title, total=len(panels),
                                                  first=start + 1)):
                number = start + offset + 1
                archive.writestr(f"{number:02d}-{file_name(panels[number - 1].title)}.png",
                                 image)
    return buffer.getvalue()


def _shots(panels: list[Panel], *, title: str, total: int, first: int) -> list[bytes]:
    html = slides.page(panels, title=title, subtitle="", cover=False, total=total,
                       first=first)
    size = f"--window-size={WIDTH},{HEIGHT * len(panels)}"
    shot = browser.render(html, output="png",
                          extra=(size, f"--force-device-scale-factor={SCALE}"))
    width, height = round(WIDTH * SCALE), round(HEIGHT * SCALE)
    images = []
    with Image.open(io.BytesIO(shot)) as whole:
        whole.load()
        if whole.width != width or whole.height < height * len(panels):
            raise DeckError("deck.failed")
        for i in range(len(panels)):
            out = io.BytesIO()
            whole.crop((0, i * height, width, (i + 1) * height)).save(out, "PNG", optimize=False)
            images.append(out.getvalue())
    return images


def file_name(title: str, limit: int = 40) -> str:
    """A panel's title as a file name: letters, digits and CJK kept, the rest as `_`."""
    name = re.sub(r"[^\w\u4e00-\u9fff]+", "_", title, flags=re.UNICODE).strip("_")
    return name[:limit] or "panel"
