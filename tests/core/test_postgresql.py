"""core/postgresql: Django's PostgreSQL backend with prepared statements
for the article page's fixed statements and a health check that sends no
`SELECT 1` while the server has said nothing. PostgreSQL only (CI runs the
suite on both databases)."""

import select

import psycopg2
import pytest
from django.db import close_old_connections, connection
from django.db.backends.signals import connection_created
from django.test.utils import CaptureQueriesContext

from core.db import execute_prepared
from core.postgresql.base import numbered_parameters
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backend's own behaviour"
)

HEADLINE_SQL = "SELECT headline FROM articles_article WHERE id = %s"


def headline(article_id):
    with connection.cursor() as cursor:
        execute_prepared(cursor, HEADLINE_SQL, [article_id])
        return cursor.fetchone()[0]


def test_placeholders_are_numbered_and_a_literal_percent_kept():
    sql = "SELECT %s, '100%%' WHERE a = %s AND b LIKE '%%x'"
    assert numbered_parameters(sql) == "SELECT $1, '100%' WHERE a = $2 AND b LIKE '%x'"


@pytest.mark.django_db
def test_a_prepared_statement_answers_as_the_plain_one_for_each_value():
    first, second = ArticleFactory(headline="Bridge"), ArticleFactory(headline="Tunnel")

    assert [headline(first.pk), headline(second.pk), headline(first.pk)] == [
        "Bridge",
        "Tunnel",
        "Bridge",
    ]


@pytest.mark.django_db
def test_the_statement_is_prepared_once_then_only_executed():
    story = ArticleFactory()
    headline(story.pk)

    with CaptureQueriesContext(connection) as queries:
        headline(story.pk)

    assert [query["sql"].split(" (")[0] for query in queries] == [
        f"EXECUTE {connection.prepared_statements[HEADLINE_SQL]}"
    ]


@pytest.mark.django_db
def test_prepared_statements_can_be_turned_off_for_a_pooler(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "PREPARED_STATEMENTS", False)
    story = ArticleFactory(headline="Bridge")

    with CaptureQueriesContext(connection) as queries:
        assert headline(story.pk) == "Bridge"

    assert queries[0]["sql"].startswith("SELECT headline")


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_its_statements_again():
    story = ArticleFactory(headline="Bridge")
    headline(story.pk)
    connection.close()  # a restart, a failover, CONN_MAX_AGE: the server forgot them

    assert headline(story.pk) == "Bridge"


@pytest.fixture
def persistent_connection(monkeypatch, settings):
    """The connection kept between requests, as `make serve` keeps it
    (CONN_MAX_AGE), and a fresh one to start with; no cached pages, so that
    every request queries."""
    settings.PAGE_CACHE = settings.FRAGMENT_CACHE = False
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    connection.close()
    yield
    connection.close()


def next_request(client, url):
    """A GET as a server runs it: Django's request_started handler first
    (close_old_connections, where each request's health check is re-armed),
    which the test client leaves out."""
    close_old_connections()
    return client.get(url)


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid):
    """What a server restart or an administrator does to a connection, from a
    connection of the test's own."""
    params = connection.get_connection_params()
    other = psycopg2.connect(**params)
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    # The server says goodbye before closing: wait (at most 5 s) until it has.
    select.select([connection.connection.fileno()], [], [], 5)


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_closed_between_requests_is_replaced(client, persistent_connection):
    comment = CommentFactory(body="The bridge budget doubled.")
    story = comment.article
    assert client.get(story.get_absolute_url()).status_code == 200
    terminate(backend_pid())

    response = next_request(client, story.get_absolute_url())

    assert response.status_code == 200
    assert "The bridge budget doubled." in response.text


@pytest.mark.django_db(transaction=True)
def test_a_quiet_persistent_connection_costs_no_select_1(client, persistent_connection):
    story = ArticleFactory()
    assert client.get(story.get_absolute_url()).status_code == 200
    opened = []

    def count_connection(**kwargs):
        opened.append(kwargs["connection"])

    connection_created.connect(count_connection, dispatch_uid="test-quiet-connection")
    checks = []
    real_is_usable = connection.is_usable

    def counted_is_usable():
        checks.append(True)
        return real_is_usable()

    connection.is_usable = counted_is_usable
    try:
        assert next_request(client, story.get_absolute_url()).status_code == 200
    finally:
        del connection.is_usable
        connection_created.disconnect(dispatch_uid="test-quiet-connection")

    assert (checks, opened) == ([], [])
