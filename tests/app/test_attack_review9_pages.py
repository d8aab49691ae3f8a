"""Adversarial review of the leadership dashboard's page (issue 9): crafted URLs (periods
out of any calendar, ids past any integer, refresh intervals), meeting mode for a role
without the dashboard, and selections crafted in the session for another district's
records. Each one shows a page, never a traceback, and nothing outside the actor's scope."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from db.engine import make_engine
from db.models import District, Role, Unit, User
from services.campaign import tasks
from services.core.system import system_actor
from services.core.uow import UnitOfWork
from services.dashboard.period import Preset, preset
from services.dashboard.scope import Filters
from services.org import structure
from tests.app.conftest import page, texts, user_named
from tests.campaign_fixtures import MILESTONES
from tests.conftest import migrated_sqlite
from tests.factories import make_complaint
from views.dashboard import data
from views.dashboard.drill import PICK_KEY

HUGE = "99999999999999999999"


@pytest.mark.parametrize("query", [
    {"p": "custom", "from": "0001-01-01", "to": "2026-01-01"},
    {"p": "custom", "from": "2026-01-01", "to": "9999-12-31"},
    {"p": "custom", "from": "0001-01-01", "to": "9999-12-31"},
    {"p": "custom", "from": "2026-03-01", "to": "2026-01-01"},  # reversed
    {"district": HUGE, "industry": HUGE},
    {"district": "-1", "industry": "abc"},
])
@pytest.mark.parametrize("meeting", [False, True])
def test_a_crafted_url_shows_the_dashboard(demo_loaded, query, meeting) -> None:
    if meeting:
        query = {**query, "meeting": "1"}
    at = page("dashboard", "leader", demo_loaded, **query)
    assert not at.exception
    assert at.metric


@pytest.mark.parametrize(("every", "shown"), [
    ("0", 5), ("-5", 5), ("99999", 3600), ("abc", 60), ("1e3", 60)])
def test_a_crafted_refresh_interval_is_kept_within_bounds(demo_loaded, every, shown) -> None:
    at = page("dashboard", "leader", demo_loaded, meeting=1, every=every)
    assert not at.exception
    assert f"每 {shown} 秒" in texts(at)


def test_meeting_mode_for_a_liaison_shows_nothing_of_the_dashboard(demo_loaded) -> None:
    at = page("dashboard", "unit_gdj", demo_loaded, meeting=1)
    assert not at.exception
    assert not at.metric
    assert "没有权限" in texts(at) or at.error


def _unit_in(uow, district: str) -> Unit:
    def find(u):
        place = u.session.exec(select(District).where(District.name == district)).one()
        return u.session.exec(select(Unit).where(Unit.district_id == place.id)).first()
    return uow.query(find)


def _picked(uow, username: str, pick) -> str:
    at = page("dashboard", username, uow)
    at.session_state[PICK_KEY] = pick
    return at.run()


def test_a_crafted_selection_lists_nothing_of_another_district(demo_loaded) -> None:
    """inspector3 works in 镜铁区; a selection crafted for a unit and the district of
    雄关区 lists none of that district's complaints."""
    other = _unit_in(demo_loaded, "雄关区")
    make_complaint(demo_loaded, office=user_named(demo_loaded, "office"), unit=other,
                   content="别区的投诉")
    for pick in [("top_complaints", "top_complaints", (other.id,)),
                 ("district_bars", "districts", (other.district_id, "complaints_per_10k")),
                 ("top_findings", "top_findings", (other.id,))]:
        at = _picked(demo_loaded, "inspector3", pick)
        assert not at.exception
        assert not [d for d in at.dataframe if len(d.value) and "id" in d.value], pick
    # The office, whose scope is the city, does see it: the pick itself works.
    at = _picked(demo_loaded, "office", ("top_complaints", "top_complaints", (other.id,)))
    assert any(len(d.value) for d in at.dataframe)


@pytest.mark.parametrize("pick", [
    ("volume", "volume", ("not a day", "phone")),
    ("top_complaints", "top_complaints", ("x",)),
    ("district_bars", "districts", ("1",)),
    ("tasks", "tasks", ()),
    ("pipeline", "pipeline", (None,)),
    ("volume", "nonsense", ("2026-01-01",)),
])
def test_a_malformed_selection_shows_the_page(demo_loaded, pick) -> None:
    at = _picked(demo_loaded, "leader", pick)
    assert not at.exception


def _charts(at) -> str:
    """The charts' figures as their JSON reads once decoded (the spec escapes `<` and `/`)."""
    return " ".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False)
                    for c in at.get("plotly_chart"))


def test_a_name_with_markup_stays_text_in_the_districts_chart(demo_loaded) -> None:
    """Plotly's labels take a few HTML tags (<a href>, <b>): a district's name is escaped."""
    demo_loaded.run(structure.create_district, actor=system_actor(),
                    name='<a href="http://e.x">点</a>', kind="district")
    at = page("dashboard", "leader", demo_loaded)
    assert not at.exception
    specs = _charts(at)
    assert "&lt;a href=" in specs


def test_a_task_code_with_markup_stays_text_in_the_tasks_chart(demo_loaded) -> None:
    """The office types a task's code as freely as its title: both are escaped."""
    office = user_named(demo_loaded, "office")
    battle = demo_loaded.run(tasks.save_battle, actor=office, code="B9", title="攻坚战")
    demo_loaded.run(tasks.save_task, actor=office, battle_id=battle.id,
                    code="<a href=//e.x>T</a>", title="<b>题</b>", start_date=date(2026, 1, 1),
                    due_date=date(2026, 12, 31),
                    lead_unit_id=user_named(demo_loaded, "unit_gdj").unit_id,
                    milestones=MILESTONES)
    at = page("dashboard", "leader", demo_loaded)
    assert not at.exception
    specs = _charts(at)
    assert "&lt;b&gt;题&lt;/b&gt;" in specs
    assert "&lt;a href=//e.x&gt;T&lt;/a&gt;" in specs


def test_two_databases_at_one_version_do_not_share_cached_figures(
        sqlite_migrated_template, tmp_path) -> None:
    """The page's cache lives as long as the app's process; the version number alone names
    a state of one database, and a recreated one (or each test's) counts from 0 again."""
    office = User(id=1, username="o", display_name="o", role=Role.OFFICE, active=True)
    named = []
    for name in ("甲区", "乙区"):
        uow = UnitOfWork(make_engine(migrated_sqlite(sqlite_migrated_template,
                                                     tmp_path / f"{name}.db")))
        uow.run(structure.create_district, actor=system_actor(), name=name, kind="district")
        board = data.cached(uow, office, Filters(preset(Preset.MONTH, date(2026, 11, 26))),
                            date(2026, 11, 26))
        named.append([r.district for r in board.districts])
        uow.engine.dispose()
    assert named == [["甲区"], ["乙区"]]
