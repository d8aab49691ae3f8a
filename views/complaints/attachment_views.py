"""A complaint's attachments on its card (photos as thumbnails, PDF scans to download) and
the uploader of the register and reply forms, and the office's choice of what the unit may see."""

from __future__ import annotations

import hashlib

import streamlit as st

from services.complaints import attachments
from services.complaints.attachments import Attachments
from ui import context
from ui.attachments import name_of
from ui.attachments import show as shared_show
from ui.attachments import uploader as uploader
from ui.context import t
from ui.feedback import saving


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
    names |= {("document", d.id): name_of(d, n) for n, d in enumerate(files.documents, start=1)}
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


def show(files: Attachments | None, *, key: str) -> None:
    shared_show(files, key=key, fetch_photo=attachments.photo_bytes,
                fetch_document=attachments.document_bytes)
