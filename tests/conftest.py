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
