import pytest
from sqlmodel import func, select

from db.models import AuditEvent, Role, Unit
from services.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from services.core.uow import UnitOfWork
from services.identity import users
from services.org import structure as org


@pytest.fixture
def city(uow, admin):
    district = uow.run(org.create_district, actor=admin, name="雄关区", kind="district")
    town = uow.run(
        org.create_district, actor=admin, name="峪泉镇", kind="town", parent_id=district.id)
    industry = uow.run(org.create_industry, actor=admin, name="供电")
    return district, town, industry


def test_places_form_a_tree_in_depth_first_order(uow, admin, city):
    district, town, _ = city
    uow.run(org.create_district, actor=admin, name="嘉峪关村", kind="community", parent_id=town.id)
    uow.run(org.create_district, actor=admin, name="镜铁区", kind="district")
    rows = uow.query(org.list_districts, actor=admin)
    assert [(r.name, r.depth) for r in rows] == [
        ("镜铁区", 0), ("雄关区", 0), ("峪泉镇", 1), ("嘉峪关村", 2),
    ] or [(r.name, r.depth) for r in rows] == [
        ("雄关区", 0), ("峪泉镇", 1), ("嘉峪关村", 2), ("镜铁区", 0),
    ]


@pytest.mark.parametrize(
    ("kind", "parent"),
    [("district", "town"), ("community", None), ("town", "town"), ("planet", None)],
)
def test_a_place_must_sit_under_an_allowed_parent(uow, admin, city, kind, parent):
    parent_id = {"town": city[1].id, None: None}[parent]
    with pytest.raises(ValidationFailed):
        uow.run(org.create_district, actor=admin, name="新地方", kind=kind, parent_id=parent_id)


def test_a_place_with_active_children_cannot_be_deactivated(uow, admin, city):
    district, town, _ = city
    with pytest.raises(ValidationFailed) as err:
        uow.run(org.set_district_active, actor=admin, district_id=district.id, active=False)
    assert err.value.message_key == "org.district_has_children"
    uow.run(org.set_district_active, actor=admin, district_id=town.id, active=False)
    uow.run(org.set_district_active, actor=admin, district_id=district.id, active=False)


def test_unit_names_are_unique_and_references_must_exist(uow, admin, city):
    district, _, industry = city
    unit = uow.run(org.create_unit, actor=admin, name="雄关区供电所", district_id=district.id,
                           industry_id=industry.id, first_responsible="王建国")
    with pytest.raises(Conflict) as dup:
        uow.run(org.create_unit, actor=admin, name=" 雄关区供电所 ")
    assert dup.value.params == {"name": "雄关区供电所"}
    with pytest.raises(ValidationFailed) as missing:
        uow.run(org.create_unit, actor=admin, name="无名单位", district_id=99999)
    assert missing.value.message_key == "org.district_missing"
    with pytest.raises(ValidationFailed):
        uow.run(org.create_unit, actor=admin, name="  ")
    with pytest.raises(ValidationFailed):
        uow.run(org.update_unit, actor=admin, unit_id=unit.id, version=unit.version, name=unit.name,
                        district_id=None, industry_id=None, supervisor_id=unit.id,
                        first_responsible="")
    with pytest.raises(NotFound):
        uow.run(org.set_unit_active, actor=admin, unit_id=424242, active=False)


def test_two_people_editing_the_same_unit_second_save_is_refused(uow, admin, city):
    unit = uow.run(org.create_unit, actor=admin, name="市供电公司")
    seen_by_a = seen_by_b = unit.version
    uow.run(
        org.update_unit, actor=admin, unit_id=unit.id, version=seen_by_a, name="市供电公司（本部）",
                    district_id=None, industry_id=None, supervisor_id=None,
                    first_responsible="甲")
    with pytest.raises(Conflict) as err:
        uow.run(org.update_unit, actor=admin, unit_id=unit.id, version=seen_by_b, name="市供电公司",
                        district_id=None, industry_id=None, supervisor_id=None,
                        first_responsible="乙")
    assert err.value.message_key == "error.stale_edit"
    [row] = uow.query(org.list_units, actor=admin, search="供电")
    assert (row.name, row.first_responsible) == ("市供电公司（本部）", "甲")


def test_unit_liaison_needs_a_unit_and_roles_must_be_known(uow, admin, city):
    unit = uow.run(org.create_unit, actor=admin, name="市供电公司")
    with pytest.raises(ValidationFailed) as err:
        uow.run(users.create_user, actor=admin, username="liaison", display_name="L", role="unit",
                          password="a-long-password")
    assert err.value.message_key == "users.unit_required"
    with pytest.raises(ValidationFailed) as unknown:
        uow.run(users.create_user, actor=admin, username="x", display_name="X", role="king",
                          password="a-long-password")
    assert unknown.value.params["role"] == "king"
    liaison = uow.run(users.create_user, actor=admin, username="liaison", display_name="L",
                                role="unit", password="a-long-password", unit_id=unit.id)
    assert liaison.unit_id == unit.id
    with pytest.raises(Conflict):
        uow.run(
            users.create_user, actor=admin, username="liaison", display_name="L2", role="office",
                          password="a-long-password")


def test_user_edit_is_versioned_and_admin_cannot_lock_self_out(uow, admin, make_user):
    clerk = make_user("clerk", Role.OFFICE)
    uow.run(users.update_user, actor=admin, user_id=clerk.id, version=clerk.version,
                      display_name="Clerk Li", role="leader", district_id=None, unit_id=None)
    with pytest.raises(Conflict):
        uow.run(users.update_user, actor=admin, user_id=clerk.id, version=clerk.version,
                          display_name="Old copy", role="office", district_id=None, unit_id=None)
    with pytest.raises(ValidationFailed):
        uow.run(users.set_active, actor=admin, user_id=admin.id, active=False)
    with pytest.raises(ValidationFailed):
        uow.run(users.update_user, actor=admin, user_id=admin.id, version=admin.version,
                          display_name="me", role="office", district_id=None, unit_id=None)


def test_org_changes_need_the_admin_role(uow, make_user):
    clerk = make_user("clerk", Role.OFFICE)
    with pytest.raises(PermissionDenied):
        uow.run(org.create_unit, actor=clerk, name="x")
    assert uow.query(org.list_units, actor=clerk) == []  # office may read the organisation
    liaison_unit = uow.run(org.create_unit, actor=make_user("boss"), name="某单位")
    liaison = make_user("liaison", Role.UNIT, unit_id=liaison_unit.id)
    with pytest.raises(PermissionDenied):
        uow.query(org.list_units, actor=liaison)


def test_unit_of_work_rolls_back_everything_including_audit_when_not_committed(engine, admin):
    uow = UnitOfWork(engine)
    with uow:
        uow.session.add(Unit(name="半途而废"))
        uow.audit(admin, "unit.create", "unit", None)
        uow.flush()
    with uow.read() as r:
        assert r.session.exec(select(func.count()).select_from(Unit)).one() == 0
        actions = r.session.exec(select(AuditEvent.action)).all()
    assert "unit.create" not in actions
