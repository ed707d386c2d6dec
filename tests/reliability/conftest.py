"""A Redis that goes away and comes back, for the purge tests (issue 15 §4).

`redis_proxy`: a port on loopback in front of the test Redis (TEST_REDIS_URL).
While `down`, it accepts each connection and closes it at once, and the
connections open when it went down are cut (what a restarting Redis looks
like to redis-py: the connection is lost); `drop_next` closes only that many
new connections. It counts the connections it
was asked for, so a test can see a purge try again. Without TEST_REDIS_URL it
forwards nowhere: only tests that keep it down run then."""

import contextlib
import os
import socket
import threading
import uuid
from urllib.parse import urlsplit

import pytest


class RedisProxy:
    def __init__(self, target):
        self.target = target  # (host, port), or None: nothing to forward to
        self._down = False
        self.drop_next = 0
        self.connections = 0
        self._sockets = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def down(self):
        return self._down

    @down.setter
    def down(self, down):
        """Down: the connections open now are lost too, as when Redis restarts."""
        self._down = down
        if down:
            self._close_connections()

    def _accept(self):
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            self.connections += 1
            if self.down or self.drop_next or self.target is None:
                self.drop_next = max(0, self.drop_next - 1)
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self):
        self._listener.close()
        self._close_connections()

    def _close_connections(self):
        for end in self._sockets:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
        self._sockets = []


@pytest.fixture
def redis_proxy(settings):
    """The site's cache is FailSoftRedisCache through a RedisProxy (a key
    prefix of this test's own; only those keys deleted after, never a flush).
    `redis_proxy.direct`: a plain client on the test Redis itself, to see what
    reached it (None without TEST_REDIS_URL)."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    url = os.environ.get("TEST_REDIS_URL", "")
    parts = urlsplit(url) if url else None
    proxy = RedisProxy((parts.hostname, parts.port or 6379) if parts else None)
    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    database = parts.path if parts and parts.path not in ("", "/") else "/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{proxy.port}{database}",
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    proxy.cache = caches["default"]
    proxy.direct = RedisCache(url, {"KEY_PREFIX": prefix}) if url else None
    yield proxy
    proxy.cache.close()
    proxy.close()
    if url:
        import redis

        server = redis.Redis.from_url(url)
        for key in server.scan_iter(match=f"{prefix}:*"):
            server.delete(key)
        server.close()


@pytest.fixture
def needs_redis():
    if not os.environ.get("TEST_REDIS_URL"):
        pytest.skip("TEST_REDIS_URL is not set: no Redis server to test on")
