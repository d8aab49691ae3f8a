"""Which text encoding a CSV export is in. Hotline systems write UTF-8, UTF-8 with a byte-order
mark (Excel's "CSV UTF-8") or, on a Chinese Windows, GBK; GB18030 is a superset of GBK, so
one decoder reads both. The user can always override what was detected."""

from __future__ import annotations

import codecs

from services.core.errors import ValidationFailed

UTF8, UTF8_BOM, GB18030 = "utf-8", "utf-8-sig", "gb18030"
# What a user may choose; aliases map onto these (GBK and GB2312 read as GB18030).
CHOICES = (UTF8, UTF8_BOM, GB18030)
_ALIASES = {"utf8": UTF8, "utf-8": UTF8, "utf-8-sig": UTF8_BOM, "utf8-sig": UTF8_BOM,
            "utf-8-bom": UTF8_BOM, "gb18030": GB18030, "gbk": GB18030, "gb2312": GB18030,
            "cp936": GB18030}
# Enough of the file to decide: a wrong guess shows as a decoding error further on.
SAMPLE_BYTES = 256 * 1024


def normalize(name: str | None) -> str | None:
    if not name:
        return None
    found = _ALIASES.get(name.strip().lower())
    if found is None:
        raise ValidationFailed("complaint_import.encoding_unknown", name=name)
    return found


def detect(head: bytes) -> str:
    """The encoding of a file that starts with `head`. Valid UTF-8 of any length is almost
    never GBK text by accident (GBK's two-byte pairs rarely form UTF-8 sequences), so UTF-8
    is tried first; a sequence cut by the end of the sample is not held against it."""
    if head.startswith(codecs.BOM_UTF8):
        return UTF8_BOM
    try:
        codecs.getincrementaldecoder(UTF8)().decode(head, final=False)
        return UTF8
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder(GB18030)().decode(head, final=False)
        return GB18030
    except UnicodeDecodeError:
        raise ValidationFailed("import.bad_encoding") from None
