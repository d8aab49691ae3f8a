"""Long lists are paged by the database (ui/paging.py): the verification page's two lists
and the unit's closed cases show 50 at a time, with previous and next."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from services.core.uow import UnitOfWork
from tests import casework
from tests.app.conftest import TIMEOUT, signed_in, texts, user_named

UNIT = "市供电公司"
N = 60


def _harness(key: str) -> None:
    from ui.navigation import PAGES

    PAGES[key][0]()


def page(key: str, username: str, uow) -> AppTest:
    at = signed_in(AppTest.from_function(_harness, args=(key,), default_timeout=TIMEOUT), uow,
                   username)
    return at.run()


def _findings(uow, *, reported: bool = False, verified: bool = False) -> list[str]:
    """N confirmed findings at 市供电公司, reported by its liaison and verified as asked;
    their descriptions in the list's order (deadline, then id)."""
    office, inspector, liaison = (user_named(uow, n) for n in ("office", "inspector1",
                                                                 "unit_gdj"))
    template_id, unit_id = casework.template_and_unit(uow, office=office, unit=UNIT)
    with UnitOfWork(uow.engine) as tx:
        ids = casework.submitted_visit(tx, inspector=inspector, unit_id=unit_id,
                                       template_id=template_id, n=N, label=UNIT)
        casework.confirm(tx, office=office, finding_ids=ids)
        if reported or verified:
            casework.report(tx, liaison=liaison, finding_ids=ids)
        if verified:
            casework.verify(tx, office=office, finding_ids=ids)
        tx.commit()
    # casework.confirm: deadlines cycle over 4 days, so the order is by k % 4, then id.
    order = sorted(range(1, N + 1), key=lambda k: ((k - 1) % 4, k))
    return [f"{UNIT} {k:03d}" for k in order]


def _table(at: AppTest) -> list[str]:
    return list(at.dataframe[-1].value["description"])


def test_all_findings_are_paged_and_the_second_page_shows_the_next_cases(demo_loaded):
    expected = _findings(demo_loaded)
    at = page("verify", "office", demo_loaded)
    assert not at.exception
    assert _table(at) == expected[:50]
    assert "第 1/2 页 · 第 1–50 项，共 60 项" in texts(at)
    assert at.button(key="vf_all_prev").disabled

    at.button(key="vf_all_next").click().run()
    assert not at.exception
    assert _table(at) == expected[50:]  # the other ten, none of the first page
    assert "第 2/2 页 · 第 51–60 项，共 60 项" in texts(at)
    assert at.button(key="vf_all_next").disabled

    at.button(key="vf_all_prev").click().run()
    assert _table(at) == expected[:50]

    # A new filter is a new list: it starts on its first page.
    at.button(key="vf_all_next").click().run()
    at.multiselect(key="vf_all_status").set_value(["rectifying"]).run()
    assert _table(at) == expected[:50]
    assert "第 1/2 页" in texts(at)


def test_cases_to_verify_are_picked_a_page_at_a_time(demo_loaded):
    expected = _findings(demo_loaded, reported=True)
    at = page("verify", "office", demo_loaded)
    assert not at.exception
    assert "共 60 项整改待核验" in texts(at)
    pick = at.selectbox(key="vf_pick")
    first_page = [o.rsplit(" · ", 1)[-1] for o in pick.options]
    assert first_page == expected[:50]
    assert expected[0] in texts(at)  # the first case is open for a decision

    at.button(key="vf_todo_next").click().run()
    assert not at.exception
    pick = at.selectbox(key="vf_pick")
    assert [o.rsplit(" · ", 1)[-1] for o in pick.options] == expected[50:]
    assert expected[50] in texts(at)
    # The case opened on the first page is still waiting: paging away from it is not
    # "someone else decided it".
    assert "已由其他人核验或退回" not in texts(at)


def test_the_units_closed_cases_are_paged(demo_loaded):
    expected = _findings(demo_loaded, verified=True)
    at = page("rectify", "unit_gdj", demo_loaded)
    assert not at.exception
    assert at.metric[2].value == "60"
    closed = at.dataframe[-1].value
    column = closed.columns[3]  # the description
    assert list(closed[column]) == expected[:50]
    at.button(key="rc_closed_next").click().run()
    assert not at.exception
    assert list(at.dataframe[-1].value[column]) == expected[50:]


@pytest.mark.parametrize("key", ["verify", "rectify"])
def test_a_short_list_has_no_pager(demo_loaded, key):
    at = page(key, "office" if key == "verify" else "unit_gdj", demo_loaded)
    assert not at.exception
    assert not [b for b in at.button if b.key and b.key.endswith(("_next", "_prev"))]
