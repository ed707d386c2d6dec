"""Reader search over published stories (issue 2 §5).

PostgreSQL: full-text search. The document is headline (weight A), standfirst
(B) and body (C) under the "english" configuration; the body's HTML tags are
XML-tag tokens that the configuration drops. A GIN expression index over
exactly `SEARCH_VECTOR` (migration 0002_search_index) finds the matches; only
the newest `CANDIDATE_LIMIT` of them are ranked with SearchRank, so a common
word costs the same as a rare one. tests/articles/test_search.py checks with
EXPLAIN that the query still uses the index: change the expression here and
there together.

Anywhere else (SQLite, the embedded default): every term must appear in the
headline, standfirst or body (case-insensitive), newest first.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, Subquery

from .models import Article

SEARCH_CONFIG = "english"
SEARCH_VECTOR = (
    SearchVector("headline", weight="A", config=SEARCH_CONFIG)
    + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
    + SearchVector("body", weight="C", config=SEARCH_CONFIG)
)
# The SQL of SEARCH_VECTOR: the index expression of migration 0002.
SEARCH_INDEX_NAME = "article_search_idx"

# A reader's query is cut to this many characters (at a word boundary) and
# this many terms: enough for any real question, and a 2,000-character paste
# costs no more than a short one.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# How many of the newest matches are ranked by relevance.
CANDIDATE_LIMIT = 100

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


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
    """PostgreSQL only: the stories of `queryset` whose document matches
    `query`, found through the GIN index."""
    return queryset.annotate(document=SEARCH_VECTOR).filter(document=_search_query(query))


def _postgresql_search(query, queryset):
    newest_matches = (
        full_text_matches(query, queryset)
        .order_by("-published_at", "-pk")
        .values("pk")[:CANDIDATE_LIMIT]
    )
    return (
        queryset.filter(pk__in=Subquery(newest_matches))
        .annotate(rank=SearchRank(SEARCH_VECTOR, _search_query(query)))
        .order_by("-rank", "-published_at", "-pk")
    )


def _fallback_search(query, queryset):
    for term in query.split():
        queryset = queryset.filter(
            Q(headline__icontains=term) | Q(standfirst__icontains=term) | Q(body__icontains=term)
        )
    return queryset.order_by("-published_at", "-pk")
