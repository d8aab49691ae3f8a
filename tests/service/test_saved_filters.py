"""Saved filters (services/preferences/saved_filters.py, issue 10): a user saves the findings
register's filters under a name, lists and applies their own, replaces one by saving under
its name again, deletes it; nobody else sees or deletes them; a crafted query is cleaned the
way the page reads a link; names are short and a user keeps at most MAX_PER_PAGE."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from db.models import AuditEvent, Role, SavedFilter
from services.core.errors import NotFound, PermissionDenied, ValidationFailed
from services.identity import users
from services.preferences import saved_filters as saved
from tests.conftest import at_once, count_rows
from tests.factories import make_unit

PAGE = "findings_register"
OVERDUE = {"status": "rectifying", "overdue": "1", "sort": "deadline.asc"}


def _save(uow, actor, name, query=None, page=PAGE):
    return uow.run(saved.save_filter, actor=actor, page=page, name=name,
                   query=OVERDUE if query is None else query)


def _listed(uow, actor, page=PAGE) -> dict[str, dict[str, str]]:
    return {s.name: s.query for s in uow.query(saved.list_filters, actor=actor, page=page)}


def _stored(uow, row_id) -> dict:
    return json.loads(uow.query(lambda u: u.session.get(SavedFilter, row_id).query))


def _actions(uow) -> list[str]:
    return uow.query(lambda u: list(u.session.exec(
        select(AuditEvent.action).where(AuditEvent.entity == "saved_filter")
        .order_by(AuditEvent.id)).all()))


def test_saved_filters_are_listed_by_name_with_their_query(uow, office):
    _save(uow, office, "本月逾期")
    _save(uow, office, "严重问题", {"severity": "severe"})
    assert _listed(uow, office) == {"严重问题": {"severity": "severe"}, "本月逾期": OVERDUE}
    assert list(_listed(uow, office)) == sorted(["本月逾期", "严重问题"])
    assert _actions(uow) == ["saved_filter.create", "saved_filter.create"]


def test_every_reader_of_the_register_may_keep_filters(uow, make_user):
    for username, role in (("lead", Role.LEADER), ("insp", Role.INSPECTOR),
                           ("root", Role.ADMIN)):
        user = make_user(username, role)
        _save(uow, user, "mine")
        assert _listed(uow, user) == {"mine": OVERDUE}


def test_saving_under_the_same_name_replaces_that_filter(uow, office):
    first = _save(uow, office, "  每周  ")  # the name is kept trimmed
    second = _save(uow, office, "每周", {"status": "open"})
    assert second.id == first.id and second.name == "每周"
    assert _listed(uow, office) == {"每周": {"status": "open"}}
    assert count_rows(uow, SavedFilter) == 1
    assert _actions(uow) == ["saved_filter.create", "saved_filter.update"]


def test_a_double_click_saves_one_filter_and_audits_it_once(uow, office):
    _save(uow, office, "双击")
    _save(uow, office, "双击")
    assert count_rows(uow, SavedFilter) == 1
    assert _actions(uow) == ["saved_filter.create"]


def test_two_tabs_saving_the_same_name_at_once_keep_one_filter(uow, office):
    results = at_once([lambda: _save(uow, office, "同时"),
                       lambda: _save(uow, office, "同时", {"status": "open"})])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert count_rows(uow, SavedFilter) == 1


def test_another_user_neither_sees_nor_deletes_them(uow, office, make_user):
    colleague = make_user("office2", Role.OFFICE)
    mine = _save(uow, office, "我的")
    assert _listed(uow, colleague) == {}
    with pytest.raises(NotFound):
        uow.run(saved.delete_filter, actor=colleague, filter_id=mine.id)
    # The same name is the colleague's own: it replaces nothing of mine.
    _save(uow, colleague, "我的", {"status": "open"})
    assert _listed(uow, office) == {"我的": OVERDUE}
    assert _listed(uow, colleague) == {"我的": {"status": "open"}}


def test_deleting_ones_own_filter_removes_it_and_is_audited(uow, office):
    row = _save(uow, office, "用完即删")
    gone = uow.run(saved.delete_filter, actor=office, filter_id=row.id)
    assert gone.name == "用完即删"
    assert _listed(uow, office) == {}
    assert _actions(uow) == ["saved_filter.create", "saved_filter.delete"]
    with pytest.raises(NotFound):  # a second click: already gone
        uow.run(saved.delete_filter, actor=office, filter_id=row.id)


@pytest.mark.parametrize("crafted", [0, -1, 2**40, "1", None, True])
def test_a_crafted_id_names_no_filter(uow, office, crafted):
    _save(uow, office, "留着")
    with pytest.raises(NotFound):
        uow.run(saved.delete_filter, actor=office, filter_id=crafted)
    assert count_rows(uow, SavedFilter) == 1


def test_a_crafted_query_is_cleaned_before_it_is_saved(uow, office):
    row = _save(uow, office, "伪造", {
        "status": "bogus", "unit": "abc", "district": "99999999999", "overdue": "maybe",
        "to": "2026-13-45", "sort": "description.asc", "lang": "en", "evil": "<script>",
        "severity": ["general", "severe"],  # repeated: the last one counts, as in a URL
        "category": 7, "kind": {"a": 1},  # not strings at all
        "from": " 2026-11-01 ", "reopened": "0", "industry": "12",
    })
    assert _stored(uow, row.id) == {"from": "2026-11-01", "reopened": "0", "industry": "12",
                                    "severity": "severe"}


@pytest.mark.parametrize("sort, kept", [
    ("deadline", "deadline"), ("unit.asc", "unit.asc"), ("found", "found"),
    ("deadline.desc", None), ("password", None), (" severity.asc ", "severity.asc"),
])
def test_only_a_sort_the_register_offers_is_kept(uow, office, sort, kept):
    row = _save(uow, office, "排序", {"status": "open", "sort": sort})
    assert _stored(uow, row.id).get("sort") == kept


@pytest.mark.parametrize("query", [{}, {"status": "bogus", "lang": "en"}, ["status"], None])
def test_nothing_left_to_save_is_refused_clearly(uow, office, query):
    with pytest.raises(ValidationFailed) as err:
        uow.run(saved.save_filter, actor=office, page=PAGE, name="空", query=query or {})
    assert err.value.message_key == "saved_filter.empty"
    assert count_rows(uow, SavedFilter) == 0


def test_a_query_read_back_is_cleaned_again(uow, office):
    """A value stored before the page stopped offering it (or written by hand) is dropped
    when the filters are listed, not handed to the page."""
    row = _save(uow, office, "旧的")
    with uow:
        uow.session.get(SavedFilter, row.id).query = json.dumps(
            {"status": "retired", "overdue": "1", "x": "y"})
        uow.commit()
    assert _listed(uow, office) == {"旧的": {"overdue": "1"}}


@pytest.mark.parametrize("name, key", [("", "error.required"), ("   ", "error.required"),
                                       ("长" * 41, "error.too_long")])
def test_a_missing_or_too_long_name_is_refused(uow, office, name, key):
    with pytest.raises(ValidationFailed) as err:
        _save(uow, office, name)
    assert err.value.message_key == key and err.value.params["field"] == "filter_name"
    assert count_rows(uow, SavedFilter) == 0
    assert _save(uow, office, "长" * 40).name == "长" * 40  # the longest allowed


def test_a_user_keeps_at_most_the_limit_per_page(uow, office, make_user):
    with uow:
        for k in range(saved.MAX_PER_PAGE):
            saved.save_filter(uow, actor=office, page=PAGE, name=f"筛选{k:02}", query=OVERDUE)
        uow.commit()
    with pytest.raises(ValidationFailed) as err:
        _save(uow, office, "再来一个")
    assert err.value.message_key == "saved_filter.limit"
    assert err.value.params == {"max": saved.MAX_PER_PAGE}
    assert count_rows(uow, SavedFilter) == saved.MAX_PER_PAGE
    # Replacing one of them is still allowed; so is another user's first.
    assert _save(uow, office, "筛选00", {"status": "open"}).name == "筛选00"
    _save(uow, make_user("office2", Role.OFFICE), "再来一个")
    # After a delete there is room again.
    first = uow.query(saved.list_filters, actor=office, page=PAGE)[0]
    uow.run(saved.delete_filter, actor=office, filter_id=first.id)
    _save(uow, office, "再来一个")


def test_a_query_too_long_for_its_column_is_refused(uow, office, monkeypatch):
    monkeypatch.setattr(saved, "MAX_QUERY", 20)
    with pytest.raises(ValidationFailed) as err:
        _save(uow, office, "太长")
    assert err.value.message_key == "error.too_long"
    assert err.value.params["field"] == "filter_query"


def test_a_role_without_the_register_has_no_saved_filters(uow, admin, make_user):
    unit = make_unit(uow, actor=admin, name="某单位")
    liaison = make_user("liaison", Role.UNIT, unit_id=unit.id)
    with pytest.raises(PermissionDenied):
        _save(uow, liaison, "不行")
    with pytest.raises(PermissionDenied):
        uow.query(saved.list_filters, actor=liaison, page=PAGE)
    assert count_rows(uow, SavedFilter) == 0


def test_a_deactivated_user_can_no_longer_use_theirs(uow, admin, office):
    row = _save(uow, office, "停用前")
    uow.run(users.set_active, actor=admin, user_id=office.id, active=False)
    office.active = False
    with pytest.raises(PermissionDenied):
        uow.query(saved.list_filters, actor=office, page=PAGE)
    with pytest.raises(PermissionDenied):
        uow.run(saved.delete_filter, actor=office, filter_id=row.id)


def test_an_unknown_page_is_refused(uow, office):
    with pytest.raises(ValidationFailed):
        _save(uow, office, "x", page="admin_users")
    with pytest.raises(ValidationFailed):
        uow.query(saved.list_filters, actor=office, page="nope")
