"""Inspectors' district scope: an inspector with a district works on the units of that
district (and of its towns and communities) and on the units a visit plan assigns to them;
without one, on the whole city. Office, administrators and leaders are not scoped."""

from __future__ import annotations

import pytest

from db.models import Role
from services.core.errors import NotFound, PermissionDenied
from services.fieldwork import picker, visit_view
from services.fieldwork import plans as visit_plans
from services.fieldwork import visits as inspections
from services.fieldwork.checklists import ItemSpec
from services.findings import queries as finding_queries
from services.findings import rectification
from services.photos import evidence as photos
from tests.conftest import PHOTOS
from tests.factories import (
    confirm,
    make_district,
    make_draft,
    make_plan,
    make_template,
    make_unit,
    make_visit,
    report,
)

PHOTO = (PHOTOS / "jpg_Canon_40D.jpg").read_bytes()


@pytest.fixture
def city(uow, admin, make_user, office):
    """镜铁区 with a town (文殊镇), a community under the district (朝阳社区) and a village
    under the town (文殊村); 雄关区 next door; a city-level company."""
    place = {}
    for name, kind, parent in (
        ("镜铁区", "district", None), ("雄关区", "district", None),
        ("文殊镇", "town", "镜铁区"), ("朝阳社区", "community", "镜铁区"),
        ("文殊村", "community", "文殊镇"),
    ):
        place[name] = make_district(uow, actor=admin, name=name, kind=kind,
                                    parent=place.get(parent))
    units = {}
    for key, name, district in (
        ("jt", "镜铁区便民服务中心", "镜铁区"), ("town", "文殊镇卫生院", "文殊镇"),
        ("street", "朝阳社区服务站", "朝阳社区"), ("village", "文殊村村委会", "文殊村"),
        ("xg", "雄关区便民服务中心", "雄关区"), ("city", "市供电公司", None),
    ):
        units[key] = make_unit(uow, actor=admin, name=name, district=place.get(district))
    template = make_template(uow, actor=office, name="纪律检查",
                             items=[ItemSpec("纪律", "在岗在位：无脱岗离岗")])
    liaisons = {}

    def liaison(key):
        # Made on first use: every account costs a password hash.
        if key not in liaisons:
            liaisons[key] = make_user(f"liaison_{key}", Role.UNIT, unit_id=units[key].id)
        return liaisons[key]

    return {
        "place": place, "units": units, "template": template, "admin": admin,
        "office": office, "liaison": liaison,
        "jt": make_user("zhang", Role.INSPECTOR, district_id=place["镜铁区"].id),
        "anywhere": make_user("liu", Role.INSPECTOR),
    }


def _reported_finding(uow, c, unit_key, store):
    """A finding at the unit, with a photo, confirmed by the office and reported fixed:
    waiting for verification. Recorded by the city-wide inspector."""
    unit = c["units"][unit_key]
    [item] = c["template"].items
    insp, [finding] = make_visit(
        uow, inspector=c["anywhere"], unit=unit, template=c["template"], failing=(item.text,),
        findings=[dict(category="discipline", description=f"{unit.name} 窗口无人值守",
                       item_id=item.id)],
        photo=PHOTO, store=store, submit=True,
    )
    [photo] = uow.query(visit_view.get_visit, actor=c["office"],
                        inspection_id=insp.id).findings[0].photos
    confirm(uow, actor=c["office"], finding=finding)
    report(uow, actor=c["liaison"](unit_key), finding=finding, text="已安排AB岗", store=store)
    return insp, finding, photo


def _start(uow, c, actor, unit_key):
    return make_draft(uow, inspector=actor, unit=c["units"][unit_key], template=c["template"])


def _plan(uow, c, unit_key, inspector):
    return make_plan(uow, actor=c["office"], unit=c["units"][unit_key], template=c["template"],
                     inspectors=[inspector])


def _sees(uow, actor, finding, store, photo) -> bool:
    """Whether the actor reaches the finding by every way a page does."""
    listed = finding.id in {x.id for x in uow.query(finding_queries.list_cases, actor=actor)}
    counted = uow.query(finding_queries.count_cases, actor=actor)[0]
    try:
        uow.query(photos.photo_bytes, actor=actor, photo_id=photo.id, store=store)
        photo_served = True
    except NotFound:
        photo_served = False
    try:
        uow.query(visit_view.get_visit, actor=actor, inspection_id=finding.inspection_id)
        opened = True
    except (NotFound, PermissionDenied):
        opened = False
    assert listed == photo_served == opened, (listed, photo_served, opened)
    return listed and counted >= 1


# --- the attack: 镜铁区's inspector on 雄关区's findings -------------------------------------


def test_a_district_inspector_cannot_reach_another_districts_findings(uow, city, store):
    _, finding, photo = _reported_finding(uow, city, "xg", store)
    jt = city["jt"]
    assert uow.query(finding_queries.list_cases, actor=jt) == []
    assert uow.query(finding_queries.count_cases, actor=jt) == (0, 0)
    assert uow.query(finding_queries.list_cases, actor=jt, finding_id=finding.id) == []
    with pytest.raises(PermissionDenied):
        uow.query(visit_view.get_visit, actor=jt, inspection_id=finding.inspection_id)
    for variant in ("display", "thumb"):
        with pytest.raises(NotFound):
            uow.query(photos.photo_bytes, actor=jt, photo_id=photo.id, variant=variant, store=store)
    with pytest.raises(NotFound):
        uow.run(rectification.verify, actor=jt, finding_id=finding.id, accept=True)
    with pytest.raises(NotFound):
        uow.run(rectification.verify, actor=jt, finding_id=finding.id, accept=False, note="没改")
    [case] = uow.query(finding_queries.list_cases, actor=city["office"])
    assert case.status == "reported" and case.history[-1].actor != jt.display_name


def test_a_district_inspector_cannot_start_a_visit_in_another_district(uow, city):
    for unit_key in ("xg", "city"):
        with pytest.raises(PermissionDenied) as err:
            _start(uow, city, city["jt"], unit_key)
        assert err.value.message_key == "inspection.out_of_scope"
    assert uow.query(visit_view.list_drafts, actor=city["jt"]) == []


def test_the_unit_picker_offers_only_units_in_scope(uow, city):
    names = {n for _, n in uow.query(picker.units_to_visit, actor=city["jt"])}
    assert names == {"镜铁区便民服务中心", "文殊镇卫生院", "朝阳社区服务站", "文殊村村委会"}
    assert uow.query(picker.units_to_visit, actor=city["jt"], search="雄关") == []
    assert {n for _, n in uow.query(picker.units_to_visit, actor=city["jt"], search="文殊")} == {
        "文殊村村委会", "文殊镇卫生院"}
    everywhere = {n for _, n in uow.query(picker.units_to_visit, actor=city["anywhere"])}
    assert everywhere == {u.name for u in city["units"].values()}
    with pytest.raises(PermissionDenied):
        uow.query(picker.units_to_visit, actor=city["office"])


# --- the district's towns and communities are the district's ------------------------------


@pytest.mark.parametrize("unit_key", ["jt", "town", "street", "village"])
def test_a_district_inspector_works_on_the_whole_district_tree(uow, city, store, unit_key):
    jt = city["jt"]
    _, finding, photo = _reported_finding(uow, city, unit_key, store)
    assert _sees(uow, jt, finding, store, photo)
    assert uow.query(finding_queries.count_cases, actor=jt) == (1, 0)
    closed = uow.run(rectification.verify, actor=jt, finding_id=finding.id, accept=True)
    assert closed.status == "verified"
    draft = _start(uow, city, jt, unit_key)
    assert uow.query(visit_view.get_visit, actor=jt, inspection_id=draft.id).status == "draft"
    assert [n for _, n in uow.query(picker.recent_units, actor=jt)] == [
        city["units"][unit_key].name]


# --- a visit plan widens the scope ----------------------------------------------------------


def test_a_plan_lets_a_district_inspector_work_on_its_unit_elsewhere(uow, city, store):
    jt = city["jt"]
    _, finding, photo = _reported_finding(uow, city, "xg", store)
    _, other_finding, other_photo = _reported_finding(uow, city, "city", store)
    plan = _plan(uow, city, "xg", jt)

    visit = uow.run(inspections.start_visit, actor=jt, client_key="from-plan", plan_id=plan.id)
    assert visit.unit_id == city["units"]["xg"].id
    assert _sees(uow, jt, finding, store, photo)
    assert not _sees(uow, jt, other_finding, store, other_photo)  # the plan is for 雄关区 only
    assert "雄关区便民服务中心" in {n for _, n in uow.query(picker.units_to_visit, actor=jt)}
    reopened = uow.run(rectification.verify, actor=jt, finding_id=finding.id, accept=False,
                                    note="复查仍有问题")
    assert reopened.status == "reopened"


def test_a_done_plan_keeps_the_scope_and_a_cancelled_one_takes_it_back(uow, city, store):
    jt = city["jt"]
    _, finding, photo = _reported_finding(uow, city, "xg", store)
    done = _plan(uow, city, "xg", jt)
    visit = uow.run(inspections.start_visit, actor=jt, client_key="plan-visit", plan_id=done.id)
    [item] = city["template"].items
    uow.run(inspections.save_answers, actor=jt, inspection_id=visit.id, answers={item.id: "yes"})
    uow.run(inspections.submit_visit, actor=jt, inspection_id=visit.id)
    assert uow.query(visit_plans.get_plan, actor=jt, plan_id=done.id).status == visit_plans.DONE
    # The visit is over, its findings are still theirs to follow up.
    assert _sees(uow, jt, finding, store, photo)

    _, city_finding, city_photo = _reported_finding(uow, city, "city", store)
    cancelled = _plan(uow, city, "city", jt)
    assert _sees(uow, jt, city_finding, store, city_photo)
    uow.run(visit_plans.cancel_plan, actor=city["office"], plan_id=cancelled.id)
    assert not _sees(uow, jt, city_finding, store, city_photo)
    with pytest.raises(PermissionDenied):
        _start(uow, city, jt, "city")
    with pytest.raises(NotFound):
        uow.run(rectification.verify, actor=jt, finding_id=city_finding.id, accept=True)


def test_another_inspectors_plan_does_not_widen_my_scope(uow, city, store, make_user):
    _, finding, photo = _reported_finding(uow, city, "xg", store)
    colleague = make_user("chen", Role.INSPECTOR, district_id=city["place"]["镜铁区"].id)
    _plan(uow, city, "xg", colleague)
    assert _sees(uow, colleague, finding, store, photo)
    assert not _sees(uow, city["jt"], finding, store, photo)


# --- who is not scoped ----------------------------------------------------------------------


def test_an_inspector_without_a_district_works_on_the_whole_city(uow, city, store):
    made = [_reported_finding(uow, city, key, store) for key in ("xg", "city", "village")]
    anywhere = city["anywhere"]
    for _, finding, photo in made:
        assert _sees(uow, anywhere, finding, store, photo)
    assert uow.query(finding_queries.count_cases, actor=anywhere) == (3, 0)
    uow.run(rectification.verify, actor=anywhere, finding_id=made[0][1].id, accept=True)


def test_office_admin_and_leaders_are_not_scoped(uow, city, store, make_user):
    made = [_reported_finding(uow, city, key, store) for key in ("xg", "city", "jt")]
    # An office clerk or a leader with a district on their account is still city-wide.
    jt = city["place"]["镜铁区"].id
    office_jt = make_user("office_jt", Role.OFFICE, district_id=jt)
    leader_jt = make_user("leader_jt", Role.LEADER, district_id=jt)
    for actor in (city["office"], office_jt, city["admin"], leader_jt):
        for _, finding, photo in made:
            listed = {x.id for x in uow.query(finding_queries.list_cases, actor=actor)}
            assert finding.id in listed
            assert uow.query(photos.photo_bytes, actor=actor, photo_id=photo.id, store=store)
        assert uow.query(finding_queries.count_cases, actor=actor)[0] == 3
    closed = uow.run(rectification.verify, actor=office_jt, finding_id=made[0][1].id, accept=True)
    assert closed.status == "verified"


def test_a_draft_whose_plan_is_cancelled_can_only_be_discarded(uow, city):
    """The office cancels the plan that put a unit outside the inspector's district in
    their reach: the draft they started stays visible to them and can be thrown away, but
    no more findings, answers or a submission at that unit."""
    jt = city["jt"]
    plan = _plan(uow, city, "xg", jt)
    visit = uow.run(inspections.start_visit, actor=jt, client_key="before-cancel", plan_id=plan.id)
    uow.run(visit_plans.cancel_plan, actor=city["office"], plan_id=plan.id)
    assert uow.query(visit_view.get_visit, actor=jt, inspection_id=visit.id).status == "draft"
    assert [d.id for d in uow.query(visit_view.list_drafts, actor=jt)] == [visit.id]
    with pytest.raises(PermissionDenied) as refused:
        uow.run(inspections.save_finding, actor=jt, inspection_id=visit.id, client_key="late",
                category="other", severity="severe", description="计划取消之后")
    assert refused.value.message_key == "inspection.out_of_scope"
    with pytest.raises(PermissionDenied):
        uow.run(inspections.submit_visit, actor=jt, inspection_id=visit.id)
    uow.run(inspections.discard_draft, actor=jt, inspection_id=visit.id)
    assert uow.query(visit_view.list_drafts, actor=jt) == []
