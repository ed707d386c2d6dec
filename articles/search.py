"""Reader search over published stories (issue 2 §5).

PostgreSQL: full-text search. Each story's search document (headline weighted
A, standfirst B, body C, under the "english" configuration, which drops the
body's HTML tags) is a stored column with a GIN index, `search_document`,
kept up to date by PostgreSQL (migration 0002_search_index explains why a
column rather than an expression index). The index finds the matches; the
newest `CANDIDATE_LIMIT` of them are ranked with SearchRank, so a word found
in every story costs about what a rare one does.
tests/articles/test_search.py checks with EXPLAIN that the index is used.

Anywhere else (SQLite, the embedded default): every term must appear in the
headline, standfirst or body (case-insensitive), newest first.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Expression, Q, Subquery

from .models import Article

SEARCH_CONFIG = "english"
SEARCH_INDEX_NAME = "article_search_idx"

# A reader's query is cut to this many characters (at a word boundary) and
# this many terms: enough for any real question, and a 2,000-character paste
# costs no more than a short one.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# How many of the newest matches are ranked by relevance.
CANDIDATE_LIMIT = 100

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class SearchDocument(Expression):
    """The story's stored `search_document` column (PostgreSQL only).

    Not a model field, because SQLite has no such column; this expression
    names it on whichever alias the story table has in the query being
    compiled (the subquery of a search included).
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def clean_query(raw):
    """The reader's query as we search it: no control characters (PostgreSQL
    refuses NUL), spaces collapsed, at most MAX_QUERY_LENGTH characters and
    MAX_TERMS terms."""
    text = _CONTROL_CHARACTERS.sub(" ", raw or "")
    terms = text.split()[:MAX_TERMS]
    text = " ".join(terms)
    if len(text) > MAX_QUERY_LENGTH:
        cut = text[:MAX_QUERY_LENGTH]
        # Drop a word cut in half, unless the query is one long word.
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return text


def search_articles(query, queryset=None):
    """Published stories matching `query` (already cleaned), best first."""
    queryset = Article.objects.published() if queryset is None else queryset
    if not query:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _postgresql_search(query, queryset)
    return _fallback_search(query, queryset)


def _search_query(query):
    # websearch syntax ("quoted phrases", -not, or) never raises a syntax error.
    return SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)


def full_text_matches(query, queryset):
    """PostgreSQL only: the stories of `queryset` whose document matches `query`."""
    return queryset.annotate(document=SearchDocument()).filter(document=_search_query(query))


def _postgresql_search(query, queryset):
    newest_matches = (
        full_text_matches(query, queryset)
        .order_by("-published_at", "-pk")
        .values("pk")[:CANDIDATE_LIMIT]
    )
    return (
        queryset.filter(pk__in=Subquery(newest_matches))
        .annotate(rank=SearchRank(SearchDocument(), _search_query(query)))
        .order_by("-rank", "-published_at", "-pk")
    )


def _fallback_search(query, queryset):
    for term in query.split():
        queryset = queryset.filter(
            Q(headline__icontains=term) | Q(standfirst__icontains=term) | Q(body__icontains=term)
        )
    return queryset.order_by("-published_at", "-pk")
