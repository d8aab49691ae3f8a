"""Sign-in throttle: a growing delay per typed username and per client, never a lockout.

Two counters answer every attempt: one for the username as typed ("account"), whether or
not such a user exists, so an unknown name is throttled exactly like a real one and the
answer tells nobody which names are real; and one for the client ("client": its address,
or its browser session when there is none). After the free failures each further failure
doubles the wait up to a cap. The account cap is short (seconds); the client cap is long,
so one client cannot keep guessing. While a wait runs, attempts are refused without
looking at the password, without counting and without writing anything.

An attempt is counted as a failure before its password is checked, and refunded when the
password proves right: parallel guesses cannot slip past a wait, and no lock is held while
Argon2 runs. A success refunds only its own count: it neither clears what others have
counted on the name (which would tell them the name is real) nor lets someone reset their
client's counter by signing in to an account of their own between guesses.

Someone who guesses a name from many addresses can keep its account counter waiting; the
account's own user still signs in from a client they have used before (known_clients.py).
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from config import get_settings
from db.engine import insert_for
from db.models import SignInThrottle

ACCOUNT = "account"
CLIENT = "client"
KEY_LENGTH = 128
# Failures older than this are forgiven: a few typos a month never add up to a delay.
FORGET_AFTER = timedelta(hours=24)
_CLEANUP_BATCH = 200


def account_key(username: str) -> str:
    # Case-folded: "Office" and "office" share one counter, so varying the case of a name
    # buys no extra guesses.
    return (username or "").strip().casefold()[:KEY_LENGTH]


def client_address(
    peer: str | None, forwarded_for: str | None, trusted_proxies: Sequence[str]
) -> str | None:
    """The address a sign-in comes from, for the per-client throttle: the peer, or, when
    the peer is a trusted proxy, the nearest address in X-Forwarded-For that is not one of
    them (the entries before it could be forged by the client). IPv4 seen through an IPv6
    socket (::ffff:a.b.c.d) counts as the IPv4 address, so a proxy's address matches."""
    trusted = {_normal(p) for p in trusted_proxies}
    address = _normal(peer)
    if address is None or address not in trusted:
        return address
    for hop in reversed([h.strip() for h in (forwarded_for or "").split(",") if h.strip()]):
        hop_address = _normal(hop)
        if hop_address is None:
            return None  # a malformed header from behind the proxy: trust nothing in it
        if hop_address not in trusted:
            return hop_address
    return address


def _normal(address: str | None) -> str | None:
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    mapped = getattr(ip, "ipv4_mapped", None)
    return str(mapped or ip)


# The client when the server sees no address (a proxy on the same machine that forwards
# none): every such attempt shares one counter. A per-session key instead would let each new
# browser tab start afresh; a shared one at worst slows everyone down, and is never a
# "known place" for anyone (auth.py).
UNKNOWN_CLIENT = "unknown"


def client_key(client: str) -> str:
    return (client or UNKNOWN_CLIENT).strip()[:KEY_LENGTH]


def lock(session: Session, keys: Sequence[tuple[str, str]]) -> list[SignInThrottle]:
    """The counters for `keys`, created when missing and locked until the transaction ends.

    Locked, so that parallel attempts on one name or from one client are checked one after
    the other and every failure counts. Always taken in the same order (account, then
    client), so two attempts never wait for each other crosswise."""
    return [_locked_row(session, scope, key) for scope, key in keys]


def _locked_row(session: Session, scope: str, key: str) -> SignInThrottle:
    insert = insert_for(session)
    while True:
        session.exec(
            insert(SignInThrottle)
            .values(scope=scope, key=key, failures=0)
            .on_conflict_do_nothing(index_elements=["scope", "key"])
        )
        row = session.exec(
            select(SignInThrottle)
            .where(SignInThrottle.scope == scope, SignInThrottle.key == key)
            .with_for_update()
        ).first()
        if row is not None:
            return row
        # Another attempt's successful sign-in (or the clean-up) deleted the row between
        # the two statements: the next round inserts it afresh.


def wait_seconds(
    rows: Sequence[SignInThrottle], now: datetime, *, known_client: bool = False
) -> int:
    """Whole seconds until every counter allows an attempt again (0: now). A client the
    user has signed in from before waits only for its own counter."""
    waits = [
        (row.blocked_until - now).total_seconds()
        for row in rows
        if row.blocked_until is not None and row.blocked_until > now
        and not (known_client and row.scope == ACCOUNT)
    ]
    return math.ceil(max(waits)) if waits else 0


def delay_after(failures: int, cap: int) -> int:
    """Seconds to wait after the n-th failure in a row: none for the free ones, then 1, 2,
    4, ... up to `cap`."""
    over = failures - get_settings().signin_free_attempts
    if over <= 0:
        return 0
    return min(cap, 2 ** min(over - 1, 32))


def _cap(scope: str) -> int:
    settings = get_settings()
    if scope == ACCOUNT:
        return settings.signin_account_max_delay_seconds
    return settings.signin_client_max_delay_seconds


def _set_wait(row: SignInThrottle, now: datetime) -> None:
    delay = delay_after(row.failures, _cap(row.scope))
    row.blocked_until = now + timedelta(seconds=delay) if delay else None


def count_failure(rows: Sequence[SignInThrottle], now: datetime) -> None:
    for row in rows:
        if row.last_failure_at is not None and now - row.last_failure_at > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        _set_wait(row, now)


def refund(rows: Sequence[SignInThrottle], now: datetime) -> None:
    """The attempt counted in advance proved right: its own count is taken back, the rest
    stays (see the module's note). The wait is counted from the latest failure, which may be
    a guess made while this attempt was being checked: a late refund must not cut short
    the wait that guess started."""
    for row in rows:
        row.failures = max(0, row.failures - 1)
        _set_wait(row, row.last_failure_at or now)


def clear_account(session: Session, username: str) -> None:
    """An administrator has just confirmed who the user is (password reset)."""
    session.exec(
        delete(SignInThrottle).where(
            SignInThrottle.scope == ACCOUNT, SignInThrottle.key == account_key(username)
        )
    )


def forget_stale(session: Session, now: datetime) -> None:
    """Drops counters nobody has failed on for a day, so names typed once (or sprayed by a
    script) do not pile up. Rows another attempt holds are skipped, not waited for."""
    stale = session.exec(
        select(SignInThrottle.id)
        .where(SignInThrottle.last_failure_at < now - FORGET_AFTER)
        .limit(_CLEANUP_BATCH)
        .with_for_update(skip_locked=True)
    ).all()
    if stale:
        session.exec(delete(SignInThrottle).where(SignInThrottle.id.in_(stale)))


def blocked_until_by_account(
    session: Session, usernames: Sequence[str], now: datetime
) -> dict[str, datetime]:
    """For the user list: which of these accounts must wait before the next attempt."""
    keys = {account_key(name): name for name in usernames}
    if not keys:
        return {}
    rows = session.exec(
        select(SignInThrottle).where(
            SignInThrottle.scope == ACCOUNT,
            SignInThrottle.key.in_(list(keys)),
            SignInThrottle.blocked_until > now,
        )
    ).all()
    return {keys[row.key]: row.blocked_until for row in rows}
