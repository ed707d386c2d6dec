"""Fixtures for the page-cache tests."""

import pytest

from pagecache import fragments, pages, versions


@pytest.fixture
def use_cache(monkeypatch):
    """`use_cache(backend)`: the page cache talks to `backend` from now on (a
    dead one, or one of two clients standing for two server processes)."""

    def use(backend):
        for module in (pages, fragments, versions):
            monkeypatch.setattr(module, "cache", backend)

    return use
