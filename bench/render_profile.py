"""What a cold render of a page spends its time on (issue 5 §3: measure
before optimising).

Renders the page through Django's test client, in this process, with the
page and fragment caches off, and reports:

- the request's wall time, and the database time of its SQL queries (an
  execute wrapper, as bench/server_side.py does);
- each template's time, inclusive of the templates it includes and excluding
  the SQL queries run while it renders (Template.render timed for the bench
  only, by wrapping it);
- the functions with the most own time, from a statistical profile
  (pyinstrument) of the same renders.

Call `profile_page(url, renders=...)` once Django is set up, or run it on
its own, on the page `make bench` measures (bench/story.py: the demo's lead
story with 3 pull-quotes and 50 responses), in a throwaway database:

    python -m bench.render_profile                      # PostgreSQL, 100 renders
    python -m bench.render_profile --renders 300
    python -m bench.render_profile --database-url sqlite:////tmp/profile.sqlite3
"""

import argparse
import io
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench.common import (
    SqlTimer,
    create_own_database,
    drop_own_database,
    is_postgresql,
    load_average,
    progress,
)

WARMUP_RENDERS = 3
# pyinstrument samples the stack this often: short enough for a render of a
# few milliseconds to be seen in detail.
PROFILER_INTERVAL_SECONDS = 0.0002


@dataclass
class TemplateTime:
    renders: int = 0
    inclusive: float = 0.0  # seconds, SQL excluded
    own: float = 0.0  # seconds, SQL and included templates excluded


@dataclass
class RenderProfile:
    url: str
    renders: int
    request_ms: float  # median wall time of one request
    mean_request_ms: float
    cpu_ms: float  # mean CPU time of this process for one request
    queries: int  # over all the renders
    sql_ms: float  # mean database time per request
    templates: dict = field(default_factory=dict)  # name -> TemplateTime, totals
    top_level_template_ms: float = 0.0  # mean per request, SQL excluded
    # From the statistical profile: [(function, where, seconds)], most first.
    own_time_functions: list = field(default_factory=list)
    # What the templates call outside the template engine (filters, tags,
    # model properties), inclusive: the "date" filter, urlize, the form...
    called_from_templates: list = field(default_factory=list)
    profiled_seconds: float = 0.0

    @property
    def queries_per_render(self):
        return self.queries / self.renders

    def per_render_ms(self, seconds):
        return seconds * 1000 / self.renders


def profile_page(url, *, renders, host):
    """Profile `renders` cold renders of `url` (after a few warm-up renders),
    asked for with the Host header `host` (one of ALLOWED_HOSTS)."""
    from django.test import Client

    client = Client(raise_request_exception=True, HTTP_HOST=host)
    for _ in range(WARMUP_RENDERS):
        _get(client, url)
    sql = SqlTimer()
    templates = _TemplateTimer(sql)
    wall_times = []
    cpu_started = time.process_time()
    with _timing(sql, templates):
        for _ in range(renders):
            started = time.perf_counter()
            _get(client, url)
            wall_times.append(time.perf_counter() - started)
    cpu_seconds = time.process_time() - cpu_started
    profile = RenderProfile(
        url=url,
        renders=renders,
        request_ms=statistics.median(wall_times) * 1000,
        mean_request_ms=statistics.mean(wall_times) * 1000,
        cpu_ms=cpu_seconds * 1000 / renders,
        queries=sql.queries,
        sql_ms=sql.seconds * 1000 / renders,
        templates=dict(templates.totals),
        top_level_template_ms=templates.top_level_seconds * 1000 / renders,
    )
    _add_statistical_profile(profile, client)
    return profile


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code} while profiling")
    return response


@contextmanager
def _timing(sql, templates):
    from django.db import connection
    from django.template.base import Template

    original_render = Template.render
    Template.render = templates.wrap(original_render)
    try:
        with connection.execute_wrapper(sql):
            yield
    finally:
        Template.render = original_render


class _TemplateTimer:
    """Each template's render time, SQL excluded: inclusive of the templates
    rendered inside it (includes, inclusion tags, form widgets), and own."""

    def __init__(self, sql):
        self.sql = sql
        self.totals = defaultdict(TemplateTime)
        self.top_level_seconds = 0.0
        self._children_seconds = []  # per open template: its children's inclusive time

    def wrap(self, original_render):
        timer = self

        def render(template, context):
            name = getattr(template.origin, "template_name", None) or template.name or "?"
            started, sql_before = time.perf_counter(), timer.sql.seconds
            timer._children_seconds.append(0.0)
            try:
                return original_render(template, context)
            finally:
                inclusive = time.perf_counter() - started - (timer.sql.seconds - sql_before)
                children = timer._children_seconds.pop()
                totals = timer.totals[name]
                totals.renders += 1
                totals.inclusive += inclusive
                totals.own += inclusive - children
                if timer._children_seconds:
                    timer._children_seconds[-1] += inclusive
                else:
                    timer.top_level_seconds += inclusive

        return render


def _add_statistical_profile(profile, client):
    """Profile the same number of renders with pyinstrument: which functions
    have the most own time, and what the templates' calls out of the
    template engine cost, inclusive."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=PROFILER_INTERVAL_SECONDS)
    profiler.start()
    for _ in range(profile.renders):
        _get(client, profile.url)
    session = profiler.stop()
    own, from_templates = defaultdict(float), defaultdict(float)
    root = session.root_frame()
    stack = [root] if root is not None else []
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        if frame.is_synthetic:
            continue
        own[_name(frame)] += frame.total_self_time
        if _called_by_template_engine(frame):
            from_templates[_name(_unwrapped(frame))] += frame.time
    profile.profiled_seconds = session.duration
    profile.own_time_functions = _ranked(own)
    profile.called_from_templates = _ranked(from_templates)


def _name(frame):
    return frame.function, f"{frame.file_path_short}:{frame.line_no}"


# The template engine itself: what it calls out of these files is what the
# templates asked for (a filter such as `date`, a tag's function, a model
# property, escaping a value).
_TEMPLATE_ENGINE_FILES = tuple(
    os.path.join("django", "template", name)
    for name in (
        "base.py",
        "context.py",
        "library.py",
        "loader_tags.py",
        "defaulttags.py",
        "smartif.py",
    )
)
# Decorators' wrappers (keep_lazy, stringfilter): the function they wrap is
# the one to name.
_WRAPPERS = {"wrapper", "_dec", "_wrapper_"}


def _called_by_template_engine(frame):
    """A function outside the template engine called by it: a filter, a
    tag's function or node, an attribute, method or property a template
    variable looks up, the escaping of a value."""
    parent = frame.parent
    return (
        parent is not None
        and (parent.file_path or "").endswith(_TEMPLATE_ENGINE_FILES)
        and not (frame.file_path or "<").startswith("<")  # built-ins: getattr, hasattr...
        and not frame.file_path.endswith(_TEMPLATE_ENGINE_FILES)
    )


def _unwrapped(frame):
    """The function a decorator's wrapper frame calls (its costliest child)."""
    while frame.function in _WRAPPERS:
        children = [child for child in frame.children if not child.is_synthetic]
        if not children:
            break
        frame = max(children, key=lambda child: child.time)
    return frame


def _ranked(seconds_by_key):
    ranked = sorted(seconds_by_key.items(), key=lambda item: item[1], reverse=True)
    return [(function, where, seconds) for (function, where), seconds in ranked]


# --- The report ------------------------------------------------------------------------------

TOP_TEMPLATES = 12
TOP_FUNCTIONS = 12


def to_markdown(profile):
    """The profile as docs/performance.md shows it."""
    request = profile.mean_request_ms
    templates = profile.top_level_template_ms
    rest = request - templates - profile.sql_ms

    def share(ms):
        return f"{ms / request:.0%}"

    lines = [
        f"{profile.renders} cold renders of `{profile.url}` through Django's test client, "
        f"after {WARMUP_RENDERS} warm-up renders, in the bench's database (DEBUG off, page "
        f"and fragment caches off): median {profile.request_ms:.1f} ms a request, mean "
        f"{request:.1f} ms ({profile.cpu_ms:.1f} ms of this process's CPU), "
        f"{profile.queries_per_render:g} SQL queries.",
        "",
        "| Part of one render | ms | Share |",
        "|---|--:|--:|",
        f"| Templates (SQL they trigger excluded) | {templates:.1f} | {share(templates)} |",
        f"| SQL queries (database time) | {profile.sql_ms:.1f} | {share(profile.sql_ms)} |",
        f"| The rest: middleware, URL routing, the view, the test client | {rest:.1f} "
        f"| {share(rest)} |",
        "",
        "Templates by time, inclusive of the templates each includes (so nested rows "
        "overlap), SQL excluded; own time excludes the included templates:",
        "",
        "| Template | Renders per request | Inclusive ms | Share | Own ms |",
        "|---|--:|--:|--:|--:|",
    ]
    ranked = sorted(profile.templates.items(), key=lambda item: item[1].inclusive, reverse=True)
    for name, timing in ranked[:TOP_TEMPLATES]:
        inclusive = profile.per_render_ms(timing.inclusive)
        lines.append(
            f"| `{name}` | {timing.renders / profile.renders:g} | {inclusive:.2f} "
            f"| {share(inclusive)} | {profile.per_render_ms(timing.own):.2f} |"
        )
    lines += [
        "",
        f"Functions with the most own time (pyinstrument, a sample every "
        f"{PROFILER_INTERVAL_SECONDS * 1000:g} ms over the same number of renders, "
        f"{profile.profiled_seconds:.2f} s in all):",
        "",
        "| Function | Where | Share of the profiled time |",
        "|---|---|--:|",
    ]
    lines += _function_rows(profile, profile.own_time_functions)
    lines += [
        "",
        "What the templates call outside the template engine (filters, tags' functions, "
        "model properties and methods, escaping), inclusive of everything those call "
        "(so a row may contain others: a tag's templates call filters too), from the same "
        "profile:",
        "",
        "| Function | Where | Share of the profiled time |",
        "|---|---|--:|",
    ]
    lines += _function_rows(profile, profile.called_from_templates)
    return "\n".join(lines)


def _function_rows(profile, functions):
    return [
        f"| `{function}` | `{where}` | {seconds / profile.profiled_seconds:.1%} |"
        for function, where, seconds in functions[:TOP_FUNCTIONS]
    ]


# --- On its own: python -m bench.render_profile ------------------------------------------

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_profile"
HOST = "127.0.0.1"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Profile cold renders of the measured story.")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="a database that does not exist yet: created, then dropped "
        f"(default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument("--renders", type=int, default=100, help="cold renders measured (100)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsroom-profile-") as work_dir:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "newsroom.settings",
                "DEBUG": "0",
                "HTTPS_ONLY": "0",
                "ALLOWED_HOSTS": HOST,
                "SECRET_KEY": secrets.token_urlsafe(50),
                "DATABASE_URL": options.database_url,
                "CONN_MAX_AGE": "600",  # as `make serve`: no connection per request
                # The cold render: page and fragment caches off; local memory for
                # the rest (the section navigation, image sizes), as one process has.
                "PAGE_CACHE": "0",
                "FRAGMENT_CACHE": "0",
                "CACHE_BACKEND": "locmem",
                "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
                "MEDIA_ROOT": work_dir,
            }
        )
        if is_postgresql(options.database_url):
            create_own_database(options.database_url)
        try:
            profile = _profile_measured_story(options.renders)
        finally:
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
            if is_postgresql(options.database_url):
                drop_own_database(options.database_url)
    print(to_markdown(profile))


def _profile_measured_story(renders):
    import django
    from django.core.management import call_command

    django.setup()
    from bench.story import load_measured_story

    progress("Migrating, loading the demo and the measured story")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", force=True, stdout=io.StringIO())
    url = load_measured_story().get_absolute_url()
    progress(f"Profiling {renders} cold renders of {url} (load average {load_average():.1f})")
    profile = profile_page(url, renders=renders, host=HOST)
    progress(f"Load average {load_average():.1f} at the end")
    return profile


if __name__ == "__main__":
    main()
