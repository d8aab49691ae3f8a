"""Saved filters on the findings register (views/findings/saved_filters.py, issue 10): save
the filters the list shows, come back later, apply them with one pick (every other filter
cleared, the sort and the URL set), delete them; bad names say why and keep the typing;
another user never sees them."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from config import get_settings
from db.models import SavedFilter
from services.core.uow import UnitOfWork
from tests import casework
from tests.app.conftest import page, texts
from tests.conftest import count_rows

UNIT = "市供电公司"
RECTIFYING = 5  # confirmed, being rectified
WAITING = 2  # submitted, not reviewed yet


@pytest.fixture
def findings(demo_loaded) -> UnitOfWork:
    casework.confirmed_and_waiting(demo_loaded, unit=UNIT, confirmed=RECTIFYING, waiting=WAITING)
    return demo_loaded


@pytest.fixture
def english(monkeypatch):
    """English as the default language, for the page and for this process, where AppTest
    formats the widgets' options again on each run."""
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    get_settings.cache_clear()


def _save(at, name: str):
    at.text_input(key="sf_name_0").input(name)
    return at.button(key="sf_save").click().run()


def _stored(uow: UnitOfWork) -> dict[str, dict]:
    rows = uow.query(lambda u: u.session.exec(select(SavedFilter)).all())
    return {r.name: json.loads(r.query) for r in rows}


def _statuses(at) -> set[str]:
    return set(at.dataframe[0].value["status"])


def test_save_reopen_and_apply_shows_the_filtered_rows_in_english(findings, english):
    at = page("findings_register", "office", findings, status="rectifying",
              sort="deadline.asc")
    assert "No saved filters yet" in texts(at)
    assert at.button(key="sf_save").label == "Save current filters"
    assert at.text_input(key="sf_name_0").label == "Save as"
    at = _save(at, "Being fixed")
    assert not at.exception
    assert 'Saved the filters as "Being fixed".' in texts(at)
    assert _stored(findings) == {"Being fixed": {"status": "rectifying",
                                                 "sort": "deadline.asc"}}
    assert at.text_input(key="sf_name_1").value == ""  # the box starts anew

    # Later: the page opened without the link shows everything.
    at = page("findings_register", "office", findings)
    assert f"{RECTIFYING + WAITING} findings" in texts(at)
    assert at.selectbox(key="sf_pick").label == "Saved filters"
    assert at.button(key="sf_apply").label == "Apply" and at.button(key="sf_apply").disabled
    at.selectbox(key="sf_pick").select_index(1).run()
    at.button(key="sf_apply").click().run()
    assert not at.exception
    assert 'Applied "Being fixed".' in texts(at)
    assert f"{RECTIFYING} findings" in texts(at)
    assert _statuses(at) == {"Being rectified"}
    assert at.selectbox(key="fr_status").value == "rectifying"
    assert at.selectbox(key="fr_sort").value == "deadline"
    assert at.toggle(key="fr_desc").value is False
    assert at.query_params["status"] == "rectifying"
    assert at.query_params["sort"] == "deadline.asc"
    deadlines = list(at.dataframe[0].value["deadline"])
    assert deadlines == sorted(deadlines)


def test_applying_clears_every_filter_the_saved_one_does_not_set(findings):
    at = page("findings_register", "office", findings, status="open")
    at = _save(at, "待审核")
    # Another visit, with other filters chosen by hand.
    at = page("findings_register", "office", findings, severity="severe", overdue="1",
              sort="unit")
    assert "没有符合筛选条件的问题" in texts(at)
    at.selectbox(key="sf_pick").select_index(1).run()
    at.button(key="sf_apply").click().run()
    assert not at.exception
    assert f"共 {WAITING} 条问题" in texts(at)
    assert at.selectbox(key="fr_severity").value is None
    assert at.selectbox(key="fr_overdue").value is None
    assert at.selectbox(key="fr_status").value == "open"
    assert at.selectbox(key="fr_sort").value == "found" and at.toggle(key="fr_desc").value
    assert {k: at.query_params[k] for k in at.query_params} == {"status": "open"}


def test_filters_chosen_on_the_page_are_what_is_saved(findings):
    at = page("findings_register", "office", findings)
    at.selectbox(key="fr_status").set_value("rectifying").run()
    at = _save(at, "整改中")
    assert not at.exception
    assert "已保存筛选“整改中”" in texts(at)
    assert _stored(findings) == {"整改中": {"status": "rectifying"}}


def test_saving_under_a_name_in_use_replaces_it(findings):
    at = page("findings_register", "office", findings, status="open")
    at = _save(at, "常用")
    at = page("findings_register", "office", findings, status="rectifying")
    at = _save(at, "常用")
    assert "已用当前筛选更新“常用”" in texts(at)
    assert _stored(findings) == {"常用": {"status": "rectifying"}}


@pytest.mark.parametrize("name", ["", "   "])
def test_a_missing_name_says_so_and_keeps_what_was_typed(findings, name):
    at = page("findings_register", "office", findings, status="open")
    at = _save(at, name)
    assert not at.exception
    assert "请填写“筛选名称”" in texts(at)
    assert at.text_input(key="sf_name_0").value == name
    assert count_rows(findings, SavedFilter) == 0


def test_the_name_box_takes_the_longest_name_allowed(findings):
    at = page("findings_register", "office", findings, status="open")
    assert at.text_input(key="sf_name_0").max_chars == 40  # the browser stops typing there
    at = _save(at, "名" * 40)
    assert not at.exception
    assert list(_stored(findings)) == ["名" * 40]


def test_nothing_to_save_without_filters(findings):
    at = _save(page("findings_register", "office", findings), "全部")
    assert "当前没有设置任何筛选条件" in texts(at)
    assert count_rows(findings, SavedFilter) == 0


def test_a_double_click_on_save_keeps_one_filter(findings):
    at = page("findings_register", "office", findings, status="open")
    at.text_input(key="sf_name_0").input("双击")
    at.button(key="sf_save").click().run()
    at.text_input(key="sf_name_1").input("双击")
    at.button(key="sf_save").click().run()
    assert not at.exception
    assert count_rows(findings, SavedFilter) == 1


def test_delete_removes_the_picked_filter(findings):
    at = _save(page("findings_register", "office", findings, status="open"), "临时")
    at.selectbox(key="sf_pick").select_index(1).run()
    at.button(key="sf_delete").click().run()
    assert not at.exception
    assert "已删除筛选“临时”" in texts(at)
    assert count_rows(findings, SavedFilter) == 0
    assert "还没有已保存的筛选" in texts(at)


def test_another_user_does_not_see_them(findings):
    _save(page("findings_register", "office", findings, status="open"), "办公室的")
    at = page("findings_register", "inspector1", findings)
    assert not at.exception
    assert "还没有已保存的筛选" in texts(at)
    assert not at.selectbox(key="fr_status").value  # and nothing was applied


def test_a_saved_name_is_shown_as_typed_not_as_markdown(findings):
    at = _save(page("findings_register", "office", findings, status="open"), "**粗体**")
    assert not at.exception
    assert "已保存筛选“\\*\\*粗体\\*\\*”" in texts(at)
    at = page("findings_register", "office", findings)
    assert at.selectbox(key="sf_pick").options == ["选择已保存的筛选", "**粗体**"]


def test_past_the_limit_the_page_says_so_and_keeps_the_rest(findings, monkeypatch):
    monkeypatch.setattr("services.preferences.saved_filters.MAX_PER_PAGE", 1)
    at = _save(page("findings_register", "office", findings, status="open"), "第一个")
    at.text_input(key="sf_name_1").input("第二个")
    at.button(key="sf_save").click().run()
    assert not at.exception
    assert "此页面最多保存 1 个筛选" in texts(at)
    assert at.text_input(key="sf_name_1").value == "第二个"
    assert list(_stored(findings)) == ["第一个"]
