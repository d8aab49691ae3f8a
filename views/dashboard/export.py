"""The dashboard as a meeting deck: a PDF or a ZIP of images, printed offline by the
machine's Chromium (views/dashboard/deck). Made on request (a few seconds, with a spinner)
and kept in the session for the download button until the figures change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from db.timeutil import utcnow
from services.core import clock
from services.dashboard.snapshot import Dashboard
from ui.context import t
from ui.feedback import error_text
from views.dashboard import deck, panels, sections

KEY = "dash_deck"


def _panels(board: Dashboard) -> list[deck.Panel]:
    figures = pd.DataFrame([{t("dash.col.kpi"): t(f"kpi.{k.key}"),
                             t("dash.col.value"): panels.kpi_value(k),
                             t("dash.col.previous"): panels.kpi_value(
                                 type(k)(k.key, k.previous, None, k.rate))}
                            for k in board.kpis])
    out = [deck.Panel(t("dash.deck.kpis"), None, figures)]
    for section in sections.visible(board):
        out.append(deck.Panel(t(f"dash.panel.{section.key}"), section.figure(board, False),
                              section.table(board), t(f"dash.panel.{section.key}.help")))
    return out


def render(board: Dashboard, where: str) -> None:
    """`where`: the place and industry chosen, in words, for the cover."""
    period = board.filters.period
    subtitle = t("dash.deck.subtitle", where=where, start=period.start.isoformat(),
                 end=period.end.isoformat(),
                 at=clock.local(utcnow()).strftime("%Y-%m-%d %H:%M"))
    stamp = (board.version, board.filters, board.today)
    with st.popover(t("dash.deck.open"), icon=":material/slideshow:"):
        made = st.session_state.get(KEY)
        for kind in ("pdf", "zip"):
            if st.button(t(f"dash.deck.make_{kind}"), key=f"dash_deck_{kind}",
                         width="stretch"):
                with st.spinner(t("dash.deck.making")):
                    try:
                        items = _panels(board)
                        data = (deck.to_pdf(items, title=t("nav.dashboard"), subtitle=subtitle)
                                if kind == "pdf" else
                                deck.to_png_zip(items, title=t("nav.dashboard")))
                    except deck.DeckError as err:
                        st.error(error_text(err))
                        return
                made = st.session_state[KEY] = (stamp, kind, data)
        if made and made[0] == stamp:
            _, kind, data = made
            st.download_button(
                t(f"dash.deck.download_{kind}"), data, key="dash_deck_download",
                file_name=f"dashboard-{period.start}-{period.end}.{kind}",
                mime="application/pdf" if kind == "pdf" else "application/zip",
                icon=":material/download:", width="stretch")
