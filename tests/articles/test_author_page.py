"""The author page: every published story an author wrote or co-wrote, newest first.

It finds them by the bylines' copies of each story's status and time
(articles.models.Byline), so these tests also check that the copies follow
the story through publishing, unpublishing and rescheduling.
"""

import datetime

import pytest

from articles.models import Article, Byline
from articles.publishing import publish_article, unpublish_article
from tests.articles.conftest import NOW
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def hours_ago(hours):
    return NOW - datetime.timedelta(hours=hours)


def listed_headlines(client, author):
    response = client.get(author.get_absolute_url())
    assert response.status_code == 200
    return [article.headline for article in response.context["articles"]]


@pytest.fixture
def ann():
    return AuthorFactory(slug="ann")


def test_lists_stories_written_alone_and_with_others_newest_first(client, ann):
    bo = AuthorFactory()
    ArticleFactory(headline="Older, co-written", authors=[bo, ann], published_at=hours_ago(5))
    ArticleFactory(headline="Newest, alone", authors=[ann], published_at=hours_ago(1))
    ArticleFactory(
        headline="Middle, third of three",
        authors=[bo, AuthorFactory(), ann],
        published_at=hours_ago(3),
    )
    ArticleFactory(headline="Not hers", authors=[bo], published_at=hours_ago(2))

    assert listed_headlines(client, ann) == [
        "Newest, alone",
        "Middle, third of three",
        "Older, co-written",
    ]


def test_leaves_out_drafts_stories_in_review_and_scheduled_ones(client, ann):
    ArticleFactory(headline="Live", authors=[ann])
    ArticleFactory(headline="Draft", authors=[ann], status=Article.Status.DRAFT)
    ArticleFactory(headline="In review", authors=[ann], status=Article.Status.REVIEW)
    ArticleFactory(
        headline="Tomorrow", authors=[ann], published_at=NOW + datetime.timedelta(days=1)
    )

    assert listed_headlines(client, ann) == ["Live"]


def test_a_scheduled_story_appears_once_its_time_comes(client, ann, time_machine):
    ArticleFactory(
        headline="At noon", authors=[ann], published_at=NOW + datetime.timedelta(hours=1)
    )
    time_machine.move_to(NOW + datetime.timedelta(hours=2), tick=False)

    assert listed_headlines(client, ann) == ["At noon"]


def test_an_unpublished_story_leaves_the_page(client, ann, editor):
    story = ArticleFactory(headline="Taken down", authors=[ann])
    ArticleFactory(headline="Stays", authors=[ann], published_at=hours_ago(2))

    unpublish_article(story, by=editor)

    assert listed_headlines(client, ann) == ["Stays"]


def test_a_draft_published_later_joins_the_page_at_its_new_time(client, ann, editor):
    draft = ArticleFactory(
        headline="Was a draft",
        authors=[ann],
        status=Article.Status.DRAFT,
        published_at=hours_ago(10),
    )
    ArticleFactory(headline="Earlier story", authors=[ann], published_at=hours_ago(3))

    publish_article(draft, by=editor)

    assert listed_headlines(client, ann) == ["Was a draft", "Earlier story"]


def test_an_edited_publication_time_reorders_the_page(client, ann):
    moved = ArticleFactory(headline="Moved back", authors=[ann], published_at=hours_ago(1))
    ArticleFactory(headline="Now the newest", authors=[ann], published_at=hours_ago(2))

    moved.published_at = hours_ago(4)
    moved.save()

    assert listed_headlines(client, ann) == ["Now the newest", "Moved back"]


def test_a_byline_added_to_a_live_story_puts_it_on_the_page(client, ann):
    story = ArticleFactory(headline="Added later", authors=[AuthorFactory()])

    Byline.objects.create(article=story, author=ann, order=1)

    assert listed_headlines(client, ann) == ["Added later"]


def test_an_author_who_stopped_writing_long_ago_keeps_their_stories(client, ann):
    ArticleFactory(headline="Ten years ago", authors=[ann], published_at=hours_ago(24 * 3650))
    ArticleFactory.create_batch(20, authors=[AuthorFactory()])

    assert listed_headlines(client, ann) == ["Ten years ago"]
