"""Showing evidence photos: thumbnails in a grid, the display size on demand."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from services.core.errors import DomainError
from services.photos import evidence as photos
from ui import context
from ui.context import local_time, t
from ui.feedback import error_text

COLUMNS = 3
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp", "heic", "heif"]


def thumbnails(
    refs: Sequence, *, key: str, large: bool = False, removable: bool = False,
    fetch=photos.photo_bytes,
) -> int | None:
    """A grid of thumbnails; `large` shows the display size (for review and verification).
    With `removable`, each photo has its own remove button right under it; returns the id
    of the photo whose button was pressed. `fetch` is the service that serves the photos
    (it checks that the reader may see them): evidence of findings unless told."""
    if not refs:
        st.caption(t("photo.none"))
        return None
    actor = context.current_user()
    cols = st.columns(COLUMNS)
    pressed = None
    for i, ref in enumerate(refs):
        with cols[i % COLUMNS]:
            try:
                data = context.query(fetch, actor=actor, photo_id=ref.id,
                                          variant="display" if large else "thumb")
            except DomainError as err:
                st.warning(error_text(err))
                continue
            st.image(data, caption=_caption(ref), width="stretch")
            if removable and st.button(t("visit.remove_photo", n=i + 1), key=f"{key}_rm_{ref.id}",
                                       icon=":material/delete:", width="stretch"):
                pressed = ref.id
    return pressed


def _caption(ref) -> str:
    parts = []
    if ref.taken_at:  # the camera's clock, not when the record was made
        parts.append(t("photo.taken_at", at=local_time(ref.taken_at)))
    if ref.gps_lat is not None and ref.gps_lon is not None:
        parts.append(f"{ref.gps_lat:.4f}, {ref.gps_lon:.4f}")
    return " · ".join(parts)
