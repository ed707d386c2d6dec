"""Backups (issue 7 §4), as README "Deployment → Backups" says to take them:
`pg_dump --format=custom` of a populated site and `rsync` of its media, restored
with `pg_restore` into an empty database and `rsync` back. Every story,
response, source, quote, author, tag and byline comes back as it was, and
every image the restored database names exists in the restored media folder.

PostgreSQL only (pg_dump and pg_restore are PostgreSQL's tools). The restore
database is this run's own, named after the configured database
(`<name>_restore`, e.g. newsroom_ci_restore), created and dropped here.
"""

import os
import shutil
import subprocess

import psycopg2
import pytest
from django.apps import apps
from django.db import connection

from articles.models import Article, Author
from tests.articles.conftest import jpeg_upload
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    PullQuoteFactory,
    SourceFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

TOOLS = ("pg_dump", "pg_restore", "rsync")


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump/pg_restore: PostgreSQL only (this run uses SQLite)")
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)}")
    return connection.settings_dict


@pytest.fixture
def populated_site():
    """Stories with pictures, bylines with photos, tags, sources, quotes, and
    responses in every state, replies included; committed (transactional test)."""
    tags = TagFactory.create_batch(2)
    for number in range(3):
        author = AuthorFactory(photo=jpeg_upload(200, 200, name=f"author{number}.jpg"))
        story = ArticleFactory(
            authors=[author],
            tags=tags,
            hero_image=jpeg_upload(900, 500, name=f"hero{number}.jpg"),
            hero_alt="A view of the harbour",
            body="<p>One.</p><p>Two, with <strong>bold</strong> and “quotes”.</p>",
        )
        source = SourceFactory(article=story, quoted_text="As captured: ünïcödé ✓.")
        PullQuoteFactory(article=story, source=source)
        first = CommentFactory(article=story)
        CommentFactory(article=story, parent=first)
        CommentFactory(article=story, status="pending", ip_address="2001:db8::1")
        CommentFactory(article=story, status="spam")
    return Article.objects.count()


def _environment(database):
    environment = {**os.environ}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = database["PASSWORD"]
    return environment


def _connection_options(database):
    options = [
        "--host",
        database.get("HOST") or "127.0.0.1",
        "--port",
        str(database.get("PORT") or 5432),
    ]
    if database.get("USER"):
        options += ["--username", database["USER"]]
    return options


def _run(command, database):
    subprocess.run(  # noqa: S603  (PostgreSQL's and rsync's own tools, fixed arguments)
        command, env=_environment(database), check=True, capture_output=True, timeout=120
    )


def _connect(database, name):
    """A plain psycopg2 connection to database `name` on the test server (the
    same driver settings for the original and the copy, unlike Django's
    connection, which hands JSON back as text)."""
    return psycopg2.connect(
        dbname=name,
        host=database.get("HOST") or "127.0.0.1",
        port=database.get("PORT") or 5432,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
    )


def _maintenance(database):
    """An autocommit connection to the server's `postgres` database (CREATE/DROP DATABASE)."""
    link = _connect(database, "postgres")
    link.autocommit = True
    return link


@pytest.fixture
def restore_database(postgres):
    """An empty database of this run's own, dropped afterwards."""
    name = postgres["NAME"].removeprefix("test_") + "_restore"
    link = _maintenance(postgres)
    with link.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with link.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    link.close()


def _tables():
    """Every table of the articles and comments apps, many-to-many tables included."""
    tables = set()
    for label in ("articles", "comments"):
        for model in apps.get_app_config(label).get_models():
            tables.add(model._meta.db_table)
            tables.update(
                m2m.remote_field.through._meta.db_table for m2m in model._meta.local_many_to_many
            )
    return sorted(tables)


def _contents(cursor, tables):
    contents = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608  (our own table names)
        contents[table] = cursor.fetchall()
    return contents


def _image_names(cursor):
    cursor.execute(
        "SELECT hero_image FROM articles_article WHERE hero_image <> '' "
        "UNION ALL SELECT photo FROM articles_author WHERE photo <> ''"
    )
    return [name for (name,) in cursor.fetchall()]


@pytest.fixture
def backup_restored(postgres, populated_site, restore_database, settings, tmp_path):
    """Back up (pg_dump, rsync of media), restore into the empty database and a
    fresh media folder; returns a cursor on the restored database and its media folder."""
    dump = tmp_path / "newsroom.dump"
    media_backup = tmp_path / "media-backup"
    restored_media = tmp_path / "media-restored"
    options = _connection_options(postgres)

    _run(
        [
            "pg_dump",
            *options,
            "--format=custom",
            "--no-owner",
            "--file",
            str(dump),
            postgres["NAME"],
        ],
        postgres,
    )
    _run(["rsync", "-a", f"{settings.MEDIA_ROOT}/", str(media_backup)], postgres)
    _run(
        [
            "pg_restore",
            *options,
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            restore_database,
            str(dump),
        ],
        postgres,
    )
    _run(["rsync", "-a", f"{media_backup}/", str(restored_media)], postgres)

    restored = _connect(postgres, restore_database)
    with restored.cursor() as cursor:
        yield cursor, restored_media
    restored.close()


def test_every_story_and_response_comes_back_as_it_was(postgres, backup_restored):
    cursor, _ = backup_restored
    tables = _tables()
    original = _connect(postgres, postgres["NAME"])
    with original.cursor() as original_cursor:
        expected = _contents(original_cursor, tables)
    original.close()

    assert _contents(cursor, tables) == expected
    assert expected["articles_article"] and expected["comments_comment"]


def test_every_image_reference_comes_back(backup_restored):
    cursor, _ = backup_restored
    expected = [a.hero_image.name for a in Article.objects.order_by("pk")]
    expected += [a.photo.name for a in Author.objects.order_by("pk")]

    assert sorted(_image_names(cursor)) == sorted(expected)
    assert len(expected) == 6


def test_every_image_the_restored_site_names_is_in_the_restored_media(backup_restored):
    cursor, restored_media = backup_restored

    missing = [name for name in _image_names(cursor) if not (restored_media / name).is_file()]

    assert missing == []
