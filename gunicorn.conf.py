"""gunicorn settings for `make serve` and deploy/systemd/newsroom-web.service.

Every value can be overridden from the environment (WEB_CONCURRENCY, PORT, BIND)."""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Sync workers: Newsroom's requests are short and mostly served from cache.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
# Recycle workers now and then so a slow leak never grows without bound (a
# worker serving cached pages at thousands a second must not restart every few
# seconds, hence the high count); the
# jitter keeps them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100_000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 10_000))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# Access log to stdout, for the process manager (systemd's journal) to collect.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    # Local memory is a cache per process: with several workers, a purge in
    # one would not reach the others, and each would keep its own rate limits
    # (a client would get the flood limit's allowance once per worker).
    # Refuse rather than serve stale pages or weaker limits.
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    refused = {
        "default": "a shared cache. Set REDIS_URL (or CACHE_BACKEND=database)",
        "ratelimit": "a shared rate-limit store. Set REDIS_URL (or RATELIMIT_BACKEND=database)",
    }
    for alias, needs in refused.items():
        # .get: a settings module without rate limits (the bench's plain-Django floor).
        backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
        if workers > 1 and backend.endswith("LocMemCache"):
            raise SystemExit(f"gunicorn: more than one worker needs {needs}, or WEB_CONCURRENCY=1.")


def post_worker_init(worker):
    # The application is loaded: Django's modules, URLconf, templates and
    # settings are now objects that live as long as the worker. Freezing them
    # takes them out of every later garbage collection, which otherwise walks
    # them all again each time a request's garbage triggers an older
    # generation (measured: a signed-in article page's time in the collector
    # fell from about 0.19 to 0.05 ms a request; docs/performance.md).
    import gc

    gc.freeze()
