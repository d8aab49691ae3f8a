"""Meeting mode: the dashboard on a big screen. Full width, large type, no menu; it
refreshes itself every N seconds (?every=, default 60) and can cycle through the panels
one at a time (?cycle=1); it shows when it last refreshed, and marks each figure and panel
that changed since the refresh before."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from db.models import User
from db.timeutil import utcnow
from services.core import clock
from ui import context
from ui.context import t
from views.dashboard import data, filters, panels, sections

DEFAULT_EVERY, MIN_EVERY, MAX_EVERY = 60, 5, 3600
SEEN_KEY, ROUND_KEY, STARTED_KEY = "meet_seen", "meet_round", "meet_started"
KEEP_SIGNED_IN = timedelta(hours=8)
# Large type for a room; the menu is already hidden (ui/navigation.py). Static rules of
# ours, no user text in them.
STYLE = """<style>
[data-testid="stMetricValue"] { font-size: 3.2rem; }
[data-testid="stMetricLabel"] p { font-size: 1.35rem; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1rem 2rem; }
h1 { font-size: 2.6rem !important; }
h3 { font-size: 1.8rem !important; }
</style>"""


def _every() -> int:
    try:
        return min(MAX_EVERY, max(MIN_EVERY, int(st.query_params.get("every", DEFAULT_EVERY))))
    except ValueError:
        return DEFAULT_EVERY


def start_controls() -> None:
    """The dashboard's way into meeting mode: how often to refresh, whether to cycle."""
    with st.popover(t("dash.meeting_start"), icon=":material/tv:", width="stretch"):
        every = st.number_input(t("dash.meeting_every"), min_value=MIN_EVERY,
                                max_value=MAX_EVERY, value=DEFAULT_EVERY, step=5,
                                key="dash_meeting_every")
        cycle = st.toggle(t("dash.meeting_cycle"), key="dash_meeting_cycle")
        if st.button(t("dash.meeting_go"), key="dash_meeting", type="primary",
                     width="stretch"):
            st.query_params.update({"meeting": "1", "every": str(int(every))})
            if cycle:
                st.query_params["cycle"] = "1"
            _forget()
            st.rerun()


def _forget() -> None:
    """A meeting's start (its keep-alive's 8 hours), its last figures and its round: a new
    meeting starts them afresh, however the last one was left."""
    for key in (STARTED_KEY, SEEN_KEY, ROUND_KEY):
        st.session_state.pop(key, None)


def render(actor: User, today) -> None:
    st.html(STYLE)
    _, chosen = filters.from_url(today)
    cycle = st.query_params.get("cycle") == "1"
    if st.button(t("dash.meeting_exit"), key="meet_exit", icon=":material/close_fullscreen:"):
        for key in ("meeting", "every", "cycle"):
            st.query_params.pop(key, None)
        _forget()
        st.rerun()

    started = st.session_state.setdefault(STARTED_KEY, utcnow())

    @st.fragment(run_every=_every())
    def live() -> None:
        # A screen showing a meeting is in use: its refreshes keep the session signed in
        # (for KEEP_SIGNED_IN at most; a screen left on overnight still signs out), and an
        # account changed or disabled elsewhere still ends it.
        keep = utcnow() - started < KEEP_SIGNED_IN
        if context.touch_or_expire(peek=not keep) or context.current_user() is None:
            st.rerun(scope="app")
        now = clock.local(utcnow())
        board = data.dashboard(actor, chosen, clock.today())
        figures = {k.key: k.value for k in board.kpis}
        shown = sections.visible(board)
        digests = {s.key: sections.signature(s, board) for s in shown}
        seen = st.session_state.get(SEEN_KEY)
        changed_kpis = frozenset(k for k, v in figures.items()
                                 if seen and seen[0].get(k, v) != v)
        changed_panels = {n for n, d in digests.items() if seen and seen[1].get(n, d) != d}
        st.session_state[SEEN_KEY] = (figures, digests)
        rounds = st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
        period = board.filters.period
        st.caption(t("dash.refreshed", time=now.strftime("%H:%M:%S"), every=_every(),
                     start=period.start.isoformat(), end=period.end.isoformat()))
        panels.kpi_row(board, changed=changed_kpis)
        panels.spikes(board)
        if cycle and shown:
            current = shown[(rounds - 1) % len(shown)]
            sections.render(current, board, actor, large=True,
                            changed=current.key in changed_panels,
                            key_suffix="_meet")
            return
        sections.grid(board, shown, actor, large=True, changed=frozenset(changed_panels),
                      key_suffix="_meet")

    live()

