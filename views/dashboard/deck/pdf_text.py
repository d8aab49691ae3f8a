"""Make the text of Chromium's PDF searchable as the Chinese that was printed.

Noto CJK draws 面 and the Kangxi radical ⾯ (U+2F8C), 长 and the radical ⻓ (U+2ED3), with one
glyph; Chromium's PDF writer names each glyph by one of its characters in the font's
ToUnicode map and picks the radical. A reader then copies or searches "封⾯", "⻓城区": the
same picture, other characters. This rewrites those maps: every radical of the two radical
blocks is named by the ideograph Noto CJK SC draws it with."""

from __future__ import annotations

import io
import re
import unicodedata

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

# CJK Radicals Supplement (U+2E80-U+2EFF) as (radical, ideograph) pairs, taken from the glyphs
# Noto Sans CJK SC shares; the Kangxi Radicals (U+2F00-U+2FDF) are NFKC's, but for ⼾ (户).
_SUPPLEMENT = (
    "⺂乛⺃乚⺅亻⺉刂⺋㔾⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬"
    "⺨犭⺭礻⺯糹⺰纟⺱罓⺳㓁⺹耂⺺肀⺾艹⺿艹⻀艹⻂衤⻅见⻆角⻈讠⻉贝⻋车⻌辶⻐钅⻑長⻒镸"
    "⻓长⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾"
    "⻫斉⻬齐⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟⼾户"
)
IDEOGRAPH = {ord(r): ord(i) for r, i in zip(_SUPPLEMENT[::2], _SUPPLEMENT[1::2], strict=True)}
for _cp in range(0x2F00, 0x2FE0):
    _nfkc = unicodedata.normalize("NFKC", chr(_cp))
    if len(_nfkc) == 1 and _cp not in IDEOGRAPH:
        IDEOGRAPH[_cp] = ord(_nfkc)

_HEX = r"<([0-9A-Fa-f]+)>"
_BFCHAR = re.compile(rf"({_HEX}\s*){_HEX}")
_BFRANGE = re.compile(rf"{_HEX}\s*{_HEX}\s*{_HEX}")
_SECTION = re.compile(r"(begin(bfchar|bfrange))(.*?)(end\2)", re.S)


def _fixed(target: str) -> str:
    text = bytes.fromhex(target).decode("utf-16-be", errors="surrogatepass")
    fixed = "".join(chr(IDEOGRAPH.get(ord(c), ord(c))) for c in text)
    return fixed.encode("utf-16-be", errors="surrogatepass").hex().upper()


def _range(match: re.Match[str]) -> str:
    """`<lo> <hi> <first>` names lo..hi by first, first+1, ...: as an array when any of
    them is a radical, else as it was."""
    lo, hi, first = match.group(1), match.group(2), match.group(3)
    if len(first) != 4:
        return match.group(0)
    start = int(first, 16)
    names = [start + i for i in range(int(hi, 16) - int(lo, 16) + 1)]
    if not any(n in IDEOGRAPH for n in names):
        return match.group(0)
    return f"<{lo}> <{hi}> [" + " ".join(f"<{IDEOGRAPH.get(n, n):04X}>" for n in names) + "]"


def fix_cmap(cmap: str) -> str:
    def section(match: re.Match[str]) -> str:
        body = match.group(3)
        if match.group(2) == "bfchar":
            body = _BFCHAR.sub(lambda m: f"{m.group(1)}<{_fixed(m.group(3))}>", body)
        else:
            body = _BFRANGE.sub(_range, body)
        return match.group(1) + body + match.group(4)

    return _SECTION.sub(section, cmap)


def searchable(pdf: bytes) -> bytes:
    """The PDF with every font's ToUnicode map fixed (unchanged when none needs it)."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    changed = False
    for obj in _to_unicode_streams(writer):
        cmap = obj.get_data().decode("latin-1")
        fixed = fix_cmap(cmap)
        if fixed != cmap:
            obj.set_data(fixed.encode("latin-1"))
            changed = True
    if not changed:
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _to_unicode_streams(writer: PdfWriter) -> list[StreamObject]:
    seen: dict[int, StreamObject] = {}
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            stream = font.get(NameObject("/ToUnicode"))
            if stream is not None:
                obj = stream.get_object()
                seen[id(obj)] = obj
    return list(seen.values())
