"""A dead Redis: the site serves from the database, logs the outage once, never errors
(core/cache.py, issue 8). The cache points at a closed port on loopback."""

import logging
import socket

import pytest
from django.core.cache import caches

from core.cache import FailSoftRedisCache
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


@pytest.fixture
def dead_redis(settings):
    dead = {
        "BACKEND": "core.cache.FailSoftRedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "KEY_PREFIX": "faults-test",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    # The rate limits' store is the same Redis in production (settings.py).
    settings.CACHES = {"default": dead, "ratelimit": dead | {"KEY_PREFIX": "faults-test:rl"}}
    yield caches["default"]
    caches["default"].close()


def test_pages_are_served_from_the_database_when_redis_is_down(client, dead_redis):
    story = ArticleFactory(headline="Bridge budget approved")
    assert client.get("/").status_code == 200
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert "Bridge budget approved" in response.content.decode()


def test_a_dead_redis_is_logged(client, dead_redis, caplog):
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        client.get("/")
    assert "Cache unavailable" in caplog.text


def test_the_outage_is_logged_once_per_back_off_window(dead_redis, caplog):
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for _ in range(5):
            dead_redis.get("a")
            dead_redis.set("a", 1)
    assert caplog.text.count("Cache unavailable") == 1


def test_a_dead_redis_answers_as_an_empty_cache():
    cache = FailSoftRedisCache(f"redis://127.0.0.1:{closed_port()}/0", {"OPTIONS": {}})
    assert cache.get("a", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.incr("a") is None
    assert cache.set_many({"a": 1}) == ["a"]  # not stored
