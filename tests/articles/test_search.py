"""articles/search.py and /search/: reader search, on PostgreSQL (full text
over a GIN index) and on SQLite (every term as a substring). The suite runs on
both; tests of one backend's behaviour skip on the other."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.search import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    SEARCH_INDEX_NAME,
    clean_query,
    full_text_matches,
    search_articles,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search and its GIN index exist on PostgreSQL only",
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the substring fallback is what SQLite uses"
)


def found(query):
    return [article.headline for article in search_articles(clean_query(query))]


# --- The reader's query --------------------------------------------------------


def test_query_spaces_are_collapsed():
    assert clean_query("  river \n  park\t") == "river park"


def test_query_loses_control_characters():
    assert clean_query("river\x00park\x1f") == "river park"


def test_long_query_is_cut_at_a_word_boundary():
    query = clean_query("word " * 400)
    assert len(query) <= MAX_QUERY_LENGTH
    assert query.split() == ["word"] * len(query.split())


def test_query_keeps_at_most_max_terms():
    assert len(clean_query(" ".join(f"term{n}" for n in range(50))).split()) == MAX_TERMS


def test_one_enormous_word_is_cut_to_the_limit():
    assert clean_query("x" * 2000) == "x" * MAX_QUERY_LENGTH


# --- Matching, on either database ----------------------------------------------


def test_search_finds_a_word_in_the_headline():
    ArticleFactory(headline="Bridge reopens after repairs")
    ArticleFactory(headline="Council budget approved")
    assert found("bridge") == ["Bridge reopens after repairs"]


def test_search_finds_a_word_in_the_standfirst_or_body():
    ArticleFactory(headline="One", standfirst="The ferry is late again.")
    ArticleFactory(headline="Two", body="<p>Residents praised the ferry crew.</p>")
    assert sorted(found("ferry")) == ["One", "Two"]


def test_every_term_must_match():
    ArticleFactory(headline="River park sale")
    ArticleFactory(headline="River flooding")
    assert found("river park") == ["River park sale"]


def test_search_is_case_insensitive():
    ArticleFactory(headline="Bridge reopens")
    assert found("BRIDGE") == ["Bridge reopens"]


def test_search_never_shows_drafts_or_scheduled_stories():
    ArticleFactory(headline="Bridge live")
    ArticleFactory(headline="Bridge draft", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(
        headline="Bridge scheduled", published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert found("bridge") == ["Bridge live"]


def test_empty_query_finds_nothing():
    ArticleFactory()
    assert found("   ") == []


# --- PostgreSQL: full text ----------------------------------------------------


@postgresql_only
def test_postgresql_search_matches_word_forms():
    ArticleFactory(headline="Councils merge")
    assert found("council") == ["Councils merge"]


@postgresql_only
def test_postgresql_ranks_a_headline_match_above_a_body_match():
    ArticleFactory(headline="Weather report", body="<p>The ferry was cancelled.</p>")
    ArticleFactory(headline="Ferry cancelled", body="<p>Storms.</p>")
    assert found("ferry") == ["Ferry cancelled", "Weather report"]


@postgresql_only
def test_postgresql_search_ignores_html_tags_in_the_body():
    ArticleFactory(headline="Plain", body="<p><strong>Bold</strong> words.</p>")
    assert found("strong") == []


@postgresql_only
def test_postgresql_search_understands_excluded_words():
    ArticleFactory(headline="River park sale")
    ArticleFactory(headline="River flooding")
    assert found("river -flooding") == ["River park sale"]


@postgresql_only
def test_postgresql_punctuation_in_a_query_is_not_an_error():
    ArticleFactory(headline="Bridge reopens")
    assert found("bridge & | ! ( ) :* <-> '\\") == ["Bridge reopens"]


@postgresql_only
def test_postgresql_search_follows_an_edit():
    article = ArticleFactory(headline="Bridge reopens")
    Article.objects.filter(pk=article.pk).update(body="<p>The ferry is back.</p>")
    assert found("ferry") == ["Bridge reopens"]


@postgresql_only
def test_full_text_match_uses_the_gin_index():
    ArticleFactory(headline="Bridge reopens")
    with connection.cursor() as cursor:
        # A handful of rows would be read sequentially, or down the newest-first
        # index (article_pub_idx) with a filter; take those options away to see
        # that the search index answers the query.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = full_text_matches("bridge", Article.objects.all()).explain()
    assert SEARCH_INDEX_NAME in plan


# --- SQLite: the fallback -----------------------------------------------------


@sqlite_only
def test_sqlite_fallback_matches_part_of_a_word():
    ArticleFactory(headline="Budgetary pressure")
    assert found("budget") == ["Budgetary pressure"]


@sqlite_only
def test_sqlite_fallback_lists_newest_first():
    ArticleFactory(
        headline="Older bridge", published_at=timezone.now() - datetime.timedelta(days=2)
    )
    ArticleFactory(
        headline="Newer bridge", published_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert found("bridge") == ["Newer bridge", "Older bridge"]


# --- The page -----------------------------------------------------------------


def test_search_page_lists_the_matches_with_a_count(client):
    article = ArticleFactory(headline="Bridge reopens")
    html = client.get("/search/", {"q": "bridge"}).content.decode()
    assert "1 story for “bridge”" in html
    assert f'href="{article.get_absolute_url()}">Bridge reopens</a>' in html


def test_search_page_says_when_nothing_matched(client):
    html = client.get("/search/", {"q": "zebra"}).content.decode()
    assert "0 stories for “zebra”" in html
    assert "Nothing matched." in html


def test_search_page_without_a_query_shows_the_form(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'id="search-q"' in response.content.decode()


def test_search_page_echoes_the_query_escaped(client):
    html = client.get("/search/", {"q": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_search_page_is_not_indexed(client):
    html = client.get("/search/", {"q": "bridge"}).content.decode()
    assert '<meta name="robots" content="noindex">' in html


def test_search_pages_keep_the_query(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    ArticleFactory.create_batch(2, headline="Bridge news")
    html = client.get("/search/", {"q": "bridge news"}).content.decode()
    assert 'href="?q=bridge%20news&amp;page=2"' in html


def test_2000_character_query_is_a_clean_page(client):
    ArticleFactory(headline="Bridge reopens")
    response = client.get("/search/", {"q": "bridge " + "x" * 2000})
    assert response.status_code == 200
