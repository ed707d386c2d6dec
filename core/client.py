"""Who is posting: the client's IP address and user agent, as recorded with a response.

Behind reverse proxies REMOTE_ADDR is the nearest proxy. Each trusted proxy
appends the address it received the request from to X-Forwarded-For, so with
COMMENTS_TRUSTED_PROXY_COUNT = N the client is the Nth address from the right;
anything further left was written by the client and proves nothing. With
N = 0 (the default) X-Forwarded-For is ignored: it is the client's to forge.
"""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)

USER_AGENT_MAX_LENGTH = 300


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's IP address, or None when it cannot be told."""
    proxies = settings.COMMENTS_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        addresses = [part for part in forwarded.split(",") if part.strip()]
        if addresses:
            # Fewer entries than proxies: the leftmost is the furthest we can see.
            return _valid_ip(addresses[-min(proxies, len(addresses))])
    if forwarded and not proxies and not _unread_proxy_warned:
        _warn_of_an_unread_proxy(request)
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


# Whether this process has said so already (once is enough: it is a setting).
_unread_proxy_warned = False


def _warn_of_an_unread_proxy(request):
    """X-Forwarded-For from loopback with COMMENTS_TRUSTED_PROXY_COUNT = 0 is
    a proxy on this machine (nginx) that nobody told Django about: every
    reader then has the proxy's address, so one commenter's flood limit or
    one sign-in throttle holds the whole site off (issue 15 §11). Logged once
    per process, with DEBUG off; a header from any other address is just a
    client's, which proves nothing."""
    global _unread_proxy_warned
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    if settings.DEBUG or remote is None or not ipaddress.ip_address(remote).is_loopback:
        return
    _unread_proxy_warned = True
    logger.warning(
        "X-Forwarded-For arrives from %s, but COMMENTS_TRUSTED_PROXY_COUNT is 0: "
        "every reader looks like %s, so one commenter's limits (and one sign-in "
        "throttle) hold everyone off. Behind one proxy (nginx) set "
        "COMMENTS_TRUSTED_PROXY_COUNT=1.",
        remote,
        remote,
    )


def client_network(ip_address):
    """The part of an address that counts as one client for every limit (the
    flood limit, spam, sign-in throttling): an IPv4 address itself, an IPv6
    address by its /COMMENTS_IPV6_PREFIX network (default /64, what one
    household or one server is usually given, so a client cannot step
    around a limit by changing the low bits). None for no address."""
    if not ip_address:
        return None
    try:
        address = ipaddress.ip_address(ip_address)
    except ValueError:
        return None
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:  # ::ffff:203.0.113.7 is that IPv4 client
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/{settings.COMMENTS_IPV6_PREFIX}", strict=False))


def user_agent(request):
    # NUL cannot be stored in a PostgreSQL text column.
    return request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")[:USER_AGENT_MAX_LENGTH]
