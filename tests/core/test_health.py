"""core/health.py: /healthz and /readyz answer load balancers before the rest
of the stack. The outages are real: Redis on a closed port, the database made
to fail with Django's query hook (`connection.execute_wrapper`), as in
tests/reliability/."""

import ipaddress
import os
import re
import socket
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from articles.models import validate_section_slug


@pytest.mark.django_db
def test_healthz_says_ok_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_a_probe_by_the_servers_own_address(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]

    assert client.get("/healthz", headers={"host": "10.0.0.5:8000"}).status_code == 200


def test_healthz_answers_over_plain_http_where_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200


def test_other_addresses_still_refuse_an_unknown_host(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]

    assert client.get("/robots.txt", headers={"host": "10.0.0.5:8000"}).status_code == 400


def test_other_addresses_still_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/robots.txt").status_code == 301


def test_healthz_is_never_cached(client):
    cache_control = client.get("/healthz")["Cache-Control"]

    assert {"no-cache", "no-store"} <= {part.strip() for part in cache_control.split(",")}


def test_healthz_sets_no_cookie(client):
    assert not client.get("/healthz").cookies


@pytest.mark.django_db
def test_healthz_answers_other_methods_through_the_whole_stack(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    # Only GET and HEAD take the shortcut: a POST gets the site's usual HTTPS redirect.
    assert client.post("/healthz").status_code == 301


# --- /readyz: this server can serve (issue 15 §12) ----------------------------------------


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def redis_cache(location, prefix):
    return {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


@pytest.fixture
def dead_redis(settings):
    """The default cache on a closed port of loopback: Redis is away."""
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0", "readyz-test")
    yield
    caches["default"].close()


@pytest.fixture
def live_redis(settings):
    """The default cache on the Redis server at TEST_REDIS_URL (skipped
    without it); /readyz only PINGs it, so no key is written."""
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set: no Redis server to test on")
    settings.CACHES = redis_cache(url, f"readyz-test-{uuid.uuid4().hex}")
    yield
    caches["default"].close()


def database_down(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


def slow_database(execute, sql, params, many, context):
    """A database that takes 5 s to answer the probe's SELECT 1."""
    if sql.strip() == "SELECT 1":
        sql = "SELECT pg_sleep(5)"
    return execute(sql, params, many, context)


@pytest.mark.django_db
def test_readyz_is_ok_when_the_database_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_readyz_asks_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/readyz")

    assert "SELECT 1" in [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
def test_readyz_is_ok_when_redis_answers(client, live_redis):
    assert client.get("/readyz").content == b"ok\n"


@pytest.mark.django_db
def test_readyz_is_degraded_but_serving_when_redis_is_away(client, dead_redis):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert b"degraded" in response.content


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_database_does_not_answer(client):
    with connection.execute_wrapper(database_down):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert b"database" in response.content


@pytest.mark.django_db
def test_readyz_is_unavailable_when_the_database_is_too_slow(client):
    if connection.vendor != "postgresql":
        pytest.skip("the statement timeout is PostgreSQL's")
    started = time.monotonic()
    with connection.execute_wrapper(slow_database):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert time.monotonic() - started < 3  # cut off by the timeout, not after 5 s


@pytest.mark.django_db
def test_readyz_leaves_no_timeout_on_the_connection(client):
    if connection.vendor != "postgresql":
        pytest.skip("the statement timeout is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()
        client.get("/readyz")
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == before


@pytest.mark.django_db
def test_readyz_answers_a_probe_by_the_servers_own_address(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]

    assert client.get("/readyz", headers={"host": "10.0.0.5:8000"}).status_code == 200


@pytest.mark.django_db
def test_readyz_answers_over_plain_http_where_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_an_unready_server_answers_a_probe_by_its_own_address_too(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]

    with connection.execute_wrapper(database_down):
        response = client.get("/readyz", headers={"host": "10.0.0.5:8000"})

    assert response.status_code == 503


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["ok", "degraded", "unavailable"])
def test_readyz_is_never_cached(client, settings, state):
    if state == "degraded":
        settings.CACHES = redis_cache(f"redis://127.0.0.1:{closed_port()}/0", "readyz-test")
    with connection.execute_wrapper(database_down if state == "unavailable" else passthrough):
        response = client.get("/readyz")

    assert state.encode() in response.content
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store"} <= cache_control


def passthrough(execute, sql, params, many, context):
    return execute(sql, params, many, context)


@pytest.mark.django_db
def test_readyz_sets_no_cookie(client):
    assert not client.get("/readyz").cookies


@pytest.mark.django_db
def test_readyz_answers_other_methods_through_the_whole_stack(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.post("/readyz").status_code == 301


def test_a_section_cannot_take_the_readiness_address():
    with pytest.raises(ValidationError):
        validate_section_slug("readyz")


@pytest.fixture
def persistent_connection(monkeypatch):
    """The connection kept between requests, as production keeps it
    (CONN_MAX_AGE), and a fresh one to start with."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    connection.close()
    yield
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_readyz_after_the_server_closed_the_connection_is_ok_on_a_new_one(
    client, persistent_connection
):
    # A PostgreSQL restart between probes: the dead connection is replaced,
    # not reported as a database that does not answer.
    if connection.vendor != "postgresql":
        pytest.skip("a server that closes connections: PostgreSQL")
    from tests.core.test_postgresql import backend_pid, next_request, terminate

    assert client.get("/readyz").status_code == 200
    terminate(backend_pid())

    assert next_request(client, "/readyz").status_code == 200


# --- nginx answers /readyz only from private ranges (deploy/nginx/newsroom.conf) ----------

NGINX_SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "newsroom.conf"


def nginx_location(path):
    text = "\n".join(line.split("#", 1)[0] for line in NGINX_SITE.read_text().splitlines())
    match = re.search(rf"location\s*=\s*{re.escape(path)}\s*\{{([^}}]*)\}}", text)
    assert match, f"no `location = {path}` in {NGINX_SITE}"
    return [" ".join(rule.split()) for rule in match.group(1).split(";") if rule.strip()]


def test_nginx_answers_readyz_only_from_private_addresses():
    rules = nginx_location("/readyz")
    allowed = [rule.split()[1] for rule in rules if rule.startswith("allow ")]

    assert allowed
    assert all(ipaddress.ip_network(network).is_private for network in allowed)
    assert rules.index("deny all") > max(rules.index(f"allow {n}") for n in allowed)


@pytest.mark.parametrize("path", ["/readyz", "/healthz"])
def test_nginx_never_answers_a_probe_from_its_micro_cache(path):
    # A cached (or stale) "ok" would hide a dead server.
    assert "proxy_cache off" in nginx_location(path)
