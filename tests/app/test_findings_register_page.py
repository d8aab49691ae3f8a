"""The findings register page (问题台账, views/findings/register_page.py): who has it, the
URL's filters, malformed links, server-side pages."""

from __future__ import annotations

import pytest

from services.core.uow import UnitOfWork
from tests import casework
from tests.app.conftest import page, texts

UNIT = "市供电公司"
CONFIRMED = 55  # being rectified
WAITING = 3  # submitted, not reviewed yet


@pytest.fixture
def register(demo_loaded) -> UnitOfWork:
    """55 findings at 市供电公司 being rectified and 3 awaiting review: two pages of 50."""
    casework.confirmed_and_waiting(demo_loaded, unit=UNIT, confirmed=CONFIRMED, waiting=WAITING)
    return demo_loaded


def _statuses(at) -> set[str]:
    return set(at.dataframe[0].value["status"])


@pytest.mark.parametrize("username, shown", [
    ("office", CONFIRMED + WAITING), ("admin", CONFIRMED + WAITING),
    ("leader", CONFIRMED),  # leaders read what the office confirmed
    ("inspector1", CONFIRMED + WAITING),
])
def test_the_register_renders_for_each_reader_with_their_count(register, username, shown):
    at = page("findings_register", username, register, lang="en")
    assert not at.exception
    assert f"{shown} findings" in texts(at)
    assert len(at.dataframe[0].value) == min(shown, 50)


def test_the_urls_status_filters_the_list_and_fills_the_widget(register):
    at = page("findings_register", "office", register, lang="en", status="rectifying")
    assert not at.exception
    assert at.selectbox(key="fr_status").value == "rectifying"
    assert f"{CONFIRMED} findings" in texts(at)
    assert _statuses(at) == {"Being rectified"}
    at = page("findings_register", "office", register, lang="en", status="open")
    assert f"{WAITING} findings" in texts(at)
    assert _statuses(at) == {"Awaiting review"}


# Widgets' labels are formatted in the test process too, in the default language: the tests
# that change a widget run in it.
def test_a_filter_chosen_on_the_page_goes_into_the_url(register):
    at = page("findings_register", "office", register)
    at.selectbox(key="fr_status").set_value("open").run()
    assert not at.exception
    assert at.query_params["status"] == "open"
    assert f"共 {WAITING} 条问题" in texts(at)


def test_malformed_url_values_are_ignored_without_an_error(register):
    at = page("findings_register", "office", register, lang="en", status="bogus",
              to="2026-13-45", unit="abc", district="99999999999", overdue="maybe",
              sort="nonsense.asc")
    assert not at.exception
    assert not at.error
    assert f"{CONFIRMED + WAITING} findings" in texts(at)
    assert at.selectbox(key="fr_status").value is None


def test_next_moves_to_the_second_page(register):
    at = page("findings_register", "office", register)
    first = list(at.dataframe[0].value["id"])
    at.button(key="fr_next").click().run()
    assert not at.exception
    second = list(at.dataframe[0].value["id"])
    assert len(second) == CONFIRMED + WAITING - 50
    assert not set(first) & set(second)
    assert at.button(key="fr_next").disabled


def test_past_the_cap_the_count_says_more(register, monkeypatch):
    monkeypatch.setattr("services.findings.register.COUNT_CAP", 10)
    at = page("findings_register", "office", register, lang="en")
    assert not at.exception
    assert "10+ findings" in texts(at)
    assert len(at.dataframe[0].value) == 50  # the first page is still full


def test_a_unit_liaison_has_no_register(register):
    at = page("findings_register", "unit_gdj", register, lang="en")
    assert not at.exception
    assert at.error and not at.dataframe
