from datetime import timedelta

import pytest

from db.models import Role
from db.timeutil import utcnow
from services.core.errors import (
    AccountLocked,
    AuthenticationFailed,
    Conflict,
    PermissionDenied,
    ValidationFailed,
)
from services.identity import auth, users
from tests.conftest import PASSWORD


def test_first_run_needs_setup_until_the_first_admin_exists(uow):
    assert auth.needs_setup(uow)
    admin = auth.create_first_admin(
        uow, username="boss", display_name="Boss", password="a-long-password"
    )
    assert admin.role == Role.ADMIN
    assert not auth.needs_setup(uow)
    with pytest.raises(Conflict) as err:
        auth.create_first_admin(uow, username="other", display_name="x", password="a-long-password")
    assert err.value.message_key == "setup.already_done"


def test_password_is_stored_as_argon2id_never_in_clear(uow, admin):
    with uow.read() as r:
        stored = r.session.get(type(admin), admin.id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize("password", ["short", "123456789", "  padded-password  "])
def test_weak_password_is_refused(uow, admin, password):
    with pytest.raises(ValidationFailed):
        users.create_user(uow, actor=admin, username="u1", display_name="U", role="office",
                          password=password)


def test_sign_in_with_right_and_wrong_password(uow, admin):
    assert auth.sign_in(uow, username="root", password=PASSWORD).id == admin.id
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(uow, username="root", password="wrong-password")
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(uow, username="nobody", password=PASSWORD)


def test_five_wrong_passwords_lock_for_fifteen_minutes(uow, admin):
    now = utcnow()
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(uow, username="root", password="wrong-password", now=now)
    with pytest.raises(AccountLocked) as locked:
        auth.sign_in(uow, username="root", password="wrong-password", now=now)
    assert locked.value.params == {"minutes": 15}
    # Even the right password is refused while locked, with the minutes left.
    with pytest.raises(AccountLocked) as still:
        auth.sign_in(uow, username="root", password=PASSWORD, now=now + timedelta(minutes=5))
    assert still.value.params == {"minutes": 10}
    later = now + timedelta(minutes=15, seconds=1)
    assert auth.sign_in(uow, username="root", password=PASSWORD, now=later).id == admin.id


def test_admin_reset_lifts_the_lock(uow, admin, make_user):
    make_user("clerk", Role.OFFICE)
    for _ in range(5):
        with pytest.raises((AuthenticationFailed, AccountLocked)):
            auth.sign_in(uow, username="clerk", password="wrong-password")
    clerk = next(u for u in users.list_users(uow, actor=admin) if u.username == "clerk")
    assert clerk.locked_until is not None
    users.reset_password(uow, actor=admin, user_id=clerk.id, new_password="brand-new-password")
    assert auth.sign_in(uow, username="clerk", password="brand-new-password").id == clerk.id


def test_deactivated_user_cannot_sign_in_and_loses_the_session(uow, admin, make_user):
    clerk = make_user("clerk", Role.OFFICE)
    users.set_active(uow, actor=admin, user_id=clerk.id, active=False)
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(uow, username="clerk", password=PASSWORD)
    assert auth.current_user(uow, clerk.id) is None


def test_idle_timeout():
    now = utcnow()
    assert not auth.is_idle_expired(now - timedelta(minutes=29), now, 30)
    assert auth.is_idle_expired(now - timedelta(minutes=31), now, 30)
    assert not auth.is_idle_expired(None, now, 30)


def test_change_own_password_and_language(uow, make_user):
    clerk = make_user("clerk", Role.OFFICE)
    with pytest.raises(ValidationFailed) as err:
        auth.change_own_password(uow, actor=clerk, old="not-my-password", new="another-password")
    assert err.value.message_key == "account.old_password_wrong"
    auth.change_own_password(uow, actor=clerk, old=PASSWORD, new="another-password")
    assert auth.sign_in(uow, username="clerk", password="another-password")
    auth.set_own_language(uow, actor=clerk, language="en")
    assert auth.current_user(uow, clerk.id).language == "en"
    with pytest.raises(ValidationFailed):
        auth.set_own_language(uow, actor=clerk, language="fr")


def test_non_admin_cannot_manage_users(uow, make_user):
    clerk = make_user("clerk", Role.OFFICE)
    with pytest.raises(PermissionDenied):
        users.create_user(uow, actor=clerk, username="x", display_name="x", role="admin",
                          password="a-long-password")
    with pytest.raises(PermissionDenied):
        users.list_users(uow, actor=clerk)
