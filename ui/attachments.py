"""Attachments in any form and on any card: the uploader (photos and PDF scans), and the
files shown as thumbnails and download buttons. `fetch_photo` and `fetch_document` are the
owning domain's services, which check that the reader may open each file."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from services.photos import attachments, imaging
from services.photos.attachments import Attachments, DocumentRef
from ui import context
from ui.context import t
from ui.photo_views import PHOTO_TYPES, thumbnails
from ui.text import plain

TYPES = [*PHOTO_TYPES, "pdf"]


def uploader(key: str) -> list[tuple[str, bytes]]:
    """Photos and PDF scans chosen in a form: (file name, bytes) for attachments.prepare."""
    files = st.file_uploader(t("attachment.upload"), type=TYPES, accept_multiple_files=True,
                             key=key, max_upload_size=imaging.MAX_MB,
                             help=t("attachment.upload_help",
                                    max=attachments.MAX_FILES, photo_mb=imaging.MAX_MB,
                                    max_mb=attachments.MAX_PDF_BYTES // 2**20))
    return [(f.name, f.getvalue()) for f in files or []]


def name_of(doc: DocumentRef, n: int) -> str:
    """The scan's file name, or its number where the name is withheld from the reader."""
    return doc.filename or t("attachment.scan_n", n=n)


def show(files: Attachments | None, *, key: str, fetch_photo: Callable[..., bytes],
         fetch_document: Callable[..., bytes]) -> None:
    if files is None:
        return
    if files.photos:
        thumbnails(files.photos, key=f"{key}_photos", fetch=fetch_photo)
    reader, tx = context.current_user(), context.uow()
    for n, doc in enumerate(files.documents, start=1):
        name = name_of(doc, n)
        if not doc.stored:
            st.warning(t("attachment.file_missing", name=plain(name)))
            continue
        # Read on the click, not on every rerun of the card: a scan can be megabytes.
        st.download_button(
            t("attachment.download", name=plain(name), pages=doc.pages or "?",
              kb=max(1, doc.size_bytes // 1024)),
            data=partial(tx.query, fetch_document, actor=reader, document_id=doc.id),
            file_name=doc.filename or f"{name}.pdf", mime=attachments.PDF_MIME,
            key=f"{key}_doc_{doc.id}", icon=":material/picture_as_pdf:", on_click="ignore")
    if files.hidden:
        st.caption(t("attachment.held_by_office", n=files.hidden))
