"""A complaint's attachments on its card (photos as thumbnails, PDF scans to download) and
the uploader of the register and reply forms, and the office's choice of what the unit may see."""

from __future__ import annotations

import hashlib
from functools import partial

import streamlit as st

from services.complaints import attachments
from services.complaints.attachments import Attachments
from services.photos import imaging
from ui import context
from ui.context import t
from ui.feedback import saving
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


def share_picker(files: list[tuple[str, bytes]], *, key: str) -> list[int]:
    """Which of the files just chosen the unit concerned may see (none unless ticked). The
    choice is by position: any change to the files starts it afresh, so that removing a
    ticked photo never passes its tick to the letter that takes its place."""
    if not files:
        return []
    return st.multiselect(t("attachment.share"), list(range(len(files))),
                          key=f"{key}_{_digest([(name, len(data)) for name, data in files])}",
                          format_func=lambda i: files[i][0],
                          placeholder=t("attachment.share_none"),
                          help=t("attachment.share_help"))


def share_editor(actor, complaint_id: int, files: Attachments, *, key: str) -> None:
    """The office changes its mind later: the same choice over what is registered."""
    names = {("photo", p.id): t("attachment.photo_n", n=n)
             for n, p in enumerate(files.photos, start=1)}
    names |= {("document", d.id): _name(d, n) for n, d in enumerate(files.documents, start=1)}
    if not names:
        return
    # Like every edit form here: saved against what the clerk first saw, so a change another
    # clerk made meanwhile is refused (and the form redrawn) instead of silently undone.
    seen = st.session_state.setdefault(f"{key}__seen", sorted(files.shared))
    with st.form(key, border=False):
        chosen = st.multiselect(t("attachment.share"), list(names), key=f"{key}_pick",
                                default=[n for n in names if n in seen],
                                format_func=names.get, placeholder=t("attachment.share_none"),
                                help=t("attachment.share_help"))
        if st.form_submit_button(t("attachment.share_save")):
            with saving(key, "attachment.share_saved"):
                context.run(attachments.share_with_unit, actor=actor, complaint_id=complaint_id,
                            photo_ids=[i for kind, i in chosen if kind == "photo"],
                            document_ids=[i for kind, i in chosen if kind == "document"],
                            seen=seen)


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:12]


def _name(doc, n: int) -> str:
    """The scan's file name, or its number where the name is withheld from the reader."""
    return doc.filename or t("attachment.scan_n", n=n)


def show(files: Attachments | None, *, key: str) -> None:
    if files is None:
        return
    if files.photos:
        thumbnails(files.photos, key=f"{key}_photos", fetch=attachments.photo_bytes)
    reader, tx = context.current_user(), context.uow()
    for n, doc in enumerate(files.documents, start=1):
        name = _name(doc, n)
        if not doc.stored:
            st.warning(t("attachment.file_missing", name=plain(name)))
            continue
        # Read on the click, not on every rerun of the card: a scan can be megabytes.
        st.download_button(
            t("attachment.download", name=plain(name), pages=doc.pages or "?",
              kb=max(1, doc.size_bytes // 1024)),
            data=partial(tx.query, attachments.document_bytes, actor=reader,
                         document_id=doc.id),
            file_name=doc.filename or f"{name}.pdf", mime=attachments.PDF_MIME,
            key=f"{key}_doc_{doc.id}", icon=":material/picture_as_pdf:", on_click="ignore")
    if files.hidden:
        st.caption(t("attachment.held_by_office", n=files.hidden))
