"""Paging of the case list in the database: list_cases pages with offset and limit,
count_cases gives the total for the same filters, both through the visibility filter."""

from __future__ import annotations

from datetime import date

import pytest

from db.models import Role
from demo import checklist as demo_checklist
from services.fieldwork import checklists
from services.findings import queries as finding_queries
from services.findings import status as finding_status
from services.org import structure as org
from tests import casework

PAGE = 50


@pytest.fixture
def cases(uow, admin, make_user):
    """120 findings: 60 at a unit in 雄关区 and 60 at a city-level unit; of each 60, 40
    confirmed (deadlines with ties) and 20 still open (no deadline)."""
    district = uow.run(org.create_district, actor=admin, name="雄关区", kind="district")
    near = uow.run(org.create_unit, actor=admin, name="雄关区政务大厅", district_id=district.id)
    city = uow.run(org.create_unit, actor=admin, name="市供水公司")
    office = make_user("office", Role.OFFICE)
    inspector = make_user("insp", Role.INSPECTOR)
    scoped = make_user("insp_xg", Role.INSPECTOR, district_id=district.id)
    template = uow.run(checklists.save_template, actor=office, name=demo_checklist.NAME,
                       description="", items=demo_checklist.ITEMS)
    ids = {}
    with uow as tx:
        for unit in (near, city):
            made = casework.submitted_visit(tx, inspector=inspector, unit_id=unit.id,
                                            template_id=template.id, n=60, label=unit.name)
            casework.confirm(tx, office=office, finding_ids=made[:40])
            ids[unit.id] = made
        tx.commit()
    return {"office": office, "scoped": scoped, "near": near.id, "city": city.id, "ids": ids}


def _order(case: finding_queries.FindingCase) -> tuple:
    return (case.deadline is None, case.deadline or date.max, case.id)


def _pages(uow, actor, **filters) -> list[list[finding_queries.FindingCase]]:
    pages = []
    for offset in range(0, 500, PAGE):  # bounded: a list that ignored the offset never ends
        page = uow.query(finding_queries.list_cases, actor=actor, offset=offset, limit=PAGE,
                         **filters)
        if not page:
            break
        pages.append(page)
    return pages


def test_pages_of_the_list_hold_every_finding_once_in_order(uow, cases):
    office = cases["office"]
    pages = _pages(uow, office)
    assert [len(p) for p in pages] == [50, 50, 20]
    listed = [c for p in pages for c in p]
    ids = [c.id for c in listed]
    assert len(set(ids)) == len(ids)  # no repeats
    assert set(ids) == set(cases["ids"][cases["near"]]) | set(cases["ids"][cases["city"]])
    assert listed == sorted(listed, key=_order)  # deadline first, none last, then id
    # Deadlines tie within the first page and across its end: the id decides.
    assert pages[0][-1].deadline == pages[1][0].deadline
    assert pages[0][-1].id < pages[1][0].id
    assert uow.query(finding_queries.count_cases, actor=office) == (120, 0)
    assert uow.query(finding_queries.list_cases, actor=office, offset=120, limit=PAGE) == []


def test_paging_keeps_the_filters_and_the_actors_scope(uow, cases):
    waiting = (finding_status.RECTIFYING,)
    office_pages = _pages(uow, cases["office"], statuses=waiting)
    assert [len(p) for p in office_pages] == [50, 30]
    assert all(c.status == finding_status.RECTIFYING for p in office_pages for c in p)
    assert uow.query(finding_queries.count_cases, actor=cases["office"],
                     statuses=waiting) == (80, 0)

    # An inspector of 雄关区 pages through that district's findings only.
    scoped = cases["scoped"]
    scoped_pages = _pages(uow, scoped)
    assert [len(p) for p in scoped_pages] == [50, 10]
    assert {c.id for p in scoped_pages for c in p} == set(cases["ids"][cases["near"]])
    assert uow.query(finding_queries.count_cases, actor=scoped) == (60, 0)
    assert uow.query(finding_queries.count_cases, actor=scoped, unit_id=cases["city"]) == (0, 0)
    one = cases["ids"][cases["city"]][0]
    assert uow.query(finding_queries.count_cases, actor=cases["office"], finding_id=one) == (1, 0)
    assert uow.query(finding_queries.count_cases, actor=scoped, finding_id=one) == (0, 0)
