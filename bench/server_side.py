"""Server-side timings over 10,000 stories (issue 2 §7): `make bench`.

Loads a throwaway database with bulk_create (sections, authors, tags, stories
with bylines, tags, pull-quotes and sources), then asks Django's test Client
for the home, section, article, feed and search pages and reports, for each,
the median time Django takes to answer (no network, no browser) and the number
of SQL queries, first "cold" (the cache cleared before every request: what
rendering costs) and then "warm" (the cache kept between requests, as a single
server process would serve them).

    python -m bench.server_side                       # a temporary SQLite file
    python -m bench.server_side --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench
    python -m bench.server_side --write               # also record in docs/performance.md
    make bench BENCH_ARGS="--requests 20"
    python -m bench.server_side --size 100k           # 1k and 100k side by side (issue 6)
    make bench SIZE=100k

With --size, the pages are measured over `make bench-data`'s databases
(bench/data.py; built first when missing, kept after), once at 1k stories and
once at the size asked, each in a process of its own, and the table gives the
ratio of each page's time at that size to its time at 1k. More pages are
measured there: tag, author, the article with 2,000 responses, the sitemap
(an index past 50,000 addresses) and one of its pages, a deep page of a
section, the admin's moderation queue for a signed-in moderator and its
story list for an editor.

BENCH_DATABASE_URL may stand in for --database-url. A PostgreSQL database is
created by the bench and dropped at the end; an existing database is never
used or dropped, unless an earlier, interrupted bench created it (it carries a
comment saying so). Settings: DEBUG off, HTTPS_ONLY=0, local-memory cache
(never Redis), plain static-file storage (no collectstatic needed).
"""

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    PERFORMANCE_DOC,
    REPO,
    SqlTimer,
    create_own_database,
    drop_own_database,
    is_postgresql,
    machine_summary,
    progress,
    write_block,
)
from bench.data import SIZES, VOCABULARY, ensure_data

SECTION_NAMES = ["News", "Politics", "Business", "Environment", "Health", "Culture", "Sport"]
# A word in nearly every made-up story (the worst case for ranking), and one
# in about 1 story in 100 (a reader looking for something specific).
COMMON_SEARCH_TERM = "harbour"
RARE_SEARCH_TERM = "lighthouse"
RARE_TERM_SHARE = 0.01


def main(argv=None):
    options = _parse_arguments(argv)
    if options.size:
        return _compare_sizes(options)
    work_dir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    database_url = options.database_url or f"sqlite:///{work_dir / 'bench.sqlite3'}"
    _configure_environment(database_url, work_dir)
    created_database = None
    try:
        if is_postgresql(database_url) and not options.existing_data:
            created_database = create_own_database(database_url)
        import django

        django.setup()
        results, context = _run(options)
        if options.json:
            Path(options.json).write_text(json.dumps({"results": results, "context": context}))
            return
        table = _markdown_report(results, context, options)
        print("\n" + table)
        if options.write:
            write_block(context["vendor"], table)
            print(f"Recorded in {PERFORMANCE_DOC.relative_to(REPO)}.")
    finally:
        if created_database:
            from django.db import connections

            connections.close_all()
            drop_own_database(database_url)
        for path in sorted(work_dir.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        work_dir.rmdir()


def _parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="stories to load")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="a PostgreSQL URL whose database the bench creates and drops "
        "(default: a temporary SQLite file)",
    )
    parser.add_argument("--write", action="store_true", help="record in docs/performance.md")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the made-up data")
    parser.add_argument(
        "--size",
        choices=sorted(set(SIZES) - {"1k"}),
        help="measure over make bench-data's databases at 1k and at this size, side by side",
    )
    parser.add_argument(
        "--data-url",
        default=os.environ.get(
            "BENCH_DATA_URL", "postgres://postgres@127.0.0.1:5432/newsroom_bench_{size}"
        ),
        help="with --size: the bench-data database of each size ({size} is replaced)",
    )
    # Internal, for --size's child processes: measure an existing bench-data
    # database (no loading, nothing dropped) and write the results as JSON.
    parser.add_argument("--existing-data", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _configure_environment(database_url, work_dir):
    # Before Django reads its settings: production-like, but plain HTTP on the
    # test client and nothing shared with the machine (no Redis, own media).
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "0",
            "HTTPS_ONLY": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": database_url,
            "REDIS_URL": "",
            "CACHE_BACKEND": "locmem",
            "MEDIA_ROOT": str(work_dir / "media"),
            "TASKS_BACKEND": "immediate",
            "LOG_LEVEL": "ERROR",
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        }
    )


# --- Loading ----------------------------------------------------------------------------


def _run(options):
    from django.core.management import call_command
    from django.db import connection

    progress("Migrating")
    call_command("migrate", verbosity=0, interactive=False)
    if options.existing_data:
        load_seconds = 0.0
        pages = _data_pages()
        options.articles = _story_count()
    else:
        rng = random.Random(options.seed)  # noqa: S311  (made-up data, not security)
        started = time.perf_counter()
        showcase = _load_stories(options.articles, rng)
        load_seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        pages = _pages(showcase)
    # Other work on the machine skews the figures: say how busy it was.
    load_before = os.getloadavg()[0]
    results = [_measure(label, url, options, user) for label, url, user in pages]
    context = _context(options, load_seconds)
    context["load_average"] = f"{load_before:.1f} → {os.getloadavg()[0]:.1f}"
    return results, context


def _load_stories(count, rng):
    """Bulk-creates `count` stories and what hangs off them; returns the newest
    live one, the "showcase" whose page is measured (3 pull-quotes, 3 sources,
    2 authors, 4 tags, like the demo's lead story)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction
    from django.utils import timezone

    from articles.demo.artwork import abstract_hero
    from articles.models import Article, Author, Byline, PullQuote, Section, Source, Tag

    hero_name = default_storage.save(
        "heroes/bench.jpg",
        ContentFile(
            abstract_hero(((12, 34, 64), (24, 120, 140), (230, 238, 240)), "waves", seed=1)
        ),
    )
    now = timezone.now()
    with transaction.atomic():
        sections = Section.objects.bulk_create(
            Section(name=name, slug=name.lower(), order=order)
            for order, name in enumerate(SECTION_NAMES)
        )
        authors = Author.objects.bulk_create(
            Author(name=f"Reporter {n}", slug=f"reporter-{n}", role="Reporter", bio=_sentence(rng))
            for n in range(300)
        )
        tags = Tag.objects.bulk_create(
            Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(400)
        )
        # Three years of stories, newest first; 2% drafts and 1% scheduled.
        spacing = datetime.timedelta(days=3 * 365) / count
        articles = []
        for n in range(count):
            roll = rng.random()
            with_hero = n == 0 or rng.random() < 0.8
            status = Article.Status.DRAFT if roll < 0.02 else Article.Status.PUBLISHED
            published_at = now - spacing * (n + 1)
            if 0.02 <= roll < 0.03:
                published_at = now + spacing * (n + 1)
            articles.append(
                Article(
                    headline=_sentence(rng, 6, 12).rstrip("."),
                    slug=f"story-{n}",
                    standfirst=_sentence(rng, 20, 30),
                    body=_body(rng),
                    section=sections[0] if n == 0 else rng.choice(sections),
                    hero_image=hero_name if with_hero else "",
                    hero_alt="Abstract waves" if with_hero else "",
                    status=Article.Status.PUBLISHED if n == 0 else status,
                    published_at=now - datetime.timedelta(minutes=5) if n == 0 else published_at,
                    is_lead=n == 0,
                    comment_count=rng.randint(0, 60),
                )
            )
            if (n + 1) % 2000 == 0:
                progress(f"Made {n + 1:,} of {count:,} stories")
        Article.objects.bulk_create(articles, batch_size=500)
        progress(f"Stored {count:,} stories; adding bylines, tags, quotes and sources")
        articles = list(Article.objects.order_by("pk").only("pk"))
        bylines, tag_links, quotes, sources = [], [], [], []
        Tagging = Article.tags.through
        for index, article in enumerate(articles):
            showcase = index == 0
            for order, author in enumerate(
                rng.sample(authors, 2 if showcase else rng.randint(1, 3))
            ):
                # bulk_create skips Byline.save, which copies these.
                bylines.append(
                    Byline(
                        article=article,
                        author=author,
                        order=order,
                        story_status=article.status,
                        story_published_at=article.published_at,
                    )
                )
            for tag in rng.sample(tags, 4 if showcase else rng.randint(1, 5)):
                tag_links.append(Tagging(article_id=article.pk, tag_id=tag.pk))
            for order in range(3 if showcase else rng.randint(0, 4)):
                sources.append(
                    Source(
                        article=article,
                        title=_sentence(rng, 3, 6).rstrip("."),
                        kind=rng.choice(Source.Kind.values),
                        url=f"https://example.org/source/{index}/{order}",
                        publisher=f"Reporter {order} (@reporter{order}) on X",
                        quoted_text=_sentence(rng, 15, 30),
                        order=order,
                    )
                )
            for _ in range(3 if showcase else rng.randint(0, 3)):
                quotes.append(
                    PullQuote(
                        article=article,
                        text=_sentence(rng, 15, 30),
                        speaker=f"Speaker {rng.randint(1, 500)}",
                        speaker_role="Director of an example organisation",
                        after_paragraph=rng.randint(1, 12),
                    )
                )
        Byline.objects.bulk_create(bylines, batch_size=2000)
        Tagging.objects.bulk_create(tag_links, batch_size=2000)
        Source.objects.bulk_create(sources, batch_size=2000)
        PullQuote.objects.bulk_create(quotes, batch_size=2000)
    progress(
        f"Loaded {len(bylines):,} bylines, {len(tag_links):,} tag links, "
        f"{len(sources):,} sources, {len(quotes):,} pull-quotes"
    )
    return Article.objects.select_related("section").get(pk=articles[0].pk)


def _sentence(rng, shortest=8, longest=18):
    words = rng.choices(VOCABULARY, k=rng.randint(shortest, longest))
    return " ".join(words).capitalize() + "."


def _body(rng):
    # Twelve paragraphs of about 300 characters: like the demo lead story.
    paragraphs = [" ".join(_sentence(rng) for _ in range(3)) for _ in range(12)]
    if rng.random() < RARE_TERM_SHARE:
        paragraphs[-1] += f" The old {RARE_SEARCH_TERM} was mentioned too."
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


# --- Measuring -----------------------------------------------------------------------------


def _pages(showcase):
    """(label, URL) for each page measured; None where the public views do not
    (yet) provide it, so the bench runs against whatever exists."""
    from django.urls import NoReverseMatch, reverse

    def url(name, **kwargs):
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    def article_url():
        try:
            return showcase.get_absolute_url()
        except NoReverseMatch:
            return None

    search = url("articles:search")
    return [
        ("Home", url("articles:home"), None),
        ("Section", url("articles:section", section=showcase.section.slug), None),
        ("Article", article_url(), None),
        ("Feed (RSS)", url("articles:feed"), None),
        ("Search (common word)", search and f"{search}?q={COMMON_SEARCH_TERM}", None),
        ("Search (rare word)", search and f"{search}?q={RARE_SEARCH_TERM}", None),
    ]


def _story_count():
    from articles.models import Article

    return Article.objects.count()


def _data_pages():
    """The pages measured over bench-data (the same addresses at every size):
    story 1 has 50 responses, story 2 has 2,000 (bench/data.py)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.urls import reverse

    from articles.demo.artwork import abstract_hero
    from articles.models import Article, Author, Tag
    from bench.data import HERO_IMAGE_NAME, RETIRED_AUTHOR

    # The stories' hero picture, in this run's own media folder.
    default_storage.save(
        HERO_IMAGE_NAME,
        ContentFile(
            abstract_hero(((12, 34, 64), (24, 120, 140), (230, 238, 240)), "waves", seed=1)
        ),
    )
    moderator, created = get_user_model().objects.get_or_create(
        username="bench-moderator", defaults={"is_staff": True}
    )
    if created:
        moderator.groups.add(Group.objects.get(name="Moderators"))
    editor, created = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True}
    )
    if created:
        editor.groups.add(Group.objects.get(name="Editors"))
    showcase, long_thread = (Article.objects.select_related("section").get(pk=pk) for pk in (1, 2))
    section = showcase.section.slug
    search = reverse("articles:search")
    deep_page = 8  # a section has about 140 stories at 1k: its 8th page exists at both sizes
    return [
        ("Home", reverse("articles:home"), None),
        ("Section", reverse("articles:section", kwargs={"section": section}), None),
        (
            f"Section, page {deep_page}",
            reverse("articles:section", kwargs={"section": section}) + f"?page={deep_page}",
            None,
        ),
        ("Tag", Tag.objects.get(pk=1).get_absolute_url(), None),
        ("Author", Author.objects.get(pk=1).get_absolute_url(), None),
        (
            "Author, last story long ago",
            Author.objects.get(pk=RETIRED_AUTHOR).get_absolute_url(),
            None,
        ),
        ("Article (50 responses)", showcase.get_absolute_url(), None),
        ("Article (2,000 responses)", long_thread.get_absolute_url(), None),
        ("Feed (RSS)", reverse("articles:feed"), None),
        ("Sitemap", reverse("articles:sitemap"), None),
        (
            "Sitemap, stories' first file",
            reverse("articles:sitemap_part", kwargs={"section": "articles"}),
            None,
        ),
        ("Search (common word)", f"{search}?q={COMMON_SEARCH_TERM}", None),
        ("Search (rare word)", f"{search}?q={RARE_SEARCH_TERM}", None),
        ("Moderation queue", reverse("admin:comments_comment_changelist"), moderator),
        ("Stories (admin list)", reverse("admin:articles_article_changelist"), editor),
    ]


def _measure(label, url, options, user=None):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if url is None:
        progress(f"{label}: no such page yet, skipped")
        return {"label": label, "url": "—", "status": "missing"}
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    result = {"label": label, "url": url}
    for mode in ("cold", "warm"):
        progress(f"{label} ({mode}): {options.warmup} warm-up + {options.requests} requests")
        for _ in range(options.warmup):
            status = client.get(url).status_code
        if mode == "cold":
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        # Counted now: the next request's request_started signal empties the log.
        query_count = len(queries)
        timings, sql_timings = [], []
        for _ in range(options.requests):
            if mode == "cold":
                cache.clear()  # local memory only: the bench never touches Redis
            sql_timer = SqlTimer()
            with connection.execute_wrapper(sql_timer):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            sql_timings.append(sql_timer.seconds * 1000)
        result[mode] = {
            "queries": query_count,
            "sql_ms": statistics.median(sql_timings),
            "median": statistics.median(timings),
            "p90": statistics.quantiles(timings, n=10)[-1] if len(timings) > 1 else timings[0],
        }
        result["status"] = status
    return result


# --- Reporting -----------------------------------------------------------------------------


def _context(options, load_seconds):
    import django
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    return {
        "vendor": connection.vendor,
        "database": database,
        "date": datetime.date.today().isoformat(),
        "machine": machine_summary(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "articles": options.articles,
        "requests": options.requests,
        "load_seconds": load_seconds,
    }


def _markdown_report(results, context, options):
    lines = [
        f"### {context['database']}",
        "",
        f"{context['date']}; {context['machine']}; Python {context['python']}, "
        f"Django {context['django']}; {context['articles']:,} stories (bulk-loaded in "
        f"{context['load_seconds']:.1f} s); median and 90th percentile of "
        f"{context['requests']} requests after {options.warmup} warm-up requests; "
        f"1-minute load average {context['load_average']} while measuring.",
        "",
        "| Page | URL | Status | Queries (cold) | Median SQL time (cold, ms) | Median cold (ms) "
        "| p90 cold (ms) | Queries (warm) | Median warm (ms) |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for result in results:
        if result["status"] == "missing":
            lines.append(f"| {result['label']} | — | not built yet | | | | | | |")
            continue
        cold, warm = result["cold"], result["warm"]
        lines.append(
            f"| {result['label']} | `{result['url']}` | {result['status']} "
            f"| {cold['queries']} | {cold['sql_ms']:.1f} | {cold['median']:.1f} "
            f"| {cold['p90']:.1f} | {warm['queries']} | {warm['median']:.1f} |"
        )
    return "\n".join(lines)


# --- Two sizes side by side (--size) --------------------------------------------------


def _compare_sizes(options):
    """Measure the pages over bench-data at 1k and at options.size, each in a
    child process of its own, and report them side by side with the ratio."""
    sizes = ["1k", options.size]
    runs = {}
    build_seconds = {}
    for size in sizes:
        database_url = options.data_url.format(size=size)
        build_seconds[size] = ensure_data(size, database_url, seed=options.seed)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            progress(f"Measuring at {size} ({database_url})")
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.server_side",
                    "--existing-data",
                    "--database-url",
                    database_url,
                    "--json",
                    out.name,
                    "--requests",
                    str(options.requests),
                    "--warmup",
                    str(options.warmup),
                ],
                check=True,
            )
            runs[size] = json.loads(Path(out.name).read_text())
    table = _size_report(sizes, runs, options)
    print("\n" + table)
    if options.write:
        write_block("sizes", table)
        print(f"Recorded in {PERFORMANCE_DOC.relative_to(REPO)}.")


def _size_report(sizes, runs, options):
    small, large = (runs[size] for size in sizes)
    context = large["context"]
    loads = ", ".join(f"{size}: {runs[size]['context']['load_average']}" for size in sizes)
    lines = [
        f"### {sizes[0]} and {sizes[1]} stories, {context['database']}",
        "",
        f"{context['date']}; {context['machine']}; Python {context['python']}, "
        f"Django {context['django']}; `make bench-data` databases "
        f"({small['context']['articles']:,} and {context['articles']:,} stories); "
        f"median of {options.requests} requests after {options.warmup} warm-up requests; "
        f"1-minute load average while measuring {loads}. Cold: the cache cleared before "
        "every request. Ratio: the median cold time at "
        f"{sizes[1]} over the one at {sizes[0]} (the issue's target: at most 1.5).",
        "",
        f"| Page | URL | Queries ({sizes[0]} / {sizes[1]}) "
        f"| SQL ms ({sizes[0]} / {sizes[1]}) | Median cold ms, {sizes[0]} "
        f"| Median cold ms, {sizes[1]} | Ratio | Median warm ms ({sizes[0]} / {sizes[1]}) |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for a, b in zip(small["results"], large["results"], strict=True):
        if "cold" not in a or "cold" not in b:
            lines.append(f"| {a['label']} | `{a['url']}` | status {a.get('status')} | | | | | |")
            continue
        ratio = b["cold"]["median"] / a["cold"]["median"]
        status = (
            "" if a["status"] == b["status"] == 200 else f" (status {a['status']}/{b['status']})"
        )
        lines.append(
            f"| {a['label']}{status} | `{a['url']}` "
            f"| {a['cold']['queries']} / {b['cold']['queries']} "
            f"| {a['cold']['sql_ms']:.1f} / {b['cold']['sql_ms']:.1f} "
            f"| {a['cold']['median']:.1f} | {b['cold']['median']:.1f} | {ratio:.2f} "
            f"| {a['warm']['median']:.1f} / {b['warm']['median']:.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
