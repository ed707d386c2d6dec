"""articles/sitemaps.py: /sitemap.xml over the home page, sections and published
stories; /sitemap-news.xml, Google News's."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache

from articles.models import Article
from articles.sitemaps import news_language
from tests.articles.conftest import NOW, parse_xml
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def _public_site(settings):
    settings.SITE_URL = "https://news.example.org"


def sitemap_entries(client):
    """{location: lastmod or None} of /sitemap.xml."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = parse_xml(response)
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }


def test_sitemap_lists_published_stories_on_the_public_site(client):
    article = ArticleFactory()
    assert "https://news.example.org" + article.get_absolute_url() in sitemap_entries(client)


def test_sitemap_leaves_out_drafts_and_scheduled_stories(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, slug="draft")
    scheduled = ArticleFactory(published_at=NOW + datetime.timedelta(hours=1), slug="later")
    locations = " ".join(sitemap_entries(client))
    assert draft.slug not in locations
    assert scheduled.slug not in locations


def test_story_lastmod_is_its_last_change(client):
    article = ArticleFactory(published_at=NOW - datetime.timedelta(days=2))
    assert sitemap_entries(client)[article.absolute_url()] == "2026-03-10"


def test_sitemap_lists_home_and_sections(client):
    SectionFactory(slug="sport")
    entries = sitemap_entries(client)
    assert "https://news.example.org/" in entries
    assert "https://news.example.org/sport/" in entries


def test_section_lastmod_is_its_newest_published_story(client):
    section = SectionFactory(slug="sport")
    ArticleFactory(section=section, published_at=NOW - datetime.timedelta(days=3))
    ArticleFactory(section=section, published_at=NOW + datetime.timedelta(days=1), slug="later")
    assert sitemap_entries(client)["https://news.example.org/sport/"] == "2026-03-07"


def test_sitemap_query_count_does_not_grow_with_stories(client, django_assert_max_num_queries):
    ArticleFactory.create_batch(20)
    # Whether the stories fit in one file (a count stopped at the limit);
    # sections (count + list), stories (count + list); then, to cache the
    # sitemap, when the next scheduled story goes live (pagecache/).
    with django_assert_max_num_queries(6):
        client.get("/sitemap.xml")


# --- Past ArticleSitemap.limit stories: an index (articles/sitemaps.py) ---


@pytest.fixture
def two_per_file(monkeypatch):
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)


def test_sitemap_becomes_an_index_past_the_limit(client, two_per_file):
    ArticleFactory.create_batch(3)
    root = parse_xml(client.get("/sitemap.xml"))
    assert root.tag == f"{SITEMAP}sitemapindex"
    parts = [element.text for element in root.iter(f"{SITEMAP}loc")]
    assert "https://news.example.org/sitemap-articles.xml?p=2" in parts


def test_sitemap_stays_one_file_up_to_the_limit(client, two_per_file):
    ArticleFactory.create_batch(2)
    root = parse_xml(client.get("/sitemap.xml"))
    assert root.tag == f"{SITEMAP}urlset"


def test_the_index_lists_the_news_sitemap(client, two_per_file):
    ArticleFactory.create_batch(3)
    root = parse_xml(client.get("/sitemap.xml"))
    parts = [element.text for element in root.iter(f"{SITEMAP}loc")]
    assert "https://news.example.org/sitemap-news.xml" in parts


def test_each_page_of_the_index_lists_at_most_the_limit(client, two_per_file):
    stories = ArticleFactory.create_batch(3)
    root = parse_xml(client.get("/sitemap-articles.xml", {"p": 2}))
    locations = [element.text for element in root.iter(f"{SITEMAP}loc")]
    # Newest first: the oldest story is alone on the second page.
    oldest = min(stories, key=lambda story: story.published_at)
    assert locations == [oldest.absolute_url()]


# --- /sitemap-news.xml: Google News's rules (issue 18 §4) -----------------------
# https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
# W3C Datetime (https://www.w3.org/TR/NOTE-datetime) to the second, with a time zone.
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def news_entries(client):
    """The <url> elements of /sitemap-news.xml."""
    response = client.get("/sitemap-news.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = parse_xml(response)
    assert root.tag == f"{SITEMAP}urlset"
    return root.findall(f"{SITEMAP}url")


def news_locations(client):
    return [url.findtext(f"{SITEMAP}loc") for url in news_entries(client)]


def hours_ago(hours):
    return NOW - datetime.timedelta(hours=hours)


def test_news_sitemap_entry_has_what_google_news_requires(client, settings):
    settings.SITE_NAME = "The Example Post"
    story = ArticleFactory(headline="Bridge reopens", published_at=hours_ago(3))
    (url,) = news_entries(client)
    assert url.findtext(f"{SITEMAP}loc") == story.absolute_url()
    (news,) = url.findall(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Example Post"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}publication_date") == "2026-03-10T09:00:00+00:00"
    assert news.findtext(f"{NEWS}title") == "Bridge reopens"


def test_news_publication_date_is_a_w3c_datetime_with_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    ArticleFactory(published_at=NOW.replace(microsecond=123456) - datetime.timedelta(hours=3))
    (url,) = news_entries(client)
    date = url.findtext(f"{NEWS}news/{NEWS}publication_date")
    assert W3C_DATETIME.match(date), date
    assert date == "2026-03-10T10:00:00+01:00"


def test_news_sitemap_lists_only_the_last_48_hours(client):
    recent = ArticleFactory(published_at=hours_ago(47), slug="recent")
    ArticleFactory(published_at=hours_ago(48), slug="two-days-old")
    ArticleFactory(published_at=hours_ago(49), slug="older")
    assert news_locations(client) == [recent.absolute_url()]


def test_news_sitemap_leaves_out_drafts_and_scheduled_stories(client):
    ArticleFactory(status=Article.Status.DRAFT, published_at=hours_ago(1), slug="draft")
    ArticleFactory(published_at=NOW + datetime.timedelta(hours=1), slug="later")
    assert news_entries(client) == []


def test_news_sitemap_lists_newest_first(client):
    older = ArticleFactory(published_at=hours_ago(5), slug="older")
    newer = ArticleFactory(published_at=hours_ago(1), slug="newer")
    assert news_locations(client) == [newer.absolute_url(), older.absolute_url()]


def test_news_sitemap_lists_at_most_1000_stories(client):
    section = SectionFactory(slug="news")
    Article.objects.bulk_create(
        Article(
            headline=f"Story {n}",
            slug=f"story-{n}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=NOW - datetime.timedelta(minutes=n + 1),
        )
        for n in range(1_001)
    )
    locations = news_locations(client)
    assert len(locations) == 1_000
    assert not any(location.endswith("/story-1000/") for location in locations)  # the oldest


def test_news_title_is_the_headline_as_text(client):
    ArticleFactory(headline="Fish & chips <b>tax</b>\x0b", published_at=hours_ago(1))
    (url,) = news_entries(client)
    assert url.findtext(f"{NEWS}news/{NEWS}title") == "Fish & chips <b>tax</b>"


@pytest.mark.parametrize(
    ("language_code", "expected"),
    [
        ("en-gb", "en"),
        ("en", "en"),
        ("pt-BR", "pt"),
        ("sr-latn", "sr"),
        ("zh-hans", "zh-cn"),
        ("zh-hant", "zh-tw"),
        ("zh-tw", "zh-tw"),
        ("zh-hk", "zh-tw"),
        ("zh-cn", "zh-cn"),
    ],
)
def test_news_language_is_iso_639_with_googles_two_chinese_codes(language_code, expected):
    assert news_language(language_code) == expected


def test_news_language_comes_from_language_code(client, settings):
    settings.LANGUAGE_CODE = "zh-hant"
    ArticleFactory(published_at=hours_ago(1))
    (url,) = news_entries(client)
    assert url.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language") == "zh-tw"


def test_news_sitemap_without_stories_is_an_empty_urlset(client):
    assert news_entries(client) == []


def test_news_sitemap_query_count_is_fixed(client, django_assert_num_queries):
    ArticleFactory.create_batch(5, published_at=hours_ago(1))
    # The stories (a count, then the list); then, to cache the file, when the
    # next scheduled story goes live (pagecache/).
    with django_assert_num_queries(3):
        client.get("/sitemap-news.xml")
    ArticleFactory.create_batch(15, published_at=hours_ago(2))
    cache.clear()  # a fresh render, not the copy just cached
    with django_assert_num_queries(3):
        client.get("/sitemap-news.xml")


@pytest.mark.usefixtures("caches_on")
def test_cached_news_sitemap_drops_a_story_as_it_turns_48_hours_old(client):
    story = ArticleFactory(published_at=hours_ago(47) - datetime.timedelta(minutes=59))
    assert news_locations(client) == [story.absolute_url()]
    # Two minutes on, well inside PAGE_CACHE_TTL: the copy has expired with the story.
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        assert news_locations(client) == []
