"""`/healthz` and `/readyz`, for load balancers and process managers.

- `/healthz` (liveness): the process is up and answering. No database query
  (a database blip must not get every web process restarted or taken out),
  always the same "ok".
- `/readyz` (readiness, issue 15 §12): this server can serve. "ok" (200) when
  its database connection answers within `DATABASE_TIMEOUT_MS`; "degraded"
  (still 200) when the default cache (Redis) does not answer, since the site
  serves without it, only slower; "unavailable" (503) when the database does
  not answer. Meant for internal addresses: nginx answers it only from the
  private ranges it lists (deploy/nginx/newsroom.conf). A load balancer must
  keep sending traffic when every server is unready at once: a shared
  database failing takes them all out together, and the outage page and the
  page cache still serve readers meanwhile (README, "Deployment").

`HealthCheckMiddleware`, first in MIDDLEWARE, answers both before anything
else runs: no session, no URL resolving, and no host check nor HTTPS
redirect, so a load balancer may probe each server by its own address over
plain HTTP and get an answer (not Django's 400 for an unknown Host, nor a 301
to HTTPS). That is safe because the answer is one of a few fixed words for
every host and scheme: nothing in it comes from the request, and nothing is
cached (never-cache headers on every answer). The views below answer any other
method the ordinary way, and keep the addresses in the URLconf.
"""

from django.core.cache import caches
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from redis.exceptions import RedisError

from core.cache import FailSoftRedisCache

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"

# How long the database may take to answer `SELECT 1` before this server is
# unready: far above a healthy answer (well under a millisecond), and inside
# the probe timeouts load balancers use (Kubernetes' default is 1 s).
DATABASE_TIMEOUT_MS = 500


def _answer(text, status=200):
    response = HttpResponse(text, content_type="text/plain", status=status)
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _ok():
    return _answer("ok\n")


def database_answers():
    """Whether this process's database connection (opened if need be) answers
    `SELECT 1` in time. On PostgreSQL the server cuts it off after
    DATABASE_TIMEOUT_MS (a `statement_timeout` local to a transaction rolled
    back at once: nothing else on the connection keeps it).
    SQLite is a file of this machine: a plain `SELECT 1`."""
    try:
        # The cursor first: it is what drops a persistent connection the
        # server closed (CONN_HEALTH_CHECKS) and opens a new one.
        with connection.cursor() as cursor, transaction.atomic():
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [str(DATABASE_TIMEOUT_MS)]
                )
            cursor.execute("SELECT 1")
            cursor.fetchone()
            transaction.set_rollback(True)
    except DatabaseError:
        return False
    return True


def cache_answers():
    """Whether the default cache answers. Redis: a PING straight to the
    server, in its socket timeouts (settings: 0.5 s), not through the
    fail-soft layer (core/cache.py), which answers "miss" for a Redis that is
    away and, for a few seconds after, without asking it. Any other backend
    (local memory, the database cache, whose database was just checked): a
    read."""
    cache = caches["default"]
    try:
        if isinstance(cache, FailSoftRedisCache):
            return cache.ping()
        cache.get("newsroom:readyz")
    except (RedisError, OSError, DatabaseError):
        return False
    return True


def _ready():
    if not database_answers():
        return _answer("unavailable: the database does not answer\n", status=503)
    if not cache_answers():
        return _answer("degraded: the cache does not answer\n")
    return _ok()


# What HealthCheckMiddleware answers itself, by path.
PROBES = {HEALTH_PATH: _ok, READY_PATH: _ready}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe()
        return self.get_response(request)


@never_cache
def healthz(request):
    """/healthz through the whole stack (HealthCheckMiddleware answers GET
    and HEAD before it)."""
    return _ok()


@never_cache
def readyz(request):
    """/readyz through the whole stack (HealthCheckMiddleware answers GET
    and HEAD before it)."""
    return _ready()
