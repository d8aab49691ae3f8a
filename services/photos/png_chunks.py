"""Refuse a PNG with an absurd number of chunks before Pillow reads it.

Pillow walks a PNG's chunks in a Python loop, holding the interpreter lock: a 23 MB file
of 1.9 million empty chunks keeps a decode slot (and every other session of the process)
busy for 6 to 7 s. Counting the chunks by their length fields stops at the limit."""

from __future__ import annotations

import struct

from services.core.errors import PhotoRejected

# Encoders split the image data into IDAT chunks of 8 KiB (libpng's default) or more: a
# 25 MB PNG, the largest accepted, has at most about 3,200 of them, plus a few dozen others.
MAX_CHUNKS = 10_000
_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def check_chunks(data: bytes) -> None:
    offset, count = len(_SIGNATURE), 0
    while offset + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, offset)
        count += 1
        if count > MAX_CHUNKS:
            raise PhotoRejected("photo.too_many_chunks")
        if kind == b"IEND":
            return
        offset += 12 + length  # length, type, data, CRC
    # A cut-off file: the decoder decides about it as before.
