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
writes, purges among them. A Redis that restarts empty forgets every page with
them; one that was only unreachable may keep a page a purge missed until its
PAGE_CACHE_TTL. Run `manage.py purge_page_cache` after such an outage
(docs/reliability.md).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


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
            return fallback

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
