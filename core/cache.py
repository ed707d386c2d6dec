"""Django's Redis cache backend, made to fail soft (issue 8).

The cache only ever makes pages faster: when Redis is down or unreachable, the
site must keep serving from the database. Django's own RedisCache raises
redis-py's ConnectionError or TimeoutError from every call; this subclass logs
the error and answers as an empty cache would (a miss, nothing stored, `add`
refused), so every caller (the page cache, the fragment cache, the flood limit,
sessions if they ever move to the cache) goes on without it.

After a failure the process leaves Redis alone for `RETRY_AFTER` seconds
(OPTIONS["retry_after"], default 5), so a Redis that hangs rather than refuses
costs one socket timeout per process every few seconds, not one per cache call
(a page makes several). The outage is logged once per such window, not once
per call.

Why not django-redis' IGNORE_EXCEPTIONS: it swaps Django's client for its own
and has no such back-off, so a blackholed Redis would cost every call its
full socket timeout.

What is lost while Redis is away: counts (the flood limit fails open) and
ordinary writes. Not purges (issue 15 §4): a call that must not fail soft goes
through `strict(cache)`, which tries Redis even inside the back-off window, a
few times, and raises `CacheUnavailable` when none answered, so its caller
can do something else (pagecache queues the purge as a task). A strict call
that is answered ends the back-off. A Redis that restarts empty forgets every
page anyway; `manage.py purge_page_cache` after a long outage does no harm
(docs/reliability.md).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.connection import ConnectionProxy
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How many times a strict call tries before it gives up. No pause between
# tries: each waits for Redis up to its socket timeout (0.5 s) already, and a
# blip (one lost packet, a failover) is over by the next.
STRICT_ATTEMPTS = 3


class CacheUnavailable(Exception):
    """A cache call that must not fail soft got no answer (`strict`)."""


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis object for every cache call
    (registering ~170 response callbacks: ~0.1 ms of CPU a call, more than the
    round trip itself). One per connection pool is enough: it holds no
    connection of its own and is thread-safe."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)
            client = self._clients[index] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", 5))
        super().__init__(server, params | {"OPTIONS": options})
        self._class = ReusedRedisCacheClient
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _call(self, operation, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return operation(*args, **kwargs)
        except (RedisError, OSError) as error:
            self._back_off(error)
            return fallback

    def _back_off(self, error):
        with self._lock:
            first = time.monotonic() >= self._down_until
            self._down_until = time.monotonic() + self.retry_after
        if first:
            logger.warning(
                "Cache unavailable (%s: %s): serving without it for %g s",
                type(error).__name__,
                error,
                self.retry_after,
            )

    def _reach(self, operation, *args, attempts=STRICT_ATTEMPTS):
        """`operation(*args)` whatever the back-off says, up to `attempts`
        times; raises CacheUnavailable if Redis never answered. An answer
        ends the back-off: every call of this process may use Redis again."""
        for _ in range(attempts):
            try:
                result = operation(*args)
            except (RedisError, OSError) as error:
                failure = error
                continue
            self._down_until = 0.0
            return result
        self._back_off(failure)
        raise CacheUnavailable(f"{type(failure).__name__}: {failure}") from failure

    def ping(self):
        """Whether Redis answers now: one PING, past the back-off and its
        socket timeouts (for /readyz, core/health.py). Raises as redis-py does."""
        return bool(self._cache.get_client().ping())

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(super().get, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        # A missing key still raises ValueError, as Django's contract says;
        # an unreachable cache counts nothing.
        return self._call(super().incr, None, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self._call(super().delete_many, None, keys, version)

    def clear(self):
        return self._call(super().clear, False)


class StrictCache:
    """The calls of a cache that must reach it, or say they did not: a purge
    that would otherwise be lost, a check that must fail closed. Errors are
    raised as CacheUnavailable, and a `set_many` that stored nothing raises
    too. On FailSoftRedisCache: tried even inside its back-off window, up to
    STRICT_ATTEMPTS times. Any other backend (local memory, the database
    cache) is called as it is, its own errors turned into CacheUnavailable."""

    def __init__(self, cache):
        if isinstance(cache, ConnectionProxy):  # django.core.cache.cache: this thread's backend
            cache = cache._connections[cache._alias]
        self._cache = cache

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        not_stored = self._call("set_many", data, timeout, version)
        if not_stored:
            raise CacheUnavailable(f"not stored: {', '.join(map(str, not_stored))}")

    def _call(self, name, *args):
        cache = self._cache
        if isinstance(cache, FailSoftRedisCache):
            # Django's own RedisCache method: it raises where ours fails soft.
            return cache._reach(getattr(RedisCache, name).__get__(cache), *args)
        try:
            return getattr(cache, name)(*args)
        except Exception as error:
            raise CacheUnavailable(f"{type(error).__name__}: {error}") from error


def strict(cache: BaseCache):
    """`cache` for the calls that must not fail soft (see StrictCache)."""
    return StrictCache(cache)
