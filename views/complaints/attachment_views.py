"""A complaint's attachments on its card (photos as thumbnails, PDF scans to download) and
the uploader of the register and reply forms."""

from __future__ import annotations

import streamlit as st

from services.complaints import attachments
from services.complaints.attachments import Attachments
from services.core.errors import DomainError
from ui import context
from ui.context import t
from ui.feedback import error_text
from ui.photo_views import PHOTO_TYPES, thumbnails
from ui.text import plain

TYPES = [*PHOTO_TYPES, "pdf"]


def uploader(key: str) -> list[tuple[str, bytes]]:
    """Photos and PDF scans chosen in a form: (file name, bytes) for attachments.prepare."""
    files = st.file_uploader(t("attachment.upload"), type=TYPES, accept_multiple_files=True,
                             key=key, help=t("attachment.upload_help",
                                             max=attachments.MAX_FILES,
                                             max_mb=attachments.MAX_PDF_BYTES // 2**20))
    return [(f.name, f.getvalue()) for f in files or []]


def show(files: Attachments | None, *, key: str) -> None:
    if files is None:
        return
    if files.photos:
        thumbnails(files.photos, key=f"{key}_photos", fetch=attachments.photo_bytes)
    for doc in files.documents:
        try:
            data = context.query(attachments.document_bytes,
                                 actor=context.current_user(), document_id=doc.id)
        except DomainError as err:
            st.warning(error_text(err))
            continue
        st.download_button(
            t("attachment.download", name=plain(doc.filename), pages=doc.pages or "?",
              kb=max(1, doc.size_bytes // 1024)),
            data=data, file_name=doc.filename, mime=attachments.PDF_MIME,
            key=f"{key}_doc_{doc.id}", icon=":material/picture_as_pdf:", on_click="ignore")
    if files.hidden:
        st.caption(t("attachment.held_by_office", n=files.hidden))
