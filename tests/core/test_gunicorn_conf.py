"""gunicorn.conf.py refuses more than one worker on a store that is not shared
between processes: the page cache (purges would reach one worker), and the
rate limits (each worker would keep its own counts: issue 15 §1)."""

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
DATABASE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}
COUNTERS = {"BACKEND": "core.dbcache.CounterDatabaseCache", "LOCATION": "r"}
REDIS = {"BACKEND": "core.cache.FailSoftRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}


def on_starting(monkeypatch, workers):
    monkeypatch.setenv("WEB_CONCURRENCY", str(workers))
    return runpy.run_path(str(CONF))["on_starting"]


def test_several_workers_with_rate_limits_in_local_memory_are_refused(monkeypatch, settings):
    settings.CACHES = {"default": DATABASE, "ratelimit": LOCMEM}
    with pytest.raises(SystemExit, match="shared rate-limit store"):
        on_starting(monkeypatch, 2)(server=None)


def test_several_workers_with_the_page_cache_in_local_memory_are_refused(monkeypatch, settings):
    settings.CACHES = {"default": LOCMEM, "ratelimit": COUNTERS}
    with pytest.raises(SystemExit, match="shared cache"):
        on_starting(monkeypatch, 2)(server=None)


@pytest.mark.parametrize("ratelimit", [COUNTERS, REDIS], ids=["database", "redis"])
def test_several_workers_with_shared_stores_start(monkeypatch, settings, ratelimit):
    settings.CACHES = {"default": DATABASE, "ratelimit": ratelimit}
    on_starting(monkeypatch, 2)(server=None)


def test_one_worker_may_keep_everything_in_local_memory(monkeypatch, settings):
    settings.CACHES = {"default": LOCMEM, "ratelimit": LOCMEM}
    on_starting(monkeypatch, 1)(server=None)


def test_a_settings_module_without_rate_limits_starts(monkeypatch, settings):
    # The bench's plain-Django floor: one cache, no rate limits.
    settings.CACHES = {"default": DATABASE}
    on_starting(monkeypatch, 2)(server=None)
