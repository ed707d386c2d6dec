"""comments/queries.py: a page of responses, their replies and the reader's pending ones."""

import datetime

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.queries import MAX_PAGE, build_thread, find_reply_target, parse_page
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def minutes_ago(n):
    return timezone.now() - datetime.timedelta(minutes=n)


def bodies(thread):
    return [
        (entry.comment.body, [reply.body for reply in entry.replies]) for entry in thread.entries
    ]


def fresh(article):
    article.refresh_from_db()
    return article


def test_one_query_for_everything(article, django_assert_num_queries):
    top = CommentFactory(article=article, created_at=minutes_ago(9))
    CommentFactory(article=article, parent=top)
    mine = CommentFactory(article=article, status="pending")
    article = fresh(article)
    with django_assert_num_queries(1):
        thread = build_thread(article, pending_ids=[mine.pk])
    assert len(thread.entries) == 2


def test_replies_nest_under_their_parent_oldest_first(article):
    first = CommentFactory(article=article, body="first", created_at=minutes_ago(9))
    CommentFactory(article=article, body="second", created_at=minutes_ago(8))
    CommentFactory(article=article, parent=first, body="reply b", created_at=minutes_ago(2))
    CommentFactory(article=article, parent=first, body="reply a", created_at=minutes_ago(3))
    assert bodies(build_thread(fresh(article))) == [
        ("first", ["reply a", "reply b"]),
        ("second", []),
    ]


def test_pending_reply_of_the_reader_shows_under_its_parent(article):
    first = CommentFactory(article=article, body="first")
    mine = CommentFactory(article=article, parent=first, body="mine", status="pending")
    assert bodies(build_thread(fresh(article), pending_ids=[mine.pk])) == [("first", ["mine"])]


def test_pending_ids_of_other_articles_or_states_show_nothing(article):
    elsewhere = CommentFactory(status="pending")
    rejected = CommentFactory(article=article, status="rejected")
    thread = build_thread(fresh(article), pending_ids=[elsewhere.pk, rejected.pk])
    assert thread.entries == []


def test_pages_and_the_readers_pending_comment_on_the_last_page(article, settings):
    settings.COMMENTS_PER_PAGE = 2
    for n in range(3):
        CommentFactory(article=article, body=f"c{n}", created_at=minutes_ago(10 - n))
    mine = CommentFactory(article=article, body="mine", status="pending")
    article = fresh(article)
    first = build_thread(article, page=1, pending_ids=[mine.pk])
    last = build_thread(article, page=2, pending_ids=[mine.pk])
    assert (first.num_pages, first.has_next, first.has_previous) == (2, True, False)
    assert bodies(first) == [("c0", []), ("c1", [])]
    assert bodies(last) == [("c2", []), ("mine", [])]


def test_page_past_the_end_is_the_last_page(article, settings):
    settings.COMMENTS_PER_PAGE = 2
    for n in range(3):
        CommentFactory(article=article, created_at=minutes_ago(10 - n))
    thread = build_thread(fresh(article), page=50)
    assert thread.page == 2
    assert len(thread.entries) == 1


def test_only_approved_top_level_responses_of_the_story_can_be_replied_to(article):
    top = CommentFactory(article=article)
    reply = CommentFactory(article=article, parent=top)
    mine = CommentFactory(article=article, status="pending")
    elsewhere = CommentFactory()
    assert find_reply_target(article, top.pk) == top
    assert find_reply_target(article, reply.pk) is None
    assert find_reply_target(article, mine.pk) is None
    assert find_reply_target(article, elsewhere.pk) is None
    assert find_reply_target(article, None) is None


@pytest.mark.parametrize(
    ("value", "page"),
    [("2", 2), (None, 1), ("", 1), ("0", 1), ("-3", 1), ("x", 1), ("1e3", 1), ("9" * 7, 1)],
)
def test_parse_page(value, page):
    assert parse_page(value) == page


def test_parse_page_caps_large_numbers():
    assert parse_page("999999") == min(999999, MAX_PAGE)


def test_the_thread_shows_exactly_the_public_responses(article):
    """THREAD_SQL spells CommentQuerySet.public()'s rule: the two agree."""
    statuses = ["approved", "pending", "rejected", "spam"]
    for n, status in enumerate(statuses):
        top = CommentFactory(article=article, status=status, created_at=minutes_ago(60 - n))
        for m, reply_status in enumerate(statuses):
            CommentFactory(
                article=article, parent=top, status=reply_status, created_at=minutes_ago(30 - m)
            )
    CommentFactory(status="approved")  # another story's
    thread = build_thread(fresh(article))
    shown = {c.pk for entry in thread.entries for c in (entry.comment, *entry.replies)}
    public = Comment.objects.public().for_article(article)
    assert shown == set(public.values_list("pk", flat=True))


def test_dates_are_aware_on_every_database(article):
    CommentFactory(article=article)
    (entry,) = build_thread(fresh(article)).entries
    assert timezone.is_aware(entry.comment.created_at)
