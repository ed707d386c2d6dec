"""The responses an article page shows, fetched in ONE query.

A page of approved top-level responses (oldest first, COMMENTS_PER_PAGE of
them), their approved replies, and the reader's own pending responses (ids
from the signed `newsroom_pending` cookie) come from a single SELECT: the
page's top-level ids are a common table expression, and the number of
top-level responses (for the page links) is an uncorrelated scalar subquery
the database computes once. The "N Responses" heading reads
`article.comment_count`: no count query.

**Why SQL written out, not the ORM.** The statement is the same on every cold
render of every story; only its parameters change. Built through the ORM
(three subqueries, `.only()`, an annotation) it cost about 3 ms of CPU to
compose and compile and turn into model instances, for a query the database
answers in 0.1 ms: a quarter of a cold render (docs/performance.md). Written
out it costs 0.15 ms. Which responses the public sees is still
`CommentQuerySet.public()`'s rule; `THREAD_SQL` spells that rule for this one
statement, and tests/comments/test_queries.py holds the two to the same
answers.
"""

import datetime
from dataclasses import dataclass, field
from math import ceil

from django.conf import settings
from django.db import connection

from core.db import execute_prepared
from core.numbers import BIGINT_DIGITS, parse_number

from .models import Comment

# Only what the page draws (comments/html.py): not the email or IP
# address, the user agent or the moderation record. Approved top-level
# responses are public; a reply is public when it is approved and its parent
# is (CommentQuerySet.public()): here its parent is one of the page's ids,
# which are approved. `{mine}` is the reader's pending ones, if any.
THREAD_SQL = """
WITH page AS (
    SELECT id FROM {table}
    WHERE article_id = %s AND parent_id IS NULL AND status = %s
    ORDER BY created_at, id
    LIMIT %s OFFSET %s
)
SELECT c.id, c.parent_id, c.body, c.author_name, c.author_url, c.status, c.created_at,
    (SELECT COUNT(*) FROM {table} t
     WHERE t.article_id = %s AND t.parent_id IS NULL AND t.status = %s)
FROM {table} c
WHERE c.article_id = %s AND (
    c.id IN (SELECT id FROM page)
    OR (c.parent_id IN (SELECT id FROM page) AND c.status = %s){mine}
)
ORDER BY c.created_at, c.id
"""
MINE_SQL = "\n    OR (c.status = %s AND c.id IN ({placeholders}))"

# Far past any real page; keeps a hostile ?cpage= from reaching the database as
# an enormous OFFSET.
MAX_PAGE = 100_000


@dataclass(frozen=True, slots=True)
class Response:
    """A response as the page draws it: one row of THREAD_SQL."""

    pk: int
    parent_id: int | None
    body: str
    author_name: str
    author_url: str
    status: str
    created_at: datetime.datetime

    @property
    def is_pending(self):
        return self.status == Comment.Status.PENDING


@dataclass
class ThreadEntry:
    comment: Response
    replies: list = field(default_factory=list)


@dataclass
class Pagination:
    """Where a page of responses is among them (`?cpage=`)."""

    page: int
    num_pages: int

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def previous_page(self):
        return self.page - 1

    @property
    def next_page(self):
        return self.page + 1

    @property
    def is_paginated(self):
        return self.num_pages > 1

    @property
    def is_last_page(self):
        return self.page >= self.num_pages


@dataclass
class Thread(Pagination):
    entries: list


def parse_page(value):
    """?cpage= as a page number: anything that is not one is the first page."""
    page = parse_number(value, max_digits=6)
    return 1 if page is None else min(max(page, 1), MAX_PAGE)


def parse_id(value):
    """?replyto= as a response's id, or None."""
    return parse_number(value, max_digits=BIGINT_DIGITS)


def effective_page(article, page):
    """`page`, or the last page there can be: `comment_count` (replies
    included) bounds the number of top-level pages, without a query."""
    return min(page, max(1, ceil(article.comment_count / settings.COMMENTS_PER_PAGE)))


def find_reply_target(article, comment_id):
    """The response `?replyto=` names, if readers may reply to it: approved,
    top-level, on this story. None otherwise (an unknown id is ignored)."""
    if comment_id is None:
        return None
    return Comment.objects.public().top_level().for_article(article).filter(pk=comment_id).first()


def build_thread(article, *, page=1, pending_ids=()):
    per_page = settings.COMMENTS_PER_PAGE
    page = effective_page(article, page)
    approved, pending = Comment.Status.APPROVED, Comment.Status.PENDING
    mine = [int(pk) for pk in pending_ids]
    params = [article.pk, approved, per_page, (page - 1) * per_page]
    params += [article.pk, approved, article.pk, approved]
    mine_sql = ""
    if mine:
        mine_sql = MINE_SQL.format(placeholders=", ".join(["%s"] * len(mine)))
        params += [pending, *mine]
    sql = THREAD_SQL.format(table=Comment._meta.db_table, mine=mine_sql)
    with connection.cursor() as cursor:
        if mine:
            # Its text varies with the reader's pending responses: not worth preparing.
            cursor.execute(sql, params)
        else:
            execute_prepared(cursor, sql, params)
        rows = cursor.fetchall()
    total = rows[0][-1] if rows else 0
    num_pages = max(1, ceil(total / per_page))
    responses = [
        Response(pk, parent_id, body, name, url, status, _aware(created_at))
        for pk, parent_id, body, name, url, status, created_at, _ in rows
    ]
    return Thread(
        entries=_nest(responses, is_last_page=page >= num_pages),
        page=page,
        num_pages=num_pages,
    )


def _aware(moment):
    """PostgreSQL hands a cursor aware datetimes; SQLite naive ones in UTC
    (the ORM's converters would make them aware: a raw cursor has none)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)


def _nest(rows, *, is_last_page):
    entries = {}
    for comment in rows:
        if comment.parent_id is None:
            # The reader's own pending response is newest: it goes on the last page.
            if comment.is_pending and not is_last_page:
                continue
            entries[comment.pk] = ThreadEntry(comment)
    for comment in rows:
        if comment.parent_id is not None and comment.parent_id in entries:
            entries[comment.parent_id].replies.append(comment)
    return list(entries.values())
