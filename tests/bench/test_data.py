"""bench/data.py: what `make bench SIZE=100k` relies on, generated at a few hundred stories.

The generator is PostgreSQL-only (generate_series, the generated search
column), so these tests skip on SQLite. The data is filled once for the
module, inside a transaction rolled back at the end.
"""

import pytest
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from reversion.models import Revision, Version

from articles import revisions
from articles.models import Article, Byline
from articles.search import search_articles
from bench.data import (
    HERO_IMAGE_NAME,
    LONG_THREAD_RESPONSES,
    RETIRED_AUTHOR,
    REVISED_EVERY,
    REVISED_OFFSET,
    SHOWCASE_RESPONSES,
    fill,
)
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


# --- Revisions (issue 17): made in SQL, read through articles/revisions.py ---------

# The lead, the long thread, a draft, a scheduled story, the rare word's, one
# without a picture or sources, and stories with 2 revisions (16, 36) and 3 (6, 26).
SAMPLE = [1, 2, 6, 16, 17, 26, 33, 36, 40, 42, 299]


def _history(pk):
    return list(revisions.revisions_of(Article.objects.get(pk=pk)))


def test_every_story_has_a_revision_and_every_10th_two_or_three():
    expected = STORIES + STORIES // REVISED_EVERY + STORIES // (2 * REVISED_EVERY)
    assert Revision.objects.count() == expected
    for pk in SAMPLE:
        n = (
            3
            if pk % (2 * REVISED_EVERY) == REVISED_OFFSET
            else 2
            if pk % REVISED_EVERY == REVISED_OFFSET
            else 1
        )
        assert len(_history(pk)) == n, pk
        # Article.version counts the saves the history records.
        assert Article.objects.get(pk=pk).version == n


def test_the_latest_revision_is_the_story_as_it_is_now():
    # The stories' picture, stored (this test's own media folder, conftest.py).
    default_storage.save(HERO_IMAGE_NAME, ContentFile(b"a picture"))
    for pk in SAMPLE:
        article = Article.objects.get(pk=pk)
        latest = revisions.revisions_of(article).first()
        stored = revisions.stored_story(article.pk, latest)
        now = revisions.snapshot_of(article)

        assert revisions.snapshot_of_stored(stored) == now, pk
        assert revisions.snapshot_of_stored(stored, keep=now) == now, pk
        assert revisions.missing_parts(stored) == []
        assert revisions.plan_restore(article, latest).changes == []
        assert latest.date_created == article.updated_at
        assert latest.user is None


def test_histories_list_newest_first_with_their_summaries():
    assert [revision.comment for revision in _history(1)] == ["first recorded version"]
    assert [revision.comment for revision in _history(16)] == [
        "status, publication time",
        "first recorded version",
    ]
    assert [revision.comment for revision in _history(6)] == [
        "status, publication time",
        "headline",
        "first recorded version",
    ]
    dates = [revision.date_created for revision in _history(6)]
    assert dates == sorted(dates, reverse=True)


def test_an_earlier_revision_is_the_draft_and_its_summary_is_what_changed():
    from articles.diff import compare, summarise

    article = Article.objects.get(pk=6)
    newest, middle, first = (
        revisions.snapshot_of_stored(revisions.stored_story(6, revision))
        for revision in _history(6)
    )

    assert first.fields["status"] == middle.fields["status"] == "Draft"
    assert first.fields["published_at"] == middle.fields["published_at"] == ""
    assert article.headline.startswith(first.fields["headline"] + " ")
    assert middle.fields["headline"] == article.headline
    assert len(newest.sources) == 3
    assert (first.sources, first.quotes) == (newest.sources, newest.quotes)
    assert summarise(compare(first, middle)) == "headline"
    assert summarise(compare(middle, newest)) == "status, publication time"


def _stored_rows(revision):
    return sorted(
        revision.version_set.values_list(
            "content_type_id", "object_id", "db", "format", "serialized_data", "object_repr"
        )
    )


def test_the_sql_writes_what_django_reversion_itself_records():
    """Byte for byte: the same Versions, serialized_data and object_repr as
    record_revision makes of the story now (rolled back with the test)."""
    for pk in SAMPLE:
        article = Article.objects.get(pk=pk)
        made_in_sql = revisions.revisions_of(article).first()
        revisions.record_revision(article, by=None, summary="first recorded version")
        recorded = revisions.revisions_of(article).first()

        assert recorded.pk != made_in_sql.pk
        assert _stored_rows(made_in_sql) == _stored_rows(recorded), pk


def test_an_earlier_revisions_story_is_serialized_as_django_would():
    article = Article.objects.get(pk=6)
    first = _history(6)[-1]
    version = first.version_set.get(object_id="6", content_type__model="article")
    article.headline = version.object_repr
    article.status, article.published_at = Article.Status.DRAFT, None

    assert version.serialized_data == serializers.serialize(
        "json", [article], fields=revisions.ARTICLE_FIELDS
    )
    assert Version.objects.get_for_object(article).count() == 3


def test_the_admin_history_compare_and_restore_pages_open_on_bench_stories(editor_client):
    history = _history(6)
    for name, args, query in (
        ("history", [6], ""),
        ("compare", [6], f"?from={history[-1].pk}&to={history[0].pk}"),
        ("restore", [6, history[-1].pk], ""),
    ):
        response = editor_client.get(reverse(f"admin:articles_article_{name}", args=args) + query)
        assert response.status_code == 200, name
    assert b"first recorded version" in editor_client.get(
        reverse("admin:articles_article_history", args=[6])
    ).content
