"""Reading the client's IP address and user agent (core/client.py)."""

import logging

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


# --- A proxy on this machine that Django was not told about (issue 15 §11) ---------------


@pytest.fixture
def unread_proxy(settings, monkeypatch, caplog):
    """Production settings with no trusted proxy, this process not yet warned;
    the warnings core/client.py logs."""
    import core.client

    settings.DEBUG = False
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 0
    monkeypatch.setattr(core.client, "_unread_proxy_warned", False)
    caplog.set_level(logging.WARNING, logger="core.client")
    return caplog


def proxy_warnings(caplog):
    return [r for r in caplog.records if "COMMENTS_TRUSTED_PROXY_COUNT" in r.getMessage()]


def test_a_local_proxy_nobody_told_django_about_is_warned_of(unread_proxy):
    client_ip(request(remote="127.0.0.1", forwarded="198.51.100.9"))

    (warning,) = proxy_warnings(unread_proxy)
    assert "COMMENTS_TRUSTED_PROXY_COUNT=1" in warning.getMessage()


def test_the_unread_proxy_is_warned_of_once_per_process(unread_proxy):
    for reader in range(5):
        client_ip(request(remote="127.0.0.1", forwarded=f"198.51.100.{reader}"))

    assert len(proxy_warnings(unread_proxy)) == 1


def test_an_ipv6_loopback_proxy_is_warned_of_too(unread_proxy):
    client_ip(request(remote="::1", forwarded="198.51.100.9"))

    assert len(proxy_warnings(unread_proxy)) == 1


def test_a_forwarded_for_from_a_public_address_is_a_clients_and_not_warned_of(unread_proxy):
    client_ip(request(remote="203.0.113.5", forwarded="198.51.100.9"))

    assert proxy_warnings(unread_proxy) == []


def test_a_trusted_proxy_is_not_warned_of(unread_proxy, settings):
    settings.COMMENTS_TRUSTED_PROXY_COUNT = 1

    client_ip(request(remote="127.0.0.1", forwarded="198.51.100.9"))
    client_ip(request(remote="127.0.0.1", forwarded=" , "))

    assert proxy_warnings(unread_proxy) == []


def test_development_is_not_warned_of_a_proxy(unread_proxy, settings):
    settings.DEBUG = True

    client_ip(request(remote="127.0.0.1", forwarded="198.51.100.9"))

    assert proxy_warnings(unread_proxy) == []


def test_a_request_without_forwarded_for_is_not_warned_of(unread_proxy):
    client_ip(request(remote="127.0.0.1"))

    assert proxy_warnings(unread_proxy) == []
