"""bench/data.py: what `make bench SIZE=100k` relies on, generated at a few hundred stories.

The generator is PostgreSQL-only (generate_series, the generated search
column), so these tests skip on SQLite. The data is filled once for the
module, inside a transaction rolled back at the end.
"""

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q

from articles.models import Article, Byline
from articles.search import search_articles
from bench.data import LONG_THREAD_RESPONSES, RETIRED_AUTHOR, SHOWCASE_RESPONSES, fill
from comments.models import Comment

STORIES, RESPONSES = 300, 3_000

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def bench_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("bench/data.py generates PostgreSQL data only")
        with transaction.atomic():
            fill(STORIES, RESPONSES)
            yield
            transaction.set_rollback(True)


def test_every_story_is_made_with_its_share_of_drafts_and_scheduled_ones():
    # Every 50th story (offset 17) a draft, every 100th (offset 33) scheduled.
    assert Article.objects.count() == STORIES
    assert Article.objects.drafts().count() == 6
    assert Article.objects.scheduled().count() == 3
    assert Article.objects.published().count() == STORIES - 6 - 3


def test_responses_come_in_exact_totals_of_each_status():
    by_status = dict(Comment.objects.values_list("status").annotate(n=Count("pk")))

    assert by_status == {
        Comment.Status.PENDING: 300,
        Comment.Status.SPAM: 60,
        Comment.Status.REJECTED: 30,
        Comment.Status.APPROVED: RESPONSES - 300 - 60 - 30,
    }


def test_every_storys_comment_count_is_its_approved_responses():
    miscounted = Article.objects.annotate(
        approved=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED))
    ).exclude(comment_count=F("approved"))

    assert list(miscounted.values_list("pk", flat=True)) == []


def test_the_measured_stories_have_50_and_2000_responses_story_1_the_lead():
    story_1, story_2 = Article.objects.filter(pk__in=[1, 2]).order_by("pk")

    assert (story_1.comment_count, story_2.comment_count) == (
        SHOWCASE_RESPONSES,
        LONG_THREAD_RESPONSES,
    )
    assert Article.objects.published().filter(is_lead=True).get() == story_1


def test_every_story_has_a_search_document():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article "
            "WHERE search_document IS NULL OR search_document = ''::tsvector"
        )
        assert cursor.fetchone()[0] == 0


def test_the_rare_search_word_finds_one_story_in_100():
    # Stories 42, 142 and 242 mention the lighthouse; all three are published.
    assert sorted(search_articles("lighthouse").values_list("pk", flat=True)) == [42, 142, 242]


def test_every_story_has_one_to_four_authors_and_one_to_six_tags():
    counts = Article.objects.annotate(
        n_authors=Count("bylines", distinct=True), n_tags=Count("tags", distinct=True)
    )

    assert counts.filter(Q(n_authors__lt=1) | Q(n_authors__gt=4)).count() == 0
    assert counts.filter(Q(n_tags__lt=1) | Q(n_tags__gt=6)).count() == 0


def test_the_measured_author_and_tag_are_on_every_40th_story_too():
    every_40th = set(range(40, STORIES + 1, 40))

    assert every_40th <= set(Article.objects.filter(bylines__author=1).values_list("pk", flat=True))
    assert every_40th <= set(Article.objects.filter(tags=1).values_list("pk", flat=True))


def test_bylines_carry_their_storys_status_and_time():
    stale = Byline.objects.exclude(
        story_status=F("article__status"), story_published_at=F("article__published_at")
    )

    assert not stale.exists()


def test_the_retired_author_wrote_only_the_40_stories_four_fifths_back():
    theirs = Article.objects.filter(bylines__author=RETIRED_AUTHOR).values_list("pk", flat=True)

    assert sorted(theirs) == list(range(241, 281))
