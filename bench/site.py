"""A whole Newsroom site for the load and fault scripts: a PostgreSQL database
of its own with the demo content, Redis keys under a prefix of its own, and
gunicorn instances started as `make serve` starts them (bench/servers.py).

Nothing is shared with another run: the database is created and dropped by
the script (bench/common.py marks it), its Redis keys are deleted by prefix
(never FLUSHDB), every process is stopped by the id it was started with.
"""

import io
import os
import secrets
import sys
from pathlib import Path

from bench.common import create_own_database, drop_own_database, progress, serve_environment
from bench.servers import Gunicorn


class Site:
    def __init__(self, *, database_url, redis_url, work_dir, cleanup, extra_env=None):
        self.database_url, self.redis_url = database_url, redis_url
        self.work_dir = Path(work_dir)
        self.cleanup = cleanup
        self.extra_env = extra_env or {}
        self.cache_prefix = f"faults-{secrets.token_hex(4)}"
        self.secret_key = secrets.token_urlsafe(50)
        self.servers = []

    def environment(self, *, port=8000):
        return (
            serve_environment(
                port=port,
                secret_key=self.secret_key,
                database_url=self.database_url,
                redis_url=self.redis_url,
                cache_prefix=self.cache_prefix,
                work_dir=self.work_dir,
            )
            | {
                "GUNICORN_ACCESSLOG": "/dev/null",
                # No forwarded header is trusted: REMOTE_ADDR is the commenter.
                "COMMENTS_TRUSTED_PROXY_COUNT": "0",
            }
            | self.extra_env
        )

    def build(self):
        """Create the database, migrate, load the demo, collect static files;
        Django is then set up in this process, on the same database and cache."""
        create_own_database(self.database_url)
        self.cleanup.callback(drop_own_database, self.database_url)
        self.cleanup.callback(self._close_connections)  # runs before the drop
        os.environ.clear()
        os.environ.update(self.environment())
        import django
        from django.core.management import call_command

        django.setup()
        progress("Migrating and loading the demo content")
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_demo", force=True, stdout=io.StringIO())
        call_command("collectstatic", interactive=False, verbosity=0)
        self.cleanup.callback(delete_keys, self.redis_url, self.cache_prefix)

    @staticmethod
    def _close_connections():
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()

    def gunicorn(self, port, *, label=""):
        server = Gunicorn(
            port=port,
            env=self.environment(port=port),
            log_path=self.work_dir / f"gunicorn-{port}.log",
            label=label,
        )
        self.cleanup.callback(server.stop)
        server.start()
        self.servers.append(server)
        return server

    def open_stories(self):
        """The published stories that take responses, with every page readers may open."""
        from articles.models import Article, Section
        from comments.moderation import moderator

        stories = [a for a in Article.objects.published() if moderator.comments_open(a)]
        paths = ["/", "/feed/", *(a.get_absolute_url() for a in Article.objects.published())]
        paths += [s.get_absolute_url() for s in Section.objects.all()]
        return stories, paths


def delete_keys(redis_url, prefix):
    """Only this run's keys (SCAN + DEL): the shared Redis is never flushed."""
    import redis

    try:
        server = redis.Redis.from_url(redis_url, socket_connect_timeout=1)
        for key in server.scan_iter(match=f"{prefix}:*", count=1000):
            server.delete(key)
        server.close()
    except redis.RedisError:
        pass  # a Redis of the script's own, already stopped: nothing is left
