"""articles/sitemaps.py: /sitemap.xml over the home page, sections and published stories."""

import datetime

import pytest

from articles.models import Article
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


def test_each_page_of_the_index_lists_at_most_the_limit(client, two_per_file):
    stories = ArticleFactory.create_batch(3)
    root = parse_xml(client.get("/sitemap-articles.xml", {"p": 2}))
    locations = [element.text for element in root.iter(f"{SITEMAP}loc")]
    # Newest first: the oldest story is alone on the second page.
    oldest = min(stories, key=lambda story: story.published_at)
    assert locations == [oldest.absolute_url()]
