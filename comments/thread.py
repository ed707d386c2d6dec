"""The responses an article page shows, fetched in ONE query.

A page of approved top-level responses (oldest first, COMMENTS_PER_PAGE of
them), their approved replies, and the reader's own pending responses (ids
from the signed `newsroom_pending` cookie) come from a single SELECT: the
page's top-level ids are a subquery, and the number of top-level responses
(for the page links) is an uncorrelated scalar subquery the database computes
once. The "N Responses" heading reads `article.comment_count`: no count query.
"""

from dataclasses import dataclass, field
from math import ceil

from django.conf import settings
from django.db.models import Count, Q, Subquery

from .models import Comment

DRAWN_FIELDS = (
    "article_id",
    "parent_id",
    "body",
    "author_name",
    "author_url",
    "status",
    "created_at",
)

# Far past any real page; keeps a hostile ?cpage= from reaching the database as
# an enormous OFFSET.
MAX_PAGE = 100_000


@dataclass
class ThreadEntry:
    comment: Comment
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
    if isinstance(value, str) and value.isdigit() and len(value) <= 6:
        return min(max(int(value), 1), MAX_PAGE)
    return 1


def parse_id(value):
    """?replyto= as a response's id, or None."""
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 19 else None


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
    public = Comment.objects.public().for_article(article)
    top_level = public.top_level()
    offset = (page - 1) * per_page
    page_ids = top_level.oldest_first().values("pk")[offset : offset + per_page]
    top_level_count = top_level.order_by().values("article").annotate(n=Count("pk")).values("n")
    mine = (
        Comment.objects.for_article(article).pending().filter(pk__in=list(pending_ids))
        if pending_ids
        else Comment.objects.none()
    )
    rows = list(
        Comment.objects.for_article(article)
        .filter(
            Q(pk__in=Subquery(page_ids))
            | Q(parent__in=Subquery(page_ids), status=Comment.Status.APPROVED)
            | Q(pk__in=mine.values("pk"))
        )
        # Only what the page draws (comments/rendering.py): not the IP
        # address, user agent or moderation record.
        .only(*DRAWN_FIELDS)
        .annotate(top_level_total=Subquery(top_level_count))
        .oldest_first()
    )
    total = (rows[0].top_level_total or 0) if rows else 0
    num_pages = max(1, ceil(total / per_page))
    return Thread(
        entries=_nest(rows, is_last_page=page >= num_pages),
        page=page,
        num_pages=num_pages,
    )


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
