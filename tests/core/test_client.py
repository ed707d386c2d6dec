"""Reading the client's IP address and user agent (core/client.py)."""

import pytest
from django.test import RequestFactory

from core.client import client_ip, client_network, user_agent


def request(remote="192.0.2.1", forwarded=None, **meta):
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", REMOTE_ADDR=remote, **meta)


def test_remote_addr_by_default(settings):
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request()) == "192.0.2.1"


def test_spoofed_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="198.51.100.9")) == "192.0.2.1"


def test_one_trusted_proxy_takes_the_last_address(settings):
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded="6.6.6.6, 198.51.100.9")) == "198.51.100.9"


def test_two_trusted_proxies_take_the_second_from_the_right(settings):
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 2
    forwarded = "6.6.6.6, 198.51.100.9, 10.0.0.2"
    assert client_ip(request(forwarded=forwarded)) == "198.51.100.9"


def test_fewer_addresses_than_proxies_take_the_leftmost(settings):
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 3
    assert client_ip(request(forwarded="198.51.100.9, 10.0.0.2")) == "198.51.100.9"


def test_proxy_configured_but_no_header_uses_remote_addr(settings):
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request()) == "192.0.2.1"


def test_ipv6_is_normalised(settings):
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(remote="2001:DB8:0:0::1")) == "2001:db8::1"


@pytest.mark.parametrize("bad", ["", "unix:", "not-an-ip", "999.1.1.1"])
def test_garbage_is_no_address(settings, bad):
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(remote=bad, forwarded=bad)) is None


def test_user_agent_is_cut_to_fit():
    assert len(user_agent(request(HTTP_USER_AGENT="x" * 1000))) == 300


def test_user_agent_without_nul():
    assert user_agent(request(HTTP_USER_AGENT="a\x00b")) == "ab"


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", None),
        (None, None),
        ("not an address", None),
    ],
)
def test_an_ipv6_client_counts_by_its_64(address, network):
    assert client_network(address) == network


def test_the_ipv6_prefix_is_a_setting(settings):
    settings.COMMENTS_IPV6_PREFIX = 48
    assert client_network("2001:db8:1:2::1") == "2001:db8:1::/48"
