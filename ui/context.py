"""Per-session context for pages: the database, the signed-in user and the language."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine

from config import get_settings
from db.bootstrap import open_database
from db.models import User
from db.timeutil import utcnow
from i18n import LANGUAGES, normalize, translate
from services.core.uow import UnitOfWork
from services.identity import auth, throttle
from services.photos import evidence as photos
from services.photos import sweep
from ui.text import plain_param

R = TypeVar("R")

USER_KEY = "auth_user_id"
CREDENTIAL_KEY = "auth_credential_version"
SEEN_KEY = "auth_last_seen"
LANG_KEY = "ui_lang"
FLASH_KEY = "ui_flash"
# What outlives a sign-out: the tab's language, and the id that stands for the client
# when the server does not know its address (so signing out does not reset the throttle).
KEPT_AFTER_SIGN_OUT = frozenset({LANG_KEY})


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    # One engine (and one migration run) per database per server process; and once per
    # process, the photo sweep in a background thread (files left by removed photos and
    # interrupted uploads), so no page ever waits for it.
    engine = open_database(url)
    grace = timedelta(hours=get_settings().photo_gc_grace_hours)
    sweep.start_background(UnitOfWork(engine), photos.default_store(), grace=grace)
    return engine


def uow() -> UnitOfWork:
    """An unopened unit for a page that combines several services in one transaction:
    `with context.uow() as tx: ...; tx.commit()`."""
    return UnitOfWork(_engine(get_settings().sqlalchemy_url))


def run(fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> R:
    """A page action that is one service call: its own transaction, committed."""
    return uow().run(fn, *args, **kwargs)


def query(fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> R:
    """A read for the page: a read-only unit, no write lock."""
    return uow().query(fn, *args, **kwargs)


def language() -> str:
    """?lang= wins and sticks for the session; then the user's choice; then the default."""
    requested = st.query_params.get("lang")
    if requested:
        st.session_state[LANG_KEY] = normalize(requested)
    return st.session_state.get(LANG_KEY) or get_settings().default_language


def set_language(lang: str) -> None:
    st.session_state[LANG_KEY] = normalize(lang)
    if "lang" in st.query_params:
        st.query_params["lang"] = st.session_state[LANG_KEY]


def t(key: str, **params: Any) -> str:
    return translate(key, language(), **params)


def languages() -> tuple[str, ...]:
    return LANGUAGES


def current_user() -> User | None:
    """Reloaded on every run: a deactivation, a new password, role or scope (set here or in
    any other session) signs this session out at its next click."""
    user_id = st.session_state.get(USER_KEY)
    if user_id is None:
        return None
    version = st.session_state.get(CREDENTIAL_KEY)
    user = query(auth.current_user, user_id, version) if version is not None else None
    if user is None:
        end_session()
        flash("warning", "auth.credentials_changed")
    return user


def start_session(user: User) -> None:
    st.session_state[USER_KEY] = user.id
    st.session_state[CREDENTIAL_KEY] = user.credential_version
    st.session_state[SEEN_KEY] = utcnow()
    if user.language and "lang" not in st.query_params:
        st.session_state[LANG_KEY] = user.language


def keep_session(user: User) -> None:
    """After this session changed the user's own password: it stays signed in, while the
    user's other sessions end."""
    st.session_state[CREDENTIAL_KEY] = user.credential_version


def end_session() -> None:
    """Forgets everything of the user who was signed in: the next person at this tab
    starts with empty forms, filters and drafts, not the previous user's."""
    for key in list(st.session_state.keys()):
        if key not in KEPT_AFTER_SIGN_OUT:
            del st.session_state[key]


def client_id() -> str:
    """Who is attempting a sign-in, for the throttle: the client's address (behind a proxy
    on another machine listed in TRUSTED_PROXIES, the one it forwards). Streamlit shows no
    address for a connection from this machine (a local proxy that forwards none, AppTest):
    then all such attempts share one counter (throttle.UNKNOWN_CLIENT), so that a new
    browser tab is not a new client."""
    address = throttle.client_address(
        st.context.ip_address, st.context.headers.get("X-Forwarded-For"),
        get_settings().trusted_proxies,
    )
    if address:
        return f"ip:{address}"
    _warn_no_address()
    return throttle.UNKNOWN_CLIENT


@functools.cache
def _warn_no_address() -> None:
    logging.getLogger(__name__).warning(
        "sign-in sees no client address: all sign-ins share one throttle counter; "
        "let the reverse proxy send X-Forwarded-For (see README, Sign-in and sessions)")


def touch_or_expire(now: datetime | None = None, *, peek: bool = False) -> bool:
    """Returns True when the session had been idle too long and was just ended.
    `peek` checks without counting as activity (the timer, not the user, is asking)."""
    now = now or utcnow()
    if st.session_state.get(USER_KEY) is None:
        return False
    if auth.is_idle_expired(st.session_state.get(SEEN_KEY), now):
        end_session()
        flash("warning", "auth.idle_signed_out", minutes=get_settings().idle_timeout_minutes)
        return True
    if not peek:
        st.session_state[SEEN_KEY] = now
    return False


def flash(kind: str, key: str, **params: Any) -> None:
    """A message that survives one st.rerun(), e.g. after a redirect. Parameters are raw
    values (a unit's name as stored): show_flash escapes them."""
    st.session_state[FLASH_KEY] = (kind, key, params)


FLASH_ICONS = {"success": ":material/check_circle:", "info": ":material/info:",
               "warning": ":material/warning:", "error": ":material/error:"}


def show_flash() -> None:
    item = st.session_state.pop(FLASH_KEY, None)
    if item:
        kind, key, params = item
        text = t(key, **{k: plain_param(v) for k, v in params.items()})
        getattr(st, kind)(text)
        # The message sits at the top of the page; the clerk who acted on a card further
        # down sees the toast where they are.
        st.toast(text, icon=FLASH_ICONS.get(kind))


def zone():
    """The city's time zone, for showing stored UTC times."""
    return get_settings().zone


def local_time(when, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time as the city's clock shows it ("" for none)."""
    return when.astimezone(zone()).strftime(fmt) if when else ""
