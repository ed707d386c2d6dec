"""HTTP throughput of the 50-response article page (issue 5 §4): `make bench`'s
second half, after bench/server_side.py.

One run, on 127.0.0.1 only, with progress on stderr:

1. installs wrk and nginx from Debian's packages if they are missing;
2. creates its own PostgreSQL database, migrates, loads the demo and the page
   measured (bench/story.py: the lead story, ~3,700 characters of body,
   3 pull-quotes, 50 approved responses and the form), collects static files
   into a temporary STATIC_ROOT;
3. profiles cold renders of that page in this process (bench/render_profile.py);
4. serves the floor, a plain Django 5.2 "hello world" (bench/hello:
   startproject's settings and middleware, one view), with the same
   gunicorn.conf.py and worker count; every ratio is to its throughput;
5. serves the page as `make serve` does: gunicorn -c gunicorn.conf.py, WEB_CONCURRENCY=2
   sync workers, DEBUG off, HTTPS_ONLY=0, CONN_MAX_AGE, whitenoise, Redis as the
   shared cache under a key prefix of this run's own, and nginx in front
   (bench/nginx.conf.template, with deploy/nginx/newsroom.conf's rules);
6. checks each address answers 200 with what it should (the headline, the 50
   responses, the form), then measures it with wrk: the hello world (the
   floor, first and last), /healthz, the page saved as a static file through
   whitenoise and through nginx (the ceiling), the page cold (caches off), for
   a logged-in editor, anonymous, and behind nginx; requests/s, p50, p99, CPU
   time a request, and each one's ratio to its target;
7. stops everything it started and removes what it made (servers, database,
   its Redis keys, temporary files), also on Ctrl-C or failure.

    python -m bench.http_load              # measure and print the tables
    python -m bench.http_load --write      # and record them in docs/performance.md
    python -m bench.http_load --write --baseline   # as the "before caching" figures
    python -m bench.http_load --smoke      # every step with tiny loads (CI)
    python -m bench.http_load --help       # durations, connections, ports

A benchmark, not a test: a target missed is reported, not an error. A check
that fails (an error page, a page without its responses) stops the run with
exit status 1, so a broken page can never look fast.
"""

import argparse
import datetime
import http.cookiejar
import importlib.metadata
import io
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from bench import render_profile, tools, wrk
from bench.common import (
    PERFORMANCE_DOC,
    REPO,
    create_own_database,
    drop_own_database,
    load_average,
    machine_summary,
    progress,
    serve_environment,
    write_block,
)
from bench.servers import Gunicorn, Nginx, Redis, refuse_busy_port

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench_http"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
# The settings of issue 5's caching that turn the page and fragment caches off,
# for the "cold" server and the profile. Settings that do not exist yet are
# simply ignored: then "cold" is whatever the code does.
DEFAULT_COLD_SWITCHES = ("PAGE_CACHE=0", "FRAGMENT_CACHE=0")
# Issue 5's targets: each page's throughput as a share of its reference.
TARGETS = {"cold": 0.08, "session": 0.20, "anonymous": 0.50, "nginx": 0.50}
FULL_LOAD = wrk.Load(threads=2, connections=32, seconds=10, warmup_seconds=2)
SMOKE_LOAD = wrk.Load(threads=1, connections=4, seconds=1, warmup_seconds=0)
# The demo's editor (articles/demo/content.py): a logged-in member of staff.
SESSION_READER = ("editor", "newsroom-demo")
STATIC_COPY = "bench/article.html"  # the page, saved as a static file
# The floor: bench/hello, a plain Django project, and what its one view says.
HELLO_APPLICATION = "bench.hello.wsgi:application"
HELLO_BODY = b"Hello, world!\n"
LOOPBACK = "127.0.0.1"


@dataclass
class Row:
    key: str
    label: str
    path: str
    result: wrk.WrkResult
    load_average: float
    # CPU time per request: of the servers measured (and those behind them),
    # and of wrk itself (its share is large only for the tiniest responses).
    server_cpu_ms: float
    wrk_cpu_ms: float
    note: str = ""


def main(argv=None):
    options = _parse_arguments(argv)
    if options.smoke and options.write:
        sys.exit("--smoke measures too briefly to record: leave out --write.")
    # A `kill` (SIGTERM) or a closed terminal cleans up as Ctrl-C does.
    for signal_number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signal_number, _exit_on_signal)
    paths = tools.ensure_installed()
    try:
        with ExitStack() as cleanup:
            run = _Run(options, paths, cleanup)
            rows, profile, context = run.measure()
    except _CheckFailed as failure:
        sys.exit(f"[bench] CHECK FAILED: {failure}")
    except KeyboardInterrupt:
        progress("Interrupted: what the bench started is stopped, what it made removed.")
        sys.exit(130)
    report = _markdown_report(rows, context)
    profile_report = render_profile.to_markdown(profile)
    print("\n" + report + "\n\n" + profile_report)
    if options.write:
        suffix = "-baseline" if options.baseline else ""
        write_block(f"http{suffix}", report)
        write_block(f"http-profile{suffix}", profile_report)
        print(f"\nRecorded in {PERFORMANCE_DOC.relative_to(REPO)}.")


def _exit_on_signal(signal_number, frame):
    raise SystemExit(128 + signal_number)


def _parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny loads: every step, quickly")
    parser.add_argument("--write", action="store_true", help="record in docs/performance.md")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="with --write: record as the baseline (the figures from before issue 5's "
        "caching) instead of as the latest run",
    )
    parser.add_argument("--seconds", type=int, help="measured seconds per address (10)")
    parser.add_argument("--warmup", type=int, help="unmeasured seconds first (2)")
    parser.add_argument("--connections", type=int, help="wrk's open connections (32)")
    parser.add_argument("--threads", type=int, help="wrk's threads (2)")
    parser.add_argument("--renders", type=int, help="cold renders profiled (50; --smoke: 3)")
    parser.add_argument(
        "--port",
        type=int,
        default=8141,
        help="first of the loopback ports used: PORT gunicorn, PORT+1 gunicorn with the "
        "caches off, PORT+2 nginx, PORT+3 the plain Django floor, PORT+8 a Redis of the "
        "bench's own if none answers",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=0,
        help="gunicorn's worker recycling, GUNICORN_MAX_REQUESTS (gunicorn.conf.py: 5000). "
        "0, the bench's default, turns it off: at the floor's rate each worker would "
        "restart every second or two, and the floor would measure gunicorn starting workers",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_HTTP_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL database the bench creates and drops (must not exist)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        help="the shared cache; the bench uses a key prefix of its own there and deletes "
        "only its keys after",
    )
    parser.add_argument(
        "--cold-env",
        action="append",
        metavar="NAME=VALUE",
        help="a setting that turns a cache off for the cold server (repeatable; default: "
        + " ".join(DEFAULT_COLD_SWITCHES)
        + ")",
    )
    options = parser.parse_args(argv)
    base = SMOKE_LOAD if options.smoke else FULL_LOAD
    options.load = wrk.Load(
        threads=options.threads or base.threads,
        connections=options.connections or base.connections,
        seconds=options.seconds or base.seconds,
        warmup_seconds=base.warmup_seconds if options.warmup is None else options.warmup,
    )
    options.renders = options.renders or (3 if options.smoke else 50)
    options.cold_switches = dict(
        switch.split("=", 1) for switch in (options.cold_env or DEFAULT_COLD_SWITCHES)
    )
    return options


class _CheckFailed(Exception):
    """An address did not answer what it should: nothing measured means anything."""


class _Run:
    def __init__(self, options, paths, cleanup):
        self.options, self.paths, self.cleanup = options, paths, cleanup
        self.work_dir = Path(tempfile.mkdtemp(prefix="newsroom-bench-http-"))
        cleanup.callback(shutil.rmtree, self.work_dir, ignore_errors=True)
        # nginx's workers run as nobody: they must reach the static files.
        self.work_dir.chmod(0o755)
        self.static_root = self.work_dir / "static"
        self.media_root = self.work_dir / "media"
        self.cache_prefix = f"newsroom-bench-{secrets.token_hex(4)}"
        self.secret_key = secrets.token_urlsafe(50)
        self.gunicorns = []

    def measure(self):
        options = self.options
        progress(f"Machine: {machine_summary(with_memory=True)}; load average {_loads()}")
        # Before anything is created: a busy port most likely means another
        # bench is running, whose database this one must not replace.
        servers = ["gunicorn", "gunicorn (caches off)", "nginx", "gunicorn (plain Django)"]
        for offset, name in enumerate(servers):
            refuse_busy_port(options.port + offset, name)
        self.redis_url = self._shared_cache()
        self._database()
        story = self._load_content()
        url = story.get_absolute_url()
        expected = _ArticleExpectations(story.headline, story.comment_count)
        static_path = self._save_static_copy(url, expected)
        progress(f"Profiling {options.renders} cold renders of {url} in this process")
        profile = render_profile.profile_page(url, renders=options.renders, host=LOOPBACK)
        progress(
            f"Cold render: median {profile.request_ms:.1f} ms, "
            f"{profile.queries_per_render:g} queries"
        )
        context = self._context(story)
        from django.db import connections

        connections.close_all()
        load_before = load_average()
        rows = []

        # The floor runs the whole time (idle in between: its workers only
        # wake for gunicorn's heartbeat), measured first and last.
        with self._hello_world() as floor, self._gunicorn(port=options.port, cold=False) as app:
            rows.append(self._floor(floor, "floor", "Plain Django hello world (the floor), first"))
            self._check(app.base_url + "/healthz", _Exactly(b"ok\n"))
            rows.append(self._wrk("healthz", "`/healthz`", app, "/healthz"))
            self._check(app.base_url + static_path, _Exactly(self.static_copy))
            rows.append(
                self._wrk("static", "The page as a static file, whitenoise", app, static_path)
            )
            cookie = self._log_in(app.base_url)
            session = self._check(app.base_url + url, expected, headers=[cookie])
            rows.append(
                self._wrk(
                    "session",
                    "Article, logged-in editor (session)",
                    app,
                    url,
                    headers=[cookie],
                    note=_cache_headers(session),
                )
            )
            # The first anonymous request may fill the page cache; the second
            # shows the headers every later one gets.
            self._check(app.base_url + url, expected)
            anonymous = self._check(app.base_url + url, expected)
            rows.append(
                self._wrk(
                    "anonymous", "Article, anonymous", app, url, note=_cache_headers(anonymous)
                )
            )
            with self._nginx(app_port=app.port) as front:
                self._check(front.base_url + static_path, _Exactly(self.static_copy))
                rows.append(
                    self._wrk(
                        "nginx-static", "The page as a static file, nginx", front, static_path
                    )
                )
                self._check(front.base_url + url, expected)  # fills the micro-cache
                fronted = self._check(front.base_url + url, expected)
                rows.append(
                    self._wrk(
                        "nginx",
                        "Article, anonymous, behind nginx",
                        front,
                        url,
                        note=_cache_headers(fronted, front=True),
                        behind=[app],
                    )
                )

            # The page with the page and fragment caches off, on a server of
            # its own; then the floor again, so that the ratios compare figures
            # taken under about the same load from the rest of the machine.
            app.stop()
            with self._gunicorn(port=options.port + 1, cold=True, label="caches off") as cold:
                self._check(cold.base_url + url, expected)
                rows.append(self._wrk("cold", "Article, cold (caches off)", cold, url))
            rows.append(
                self._floor(floor, "floor-again", "Plain Django hello world (the floor), again")
            )
        context["load_average"] = f"{load_before:.1f} → {load_average():.1f}"
        context["recycled_workers"] = sum(server.recycled_workers() for server in self.gunicorns)
        context["max_requests"] = options.max_requests
        return rows, profile, context

    def _floor(self, server, key, label):
        self._check(server.base_url + "/", _Exactly(HELLO_BODY))
        return self._wrk(key, label, server, "/")

    def _save_static_copy(self, url, expected):
        """The page, rendered once in this process, as a static file: what
        whitenoise and nginx serve for the ceiling (saved before they start)."""
        from django.test import Client

        response = Client(HTTP_HOST=LOOPBACK).get(url)
        if response.status_code != 200:
            raise _CheckFailed(f"{url} answered {response.status_code} in this process")
        problem = expected.problem(response.content)
        if problem:
            raise _CheckFailed(f"{url}: {problem}")
        self.static_copy = response.content
        path = self.static_root / STATIC_COPY
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.static_copy)
        progress(f"The page: {len(self.static_copy) / 1024:.1f} KB of HTML")
        return f"/static/{STATIC_COPY}"

    # --- Setting up --------------------------------------------------------------------

    def _shared_cache(self):
        """REDIS_URL for the servers; the bench's keys are deleted at the end."""
        import redis

        url = self.options.redis_url
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.RedisError:
            port = self.options.port + 8
            progress(f"No Redis answers at {url}: starting one of the bench's own on {port}")
            own = Redis(port=port, directory=self.work_dir)
            self.cleanup.callback(own.stop)
            own.start(ready_path=None)
            url = f"redis://127.0.0.1:{port}/0"
        self.cleanup.callback(_delete_keys, url, self.cache_prefix)
        return url

    def _database(self):
        create_own_database(self.options.database_url)
        self.cleanup.callback(drop_own_database, self.options.database_url)

        def close_connections():
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()

        # Registered after the drop, so run before it.
        self.cleanup.callback(close_connections)

    def _server_environment(self, *, port, cold):
        environment = serve_environment(
            port=port,
            secret_key=self.secret_key,
            database_url=self.options.database_url,
            redis_url=self.redis_url,
            cache_prefix=self.cache_prefix,
            work_dir=self.work_dir,
        ) | {"GUNICORN_MAX_REQUESTS": str(self.options.max_requests)}
        if cold:
            environment |= self.options.cold_switches
        return environment

    def _load_content(self):
        """Migrate, load the demo and the measured page, collect static files."""
        environment = self._server_environment(port=self.options.port, cold=True)
        os.environ.clear()
        os.environ.update(environment)
        import django
        from django.core.management import call_command

        django.setup()
        from bench.story import body_characters, load_measured_story

        progress("Migrating")
        call_command("migrate", verbosity=0, interactive=False)
        progress("Loading the demo content and 50 responses under the lead story")
        call_command("load_demo", force=True, stdout=io.StringIO())
        story = load_measured_story()
        progress(
            f"Measuring {story.get_absolute_url()}: {body_characters(story):,} characters "
            f"of body, {story.pull_quotes.count()} pull-quotes, {story.comment_count} responses"
        )
        progress("Collecting static files")
        call_command("collectstatic", interactive=False, verbosity=0)
        return story

    def _gunicorn(self, *, port, cold, label=""):
        server = Gunicorn(
            port=port,
            env=self._server_environment(port=port, cold=cold),
            log_path=self.work_dir / f"gunicorn-{port}.log",
            label=label,
        )
        self.gunicorns.append(server)
        return _Running(server)

    def _hello_world(self):
        """bench/hello served as Newsroom is: gunicorn.conf.py, 2 sync workers."""
        port = self.options.port + 3
        environment = os.environ | {
            "DJANGO_SETTINGS_MODULE": "bench.hello.settings",
            "WEB_CONCURRENCY": "2",
            "GUNICORN_MAX_REQUESTS": str(self.options.max_requests),
            "SECRET_KEY": self.secret_key,
        }
        server = Gunicorn(
            port=port,
            env=environment,
            log_path=self.work_dir / f"gunicorn-{port}.log",
            label="plain Django",
            application=HELLO_APPLICATION,
            ready_path="/",
        )
        self.gunicorns.append(server)
        return _Running(server)

    def _nginx(self, *, app_port):
        server = Nginx(
            self.paths["nginx"],
            prefix=self.work_dir / "nginx",
            port=self.options.port + 2,
            app_port=app_port,
            static_root=self.static_root,
            media_root=self.media_root,
        )
        return _Running(server, ready_path=f"/static/{STATIC_COPY}")

    def _log_in(self, base_url):
        """Sign in through the admin's form as the demo editor: the session
        and CSRF cookies a logged-in browser sends, as one Cookie header."""
        from django.conf import settings
        from django.urls import reverse

        login_url = base_url + reverse("admin:login")
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = opener.open(login_url, timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        if token is None:
            raise _CheckFailed(f"{login_url} shows no CSRF token")
        username, password = SESSION_READER
        data = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1),
                "next": reverse("admin:index"),
            }
        ).encode()
        opener.open(urllib.request.Request(login_url, data=data), timeout=10).read()
        cookies = {cookie.name: cookie.value for cookie in jar}
        if settings.SESSION_COOKIE_NAME not in cookies:
            raise _CheckFailed(f"signing in as {username!r} at {login_url} gave no session")
        progress(f"Signed in as {username!r}")
        return "Cookie: " + "; ".join(
            f"{name}={cookies[name]}"
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
            if name in cookies
        )

    # --- Checking and measuring ----------------------------------------------------------

    def _check(self, url, expectation, *, headers=()):
        request = urllib.request.Request(url)
        for header in headers:
            name, value = header.split(": ", 1)
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                page = _Page(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            raise _CheckFailed(f"{url} answered {error.code}, not 200") from error
        problem = expectation.problem(page.body)
        if problem:
            raise _CheckFailed(f"{url}: {problem}")
        return page

    def _wrk(self, key, label, server, path, *, headers=(), note="", behind=()):
        """Measure server's `path` with wrk. The CPU time that `server` and the
        servers `behind` it spend per request is measured too: unlike
        requests/s, it hardly changes with the load the rest of the machine is
        under."""
        load = self.options.load
        progress(
            f"{label}: wrk {_threads(load)}, {load.connections} connections, "
            f"{load.warmup_seconds} s warm-up + {load.seconds} s on {server.base_url}{path}"
        )
        cpu = _CpuTime([server, *behind])
        result = wrk.run(
            self.paths["wrk"], server.base_url + path, load, headers=headers, measuring=cpu
        )
        requests = max(result.requests, 1)
        row = Row(
            key,
            label,
            path,
            result,
            load_average(),
            server_cpu_ms=cpu.server_seconds * 1000 / requests,
            wrk_cpu_ms=cpu.wrk_seconds * 1000 / requests,
            note=note,
        )
        progress(
            f"  {result.requests_per_second:,.0f} requests/s, p50 {result.p50_ms:.1f} ms, "
            f"p99 {result.p99_ms:.1f} ms, CPU a request: {row.server_cpu_ms:.2f} ms servers "
            f"+ {row.wrk_cpu_ms:.2f} ms wrk{'' if result.clean else ' — ERRORS'}"
        )
        return row

    # --- Reporting ---------------------------------------------------------------------------

    def _context(self, story):
        import django
        import redis
        from django.db import connection

        from bench.story import body_characters

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgresql = cursor.fetchone()[0].split()[0]
        redis_version = redis.Redis.from_url(self.redis_url).info("server")["redis_version"]
        nginx = tools.first_line_of([self.paths["nginx"], "-v"]).rsplit("/", 1)[-1]
        wrk_version = tools.first_line_of([self.paths["wrk"], "-v"]).split()[1]
        return {
            "date": datetime.date.today().isoformat(),
            "machine": machine_summary(with_memory=True),
            "versions": f"Python {platform.python_version()}, Django {django.get_version()}, "
            f"PostgreSQL {postgresql}, Redis {redis_version}, "
            f"gunicorn {importlib.metadata.version('gunicorn')}, nginx {nginx}, "
            f"wrk {wrk_version}",
            "django": django.get_version().rsplit(".", 1)[0],
            "load": self.options.load,
            "body_characters": body_characters(story),
            "pull_quotes": story.pull_quotes.count(),
            "responses": story.comment_count,
            "page_kb": len(self.static_copy) / 1024,
            "cold_switches": " ".join(f"{k}={v}" for k, v in self.options.cold_switches.items()),
        }


class _CpuTime:
    """`with _CpuTime(servers):` the CPU time (user and system) the servers
    and wrk (this process's child, reaped within) use in between."""

    def __init__(self, servers):
        self.servers = servers
        self.server_seconds = self.wrk_seconds = 0.0

    def _servers(self):
        return sum(server.cpu_seconds() for server in self.servers)

    @staticmethod
    def _reaped_children():
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def __enter__(self):
        self._started = (self._servers(), self._reaped_children())
        return self

    def __exit__(self, *exc_info):
        self.server_seconds = self._servers() - self._started[0]
        self.wrk_seconds = self._reaped_children() - self._started[1]


class _Running:
    """`with _Running(server) as server:` started on entry, stopped on exit."""

    def __init__(self, server, *, ready_path=None):
        self.server, self.ready_path = server, ready_path

    def __enter__(self):
        try:
            if self.ready_path:
                self.server.start(ready_path=self.ready_path)
            else:
                self.server.start()
        except BaseException:
            self.server.stop()
            raise
        return self.server

    def __exit__(self, *exc_info):
        self.server.stop()


@dataclass
class _Page:
    status: int
    headers: "http.client.HTTPMessage"
    body: bytes


class _ArticleExpectations:
    """The measured page, whole: its headline, "N Responses" with N
    responses shown, and the "Leave a Response" form."""

    def __init__(self, headline, responses):
        self.headline, self.responses = headline, responses

    def problem(self, body):
        from django.utils.html import escape

        text = body.decode("utf-8", errors="replace")
        shown = len(re.findall(r'id="comment-\d+"', text))
        if escape(self.headline) not in text:
            return "the headline is missing"
        if f"{self.responses} Responses" not in text:
            return f"no '{self.responses} Responses' heading"
        if shown != self.responses:
            return f"{shown} responses shown, not {self.responses}"
        if "Leave a Response" not in text:
            return "no 'Leave a Response' form"
        return None


class _Exactly:
    def __init__(self, body):
        self.body = body

    def problem(self, body):
        if body != self.body:
            return f"{len(body)} bytes, not the {len(self.body)} expected"
        return None


def _cache_headers(page, *, front=False):
    """What the response said about caching, for the report."""
    parts = []
    if front:
        parts.append(f"nginx: {page.headers.get('X-Cache-Status', '—')}")
    parts.append(f"Cache-Control: {page.headers.get('Cache-Control', '—')}")
    cookies = [cookie.split("=", 1)[0] for cookie in page.headers.get_all("Set-Cookie") or []]
    if cookies:
        parts.append(f"sets {', '.join(cookies)}")
    return "; ".join(parts)


def _delete_keys(redis_url, prefix):
    """This run's cache keys, and no others (never FLUSHDB: Redis is shared)."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=1)
    deleted = 0
    try:
        batch = []
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            batch.append(key)
            if len(batch) == 500:
                deleted += client.delete(*batch)
                batch = []
        if batch:
            deleted += client.delete(*batch)
    except redis.RedisError as error:
        progress(f"Could not delete the bench's Redis keys ({prefix}:*): {error}")
        return
    progress(f"Deleted {deleted} Redis keys under {prefix}:")


def _threads(load):
    return f"{load.threads} thread{'s' if load.threads != 1 else ''}"


def _loads():
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


# --- The report ------------------------------------------------------------------------------


def _markdown_report(rows, context):
    by_key = {row.key: row for row in rows}
    floors = [by_key["floor"], by_key["floor-again"]]
    # The floor was measured first and last: the ratios use the mean of both.
    # Each row's ratio is given two ways: by requests/s (the measure),
    # and by CPU time a request (servers + wrk), which estimates what a machine
    # with nothing else running would show.
    floor = (
        sum(row.result.requests_per_second for row in floors) / 2,
        sum(_cpu_ms(row) for row in floors) / 2,
    )
    nginx_static = by_key["nginx-static"]
    references = dict.fromkeys(("cold", "session", "anonymous"), ("floor", floor))
    references["nginx"] = (
        "nginx static",
        (nginx_static.result.requests_per_second, _cpu_ms(nginx_static)),
    )
    lines = [
        f"### Article page over HTTP, {context['date']}",
        "",
        _conditions(context),
        "",
        "| Measured | Requests/s | p50 (ms) | p99 (ms) | CPU a request (ms): servers + wrk "
        "| Vs floor | Vs floor by CPU | Target | Result | Load | Notes |",
        "|---|--:|--:|--:|--:|--:|--:|---|---|--:|---|",
    ]
    order = ["floor", "floor-again", "healthz", "static", "nginx-static"]
    order += ["cold", "session", "anonymous", "nginx"]
    for row in (by_key[key] for key in order):
        result = row.result
        by_rate, by_cpu = _ratios(row, floor)
        target = verdict = ""
        if row.key in references:
            reference_name, reference = references[row.key]
            wanted = TARGETS[row.key]
            target = f"≥ {wanted:.0%} of {reference_name}"
            rate_ratio, cpu_ratio = _ratios(row, reference)
            if reference_name != "floor":
                target += f": {_ratio(rate_ratio)} (by CPU {_ratio(cpu_ratio)})"
            verdict = "PASS" if rate_ratio >= wanted else "MISS"
            if (cpu_ratio >= wanted) != (rate_ratio >= wanted):
                verdict += f" (by CPU: {'PASS' if cpu_ratio >= wanted else 'MISS'})"
        if not result.clean:
            verdict = (
                f"ERRORS ({result.bad_responses} non-2xx, {result.socket_errors} socket errors)"
            )
        lines.append(
            f"| {row.label} | {result.requests_per_second:,.0f} | {result.p50_ms:.1f} "
            f"| {result.p99_ms:.1f} | {row.server_cpu_ms:.2f} + {row.wrk_cpu_ms:.2f} "
            f"| {_ratio(by_rate)} | {_ratio(by_cpu)} | {target} | {verdict} "
            f"| {row.load_average:.1f} | {row.note} |"
        )
    return "\n".join(lines)


def _cpu_ms(row):
    return row.server_cpu_ms + row.wrk_cpu_ms


def _ratios(row, reference):
    """(by requests/s, by CPU time) of row to reference (requests/s, CPU ms)."""
    rate, cpu_ms = reference
    by_cpu = cpu_ms / _cpu_ms(row) if _cpu_ms(row) else float("nan")
    return row.result.requests_per_second / rate, by_cpu


def _ratio(ratio):
    """Below 1 as a percentage (0.81%, 12.5%), above as a multiple (17.2 times)."""
    if ratio >= 0.995:
        return f"{ratio:.1f}×"
    return f"{ratio:.1%}" if ratio >= 0.01 else f"{ratio:.2%}"


def _conditions(context):
    load = context["load"]
    recycling = (
        f"gunicorn's worker recycling at {context['max_requests']:,} requests "
        f"({context['recycled_workers']} workers recycled)"
        if context["max_requests"]
        else "gunicorn's worker recycling off (`--max-requests`)"
    )
    return (
        f"{context['machine']}; {context['versions']}. "
        f"wrk: {_threads(load)}, {load.connections} connections, {load.seconds} s per address "
        f"after {load.warmup_seconds} s of warm-up, on 127.0.0.1. The page: "
        f"{context['page_kb']:.1f} KB of HTML, {context['body_characters']:,} characters of "
        f"body, {context['pull_quotes']} pull-quotes, {context['responses']} approved responses "
        f"and the form. `make serve`'s settings: 2 sync workers, {recycling}. Cold = "
        f"`{context['cold_switches']}`. The floor: a plain Django {context['django']} "
        '"hello world" (bench/hello: startproject\'s settings and middleware, one view), '
        "served by the same gunicorn configuration and worker count; every ratio is to the "
        "mean of its two runs (first and last). 1-minute load average "
        f"{context['load_average']} while measuring (the Load "
        "column: at the end of each row's measurement; 2.0 means both cores busy). CPU a "
        "request: the user and system CPU time of the servers measured (gunicorn, nginx or "
        "both) and of wrk, divided by the requests served. It changes far less with the "
        "load than requests/s, so the ratios by CPU estimate what a quiet machine would show."
    )


if __name__ == "__main__":
    main()
