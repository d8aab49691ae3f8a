"""The findings register page (问题台账, views/findings/register_page.py): who has it, the
URL's filters, malformed links, server-side pages."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from services.core.uow import UnitOfWork
from tests import casework
from tests.app.conftest import page, texts, user_named
from tests.conftest import PHOTOS
from tests.factories import answer_all, confirm, make_draft, make_finding, make_visit, submit_visit

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


def test_the_list_shows_each_findings_first_photo_as_a_small_thumbnail(demo_loaded, template):
    """A real camera photo (GPS-tagged) goes in the list as a small JPEG without its EXIF."""
    inspector, office = user_named(demo_loaded, "inspector1"), user_named(demo_loaded, "office")
    unit_id = user_named(demo_loaded, "unit_gdj").unit_id
    make_visit(demo_loaded, inspector=inspector, unit=unit_id, template=template, submit=True,
               findings=[{"description": "无照片"}])
    visit = make_draft(demo_loaded, inspector=inspector, unit=unit_id, template=template)
    answer_all(demo_loaded, inspector=inspector, visit=visit)
    finding = make_finding(demo_loaded, inspector=inspector, visit=visit, description="带照片",
                           photo=(PHOTOS / "jpg_gps_DSCN0010.jpg").read_bytes())
    submit_visit(demo_loaded, inspector=inspector, visit=visit)
    confirm(demo_loaded, actor=office, finding=finding)
    at = page("findings_register", "office", demo_loaded)
    table = at.dataframe[0].value
    shown = dict(zip(table["id"], table["thumb"], strict=True))
    uri = shown[finding.id]
    assert uri.startswith("data:image/jpeg;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert max(image.size) <= 96 and not image.getexif()
    described = dict(zip(table["id"], table["description"], strict=True))
    assert [described[i] for i, v in shown.items() if isinstance(v, str)] == ["带照片"]
