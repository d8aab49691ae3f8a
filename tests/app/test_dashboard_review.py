"""What the first users of the dashboard ran into: a list closed with 关闭列表 reopening at
once (a chart keeps its selection), several lists open at once, a heat-map cell that took no
click, a meeting screen that signed itself out, an inspector's "全市" that was not the city,
and grey, not red, for a change of nothing."""

from __future__ import annotations

from datetime import timedelta

from streamlit.testing.v1 import AppTest

from db.timeutil import utcnow
from services.dashboard.kpis import Kpi
from tests.app.conftest import TIMEOUT, page, texts
from ui.context import SEEN_KEY


def _picks() -> None:
    import streamlit as st

    from views.dashboard import drill
    pick = drill.remember("top_complaints", "top_complaints")
    pick([[5]])
    st.write(repr(st.session_state.pop(drill.PICK_KEY, None)))  # then closed
    pick([[5]])  # the next run: the chart still holds the same selection
    st.write(repr(st.session_state.get(drill.PICK_KEY)))
    pick([[6]])  # a new bar clicked
    st.write(repr(st.session_state.get(drill.PICK_KEY)))


def test_a_closed_list_stays_closed_until_another_bar_is_picked() -> None:
    at = AppTest.from_function(_picks, default_timeout=TIMEOUT).run()
    assert [m.value for m in at.markdown] == [
        "('top_complaints', 'top_complaints', (5,))", "None",
        "('top_complaints', 'top_complaints', (6,))"]

def test_every_heat_map_cell_takes_a_click() -> None:
    from services.dashboard.districts import MEASURES, DistrictRow
    from views.dashboard import figures
    rows = [DistrictRow(1, "雄关区", 100_000, 5, 2, 3, 2, 1, 1, 1, 1),
            DistrictRow(2, "镜铁区", None, 2, 1, 1, 1, 0, 0, 0, 0)]
    fig = figures.district_heat(rows, lambda key, **kw: key)
    clickable = [tr for tr in fig.data if tr.type == "scatter"]
    assert len(clickable) == 1
    assert len(clickable[0].customdata) == len(rows) * len(MEASURES)
    assert list(clickable[0].customdata[0]) == [1, MEASURES[0]]


def test_no_change_is_grey_and_complaints_are_neither_good_nor_bad() -> None:
    from views.dashboard.panels import _colour
    assert _colour(Kpi("inspections", 5, 5)) == "off"
    assert _colour(Kpi("complaints", 20, 4)) == "off"
    assert _colour(Kpi("escalations", 3, 1, lower_is_better=True)) == "inverse"
    assert _colour(Kpi("inspections", 6, 5)) == "normal"


def test_a_meeting_screen_stays_signed_in_while_it_refreshes(demo_loaded) -> None:
    at = page("dashboard", "leader", demo_loaded, meeting=1)
    at.session_state[SEEN_KEY] = utcnow() - timedelta(minutes=29)
    at.run()
    assert utcnow() - at.session_state[SEEN_KEY] < timedelta(minutes=1)
    assert "最后刷新" in texts(at)
    # Left on for more than a working day, it no longer counts as use.
    at.session_state["meet_started"] = utcnow() - timedelta(hours=9)
    at.session_state[SEEN_KEY] = stale = utcnow() - timedelta(minutes=10)
    at.run()
    assert at.session_state[SEEN_KEY] == stale


def test_an_inspectors_choice_is_their_own_area(demo_loaded) -> None:
    at = page("dashboard", "inspector2", demo_loaded)  # 雄关区
    assert not at.exception
    box = at.selectbox(key="dash_district")
    names = list(box.options)
    assert "我的督查范围" in names and "全市" not in names
    assert any("雄关区" in n for n in names) and not any("镜铁区" in n for n in names)
