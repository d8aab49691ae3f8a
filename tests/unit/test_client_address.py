"""The sign-in throttle counts per client address: a forged X-Forwarded-For must not give a
client a fresh counter, and users behind a trusted proxy must not share the proxy's."""

from services.identity.throttle import client_address

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
