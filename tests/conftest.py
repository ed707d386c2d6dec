"""Shared fixtures. Media go to a temporary folder; the cache is local memory
(tests never flush the machine's shared Redis: those that need Redis use a key
prefix of their own, see tests/comments/test_flood_redis.py)."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
