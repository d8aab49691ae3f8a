"""The rectification tracking page (整改跟踪, views/findings/tracking_page.py): who has it, its
sections with their figures, the on-time definition in words, the period picker, English."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from db.models import Finding
from i18n import translate
from services.core import clock
from services.core.uow import UnitOfWork
from services.findings import rectification, tracking
from tests import casework
from tests.app.conftest import page, texts, user_named

UNIT = "市供电公司"


@pytest.fixture
def tracked(demo_loaded) -> UnitOfWork:
    """Four confirmed findings at 市供电公司: one overdue for three days, one due on this
    week's Sunday, one reported and reopened by the office, one reported on time."""
    office, inspector = user_named(demo_loaded, "office"), user_named(demo_loaded, "inspector1")
    liaison = user_named(demo_loaded, "unit_gdj")
    template_id, unit_id = casework.template_and_unit(demo_loaded, office=office, unit=UNIT)
    today = clock.today()
    with UnitOfWork(demo_loaded.engine) as tx:
        ids = casework.submitted_visit(tx, inspector=inspector, unit_id=unit_id,
                                       template_id=template_id, n=4, label=UNIT)
        casework.confirm(tx, office=office, finding_ids=ids)
        casework.report(tx, liaison=liaison, finding_ids=ids[2:])
        rectification.verify(tx, actor=office, finding_id=ids[2], accept=False, note="不彻底")
        # Deadlines as time has moved on (no service sets one in the past).
        for fid, deadline in ((ids[0], today - timedelta(days=3)),
                              (ids[1], tracking.week_of(today).end)):
            tx.session.get(Finding, fid).deadline = deadline
        tx.commit()
    return demo_loaded


def _en(key: str, **params) -> str:
    return translate(f"tracking.{key}", "en", **params)


@pytest.mark.parametrize("username", ["office", "admin", "leader", "inspector1"])
def test_every_reader_of_the_register_sees_the_four_sections(tracked, username):
    at = page("rectification_tracking", username, tracked, lang="en")
    assert not at.exception
    assert at.title[0].value == "Rectification tracking"
    assert [s.value for s in at.subheader] == [
        _en("due_title"), _en("overdue_title"), _en("reopened_title"), _en("on_time_title")]
    assert _en("on_time_definition") in texts(at)


def test_the_figures_of_each_section(tracked):
    at = page("rectification_tracking", "office", tracked, lang="en")
    metrics = {m.label: m.value for m in at.metric}
    # Due this week: the one due on Sunday, plus the overdue one if its deadline was this
    # week too (from Thursday on).
    overdue_this_week = tracking.week_of(clock.today()).start <= clock.today() - timedelta(3)
    assert metrics[_en("due_total")] == str(1 + overdue_this_week)
    assert metrics[_en("overdue_total")] == "1"
    assert metrics[_en("overdue_units")] == "1"
    assert metrics[_en("reopened_now")] == "1"
    # Counted: the overdue one and the one reported on time (the reopened one and the one
    # due on Sunday are not due yet).
    assert metrics[_en("on_time_measured")] == "2"
    assert metrics[_en("on_time_rate")] == "50%"
    overdue = at.dataframe[1].value
    assert list(overdue["unit"]) == [UNIT] and list(overdue["overdue_count"]) == [1]
    assert list(overdue["oldest_days"]) == [3]
    assert at.button(key="rt_overdue_all").label == _en("open_overdue")
    on_time = at.dataframe[-1].value
    assert list(on_time["unit"]) == [UNIT] and list(on_time["rate"]) == [50]
    assert len(at.get("plotly_chart")) == 1


def test_a_period_with_nothing_to_measure_says_so(tracked):
    at = page("rectification_tracking", "office", tracked, lang="en")
    last_year = clock.today().year - 1
    at.date_input(key="rt_period").set_value((date(last_year, 1, 1),
                                              date(last_year, 12, 31))).run()
    assert not at.exception
    assert _en("on_time_none", start=f"{last_year}-01-01", end=f"{last_year}-12-31") in texts(at)
    assert not at.get("plotly_chart")
    # What is due or overdue does not depend on the period.
    assert {m.label: m.value for m in at.metric}[_en("overdue_total")] == "1"


def test_the_page_speaks_chinese_by_default(tracked):
    at = page("rectification_tracking", "office", tracked)
    assert not at.exception
    assert at.title[0].value == "整改跟踪"
    assert at.subheader[0].value == "本周到期"
    assert "口径：" in texts(at)


def test_a_units_liaison_has_no_tracking_page(tracked):
    at = page("rectification_tracking", "unit_gdj", tracked, lang="en")
    assert not at.exception
    assert at.error and not at.dataframe and not at.metric
    assert UNIT not in str(at.main)


def _pick(at, table: str, row: int = 0):
    """A row ticked in a table (AppTest cannot click a data frame's row)."""
    at.session_state[table] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return at.run()


def test_a_picked_unit_opens_its_overdue_findings_in_the_register(tracked):
    at = page("rectification_tracking", "office", tracked, lang="en")
    # Nothing picked yet: only "all overdue".
    assert "rt_overdue_unit" not in {b.key for b in at.button}
    _pick(at, "rt_overdue")
    at.button(key="rt_overdue_unit").click().run()
    assert not at.exception
    unit_id = user_named(tracked, "unit_gdj").unit_id
    assert dict(at.query_params) == {"overdue": "1", "unit": str(unit_id)}


def test_the_reopened_and_on_time_links_name_their_filters(tracked):
    at = page("rectification_tracking", "office", tracked, lang="en")
    at.button(key="rt_reopened_now_open").click().run()
    assert dict(at.query_params) == {"status": "reopened"}
    at = page("rectification_tracking", "office", tracked, lang="en")
    _pick(at, "rt_on_time")
    at.button(key="rt_on_time_unit").click().run()
    assert dict(at.query_params) == {"unit": str(user_named(tracked, "unit_gdj").unit_id)}


def test_a_picked_reopened_finding_opens_its_units_reopened_findings(tracked):
    at = page("rectification_tracking", "office", tracked, lang="en")
    _pick(at, "rt_reopened_now")
    at.button(key="rt_reopened_now_unit").click().run()
    assert not at.exception
    unit_id = user_named(tracked, "unit_gdj").unit_id
    assert dict(at.query_params) == {"status": "reopened", "unit": str(unit_id)}


def test_overdue_units_show_how_often_the_office_urged_them(tracked):
    """催办 counted per unit: the overdue table says how often each unit was urged lately."""
    from services.findings import urging
    office = user_named(tracked, "office")
    at = page("rectification_tracking", "office", tracked, lang="en")
    table = next(d.value for d in at.dataframe if "urged_30d" in d.value)
    assert list(table["urged_30d"]) == [0]
    overdue = tracked.query(tracking.overdue_by_unit, actor=office)
    with UnitOfWork(tracked.engine) as tx:
        waiting = tx.session.exec(
            Finding.__table__.select().where(Finding.unit_id == overdue[0].unit_id,
                                             Finding.status == "rectifying")).all()
        urging.urge(tx, actor=office, finding_ids=[w.id for w in waiting], client_key="u1")
        tx.commit()
    at = page("rectification_tracking", "office", tracked, lang="en")
    table = next(d.value for d in at.dataframe if "urged_30d" in d.value)
    assert list(table["urged_30d"]) == [len(waiting)] and len(waiting) >= 1
