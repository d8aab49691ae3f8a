"""The dashboard as its users meet it: each role renders it without error and with the
figures of its scope; the filters come from the URL; meeting mode runs without the menu
and says when it refreshed; a new complaint shows on the next refresh; a liaison sees the
unit's own figures on the start page."""

from __future__ import annotations

import pytest

from db.models import Unit
from services.complaints import workflow
from tests.app.conftest import page, texts, user_named
from tests.factories import make_complaint


def _metrics(at) -> dict[str, str]:
    return {m.label.split(" :")[0]: m.value for m in at.metric}


@pytest.mark.parametrize(("username", "figures"), [
    ("leader", 12), ("office", 12), ("admin", 12), ("inspector2", 8)])
def test_each_role_renders_the_dashboard(demo_loaded, username, figures) -> None:
    at = page("dashboard", username, demo_loaded)
    assert not at.exception
    assert len(at.metric) == figures  # inspectors do not read the campaign's tasks
    assert "受理投诉" in _metrics(at)
    assert "本期" in texts(at)


def test_the_url_sets_the_period_and_a_bad_value_falls_back(demo_loaded) -> None:
    at = page("dashboard", "leader", demo_loaded, p="custom", **{"from": "2026-01-01",
                                                                  "to": "2026-03-31"})
    assert not at.exception
    assert "2026-01-01 至 2026-03-31" in texts(at)
    assert "2025-10-03 至 2025-12-31" in texts(at)  # the previous 90 days
    at = page("dashboard", "leader", demo_loaded, p="nonsense", district="x")
    assert not at.exception
    assert at.query_params["p"] in ("month", ["month"])


def test_meeting_mode_shows_its_refresh_and_large_panels(demo_loaded) -> None:
    at = page("dashboard", "leader", demo_loaded, meeting=1, every=30)
    assert not at.exception
    assert "最后刷新" in texts(at) and "每 30 秒" in texts(at)
    assert any(b.label == "退出会议模式" for b in at.button)


def test_a_new_complaint_shows_on_the_next_refresh(demo_loaded) -> None:
    at = page("dashboard", "office", demo_loaded)
    before = int(_metrics(at)["受理投诉"].replace(",", ""))
    unit = demo_loaded.query(lambda u: u.session.get(Unit, user_named(
        demo_loaded, "unit_gdj").unit_id))
    make_complaint(demo_loaded, office=user_named(demo_loaded, "office"), unit=unit)
    at.run()
    assert int(_metrics(at)["受理投诉"].replace(",", "")) == before + 1


def test_a_liaison_sees_the_units_own_figures(demo_loaded) -> None:
    unit = demo_loaded.query(lambda u: u.session.get(Unit, user_named(
        demo_loaded, "unit_gdj").unit_id))
    office = user_named(demo_loaded, "office")
    held = make_complaint(demo_loaded, office=office, unit=unit)
    at = page("unit_tasks", "unit_gdj", demo_loaded)
    assert _metrics(at)["受理投诉"] == "0"  # the office holds it: not the unit's yet
    demo_loaded.run(workflow.assign, actor=office, complaint_id=held.id, version=None,
                    unit_id=unit.id)
    at.run()
    assert not at.exception
    assert _metrics(at)["受理投诉"] == "1"
    assert "张三丰" not in texts(at)


def test_the_office_workbench_still_renders(demo_loaded) -> None:
    at = page("workbench", "office", demo_loaded)
    assert not at.exception


def test_meeting_mode_starts_from_the_dashboard_with_its_settings(demo_loaded) -> None:
    at = page("dashboard", "leader", demo_loaded)
    at.number_input(key="dash_meeting_every").set_value(20)
    at.toggle(key="dash_meeting_cycle").set_value(True)
    at.button(key="dash_meeting").click().run()
    assert not at.exception
    assert at.query_params["meeting"] in ("1", ["1"]) and at.query_params["every"] in (
        "20", ["20"])
    assert "每 20 秒" in texts(at)
    assert len(_panel_titles(at)) == 1  # cycling: one panel at a time
    at = page("dashboard", "leader", demo_loaded, meeting=1)
    assert len(_panel_titles(at)) >= 5  # all of them, two by two


def _panel_titles(at) -> list[str]:
    from i18n import translate
    from views.dashboard.sections import SECTIONS
    titles = {translate(f"dash.panel.{s.key}", "zh-CN") for s in SECTIONS}
    return [h.value for h in at.subheader if h.value.split(" :")[0] in titles]
