"""A PDF scan checked before it is kept: readable, not encrypted, 1 to MAX_PAGES pages. The
parsing runs in a child process with its own CPU and memory caps (pdf_child.py) and a wall
clock timeout, one decode slot at a time like photos, so no file can stall the app."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from services.core.errors import PhotoRejected
from services.photos.evidence import decode_slot

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 300
WALL_SECONDS = 15
_CHILD = Path(__file__).with_name("pdf_child.py")


def count_pages(data: bytes) -> int:
    if not data:
        raise PhotoRejected("attachment.pdf_empty")
    if len(data) > MAX_BYTES:
        raise PhotoRejected("attachment.pdf_too_large", max_mb=MAX_BYTES // 2**20)
    if data[:5] != b"%PDF-":
        raise PhotoRejected("attachment.pdf_damaged")
    with decode_slot():
        try:
            # -I: the child sees neither the app's modules nor the environment's paths.
            done = subprocess.run([sys.executable, "-I", str(_CHILD), str(MAX_PAGES)],
                                  input=data, capture_output=True, timeout=WALL_SECONDS)
        except subprocess.TimeoutExpired as err:
            raise PhotoRejected("attachment.pdf_too_complex") from err
    try:
        answer = json.loads(done.stdout) if done.returncode == 0 else {"error": "complex"}
    except ValueError:
        answer = {"error": "complex"}  # killed by its CPU or memory cap mid-way
    if "pages" in answer:
        return int(answer["pages"])
    reason = {"encrypted": "attachment.pdf_encrypted", "damaged": "attachment.pdf_damaged",
              "pages": "attachment.pdf_pages"}.get(answer["error"],
                                                    "attachment.pdf_too_complex")
    raise PhotoRejected(reason, max=MAX_PAGES)
