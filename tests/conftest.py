"""Shared fixtures. Media go to a temporary folder; the cache is local memory
(tests never flush the machine's shared Redis: those that need Redis use a key
prefix of their own, see tests/comments/test_flood_redis.py)."""

import datetime

import pytest
import time_machine

# "Now" for the tests that freeze the clock (the `frozen_clock` fixture).
NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import caches

    # Local memory (pyproject.toml), the page cache's and the rate limits' own.
    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    yield
    for alias in ("default", "ratelimit"):
        caches[alias].clear()


@pytest.fixture
def editor(db):
    from tests.factories import UserFactory

    return UserFactory(username="ed", groups=["Editors"], is_staff=True)


@pytest.fixture
def writer(db):
    from tests.factories import UserFactory

    return UserFactory(username="wr", groups=["Writers"], is_staff=True)


@pytest.fixture
def two_processes():
    """Two cache clients on the Redis server at TEST_REDIS_URL, standing for
    two server processes: a key prefix of this test's own, and only those keys
    deleted after (SCAN + DEL): the shared Redis is never flushed. Skips the
    test without TEST_REDIS_URL (.ci/run sets it)."""
    import os
    import uuid

    from django.core.cache.backends.redis import RedisCache

    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set: no Redis server to test on")
    import redis

    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    yield RedisCache(url, {"KEY_PREFIX": prefix}), RedisCache(url, {"KEY_PREFIX": prefix})
    server = redis.Redis.from_url(url)
    for key in server.scan_iter(match=f"{prefix}:*"):
        server.delete(key)
    server.close()


@pytest.fixture
def editor_client(client, editor):
    """The test client, signed in as a member of Editors."""
    client.force_login(editor)
    return client


@pytest.fixture
def writer_client(client, writer):
    """The test client, signed in as a member of Writers."""
    client.force_login(writer)
    return client


@pytest.fixture
def frozen_clock():
    """Time stands still at NOW (time_machine), for rules that depend on it."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def caches_on(settings):
    """The page and fragment caches on, and nothing this process learned in an
    earlier test about what a page depends on (pagecache/ keeps
    such hints per process)."""
    import pagecache

    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    pagecache.hints.clear()
