"""On a leader's dashboard: the notices waiting for their sign-off (签发), one button away."""

from __future__ import annotations

import streamlit as st

from db.models import NoticeStatus, User
from services.core.permissions import can
from services.notices import queries
from ui import context, links
from ui.context import t


def awaiting_sign_off(actor: User) -> None:
    if not can(actor, "notice.sign"):
        return
    waiting = context.query(queries.count_by_status, actor=actor).get(NoticeStatus.AWAITING, 0)
    if not waiting:
        return
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.warning(t("notices_ui.awaiting_you", n=waiting), icon=":material/approval:")
    if button.button(t("notices_ui.open_awaiting"), key="dash_notices_awaiting"):
        links.go("notices", status=NoticeStatus.AWAITING.value)
