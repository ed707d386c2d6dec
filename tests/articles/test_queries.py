"""articles/queries.py: the article page's story row, by a statement compiled
once per process, finds exactly what the QuerySet finds; its related rows
come in one statement."""

import datetime

import pytest

from articles.models import Article, Byline
from articles.queries import fetch_page_relations, published_story
from articles.views import local_day_bounds
from tests.articles.conftest import rich_article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PullQuoteFactory,
    SourceFactory,
    TagFactory,
)

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


# --- What the article page shows besides the story's row


@pytest.mark.parametrize("number", [0, 1, 6])
def test_page_relations_come_in_one_query_whatever_their_number(number, django_assert_num_queries):
    article = rich_article(authors=number, tags=number, quotes=number, sources=number)
    with django_assert_num_queries(1):
        relations = fetch_page_relations(article.pk)
        quote_sources = [quote.source.title for quote in relations.pull_quotes]
    assert [
        len(relations.authors),
        len(relations.tags),
        len(quote_sources),
        len(relations.sources),
    ] == [number] * 4


def test_page_relations_list_authors_in_byline_order():
    article = ArticleFactory()
    for name, order in [("Ann Lee", 2), ("Bo Chen", 1), ("Cy Diaz", 1)]:
        Byline.objects.create(article=article, author=AuthorFactory(name=name), order=order)
    authors = fetch_page_relations(article.pk).authors
    assert [author.name for author in authors] == ["Bo Chen", "Cy Diaz", "Ann Lee"]


def test_page_relations_list_tags_by_name():
    names = ["Rivers", "Bridges", "Ports"]
    article = ArticleFactory(tags=[TagFactory(name=name) for name in names])
    tags = fetch_page_relations(article.pk).tags
    assert [tag.name for tag in tags] == ["Bridges", "Ports", "Rivers"]


def test_page_relations_list_pull_quotes_in_the_order_they_are_placed():
    article = ArticleFactory()
    for speaker, after_paragraph in [("Ann", 3), ("Bo", 1), ("Cy", 3), ("Di", 0)]:
        PullQuoteFactory(article=article, speaker=speaker, after_paragraph=after_paragraph)
    quotes = fetch_page_relations(article.pk).pull_quotes
    assert [quote.speaker for quote in quotes] == ["Di", "Bo", "Ann", "Cy"]


def test_page_relations_list_sources_in_their_order():
    article = ArticleFactory()
    for title, order in [("Minutes", 2), ("Letter", 1), ("Report", 1), ("Budget", 0)]:
        SourceFactory(article=article, title=title, order=order)
    sources = fetch_page_relations(article.pk).sources
    assert [source.title for source in sources] == ["Budget", "Letter", "Report", "Minutes"]


def test_page_relations_give_a_source_its_date_as_a_date():
    source = SourceFactory(published_on=datetime.date(2026, 3, 1))
    (loaded,) = fetch_page_relations(source.article_id).sources
    assert loaded.published_on == datetime.date(2026, 3, 1)
