"""The sign-in throttle counts per client address: a forged X-Forwarded-For must not give a
client a fresh counter, and users behind a trusted proxy must not share the proxy's."""

from types import SimpleNamespace

import streamlit as st
import streamlit.runtime.context as st_context

import config
from services.identity.throttle import UNKNOWN_CLIENT, client_address
from ui import context

PROXY = ["127.0.0.1"]


def test_a_direct_client_is_its_address_and_its_forwarded_header_is_ignored():
    assert client_address("203.0.113.7", "198.51.100.1", PROXY) == "203.0.113.7"
    assert client_address("203.0.113.7", None, []) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client():
    # Streamlit listens on IPv6 too: the proxy on 127.0.0.1 arrives as ::ffff:127.0.0.1.
    assert client_address("::ffff:127.0.0.1", "198.51.100.1", PROXY) == "198.51.100.1"
    # What the client itself put in the header comes first and is not believed.
    assert client_address("127.0.0.1", "10.9.9.9, 198.51.100.1", PROXY) == "198.51.100.1"


def test_two_users_behind_the_proxy_get_two_counters():
    first = client_address("::ffff:127.0.0.1", "198.51.100.1", PROXY)
    second = client_address("::ffff:127.0.0.1", "198.51.100.2", PROXY)
    assert first != second


def test_a_malformed_header_or_address_gives_no_address():
    assert client_address("127.0.0.1", "not-an-address", PROXY) is None
    assert client_address("garbage", None, PROXY) is None
    assert client_address(None, "198.51.100.1", PROXY) is None


def test_ipv4_through_an_ipv6_socket_counts_as_ipv4():
    assert client_address("::ffff:203.0.113.7", None, []) == "203.0.113.7"


def _client_as_seen(monkeypatch, peer, headers, session):
    monkeypatch.setattr(st_context, "_get_client_context",
                        lambda: SimpleNamespace(remote_ip=peer, headers=headers))
    monkeypatch.setattr(st, "session_state", session)
    return context.client_id()


def test_a_new_session_behind_a_local_proxy_is_not_a_new_client(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", '["127.0.0.1"]')  # README's own example
    config.get_settings.cache_clear()
    # The same attacker at 203.0.113.5 opens two tabs (two Streamlit sessions).
    first = _client_as_seen(monkeypatch, "127.0.0.1", {}, {})
    second = _client_as_seen(monkeypatch, "127.0.0.1", {}, {})
    assert first == second == UNKNOWN_CLIENT, (first, second)


def test_a_new_session_with_an_unparsable_address_is_not_a_new_client(monkeypatch):
    # uvicorn copies what a trusted proxy forwards into the peer; if that is not an address
    # (a pass-through X-Forwarded-For), the app falls back to the session again.
    first = _client_as_seen(monkeypatch, "garbage", {}, {})
    second = _client_as_seen(monkeypatch, "garbage", {}, {})
    assert first == second == UNKNOWN_CLIENT, (first, second)
