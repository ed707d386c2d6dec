"""articles/lookups.py: the article page's story row, by a statement compiled
once per process, finds exactly what the QuerySet finds."""

import datetime

import pytest
from articles.lookups import published_story

from articles.models import Article
from articles.views import local_day_bounds
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def lookup(story, *, now=NOW, slug=None, day=None):
    day = day or story.published_at.date()
    start, end = local_day_bounds(day.year, day.month, day.day)
    return published_story(slug or story.slug, start, end, now)


def test_a_live_story_is_found_with_its_section_in_one_query(django_assert_num_queries):
    story = ArticleFactory(published_at=NOW - HOUR)

    with django_assert_num_queries(1):
        found = lookup(story)
        assert (found.pk, found.section.slug) == (story.pk, story.section.slug)


@pytest.mark.parametrize(
    ("status", "published_at"),
    [
        (Article.Status.DRAFT, NOW - HOUR),
        (Article.Status.REVIEW, NOW - HOUR),
        (Article.Status.PUBLISHED, NOW + HOUR),  # scheduled
    ],
)
def test_a_story_the_public_may_not_see_is_not_found(status, published_at):
    story = ArticleFactory(status=status, published_at=published_at)

    assert lookup(story) is None
    assert not Article.objects.published(at=NOW).filter(pk=story.pk).exists()


def test_a_scheduled_story_is_found_once_its_time_has_come():
    story = ArticleFactory(published_at=NOW + HOUR)

    assert lookup(story, now=NOW + 2 * HOUR).pk == story.pk


def test_another_day_or_slug_finds_nothing():
    story = ArticleFactory(published_at=NOW - HOUR)

    assert lookup(story, day=story.published_at.date() - datetime.timedelta(days=1)) is None
    assert lookup(story, slug=story.slug + "-x") is None


def test_the_row_is_the_one_the_orm_loads():
    story = ArticleFactory(published_at=NOW - HOUR, standfirst="A standfirst")
    expected = Article.objects.for_article_page().get(pk=story.pk)

    found = lookup(story)

    fields = [field.attname for field in Article._meta.concrete_fields]
    assert [getattr(found, name) for name in fields] == [getattr(expected, name) for name in fields]
