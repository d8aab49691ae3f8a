"""Second adversarial review of the dashboard's page (issue 9): a chart's selection cleared
and made again, and meeting mode entered again after a meeting that was left without its
exit button."""

from __future__ import annotations

from datetime import timedelta

from streamlit.testing.v1 import AppTest

from db.timeutil import utcnow
from tests.app.conftest import TIMEOUT, page
from views.dashboard.meeting import ROUND_KEY, SEEN_KEY, STARTED_KEY


def _picks_again() -> None:
    import streamlit as st

    from views.dashboard import drill
    pick = drill.remember("top_complaints", "top_complaints")
    pick([[5]])
    st.session_state.pop(drill.PICK_KEY, None)  # the list closed
    pick([])  # the selection cleared on the chart (a double click)
    pick([[5]])  # the same bar picked again: its list opens again
    st.write(repr(st.session_state.get(drill.PICK_KEY)))


def test_the_same_bar_picked_again_after_the_selection_was_cleared_opens_its_list() -> None:
    at = AppTest.from_function(_picks_again, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["('top_complaints', 'top_complaints', (5,))"]


def test_starting_a_meeting_starts_its_keep_alive_and_its_marks_afresh(demo_loaded) -> None:
    """A meeting left by editing the address (not 退出会议模式) kept its start: the next
    meeting, started with the button hours later, did not keep the screen signed in, and
    marked figures as changed against the old meeting's."""
    at = page("dashboard", "leader", demo_loaded)
    at.session_state[STARTED_KEY] = utcnow() - timedelta(hours=9)
    at.session_state[SEEN_KEY] = ({"complaints": -1}, {})
    at.session_state[ROUND_KEY] = 7
    at.button(key="dash_meeting").click().run()
    assert not at.exception
    assert utcnow() - at.session_state[STARTED_KEY] < timedelta(minutes=1)
    assert at.session_state[ROUND_KEY] == 1
    assert at.session_state[SEEN_KEY][0].get("complaints") != -1
