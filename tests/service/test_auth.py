import threading
import time
from contextlib import ExitStack
from datetime import timedelta

import pytest
from sqlmodel import select

import config
from db.models import AuditEvent, Role, SignInThrottle, User
from db.timeutil import utcnow
from demo import loader as demo
from services.core.errors import (
    AuthenticationFailed,
    Busy,
    Conflict,
    PermissionDenied,
    SignInThrottled,
    ValidationFailed,
)
from services.core.uow import UnitOfWork
from services.identity import auth, known_clients, passwords, users
from tests.conftest import PASSWORD, at_once
from tests.factories import sign_in

HERE, ELSEWHERE = "ip:192.0.2.10", "ip:203.0.113.66"


def attempt(uow, username, password, *, client=HERE, now=None):
    """One sign-in; the refusal as (kind, message key, params), or "ok"."""
    try:
        sign_in(uow, username=username, password=password, client=client, now=now)
    except (AuthenticationFailed, SignInThrottled) as err:
        return type(err).__name__, err.message_key, err.params
    return "ok"


def fail(uow, username, times, *, client, now):
    """`times` wrong passwords, each as soon as the throttle lets it be checked; returns the
    time of the last one."""
    done = 0
    while done < times:
        result = attempt(uow, username, "wrong-password", client=client, now=now)
        if result[0] == "SignInThrottled":
            now += timedelta(seconds=result[2]["seconds"])
        else:
            done += 1
    return now


def test_first_run_needs_setup_until_the_first_admin_exists(uow):
    assert uow.query(auth.needs_setup)
    admin = uow.run(
        auth.create_first_admin, username="boss", display_name="Boss", password="a-long-password"
    )
    assert admin.role == Role.ADMIN
    assert not uow.query(auth.needs_setup)
    with pytest.raises(Conflict) as err:
        uow.run(
            auth.create_first_admin, username="other", display_name="x", password="a-long-password")
    assert err.value.message_key == "setup.already_done"


def test_two_browsers_at_the_set_up_page_make_one_first_admin(engine, uow):
    results = at_once([
        lambda n=n: UnitOfWork(engine).run(
            auth.create_first_admin, username=f"boss{n}", display_name="Boss",
            password="a-long-password")
        for n in range(4)
    ])
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert all(r.message_key == "setup.already_done" for r in results
               if isinstance(r, Exception)), results
    assert _rows(uow, User) == 1


def test_password_is_stored_as_argon2id_never_in_clear(uow, admin):
    with uow.read() as r:
        stored = r.session.get(type(admin), admin.id).password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize("password", ["short", "123456789", "  padded-password  "])
def test_weak_password_is_refused(uow, admin, password):
    with pytest.raises(ValidationFailed):
        uow.run(users.create_user, actor=admin, username="u1", display_name="U", role="office",
                          password=password)


def test_sign_in_with_right_and_wrong_password(uow, admin):
    assert sign_in(uow, username="root", password=PASSWORD, client=HERE).id == admin.id
    with pytest.raises(AuthenticationFailed):
        sign_in(uow, username="root", password="wrong-password", client=HERE)
    with pytest.raises(AuthenticationFailed):
        sign_in(uow, username="nobody", password=PASSWORD, client=HERE)


# --- throttle: by name and by client, never a lockout ------------------------------------


def test_the_wait_grows_with_each_failure_from_one_client(uow, admin):
    # A new name for each failure, so only the client's counter adds up: three free
    # failures, then 1 s, 2 s, 4 s, ... up to the 15-minute cap.
    now, waits = utcnow(), []
    while True:
        result = attempt(uow, f"guess{len(waits)}", "wrong-password", now=now)
        if result[0] == "SignInThrottled":
            waits[-1] = result[2]["seconds"]  # the wait that followed the last failure
            if len(waits) == 15:
                break
            now += timedelta(seconds=result[2]["seconds"])
        else:
            waits.append(0)
    assert waits == [0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    # Another client is not slowed down by this one.
    assert attempt(uow, "root", PASSWORD, client=ELSEWHERE, now=now) == "ok"


def test_guessing_from_elsewhere_only_delays_the_real_user_a_little(uow, make_user):
    office = make_user("office", Role.OFFICE)
    start = utcnow()
    # Twenty wrong passwords for "office" from ELSEWHERE, as fast as the throttle allows.
    now = fail(uow, "office", 20, client=ELSEWHERE, now=start)
    assert now - start > timedelta(minutes=30)  # the guesser's own client is slowed right down

    # The real user, at another client, right after the latest guess: a short wait at most.
    refusal = attempt(uow, "office", PASSWORD, now=now)
    assert refusal[:2] == ("SignInThrottled", "auth.throttled")
    assert refusal[2]["seconds"] <= 30
    later = now + timedelta(seconds=refusal[2]["seconds"])
    assert sign_in(uow, username="office", password=PASSWORD, client=HERE,
                        now=later).id == office.id
    # The guesser stays slowed down by its own client's wait.
    assert attempt(uow, "office", "wrong-password", client=ELSEWHERE,
                   now=later)[0] == "SignInThrottled"


def test_unknown_and_real_names_are_answered_alike(uow, make_user):
    make_user("office", Role.OFFICE)
    now = utcnow()
    answers = {}
    for name in ("office", "ofice"):
        client = f"ip:198.51.100.{len(answers)}"
        answers[name] = [attempt(uow, name, "wrong-password", client=client, now=now)
                         for _ in range(6)]
        # While the wait runs even the right password gets the same answer, unchecked.
        answers[name].append(attempt(uow, name, PASSWORD, client=client, now=now))
    assert answers["office"] == answers["ofice"]
    assert answers["office"][4:] == [("SignInThrottled", "auth.throttled", {"seconds": 1})] * 3


def _counters(uow) -> list[int]:
    with uow.read() as r:
        return r.session.exec(
            select(SignInThrottle.failures).order_by(SignInThrottle.scope)).all()


def _rows(uow, model) -> int:
    with uow.read() as r:
        return len(r.session.exec(select(model)).all())


def test_a_refused_attempt_is_neither_checked_nor_counted_nor_written(uow, admin, monkeypatch):
    now = utcnow()
    for _ in range(4):
        attempt(uow, "root", "wrong-password", now=now)
    checked = []
    real_verify = passwords.verify
    monkeypatch.setattr(passwords, "verify", lambda *a: checked.append(a) or real_verify(*a))
    written = _rows(uow, AuditEvent), _rows(uow, SignInThrottle)
    for n in range(5):
        assert attempt(uow, "root", "wrong-password", now=now)[0] == "SignInThrottled"
        # A script hammering the form with new names from a waiting client fills nothing.
        assert attempt(uow, f"spray{n}", "wrong-password", now=now)[0] == "SignInThrottled"
    assert checked == []  # no Argon2 while the wait runs
    assert (_rows(uow, AuditEvent), _rows(uow, SignInThrottle)) == written
    assert _counters(uow) == [4, 4]
    assert attempt(uow, "root", PASSWORD, now=now + timedelta(seconds=1)) == "ok"
    # The success takes back only its own count (see the next test).
    assert _counters(uow) == [4, 4]


def test_a_success_neither_tells_a_guesser_the_name_is_real_nor_resets_their_client(
    uow, make_user
):
    make_user("office", Role.OFFICE)
    make_user("mallory", Role.INSPECTOR)
    now = utcnow()
    for name in ("office", "ofice"):
        attempt(uow, name, "wrong-password", client=ELSEWHERE, now=now)
    with uow.read() as r:
        before = r.session.exec(select(SignInThrottle.key, SignInThrottle.failures)
                                .order_by(SignInThrottle.key)).all()
    # The real user signs in from their own place; the guesser signs in to their own
    # account from the guessing client, hoping to reset its counter.
    assert attempt(uow, "office", PASSWORD, client=HERE, now=now) == "ok"
    assert attempt(uow, "mallory", PASSWORD, client=ELSEWHERE, now=now) == "ok"
    with uow.read() as r:
        after = r.session.exec(select(SignInThrottle.key, SignInThrottle.failures)
                               .where(SignInThrottle.key != "mallory")
                               .where(SignInThrottle.key != HERE)
                               .order_by(SignInThrottle.key)).all()
    # "office" still looks like "ofice", and the guessing client still counts its two.
    assert after == before
    assert dict(after)[ELSEWHERE] == 2


def test_guessing_from_many_addresses_cannot_keep_the_user_out_of_a_known_place(
    uow, make_user
):
    office = make_user("office", Role.OFFICE)
    now = utcnow()
    assert attempt(uow, "office", PASSWORD, client=HERE, now=now) == "ok"
    # Thirty addresses, each guessing the moment the name's wait has passed.
    for n in range(30):
        result = attempt(uow, "office", "wrong-password", client=f"ip:198.51.100.{n}", now=now)
        if result[0] == "SignInThrottled":
            now += timedelta(seconds=result[2]["seconds"])
            attempt(uow, "office", "wrong-password", client=f"ip:198.51.100.{n}", now=now)
    # From an address never used, the name waits (as an unknown name would) ...
    assert attempt(uow, "office", PASSWORD, client="ip:192.0.2.99", now=now)[0] == (
        "SignInThrottled")
    # ... but from the place the user signs in from, the right password opens at once.
    assert sign_in(uow, username="office", password=PASSWORD, client=HERE,
                   now=now).id == office.id
    # A wrong password there still counts, and a password reset forgets the place.
    assert attempt(uow, "office", "wrong-password", client=HERE, now=now)[0] == (
        "AuthenticationFailed")
    admin = make_user("root", Role.ADMIN)
    uow.run(users.reset_password, actor=admin, user_id=office.id,
            new_password="brand-new-password")
    assert uow.query(lambda u: known_clients.is_known(u.session, office.id, HERE, now)) is False


def test_no_write_waits_for_a_password_check_on_sqlite(engine, uow, admin, monkeypatch):
    """Argon2 runs outside any transaction: other writers go on while it runs."""
    real = passwords._hasher
    wrote = threading.Event()

    class WritingDuringTheCheck:
        def verify(self, *args):
            worker = threading.Thread(target=lambda: (
                UnitOfWork(engine).run(auth.set_own_language, actor=admin, language="en"),
                wrote.set()))
            worker.start()
            worker.join(timeout=10)
            return real.verify(*args)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(passwords, "_hasher", WritingDuringTheCheck())
    assert attempt(uow, "root", PASSWORD) == "ok"
    assert wrote.is_set()


def test_failed_attempts_are_audited_with_the_wait_and_without_the_typed_text(uow, admin):
    now = utcnow()
    for name in ("root", "no-such-user"):
        for _ in range(5):
            attempt(uow, name, "typed-secret-1", client=f"client-{name}", now=now)
    with uow.read() as r:
        events = r.session.exec(select(AuditEvent).where(AuditEvent.action.startswith("auth."))
                                .order_by(AuditEvent.id))
        seen = [(e.action, e.entity_id, e.after) for e in events]
    # Three free failures, then the one that starts a wait (logged with it); the fifth
    # attempt, refused during the wait, writes nothing.
    assert seen == (
        [("auth.failed", admin.id, {"client": "client-root"})] * 3
        + [("auth.failed", admin.id, {"client": "client-root", "wait_seconds": 1})]
        + [("auth.failed", None, {"client": "client-no-such-user"})] * 3
        + [("auth.failed", None, {"client": "client-no-such-user", "wait_seconds": 1})]
    )
    assert "typed-secret" not in repr(seen)


def test_old_failures_are_forgiven_after_a_quiet_day(uow, admin):
    now = utcnow()
    for _ in range(4):
        attempt(uow, "root", "wrong-password", now=now)
    next_day = now + timedelta(hours=25)
    assert attempt(uow, "root", "wrong-password", now=next_day)[0] == "AuthenticationFailed"
    assert attempt(uow, "root", PASSWORD, now=next_day) == "ok"  # 1 failure: no wait


def test_admin_reset_lifts_the_delay_and_the_list_shows_it(uow, admin, make_user):
    clerk = make_user("clerk", Role.OFFICE)
    now = fail(uow, "clerk", 9, client=ELSEWHERE, now=utcnow())  # a 30-second wait now
    row = next(u for u in uow.query(users.list_users, actor=admin) if u.username == "clerk")
    assert row.signin_delayed_until is not None
    uow.run(users.reset_password, actor=admin, user_id=clerk.id, new_password="brand-new-password")
    assert sign_in(uow, username="clerk", password="brand-new-password", client=HERE,
                        now=now).id == clerk.id


def test_deactivated_user_cannot_sign_in_and_loses_the_session(uow, admin, make_user):
    clerk = make_user("clerk", Role.OFFICE)
    uow.run(users.set_active, actor=admin, user_id=clerk.id, active=False)
    with pytest.raises(AuthenticationFailed):
        sign_in(uow, username="clerk", password=PASSWORD, client=HERE)
    assert uow.query(auth.current_user, clerk.id, clerk.credential_version) is None


# --- sessions end when credentials change -------------------------------------------------


CHANGES = {
    "own password": lambda uow, admin, u: uow.run(
        auth.change_own_password, actor=u, old=PASSWORD, new="another-password"),
    "reset": lambda uow, admin, u: uow.run(
        users.reset_password, actor=admin, user_id=u.id, new_password="another-password"),
    "role": lambda uow, admin, u: uow.run(
        users.update_user, actor=admin, user_id=u.id, version=u.version,
        display_name=u.display_name,
        role=Role.LEADER, district_id=None, unit_id=None),
    "deactivation": lambda uow, admin, u: uow.run(
        users.set_active, actor=admin, user_id=u.id, active=False),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_credential_change_ends_sessions_opened_before_it(uow, admin, make_user, change):
    make_user("clerk", Role.OFFICE)
    session = sign_in(uow, username="clerk", password=PASSWORD, client=HERE)
    assert uow.query(auth.current_user, session.id, session.credential_version) is not None
    CHANGES[change](uow, admin, session)
    assert uow.query(auth.current_user, session.id, session.credential_version) is None


def test_a_new_district_scope_ends_sessions_but_a_new_name_or_language_does_not(
    uow, admin, make_user
):
    from services.org import structure as org

    district = uow.run(org.create_district, actor=admin, name="雄关区", kind="district")
    make_user("insp", Role.INSPECTOR)
    session = sign_in(uow, username="insp", password=PASSWORD, client=HERE)
    uow.run(auth.set_own_language, actor=session, language="en")
    renamed = uow.run(users.update_user, actor=admin, user_id=session.id, version=session.version,
                                display_name="新名字", role=Role.INSPECTOR, district_id=None,
                                unit_id=None)
    assert uow.query(
        auth.current_user, session.id, session.credential_version).display_name == "新名字"
    uow.run(users.update_user, actor=admin, user_id=session.id, version=renamed.version,
                      display_name="新名字", role=Role.INSPECTOR, district_id=district.id,
                      unit_id=None)
    assert uow.query(auth.current_user, session.id, session.credential_version) is None


def test_the_session_that_changed_its_own_password_may_stay(uow, make_user):
    clerk = make_user("clerk", Role.OFFICE)
    changed = uow.run(auth.change_own_password, actor=clerk, old=PASSWORD, new="another-password")
    assert changed.credential_version == clerk.credential_version + 1
    assert uow.query(auth.current_user, clerk.id, changed.credential_version) is not None


def test_idle_timeout():
    now = utcnow()
    assert not auth.is_idle_expired(now - timedelta(minutes=29), now, 30)
    assert auth.is_idle_expired(now - timedelta(minutes=31), now, 30)
    assert not auth.is_idle_expired(None, now, 30)


def test_change_own_password_and_language(uow, make_user):
    clerk = make_user("clerk", Role.OFFICE)
    with pytest.raises(ValidationFailed) as err:
        uow.run(
            auth.change_own_password, actor=clerk, old="not-my-password", new="another-password")
    assert err.value.message_key == "account.old_password_wrong"
    changed = uow.run(auth.change_own_password, actor=clerk, old=PASSWORD, new="another-password")
    assert sign_in(uow, username="clerk", password="another-password", client=HERE)
    uow.run(auth.set_own_language, actor=clerk, language="en")
    assert uow.query(auth.current_user, clerk.id, changed.credential_version).language == "en"
    with pytest.raises(ValidationFailed):
        uow.run(auth.set_own_language, actor=clerk, language="fr")


def test_non_admin_cannot_manage_users(uow, make_user):
    clerk = make_user("clerk", Role.OFFICE)
    with pytest.raises(PermissionDenied):
        uow.run(users.create_user, actor=clerk, username="x", display_name="x", role="admin",
                          password="a-long-password")
    with pytest.raises(PermissionDenied):
        uow.query(users.list_users, actor=clerk)


# --- Argon2 memory: a cap on hashes at once -----------------------------------------------


def _settings(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    config.get_settings.cache_clear()


def test_sign_in_says_busy_at_once_when_every_hashing_turn_is_taken(uow, admin, monkeypatch):
    _settings(monkeypatch, PASSWORD_HASH_WAIT_SECONDS=0.2)
    with ExitStack() as held:
        for _ in range(config.get_settings().password_hash_concurrency):
            held.enter_context(passwords.hashing_slot())
        started = time.monotonic()
        with pytest.raises(Busy) as busy:
            sign_in(uow, username="root", password=PASSWORD, client=HERE)
        assert time.monotonic() - started < 5
    assert busy.value.message_key == "error.busy"
    assert _counters(uow) == [0, 0]  # counted in advance, and taken back
    assert sign_in(uow, username="root", password=PASSWORD, client=HERE).id == admin.id


class CountingHasher:
    """Wraps the real hasher and records how many hashes ran at the same time."""

    def __init__(self, real):
        self.real, self.lock, self.running, self.most = real, threading.Lock(), 0, 0

    def _counted(self, fn, *args):
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            return fn(*args)
        finally:
            with self.lock:
                self.running -= 1

    def hash(self, *args):
        return self._counted(self.real.hash, *args)

    def verify(self, *args):
        return self._counted(self.real.verify, *args)

    def check_needs_rehash(self, *args):
        return self.real.check_needs_rehash(*args)


def test_eight_parallel_sign_ins_never_hash_more_than_the_cap(uow, admin, monkeypatch):
    _settings(monkeypatch, PASSWORD_HASH_CONCURRENCY=2, PASSWORD_HASH_WAIT_SECONDS=60)
    counting = CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", counting)
    # Eight names and eight clients, so no counter row makes them wait for each other.
    results = at_once([
        lambda i=i: attempt(UnitOfWork(uow.engine), f"user{i}", "wrong-password",
                            client=f"ip:192.0.2.{i}")
        for i in range(8)
    ])
    assert all(r[0] == "AuthenticationFailed" for r in results), results
    assert 1 <= counting.most <= 2


def test_hashing_outside_sign_in_is_capped_too(monkeypatch):
    _settings(monkeypatch, PASSWORD_HASH_CONCURRENCY=2, PASSWORD_HASH_WAIT_SECONDS=60)
    counting = CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", counting)
    results = at_once([lambda: passwords.hash_password("a-long-password")] * 4
                       + [lambda: passwords.verify(None, "a-long-password")] * 4)
    assert all(isinstance(r, str | bool) for r in results), results
    assert 1 <= counting.most <= 2


# --- demo accounts ------------------------------------------------------------------------


def test_demo_accounts_are_refused_in_production(uow, monkeypatch):
    _settings(monkeypatch, APP_ENV="production", DATABASE_URL="postgresql://db/effdesk")
    with pytest.raises(PermissionDenied) as refused:
        uow.run(demo.load_demo, password=demo.DEFAULT_PASSWORD, size="org")
    assert refused.value.message_key == "demo.refused_in_production"
    assert not uow.query(demo.is_loaded)


def _two_step(uow, username, password, *, client=HERE, now=None):
    try:
        a = uow.run(auth.begin_sign_in, username=username, client=client, now=now)
        uow.run(auth.finish_sign_in, attempt=a, password=password)
    except (AuthenticationFailed, SignInThrottled) as err:
        return type(err).__name__, err.params
    return "ok"


def test_a_late_refund_does_not_cancel_the_wait_a_later_guess_started(uow, make_user):
    """A guess made while one's own sign-in is still being checked starts a wait; the late
    refund of the own attempt must not pull that wait back."""
    make_user("mallory", Role.INSPECTOR)  # the guesser's own account
    t0 = utcnow()
    for n in range(3):  # the free failures, spraying names from one client
        assert _two_step(uow, f"guess{n}", "wrong-password", now=t0)[0] == "AuthenticationFailed"
    # The guesser signs in to their own account; its password check is slow to finish.
    own = uow.run(auth.begin_sign_in, username="mallory", client=HERE, now=t0)
    t1 = t0 + timedelta(seconds=1)  # the client's wait (1 s) is over: guess again
    assert _two_step(uow, "guess3", "wrong-password", now=t1)[0] == "AuthenticationFailed"
    # That failure started a wait from t1. Now the own sign-in completes and is refunded.
    uow.run(auth.finish_sign_in, attempt=own, password=PASSWORD)
    # The client failed at t1 and is over its free attempts: it must wait after t1.
    assert _two_step(uow, "guess4", "wrong-password", now=t1)[0] == "SignInThrottled"


def test_right_password_that_needs_rehash_under_a_stricter_policy_still_signs_in(
    uow, admin, monkeypatch
):
    """After an Argon2 parameter change every stored hash is rehashed at sign-in, without the
    password policy of today: a password set under an older, shorter minimum still opens."""
    monkeypatch.setattr(passwords, "needs_rehash", lambda _hash: True)
    monkeypatch.setenv("MIN_PASSWORD_LENGTH", str(len(PASSWORD) + 1))
    config.get_settings.cache_clear()
    try:
        result = _two_step(uow, "root", PASSWORD)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"right password refused with {type(exc).__name__}: {exc}")
    assert result == "ok"
