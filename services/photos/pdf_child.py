"""Counts a PDF's pages in a child process of its own (run by pdf_check as a script, with no
import of the app): a crafted file can make pypdf spend minutes and hundreds of MB on a few
kilobytes (page trees of 40,000 pages, padded object streams), so the child caps its own CPU
time and memory before it reads a byte. It prints one JSON verdict on stdout."""

import io
import json
import resource
import sys

CPU_SECONDS = 4
MEMORY_BYTES = 768 * 2**20


def verdict(data: bytes, max_pages: int) -> dict:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return {"error": "encrypted"}
        # The tree says how many pages it holds: refuse a big one before walking it.
        declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
        if int(declared) > max_pages:
            return {"error": "pages"}
        pages = len(reader.pages)
    except Exception:  # any failure of a parser on hostile input means "cannot be read"
        return {"error": "damaged"}
    return {"pages": pages} if 1 <= pages <= max_pages else {"error": "pages"}


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    print(json.dumps(verdict(sys.stdin.buffer.read(), int(sys.argv[1]))))
