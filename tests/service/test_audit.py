"""Every write leaves an AuditEvent in the same transaction."""

import inspect
from datetime import date, timedelta

import pytest
from sqlmodel import select

from db.models import AuditEvent
from demo import loader as demo
from i18n import LANGUAGES, catalog
from services.core import audit_log as audit
from services.core.errors import AuthenticationFailed, PermissionDenied
from services.identity import auth, users
from services.imports import units as unit_import
from services.org import structure as org
from tests.conftest import PASSWORD
from tests.factories import sign_in

WRITE_PREFIXES = (
    "create_", "update_", "set_", "reset_", "change_", "import_", "sign_", "load_", "begin_",
    "finish_",
)
WRITE_MODULES = (auth, users, org, unit_import, demo)


def _actions(uow) -> list[str]:
    with uow.read() as r:
        return list(r.session.exec(select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture
def world(uow, admin):
    d = uow.run(org.create_district, actor=admin, name="雄关区", kind="district")
    i = uow.run(org.create_industry, actor=admin, name="供电")
    u = uow.run(org.create_unit, actor=admin, name="市供电公司")
    return {"district": d, "industry": i, "unit": u}


def _calls(uow, admin, world):
    d, i, u = world["district"], world["industry"], world["unit"]
    user = uow.run(
        users.create_user, actor=admin, username="probe", display_name="P", role="office",
                             password=PASSWORD)
    csv = "名称,所属区镇,行业,第一责任人\n导入单位,,,甲\n".encode()
    return {
        "users.create_user": (lambda: uow.run(
            users.create_user, actor=admin, username="another", display_name="A", role="leader",
            password=PASSWORD), "user.create"),
        "users.update_user": (lambda: uow.run(
            users.update_user, actor=admin, user_id=user.id, version=user.version,
            display_name="P2",
            role="office", district_id=None, unit_id=None), "user.update"),
        "users.set_active": (lambda: uow.run(
            users.set_active, actor=admin, user_id=user.id, active=False), "user.deactivate"),
        "users.reset_password": (lambda: uow.run(
            users.reset_password, actor=admin, user_id=user.id, new_password="a-new-password"),
            "user.reset_password"),
        "structure.create_district": (lambda: uow.run(
            org.create_district, actor=admin, name="镜铁区", kind="district"), "district.create"),
        "structure.update_district": (lambda: uow.run(
            org.update_district, actor=admin, district_id=d.id, version=d.version, name="雄关",
            parent_id=None),
            "district.update"),
        "structure.set_district_active": (lambda: uow.run(
            org.set_district_active, actor=admin, district_id=d.id,
            active=False), "district.deactivate"),
        "structure.create_industry": (lambda: uow.run(
            org.create_industry, actor=admin, name="供水"),
                                "industry.create"),
        "structure.update_industry": (lambda: uow.run(
            org.update_industry, actor=admin, industry_id=i.id, version=i.version, name="电力",
            active=True),
            "industry.update"),
        "structure.create_unit": (lambda: uow.run(org.create_unit, actor=admin, name="新单位"),
                            "unit.create"),
        "structure.update_unit": (lambda: uow.run(
            org.update_unit, actor=admin, unit_id=u.id, version=u.version, name="供电公司",
            district_id=None,
            industry_id=None, supervisor_id=None, first_responsible=""), "unit.update"),
        "structure.set_unit_active": (lambda: uow.run(
            org.set_unit_active, actor=admin, unit_id=u.id, active=False), "unit.deactivate"),
        "units.import_units": (lambda: uow.run(
            unit_import.import_units, actor=admin, filename="u.csv", content=csv),
            "unit.import"),
        # Sign-in's two transactions, as the page runs them: the second one audits both.
        "auth.finish_sign_in": (lambda: sign_in(uow, username="root", password=PASSWORD,
                                                client="test"),
                                "auth.signin"),
        "auth.sign_out": (lambda: uow.run(auth.sign_out, actor=admin), "auth.signout"),
        "auth.change_own_password": (lambda: uow.run(
            auth.change_own_password, actor=admin, old=PASSWORD,
            new="changed-password"), "account.password_change"),
        "auth.set_own_language": (lambda: uow.run(
            auth.set_own_language, actor=admin, language="en"), "account.language"),
        "loader.load_demo": (lambda: uow.run(demo.load_demo, password=PASSWORD, size="small"),
                           "demo.activity"),
    }


def test_every_write_service_is_covered_by_this_test(uow, admin, world):
    public_writes = {
        f"{mod.__name__.split('.')[-1]}.{name}"
        for mod in WRITE_MODULES
        for name, fn in inspect.getmembers(mod, inspect.isfunction)
        if fn.__module__ == mod.__name__ and name.startswith(WRITE_PREFIXES)
    }
    public_writes.add("auth.create_first_admin")  # needs an empty database: tested below
    covered = set(_calls(uow, admin, world)) | {"auth.create_first_admin", "auth.begin_sign_in"}
    assert public_writes == covered


def test_every_write_leaves_an_audit_event(uow, admin, world):
    for name, (call, action) in _calls(uow, admin, world).items():
        before = len(_actions(uow))
        call()
        after = _actions(uow)
        assert len(after) > before, name
        assert action in after[before:], name
    assert_audit_labels(uow)


def assert_audit_labels(uow) -> None:
    """The audit page shows every recorded action and record type in both languages."""
    with uow.read() as r:
        rows = r.session.exec(select(AuditEvent.action, AuditEvent.entity).distinct()).all()
    for lang in LANGUAGES:
        missing = {f"audit_action.{a}" for a, _ in rows} | {f"audit_entity.{e}" for _, e in rows}
        assert sorted(k for k in missing if k not in catalog(lang)) == []


def test_first_admin_and_failed_sign_in_are_audited(uow):
    uow.run(auth.create_first_admin, username="boss", display_name="B", password=PASSWORD)
    with pytest.raises(AuthenticationFailed):
        sign_in(uow, username="boss", password="wrong-password", client="test")
    assert _actions(uow) == ["setup.first_admin", "auth.failed"]


def test_audit_records_before_and_after_without_secrets(uow, admin, world):
    u = world["unit"]
    uow.run(org.update_unit, actor=admin, unit_id=u.id, version=u.version, name="供电公司",
                    district_id=None, industry_id=None, supervisor_id=None, first_responsible="")
    frame = uow.query(audit.search, actor=admin, action="unit.update")
    assert len(frame) == 1
    assert "市供电公司" in frame.loc[0, "before"] and "供电公司" in frame.loc[0, "after"]
    assert frame.loc[0, "actor"] == "root"
    everything = audit.to_csv(uow.query(audit.search, actor=admin)).decode("utf-8-sig")
    assert "argon2" not in everything and PASSWORD not in everything


def test_user_records_in_the_log_keep_no_password_hash_or_credential_version(uow, admin):
    user = uow.run(users.create_user, actor=admin, username="probe", display_name="P",
                   role="office", password=PASSWORD)
    # A new role raises the credential version: the log shows the role, not the version.
    uow.run(users.update_user, actor=admin, user_id=user.id, version=user.version,
            display_name="P", role="leader", district_id=None, unit_id=None)
    with uow.read() as r:
        events = r.session.exec(select(AuditEvent).where(AuditEvent.entity_id == user.id,
                                                         AuditEvent.entity == "user")).all()
    copies = [d for e in events for d in (e.before, e.after) if d]
    assert [d["role"] for d in copies] == ["office", "office", "leader"]
    assert all(not {"password_hash", "credential_version"} & set(d) for d in copies)


def test_audit_filters_and_export(uow, admin, world, make_user):
    clerk_admin = make_user("second")
    uow.run(org.create_industry, actor=clerk_admin, name="供暖")
    by_second = uow.query(audit.search, actor=admin, user_id=clerk_admin.id)
    assert list(by_second["action"]) == ["industry.create"]
    assert list(uow.query(audit.search, actor=admin, entity="industry")["action"]).count(
        "industry.create") == 2
    today = date.today()
    assert len(uow.query(audit.search, actor=admin, date_from=today - timedelta(days=1),
                            date_to=today + timedelta(days=1))) >= 5
    assert uow.query(audit.search, actor=admin, date_to=today - timedelta(days=2)).empty
    csv = audit.to_csv(by_second)
    assert csv.startswith(b"\xef\xbb\xbf") and "industry.create" in csv.decode("utf-8-sig")
    assert "industry.create" in uow.query(audit.list_actions, actor=admin)


def test_only_admin_reads_the_audit_log(uow, make_user):
    with pytest.raises(PermissionDenied):
        uow.query(audit.search, actor=make_user("leader1", "leader"))
