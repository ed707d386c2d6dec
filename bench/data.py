"""Bench data at scale (issue 6): `make bench-data`.

Fills a PostgreSQL database of its own with made-up stories and responses,
with SQL `INSERT … SELECT … FROM generate_series(…)` (no row goes through
Python), and keeps it for the benches to reuse:

    SIZE   stories   responses   pending   spam   rejected
    1k       1,000      10,000     1,000    200        100
    100k   100,000   1,000,000   100,000  20,000    10,000

    python -m bench.data --size 100k       # into newsroom_bench_100k
    python -m bench.data --size 1k --database-url postgres://postgres@127.0.0.1:5432/mine
    make bench-data SIZE=100k

Both sizes are built the same way, so a page can be compared between them:
7 sections, 300 authors, 400 tags; one story an hour going back in time (100k
stories reach eleven years back); per story 1-3 authors, 1-5 tags, 0-4
sources, 0-3 pull-quotes and twelve ~300-character paragraphs drawn from a
pool of made-up ones (1 story in 100 mentions the rare search word); 2%
drafts, 1% scheduled. Story 1 is the newest, the home page's lead, with 50
approved responses; story 2 has 2,000 (the long thread). The other responses
(60-700 characters, one in six a reply) are spread unevenly over the live
stories. Every story has its history (issue 17) in django-reversion's tables,
as articles/revisions.py would have recorded it: one revision ("first recorded
version", at its updated_at, no user) holding a version of the story, its
bylines and their authors, sources, pull-quotes, section and tags; every 10th
story two or three (drafts before it was published); Article.version counts
them. Denormalised columns are what the application would have made:
`comment_count` is recounted by the comments app's own
`recount_comments` (approved responses readers see), and each story's
search document is computed by PostgreSQL itself (a generated column).

The database is created by this command and marked as the bench's (a
database comment, which also records the size); an existing database of the
same size is reused unless --force, and one that is not the bench's is never
touched. Drop it with `--drop` when done.
"""

# S608: the SQL below is built from this module's own constants only (no
# input from anyone), as literals, so that `%` can stay SQL's modulo.
# ruff: noqa: S608

import argparse
import os
import random
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from bench.common import BENCH_DATABASE_COMMENT, database_comment, is_postgresql, progress

# Words for made-up sentences: common enough that search finds many stories.
VOCABULARY = (  # noqa: SIM905  (a paragraph of words reads better than a list of 80)
    "council budget harbour river contract minister school hospital clinic flood barrier "
    "election vote housing transport ferry railway bridge market festival theatre museum "
    "library police court inquiry report statement letter resignation director campaign "
    "funding energy turbine coast weather storm wildlife otter farm village town city "
    "committee audit spending tax jobs factory bakery shop workers union strike deal "
    "season match goal promotion league coach players stadium result record evening "
    "morning week month year plan review decision question answer public private local"
).split()

SIZES = {
    # stories, responses
    "1k": (1_000, 10_000),
    "100k": (100_000, 1_000_000),
}
# Shares of all responses (the rest are approved).
PENDING_SHARE, SPAM_SHARE, REJECTED_SHARE = 0.10, 0.02, 0.01
# The two stories whose pages are measured, and their (approved) responses.
SHOWCASE_RESPONSES = 50
LONG_THREAD_RESPONSES = 2_000
HERO_IMAGE_NAME = "heroes/bench.jpg"
DATA_COMMENT_PREFIX = "Newsroom bench data "

SECTION_NAMES = ["News", "Politics", "Business", "Environment", "Health", "Culture", "Sport"]
AUTHORS, TAGS = 300, 400
RETIRED_AUTHOR = AUTHORS + 1  # bylined only on old stories (see fill)
PARAGRAPH_POOL, SENTENCE_POOL, RESPONSE_POOL = 2_000, 4_000, 5_000
# Every 10th story (offset 6: published ones with 3 sources, 3 tags and a
# picture) has a history of 2 revisions, every 20th of 3 (_insert_revisions).
REVISED_EVERY, REVISED_OFFSET = 10, 6


def default_database_url(size):
    return f"postgres://postgres@127.0.0.1:5432/newsroom_bench_{size}"


def data_comment(size):
    """The database comment that says it holds this size's bench data (and may be dropped)."""
    return f"{DATA_COMMENT_PREFIX}({size}); {BENCH_DATABASE_COMMENT}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="100k")
    parser.add_argument(
        "--database-url", help="PostgreSQL URL (default: newsroom_bench_<size> on 127.0.0.1)"
    )
    parser.add_argument("--force", action="store_true", help="rebuild even if the data exists")
    parser.add_argument("--drop", action="store_true", help="drop the database and stop")
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args(argv)
    database_url = options.database_url or default_database_url(options.size)
    if not is_postgresql(database_url):
        sys.exit("bench.data needs PostgreSQL (generate_series, a generated search column).")
    if options.drop:
        drop_data_database(database_url)
        return
    ensure_data(options.size, database_url, force=options.force, seed=options.seed)


# --- The database ---------------------------------------------------------------------


def _server_cursor(database_url):
    from bench.common import _server_connection

    return _server_connection(database_url)


def existing_size(database_url):
    """The size recorded on the URL's database, None if it has no bench data,
    or False if it is not the bench's (leave it alone)."""
    exists, comment = database_comment(database_url)
    if not exists:
        return None
    if not comment.endswith(BENCH_DATABASE_COMMENT):
        return False
    if comment.startswith(DATA_COMMENT_PREFIX):
        return comment[len(DATA_COMMENT_PREFIX) + 1 :].split(")", 1)[0]
    return None


def _create_database(database_url):
    from psycopg2 import sql

    connection, name = _server_cursor(database_url)
    with closing(connection), connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        # Marked as the bench's at once, so an interrupted build may be dropped later.
        cursor.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(BENCH_DATABASE_COMMENT)
            )
        )


def _mark_complete(database_url, size):
    from psycopg2 import sql

    connection, name = _server_cursor(database_url)
    with closing(connection), connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(data_comment(size))
            )
        )


def drop_data_database(database_url):
    from psycopg2 import sql

    found = existing_size(database_url)
    connection, name = _server_cursor(database_url)
    if found is False:
        sys.exit(f"Database {name!r} is not the bench's: left alone.")
    with closing(connection), connection.cursor() as cursor:
        progress(f"Dropping {name!r}")
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def ensure_data(size, database_url, *, force=False, seed=2026):
    """Make sure the URL's database holds `size`'s bench data; returns seconds spent building
    (0 when it was there already). Runs in a child process: Django is set up on that database."""
    found = existing_size(database_url)
    if found is False:
        sys.exit(
            f"{database_url} exists and was not created by the bench: it is left alone. "
            "Name a database that does not exist."
        )
    if found == size and not force:
        progress(f"{size} bench data already in {database_url}: reused")
        return 0.0
    progress(f"Building {size} bench data in {database_url}")
    _create_database(database_url)
    import subprocess

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.data", "--build", size, str(seed)],
        check=True,
        env={**os.environ, **_django_environment(database_url)},
        cwd=Path(__file__).resolve().parent.parent,
    )
    seconds = time.perf_counter() - started
    _mark_complete(database_url, size)
    progress(f"{size} bench data built in {seconds:.0f} s")
    return seconds


def _django_environment(database_url):
    return {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-" + os.urandom(16).hex(),
        "DATABASE_URL": database_url,
        "REDIS_URL": "",
        "CACHE_BACKEND": "locmem",
        "MEDIA_ROOT": tempfile.gettempdir(),
        "TASKS_BACKEND": "immediate",
        "LOG_LEVEL": "ERROR",
    }


# --- Building (in the child process, Django set up on the bench database) -------------------


def build(size, seed):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    stories, responses = SIZES[size]
    progress("Migrating")
    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        fill(stories, responses, seed)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    progress(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")


def fill(stories, responses, seed=2026):
    """Insert the bench data (sections, authors, tags, `stories` stories with
    their revisions, and `responses` responses) into the current, migrated and
    empty database, in the caller's transaction. More than the showcase
    stories' 2,050 responses are needed; tests/bench/test_data.py fills a few
    hundred stories."""
    from django.db import connection

    from articles.models import Article, Source
    from comments.moderation import recount_comments

    rng = random.Random(seed)  # noqa: S311  (made-up data, not security)

    def step(label, sql):
        # No parameters: every value is a constant of this module, and without
        # them `%` is SQL's modulo, not a placeholder.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.rowcount
        progress(f"{label}: {rows:,} rows in {time.perf_counter() - started:.1f} s")

    _load_pools(connection, rng)
    kinds = _text_array(Source.Kind.values)
    step(
        "Sections",
        'INSERT INTO articles_section (id, name, slug, description, "order") '
        "SELECT n, name, lower(name), '', n "
        f"FROM unnest({_text_array(SECTION_NAMES)}) WITH ORDINALITY AS s(name, n)",
    )
    step(
        "Authors",
        "INSERT INTO articles_author (id, name, slug, role, bio, photo) "
        "SELECT n, 'Reporter ' || n, 'reporter-' || n, 'Reporter', "
        f"(SELECT text FROM bench_sentence WHERE id = n % {SENTENCE_POOL}), '' "
        f"FROM generate_series(1, {AUTHORS}) n",
    )
    step(
        "Tags",
        "INSERT INTO articles_tag (id, name, slug) "
        f"SELECT n, 'Topic ' || n, 'topic-' || n FROM generate_series(1, {TAGS}) n",
    )
    # One story an hour back from now; story 1 five minutes ago, the lead.
    # Every 50th a draft, every 100th (offset) scheduled for the future.
    step(
        "Stories",
        f"""
        INSERT INTO articles_article (
            id, headline, slug, standfirst, body, section_id, hero_image, hero_alt,
            hero_caption, hero_credit, status, published_at, created_at, updated_at,
            comments_open, is_lead, comment_count, version)
        SELECT g,
            rtrim((SELECT text FROM bench_sentence WHERE id = (g * 7) % {SENTENCE_POOL}), '.'),
            'story-' || g,
            (SELECT text FROM bench_sentence WHERE id = (g * 13 + 1) % {SENTENCE_POOL})
                || ' ' ||
                (SELECT text FROM bench_sentence WHERE id = (g * 17 + 2) % {SENTENCE_POOL}),
            (SELECT string_agg('<p>' || p.text || '</p>', '' ORDER BY i)
               FROM generate_series(0, 11) i
               JOIN bench_paragraph p ON p.id = (g * 37 + i * 101) % {PARAGRAPH_POOL})
                || CASE WHEN g % 100 = 42 THEN
                     '<p>The old lighthouse was mentioned too.</p>' ELSE '' END,
            CASE WHEN g = 1 THEN 1 ELSE 1 + (g * 11) % {len(SECTION_NAMES)} END,
            CASE WHEN g = 1 OR g % 5 <> 0 THEN '{HERO_IMAGE_NAME}' ELSE '' END,
            CASE WHEN g = 1 OR g % 5 <> 0 THEN 'Abstract waves' ELSE '' END,
            '', '',
            CASE WHEN g > 2 AND g % 50 = 17 THEN 'draft' ELSE 'published' END,
            CASE WHEN g = 1 THEN now() - interval '5 minutes'
                 WHEN g > 2 AND g % 100 = 33 THEN now() + g * interval '1 minute'
                 ELSE now() - (g - 1) * interval '1 hour' END,
            now() - (g - 1) * interval '1 hour' - interval '1 hour',
            now() - (g - 1) * interval '1 hour',
            true, g = 1, 0, {_revision_count("g")}
        FROM generate_series(1, {stories}) g
        """,
    )
    # Story 1 as the demo's lead story: 2 authors, 4 tags, 3 sources, 3 quotes.
    step(
        "Bylines",
        # With the story's status and time copied, as Byline.save does.
        'INSERT INTO articles_byline (article_id, author_id, "order", story_status, '
        "story_published_at) "
        f"SELECT a.id, 1 + (a.id * 31 + k * 97) % {AUTHORS}, k, a.status, a.published_at "
        "FROM articles_article a, "
        "LATERAL generate_series(0, CASE WHEN a.id = 1 THEN 1 ELSE a.id % 3 END) k",
    )
    step(
        "Tag links",
        "INSERT INTO articles_article_tags (article_id, tag_id) "
        f"SELECT a.id, 1 + (a.id * 29 + k * 83) % {TAGS} FROM articles_article a, "
        "LATERAL generate_series(0, CASE WHEN a.id = 1 THEN 3 ELSE (a.id * 7) % 5 END) k",
    )
    # The measured author and tag (Reporter 1, Topic 1) also on every 40th
    # story: at 1k they have about 7 stories of their own, half a page, and a
    # page of 6 cards against one of 12 at 100k measured the cards, not the
    # archive. With these their first page is full at every size.
    step(
        "Measured author's bylines",
        'INSERT INTO articles_byline (article_id, author_id, "order", story_status, '
        "story_published_at) "
        "SELECT id, 1, 3, status, published_at FROM articles_article WHERE id % 40 = 0 "
        "ON CONFLICT DO NOTHING",
    )
    # An author who stopped writing long ago: the 40 stories four fifths of
    # the way back (a month at 1k, nine years at 100k). Their page must not
    # walk the newer stories to find theirs.
    step(
        "Retired author",
        "INSERT INTO articles_author (id, name, slug, role, bio, photo) "
        f"VALUES ({RETIRED_AUTHOR}, 'Retired Reporter', 'retired-reporter', 'Reporter', '', '')",
    )
    step(
        "Retired author's bylines",
        'INSERT INTO articles_byline (article_id, author_id, "order", story_status, '
        "story_published_at) "
        f"SELECT id, {RETIRED_AUTHOR}, 3, status, published_at FROM articles_article "
        f"WHERE id > {stories * 4 // 5} AND id <= {stories * 4 // 5 + 40} "
        "ON CONFLICT DO NOTHING",
    )
    step(
        "Measured tag's links",
        "INSERT INTO articles_article_tags (article_id, tag_id) "
        "SELECT id, 1 FROM articles_article WHERE id % 40 = 0 ON CONFLICT DO NOTHING",
    )
    step(
        "Sources",
        f"""
        INSERT INTO articles_source (article_id, title, kind, url, publisher,
            quoted_text, archive_url, "order")
        SELECT a.id,
            rtrim((SELECT text FROM bench_sentence
                   WHERE id = (a.id * 3 + k) % {SENTENCE_POOL}), '.'),
            ({kinds})[1 + (a.id + k) % {len(Source.Kind.values)}],
            'https://example.org/source/' || a.id || '/' || k,
            'Reporter ' || k || ' (@reporter' || k || ') on X',
            (SELECT text FROM bench_sentence WHERE id = (a.id * 5 + k) % {SENTENCE_POOL}),
            '', k
        FROM articles_article a,
            LATERAL generate_series(0, CASE WHEN a.id = 1 THEN 2 ELSE (a.id * 3) % 5 - 1 END) k
        """,
    )
    step(
        "Pull-quotes",
        f"""
        INSERT INTO articles_pullquote (
            article_id, text, speaker, speaker_role, after_paragraph)
        SELECT a.id,
            (SELECT text FROM bench_sentence WHERE id = (a.id * 11 + k) % {SENTENCE_POOL}),
            'Speaker ' || (1 + (a.id + k) % 500),
            'Director of an example organisation',
            1 + (a.id + k * 5) % 12
        FROM articles_article a,
            LATERAL generate_series(0, CASE WHEN a.id = 1 THEN 2 ELSE (a.id * 5) % 4 - 1 END) k
        """,
    )
    _insert_revisions(step)
    _insert_responses(step, stories, responses)
    progress("Recounting comment_count (comments.moderation.recount_comments)")
    started = time.perf_counter()
    recount_comments(Article.objects.values("pk"))
    progress(f"Recounted in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        for table in ("articles_article", "comments_comment"):
            # The ids were given explicitly: the next row the site adds takes the next one.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        for table in (
            "articles_section",
            "articles_author",
            "articles_tag",
            "reversion_revision",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute(
            "DROP TABLE bench_paragraph, bench_sentence, bench_response, bench_plan, bench_revision"
        )


def _insert_responses(step, stories, responses):
    """Responses: story 1 has 50, story 2 has 2,000 (all approved); the rest are
    spread unevenly (weights 1-20) over the other live stories, in exact totals
    of each status, scattered by a permutation of their numbers."""
    rest = responses - SHOWCASE_RESPONSES - LONG_THREAD_RESPONSES
    pending = round(responses * PENDING_SHARE)
    spam = round(responses * SPAM_SHARE)
    rejected = round(responses * REJECTED_SHARE)
    # The n-th of the other responses, permuted (7919 is prime, so no repeats
    # unless it divides `rest`): statuses are scattered, in exact totals.
    assert rest % 7919
    scatter = f"((first + j - {SHOWCASE_RESPONSES + LONG_THREAD_RESPONSES}) * 7919 % {rest})"
    step(
        "Response plan",
        f"""
        CREATE TEMPORARY TABLE bench_plan AS
        WITH commentable AS (
            SELECT id, published_at,
                CASE WHEN id = 1 THEN {SHOWCASE_RESPONSES}
                     WHEN id = 2 THEN {LONG_THREAD_RESPONSES} END AS fixed,
                1 + (id * 7919) % 20 AS weight
            FROM articles_article WHERE status = 'published' AND published_at <= now()
        ),
        weighted AS (
            SELECT *, sum(weight) FILTER (WHERE fixed IS NULL) OVER (ORDER BY id) AS upto,
                sum(weight) FILTER (WHERE fixed IS NULL) OVER () AS total
            FROM commentable
        ),
        counted AS (
            SELECT id, published_at, coalesce(fixed,
                floor(upto::numeric * {rest} / total)
                - floor((upto - weight)::numeric * {rest} / total)
            )::int AS n
            FROM weighted
        ),
        numbered AS (
            SELECT id, published_at, n, sum(n) OVER (ORDER BY id) - n AS first FROM counted
        )
        SELECT first + j + 1 AS id, a.id AS article_id, j, n, a.published_at,
            CASE WHEN a.id <= 2 THEN 'approved'
                 ELSE CASE
                   WHEN {scatter} < {pending} THEN 'pending'
                   WHEN {scatter} < {pending + spam} THEN 'spam'
                   WHEN {scatter} < {pending + spam + rejected} THEN 'rejected'
                   ELSE 'approved' END
            END AS status
        FROM numbered a, LATERAL generate_series(0, a.n - 1) j
        """,
    )
    # Replies: one in six, under the response five before it on the same
    # story when that one is approved (only those can be replied to).
    step(
        "Responses",
        f"""
        INSERT INTO comments_comment (id, article_id, parent_id, body, author_name,
            author_email, author_email_normalised, author_url, status, created_at,
            moderated_at, ip_address, user_agent, moderation_reasons)
        SELECT p.id, p.article_id,
            CASE WHEN p.j % 6 = 5 AND parent.status = 'approved' THEN parent.id END,
            r.text,
            'Reader ' || (p.id % 50000),
            'reader' || (p.id % 50000) || '@example.org',
            -- comments/emails.py's normalise_email of the address: already lower-case ASCII.
            'reader' || (p.id % 50000) || '@example.org',
            '', p.status,
            p.published_at + (now() - p.published_at) * (p.j + 1) / (p.n + 1),
            CASE WHEN p.status <> 'pending' THEN
                p.published_at + (now() - p.published_at) * (p.j + 1) / (p.n + 1) END,
            ('10.' || (p.id / 65536) % 256 || '.' || (p.id / 256) % 256 || '.' || p.id % 256)::inet,
            'Mozilla/5.0 (bench)',
            CASE WHEN p.status = 'spam' THEN
                '[{{"rule": "max_links", "match": "3 links"}}]'::jsonb ELSE '[]'::jsonb END
        FROM bench_plan p
        LEFT JOIN bench_plan parent ON p.j % 6 = 5 AND parent.id = p.id - 5
        JOIN bench_response r ON r.id = (p.id * 13) % {RESPONSE_POOL}
        """,
    )
    with_count = f"{responses:,} planned"
    progress(f"Responses: {with_count}, of which {pending:,} pending, {spam:,} spam")


def _revision_count(story_id):
    """How many revisions the story has (SQL, of its id): 3 for every 20th
    (offset 6), 2 for the other 10th, else 1. Article.version counts its saves
    the same way."""
    every, offset = REVISED_EVERY, REVISED_OFFSET
    return (
        f"(CASE WHEN {story_id} % {2 * every} = {offset} THEN 3 "
        f"WHEN {story_id} % {every} = {offset} THEN 2 ELSE 1 END)"
    )


def _insert_revisions(step):
    """Every story's history, as articles/revisions.py's record_revision would
    have stored it in django-reversion's tables: a Revision (no user, the one-line
    summary) with a Version of the story, its bylines, sources, pull-quotes, its
    section, its tags and its byline authors, each Version's serialized_data what
    `serializers.serialize("json", [obj], fields=<registered fields>)` writes
    (same keys, order and spacing; tests/bench/test_data.py compares them).

    The latest revision (at the story's updated_at) holds the story as it is.
    Every 10th story has earlier ones too, from before it was published: its
    first recorded version, a draft at created_at, then for every 20th a
    second draft 20 minutes later whose headline is longer by a word
    ("headline"), then the published story ("status, publication time").
    The bylines, sources, quotes, section and tags are today's in each."""
    from articles.models import Article, Author, Byline, PullQuote, Section, Source, Tag
    from articles.revisions import ARTICLE_FIELDS, QUOTE_FIELDS, SOURCE_FIELDS

    step(
        "Revision plan",
        f"""
        CREATE TEMPORARY TABLE bench_revision AS
        SELECT (row_number() OVER (ORDER BY a.id, s))::int AS id, a.id AS article_id, s, c.n,
            CASE WHEN s = c.n THEN a.updated_at
                 ELSE a.created_at + (s - 1) * interval '20 minutes' END AS date_created,
            CASE WHEN s = 1 THEN 'first recorded version'
                 WHEN s = c.n THEN 'status, publication time'
                 ELSE 'headline' END AS comment,
            CASE WHEN s = 1 AND c.n = 3 THEN regexp_replace(a.headline, ' [^ ]+$', '')
                 ELSE a.headline END AS headline,
            CASE WHEN s = c.n THEN a.status ELSE 'draft' END AS status,
            CASE WHEN s = c.n THEN a.published_at END AS published_at
        FROM articles_article a,
            LATERAL (SELECT {_revision_count("a.id")} AS n) c,
            LATERAL generate_series(1, c.n) s
        """,
    )
    step(
        "Revisions",
        "INSERT INTO reversion_revision (id, date_created, user_id, comment) "
        "SELECT id, date_created, NULL, comment FROM bench_revision",
    )
    tags_of_story = (
        "'[' || coalesce((SELECT string_agg(t.id::text, ', ' ORDER BY t.name) "
        "FROM articles_article_tags link JOIN articles_tag t ON t.id = link.tag_id "
        "WHERE link.article_id = a.id), '') || ']'"
    )

    def versions(label, model, names, representation, joins, *, alias="x", columns=None, m2m=None):
        meta = model._meta
        step(
            f"Versions: {label}",
            f"""
            INSERT INTO reversion_version (revision_id, content_type_id, object_id, db,
                format, serialized_data, object_repr)
            SELECT r.id,
                (SELECT id FROM django_content_type
                 WHERE app_label = '{meta.app_label}' AND model = '{meta.model_name}'),
                {alias}.id::text, 'default', 'json',
                {_serialized_sql(model, names, alias, columns or {}, m2m or {})},
                {representation}
            FROM bench_revision r
            JOIN articles_article a ON a.id = r.article_id
            {joins}
            """,
        )

    # object_repr is str() of the row (Byline's "author on headline", PullQuote's
    # "speaker: 60 characters of text").
    versions(
        "stories",
        Article,
        ARTICLE_FIELDS,
        "r.headline",
        "",
        alias="a",
        columns={"headline": "r.headline", "status": "r.status", "published_at": "r.published_at"},
        m2m={"tags": tags_of_story},
    )
    versions(
        "sections",
        Section,
        ["name", "slug"],
        "x.name",
        "JOIN articles_section x ON x.id = a.section_id",
    )
    versions(
        "tags",
        Tag,
        ["name", "slug"],
        "x.name",
        "JOIN articles_article_tags link ON link.article_id = a.id "
        "JOIN articles_tag x ON x.id = link.tag_id",
    )
    versions(
        "bylines",
        Byline,
        ["article", "author", "order"],
        "author.name || ' on ' || r.headline",
        "JOIN articles_byline x ON x.article_id = a.id "
        "JOIN articles_author author ON author.id = x.author_id",
    )
    versions(
        "byline authors",
        Author,
        ["name", "slug"],
        "x.name",
        "JOIN articles_byline b ON b.article_id = a.id "
        "JOIN articles_author x ON x.id = b.author_id",
    )
    versions(
        "sources",
        Source,
        ["article", *SOURCE_FIELDS],
        "x.title",
        "JOIN articles_source x ON x.article_id = a.id",
    )
    versions(
        "pull-quotes",
        PullQuote,
        ["article", *QUOTE_FIELDS],
        "x.speaker || ': ' || left(x.text, 60)",
        "JOIN articles_pullquote x ON x.article_id = a.id",
    )


def _serialized_sql(model, names, alias, columns, m2m):
    """SQL for the text Django's JSON serializer writes for one row of `model`
    (alias `alias`) with `fields=names`: `[{"model": ..., "pk": ..., "fields":
    {...}}]`, the fields in the model's order, many-to-many ones last.
    `columns` gives another SQL expression for a field's value, `m2m` the
    JSON text of a many-to-many field."""
    values = []
    for field in model._meta.local_fields:
        name = field.attname if field.remote_field is None else field.attname[:-3]
        if field.serialize and name in names:
            expression = columns.get(field.name, f'{alias}."{field.column}"')
            values.append(f"'\"{field.name}\": ' || {_json_value_sql(field, expression)}")
    for field in model._meta.local_many_to_many:
        if field.serialize and field.attname in names:
            values.append(f"'\"{field.name}\": ' || {m2m[field.name]}")
    fields = " || ', ' || ".join(values)
    return (
        f"""'[{{"model": "{model._meta.label_lower}", "pk": ' || {alias}.id || """
        f"""', "fields": {{' || {fields} || '}}}}]'"""
    )


def _json_value_sql(field, expression):
    """SQL for a field's value as DjangoJSONEncoder writes it (`null` for NULL)."""
    from django.db import models

    if isinstance(field, models.DateTimeField):
        # ISO 8601 in UTC, milliseconds only when there are microseconds, "Z".
        utc = f"({expression} AT TIME ZONE 'UTC')"
        text = (
            f"""'"' || to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') """
            f"|| CASE WHEN date_part('microseconds', {utc})::int % 1000000 <> 0 "
            f"""THEN to_char({utc}, '.MS') ELSE '' END || 'Z"'"""
        )
    elif isinstance(field, models.DateField):
        text = f"""'"' || to_char({expression}, 'YYYY-MM-DD') || '"'"""
    elif isinstance(field, models.BooleanField):
        text = f"CASE WHEN {expression} THEN 'true' ELSE 'false' END"
    elif field.remote_field is not None or isinstance(field, models.IntegerField):
        text = f"({expression})::text"
    else:
        # Text (a file field's too: its name). to_json escapes as Python's json
        # does with ensure_ascii=False, the serializer's choice.
        text = f"to_json(({expression})::text)::text"
    return f"coalesce({text}, 'null')"


def _text_array(values):
    """A SQL text[] literal of this module's own constants (letters and spaces only)."""
    assert all(value.replace(" ", "").isalnum() for value in values)
    return "ARRAY[" + ", ".join(f"'{value}'" for value in values) + "]::text[]"


def _load_pools(connection, rng):
    """Made-up text the SQL draws from: paragraphs, sentences, responses."""
    def sentence(shortest=8, longest=18):
        words = rng.choices(VOCABULARY, k=rng.randint(shortest, longest))
        return " ".join(words).capitalize() + "."

    def response():
        # 60-700 characters, like bench/story.py's.
        target = rng.randint(60, 700)
        text = sentence()
        while len(text) < target:
            text += " " + sentence()
        return text[:target].rstrip() + ("" if text.endswith(".") else ".")

    pools = {
        "bench_paragraph": [" ".join(sentence() for _ in range(3)) for _ in range(PARAGRAPH_POOL)],
        "bench_sentence": [sentence(6, 20) for _ in range(SENTENCE_POOL)],
        "bench_response": [response() for _ in range(RESPONSE_POOL)],
    }
    with connection.cursor() as cursor:
        for table, texts in pools.items():
            cursor.execute(f"CREATE TEMPORARY TABLE {table} (id int PRIMARY KEY, text text)")
            cursor.execute(
                f"INSERT INTO {table} (id, text) SELECT n - 1, t FROM unnest(%s::text[]) "
                "WITH ORDINALITY AS s(t, n)",
                [texts],
            )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--build":
        build(sys.argv[2], int(sys.argv[3]))
    else:
        main()
