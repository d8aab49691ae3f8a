"""Parallel sign-ins on SQLite and PostgreSQL."""

import threading
import time

import pytest
from sqlmodel import select

from db.models import Role, SignInThrottle
from db.timeutil import utcnow
from services.core.errors import AuthenticationFailed, SignInThrottled
from services.core.uow import UnitOfWork
from services.identity import auth, known_clients, passwords
from tests.conftest import PASSWORD, at_once

HERE = "ip:192.0.2.10"


def _try(engine, username, password, now, client=HERE):
    uow = UnitOfWork(engine)
    try:
        a = uow.run(auth.begin_sign_in, username=username, client=client, now=now)
    except SignInThrottled:
        return "throttled"
    try:
        uow.run(auth.finish_sign_in, attempt=a, password=password)
    except AuthenticationFailed:
        return "failed"
    return "ok"


def _counters(uow):
    with uow.read() as r:
        return {(row.scope, row.key): row.failures
                for row in r.session.exec(select(SignInThrottle)).all()}


def test_parallel_wrong_guesses_none_slips_past_a_wait(engine, uow, admin):
    now = utcnow()
    results = at_once([lambda: _try(engine, "root", "wrong-password", now)] * 8)
    assert results.count("failed") == 4, results  # 3 free + the one that starts the wait
    assert _counters(uow) == {("account", "root"): 4, ("client", HERE): 4}


def test_parallel_right_sign_ins_never_leave_a_negative_or_stale_count(engine, uow, admin):
    now = utcnow()
    results = at_once([lambda: _try(engine, "root", PASSWORD, now)] * 8)
    assert all(r in ("ok", "throttled") for r in results), results
    assert all(v >= 0 for v in _counters(uow).values())
    assert _counters(uow) == {("account", "root"): 0, ("client", HERE): 0}


def test_signing_in_while_changing_the_password_in_another_tab_does_not_deadlock(
    engine, uow, make_user, monkeypatch
):
    """finish_sign_in takes the known-client row, then the user row (last_signin_at);
    change_own_password takes the user row (FOR UPDATE, held through Argon2), then deletes
    the known-client rows: crosswise, PostgreSQL aborts one of them."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite's write units run one at a time")
    user = make_user("alice", Role.OFFICE)
    _try(engine, "alice", PASSWORD, utcnow())  # HERE is now a known client of alice
    upserted = threading.Event()
    changer = []
    real_verify, real_remember = passwords.verify, known_clients.remember

    def verify(h, p):
        ok = real_verify(h, p)
        if threading.current_thread() in changer:
            upserted.wait(10)  # the sign-in has just refreshed its known-client row
        return ok

    def remember(*args, **kwargs):
        real_remember(*args, **kwargs)
        upserted.set()
        time.sleep(0.5)  # the rest of finish_sign_in

    monkeypatch.setattr(passwords, "verify", verify)
    monkeypatch.setattr(known_clients, "remember", remember)
    errors = []

    def change():
        changer.append(threading.current_thread())
        try:
            UnitOfWork(engine).run(auth.change_own_password, actor=user, old=PASSWORD,
                                   new="another-long-password")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    def sign_in():
        try:
            _try(engine, "alice", PASSWORD, utcnow())
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    t1 = threading.Thread(target=change)
    t1.start()
    time.sleep(0.3)  # change_own_password holds the user row and is hashing
    t2 = threading.Thread(target=sign_in)
    t2.start()
    t1.join(30)
    t2.join(30)
    assert not errors, errors
