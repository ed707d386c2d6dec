"""articles/models.py: which stories are public, what a story tells search
engines and link previews (jsonld, opengraph), and what its page shows
besides the story's own row."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from articles.queries import page_relations
from tests.articles.conftest import NOW, jpeg_upload
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def test_published_story_whose_time_has_come_is_public():
    article = ArticleFactory(published_at=NOW - datetime.timedelta(minutes=1))
    assert list(Article.objects.published()) == [article]


def test_draft_is_not_public():
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert not Article.objects.published().exists()


def test_story_in_review_is_not_public():
    ArticleFactory(status=Article.Status.REVIEW, published_at=NOW - datetime.timedelta(days=1))
    assert not Article.objects.published().exists()


def test_story_with_a_future_time_is_scheduled_not_public():
    article = ArticleFactory(published_at=NOW + datetime.timedelta(hours=2))
    assert not Article.objects.published().exists()
    assert list(Article.objects.scheduled()) == [article]
    assert article.state == "Scheduled"


def test_scheduled_story_goes_live_at_its_time_with_no_job_run():
    article = ArticleFactory(published_at=NOW + datetime.timedelta(hours=2))
    with time_machine.travel(NOW + datetime.timedelta(hours=2, seconds=1), tick=False):
        assert list(Article.objects.published()) == [article]
        assert article.state == "Live"


def test_address_carries_the_local_date_of_publication(settings):
    settings.TIME_ZONE = "Europe/London"
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    article = ArticleFactory(
        slug="late-night",
        section=SectionFactory(slug="news"),
        published_at=datetime.datetime(2024, 6, 30, 23, 30, tzinfo=datetime.UTC),
    )
    assert article.get_absolute_url() == "/news/2024/07/01/late-night/"


def test_absolute_url_is_on_the_public_site(settings):
    settings.SITE_URL = "https://news.example.org"
    article = ArticleFactory()
    assert article.absolute_url() == "https://news.example.org" + article.get_absolute_url()


def test_update_soon_after_publication_is_not_announced():
    article = ArticleFactory(published_at=NOW - datetime.timedelta(minutes=10))
    assert not article.was_updated


def test_update_long_after_publication_is_announced():
    article = ArticleFactory(published_at=NOW - datetime.timedelta(hours=3))
    assert article.was_updated


def test_edit_before_a_scheduled_time_is_not_a_modification_after_it():
    article = ArticleFactory(published_at=NOW + datetime.timedelta(hours=2))
    assert article.last_modified == article.published_at
    assert not article.was_updated


def test_jsonld_is_a_news_article_with_the_story_fields(settings):
    settings.SITE_URL = "https://news.example.org"
    article = ArticleFactory(
        headline="Bridge reopens",
        standfirst="After two years.",
        section=SectionFactory(name="Local"),
    )
    data = article.jsonld(page_relations(article))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bridge reopens"
    assert data["description"] == "After two years."
    assert data["articleSection"] == "Local"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": article.absolute_url()}
    assert data["datePublished"] == timezone.localtime(article.published_at).isoformat(
        timespec="seconds"
    )
    assert data["dateModified"] >= data["datePublished"]


def test_jsonld_lists_every_author_in_byline_order_as_a_person(settings):
    settings.SITE_URL = "https://news.example.org"
    first, second = AuthorFactory(name="Ann Lee"), AuthorFactory(name="Bo Chen")
    article = ArticleFactory(authors=[second, first])
    assert article.jsonld(page_relations(article))["author"] == [
        {
            "@type": "Person",
            "name": "Bo Chen",
            "url": "https://news.example.org" + second.get_absolute_url(),
        },
        {
            "@type": "Person",
            "name": "Ann Lee",
            "url": "https://news.example.org" + first.get_absolute_url(),
        },
    ]


def test_jsonld_publisher_is_the_site_with_its_logo(settings):
    settings.SITE_URL = "https://news.example.org"
    settings.SITE_NAME = "The Example Post"
    publisher = jsonld_of(ArticleFactory())["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"] == "The Example Post"
    assert publisher["logo"]["url"] == "https://news.example.org/static/img/logo.png"


def test_jsonld_images_are_the_hero_renditions_on_the_public_site(settings):
    settings.SITE_URL = "https://news.example.org"
    article = ArticleFactory(hero_image=jpeg_upload(), hero_alt="A bridge")
    images = article.jsonld(page_relations(article))["image"]
    assert len(images) == 3
    assert all(url.startswith("https://news.example.org/media/") for url in images)


def test_jsonld_has_no_image_without_a_hero():
    assert "image" not in jsonld_of(ArticleFactory())


def test_jsonld_keywords_are_the_tags():
    article = ArticleFactory(tags=[TagFactory(name="Rivers"), TagFactory(name="Bridges")])
    assert sorted(article.jsonld(page_relations(article))["keywords"]) == ["Bridges", "Rivers"]


def test_opengraph_describes_the_story_as_an_article(settings):
    settings.SITE_URL = "https://news.example.org"
    article = ArticleFactory(headline="Bridge reopens", standfirst="After two years.")
    og = article.opengraph(page_relations(article))
    assert og["og:type"] == "article"
    assert og["og:title"] == "Bridge reopens"
    assert og["og:description"] == "After two years."
    assert og["og:url"] == article.absolute_url()
    assert og["article:section"] == article.section.name


def test_opengraph_image_is_the_hero_with_its_alt_text():
    article = ArticleFactory(hero_image=jpeg_upload(), hero_alt="A bridge at dawn")
    og = article.opengraph(page_relations(article))
    assert og["og:image"].endswith(".jpg")
    assert og["og:image:alt"] == "A bridge at dawn"


def test_author_photo_size_is_the_thumbnail_size():
    author = AuthorFactory(photo=jpeg_upload(800, 400, name="portrait.jpg"))
    assert author.photo_size == (160, 80)


def test_author_without_photo_has_no_photo_size():
    assert AuthorFactory().photo_size is None


@pytest.mark.parametrize(
    ("status", "hours_from_now"),
    [
        (Article.Status.PUBLISHED, -1),
        (Article.Status.PUBLISHED, 1),
        (Article.Status.DRAFT, -1),
        (Article.Status.REVIEW, -1),
    ],
)
def test_is_public_says_what_published_says(status, hours_from_now):
    story = ArticleFactory(
        status=status, published_at=timezone.now() + datetime.timedelta(hours=hours_from_now)
    )

    assert story.is_public == Article.objects.published().filter(pk=story.pk).exists()


def jsonld_of(article):
    return article.jsonld(page_relations(article))
