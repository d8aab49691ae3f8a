"""Refuse a JPEG with an absurd number of scans before anything decodes it.

Every scan of a progressive JPEG makes libjpeg walk all the blocks of the image again, no
matter how few bytes the scan takes: a 7000x7000 file repeating one tiny AC scan 2,000
times is 0.3 MB and keeps a decode slot busy for a minute and a half. Counting the SOS
markers costs a few milliseconds on a 5 MB photo.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from services.core.errors import PhotoRejected

# Real encoders write 1 scan (baseline: what cameras and phones write), 3 (non-interleaved
# baseline), 10 (libjpeg's progressive script for colour photos) or 18 (its CMYK script);
# tuned progressive encoders stay around 20. 64 leaves three times that. Each scan of a
# 49 MP image costs a pass over its 0.77 million blocks per component even when nearly
# empty (measured: 30 ms of CPU for a 75-byte AC refinement scan of a 7000x7000 image),
# so 64 scans bound the extra work at about 2 s, where 2,000 scans took 90 s.
MAX_SCANS = 64
# Every marker costs the walk below a turn of a Python loop, so a file made of millions of
# empty segments would take seconds to walk. Real photos have a few dozen (APPn metadata,
# tables, a DHT before each progressive scan); an ICC profile split over its maximum of
# 255 APP2 chunks leaves room for the rest.
MAX_MARKERS = 1024

_SOS = 0xDA
_EOI = 0xD9
_NO_LENGTH = {0x01, 0xD8}  # TEM and SOI carry no length field (RSTn never match _MARKER)

# A marker is 0xFF (repeated 0xFF are fill) followed by a byte that is neither 0x00 (a
# stuffed 0xFF inside entropy-coded data) nor RST0-7 (restart markers inside a scan).
# libjpeg finds markers the same way, inside a scan and between segments alike (it
# skips stray bytes there too), so searching for this pattern sees every marker the
# decoder acts on. One regex search per marker keeps the walk in C: no Python loop per
# byte of entropy-coded data (a 7 MB 12 MP photo takes about 2 ms).
_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def markers(data: bytes) -> Iterator[int]:
    """The markers libjpeg acts on, in order, after SOI and before EOI.

    Segment bodies are skipped by their length, so a JPEG thumbnail inside EXIF does not
    show; neither does anything after EOI (the depth map of an MPO), which is not decoded.
    A truncated or malformed file just ends the walk: refusing it is the decoder's job."""
    pos, end = 2, len(data)
    while (found := _MARKER.search(data, pos)) is not None:
        marker, pos = data[found.end() - 1], found.end()
        if marker == _EOI:
            return
        yield marker
        if marker in _NO_LENGTH:
            continue
        if pos + 2 > end:
            return
        # The length includes its own two bytes; below that libjpeg skips just those.
        pos += max(2, int.from_bytes(data[pos : pos + 2], "big"))


def check_scans(data: bytes) -> None:
    """Refuse a JPEG (data starts with SOI) with more scans, or markers, than any real
    photo has; stops walking as soon as a limit is passed."""
    scans = 0
    for seen, marker in enumerate(markers(data), start=1):
        scans += marker == _SOS
        if scans > MAX_SCANS or seen > MAX_MARKERS:
            raise PhotoRejected("photo.too_many_scans")
