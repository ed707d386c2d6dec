"""articles/feeds.py: RSS 2.0 and Atom for the site and for each section."""

import datetime

import pytest
import time_machine

from articles.models import Article
from tests.articles.conftest import NOW, parse_xml
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(autouse=True)
def _public_site(settings):
    settings.SITE_URL = "https://news.example.org"
    settings.SITE_NAME = "The Example Post"


def rss_items(client, url="/feed/"):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return parse_xml(response).findall("channel/item")


def atom_entries(client, url="/feed/atom/"):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return parse_xml(response).findall(f"{ATOM}entry")


@pytest.fixture
def story():
    return ArticleFactory(
        headline="Bridge reopens",
        standfirst="After two years & a lot of <b>noise</b>.",
        section=SectionFactory(name="Local", slug="local"),
        authors=[AuthorFactory(name="Ann Lee"), AuthorFactory(name="Bo Chen")],
        tags=[TagFactory(name="Bridges")],
        published_at=NOW - datetime.timedelta(hours=3),
    )


def test_rss_item_has_title_link_description_and_date(client, story):
    (item,) = rss_items(client)
    assert item.findtext("title") == "Bridge reopens"
    assert item.findtext("link") == "https://news.example.org" + story.get_absolute_url()
    assert item.findtext("pubDate") == "Tue, 10 Mar 2026 09:00:00 +0000"


def test_rss_description_is_the_standfirst_as_text_not_markup(client, story):
    (item,) = rss_items(client)
    # Readers treat a description as HTML: the standfirst's "<b>" must arrive as text.
    assert (
        item.findtext("description") == "After two years &amp; a lot of &lt;b&gt;noise&lt;/b&gt;."
    )


def test_rss_item_names_every_author(client, story):
    (item,) = rss_items(client)
    assert item.findtext(f"{DC}creator") == "Ann Lee and Bo Chen"


def test_rss_categories_are_the_section_and_tags(client, story):
    (item,) = rss_items(client)
    assert [category.text for category in item.findall("category")] == ["Local", "Bridges"]


def test_rss_channel_describes_the_site(client, story):
    channel = parse_xml(client.get("/feed/")).find("channel")
    assert channel.findtext("title") == "The Example Post"
    assert channel.findtext("link") == "https://news.example.org/"


def test_feeds_leave_out_drafts_and_scheduled_stories(client):
    ArticleFactory(headline="Live")
    ArticleFactory(headline="Draft", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(headline="Scheduled", published_at=NOW + datetime.timedelta(hours=1))
    assert [item.findtext("title") for item in rss_items(client)] == ["Live"]
    assert [entry.findtext(f"{ATOM}title") for entry in atom_entries(client)] == ["Live"]


def test_scheduled_story_joins_the_feed_at_its_time(client):
    ArticleFactory(headline="Scheduled", published_at=NOW + datetime.timedelta(hours=1))
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        assert [item.findtext("title") for item in rss_items(client)] == ["Scheduled"]


def test_feed_lists_newest_first(client):
    ArticleFactory(headline="Older", published_at=NOW - datetime.timedelta(hours=2))
    ArticleFactory(headline="Newer", published_at=NOW - datetime.timedelta(hours=1))
    assert [item.findtext("title") for item in rss_items(client)] == ["Newer", "Older"]


def test_atom_entry_has_published_updated_and_authors(client, story):
    (entry,) = atom_entries(client)
    assert entry.findtext(f"{ATOM}published") == "2026-03-10T09:00:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == "2026-03-10T12:00:00+00:00"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ann Lee and Bo Chen"
    assert entry.find(f"{ATOM}link").get("href") == story.absolute_url()


def test_atom_feed_links_to_itself_on_the_public_site(client, story):
    feed = parse_xml(client.get("/feed/atom/"))
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == "https://news.example.org/feed/atom/"


def test_section_feed_lists_only_that_section(client, story):
    ArticleFactory(headline="Elsewhere", section=SectionFactory(slug="sport"))
    items = rss_items(client, "/local/feed/")
    assert [item.findtext("title") for item in items] == ["Bridge reopens"]


def test_section_feed_is_titled_for_the_section(client, story):
    channel = parse_xml(client.get("/local/feed/")).find("channel")
    assert channel.findtext("title") == "Local — The Example Post"
    assert channel.findtext("link") == "https://news.example.org/local/"


def test_unknown_section_feed_is_404(client):
    assert client.get("/no-such-section/feed/").status_code == 404


def test_feed_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    for _ in range(5):
        ArticleFactory(authors=AuthorFactory.create_batch(3), tags=TagFactory.create_batch(3))
    # Stories with their sections, bylines, tags; then, to cache the feed, when
    # the next scheduled story goes live (pagecache/).
    with django_assert_max_num_queries(4):
        client.get("/feed/")


# --- Text XML cannot carry ------------------------------------------------------


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/politics/feed/"])
def test_a_control_character_pasted_into_a_story_does_not_break_the_feed(client, url):
    section = SectionFactory(slug="politics", name="Poli\x0btics", description="Votes\x0c.")
    ArticleFactory(
        section=section,
        headline="Council\x0c votes",
        standfirst="A\x0b vote.",
        authors=[AuthorFactory(name="Ann\x08 Lee")],
        tags=[TagFactory(name="Bud\x1fget")],
    )

    response = client.get(url)

    assert response.status_code == 200
    assert "Council votes" in parse_xml(response).itertext()
