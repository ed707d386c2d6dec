"""articles/feeds.py: RSS 2.0 and Atom for the site and for each section."""

import datetime
import email.utils
import re

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


@pytest.mark.parametrize("url", ["/feed/atom/", "/local/feed/atom/"])
def test_atom_feed_links_to_itself_on_the_public_site(client, story, url):
    feed = parse_xml(client.get(url))
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == "https://news.example.org" + url


def test_section_feed_lists_only_that_section(client, story):
    ArticleFactory(headline="Elsewhere", section=SectionFactory(slug="sport"))
    items = rss_items(client, "/local/feed/")
    assert [item.findtext("title") for item in items] == ["Bridge reopens"]


def test_section_feed_is_titled_for_the_section(client, story):
    channel = parse_xml(client.get("/local/feed/")).find("channel")
    assert channel.findtext("title") == "Local — The Example Post"
    assert channel.findtext("link") == "https://news.example.org/local/"


@pytest.mark.parametrize("url", ["/no-such-section/feed/", "/no-such-section/feed/atom/"])
def test_unknown_section_feed_is_404(client, url):
    assert client.get(url).status_code == 404


def test_section_atom_feed_lists_only_that_section(client, story):
    ArticleFactory(headline="Elsewhere", section=SectionFactory(slug="sport"))
    entries = atom_entries(client, "/local/feed/atom/")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Bridge reopens"]


def test_section_atom_feed_is_titled_for_the_section(client, story):
    feed = parse_xml(client.get("/local/feed/atom/"))
    assert feed.findtext(f"{ATOM}title") == "Local — The Example Post"
    alternate = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "alternate")
    assert alternate.get("href") == "https://news.example.org/local/"


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/local/feed/", "/local/feed/atom/"])
def test_feed_query_count_does_not_grow_with_items(client, url, django_assert_max_num_queries):
    section = SectionFactory(slug="local")
    for _ in range(5):
        ArticleFactory(
            section=section, authors=AuthorFactory.create_batch(3), tags=TagFactory.create_batch(3)
        )
    # Stories with their sections, bylines, tags; then, to cache the feed, when
    # the next scheduled story goes live (pagecache/). A section's feed reads
    # its section first.
    with django_assert_max_num_queries(5 if url.startswith("/local/") else 4):
        client.get(url)


# --- The W3C Feed Validation Service's rules (issue 18 §4) ----------------------

# RFC 822 as RSS 2.0 wants it (four-digit year, numeric zone); RFC 3339 with an offset.
RFC_822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@pytest.mark.parametrize("url", ["/feed/", "/local/feed/"])
def test_rss_feed_links_to_itself_on_the_public_site(client, story, url):
    channel = parse_xml(client.get(url)).find("channel")
    (self_link,) = [link for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link.get("href") == "https://news.example.org" + url


def test_rss_guid_is_a_tag_uri_marked_as_no_permalink(client, story):
    (item,) = rss_items(client)
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "false"
    assert guid.text == f"tag:news.example.org,2026-03-10:article:{story.pk}"


def test_guid_stays_when_the_story_moves(client, story, django_capture_on_commit_callbacks):
    (before,) = rss_items(client)
    with django_capture_on_commit_callbacks(execute=True):  # the feed's purge
        story.slug = "bridge-reopens-at-last"
        story.section = SectionFactory(slug="transport")
        story.save()
    (after,) = rss_items(client)
    assert after.findtext("link") != before.findtext("link")
    assert after.findtext("guid") == before.findtext("guid")


def test_guids_are_unique_even_for_the_same_headline(client):
    ArticleFactory.create_batch(3, headline="Council meets")
    guids = [item.findtext("guid") for item in rss_items(client)]
    assert len(set(guids)) == 3


def test_atom_entry_id_is_the_rss_guid(client, story):
    (item,) = rss_items(client)
    (entry,) = atom_entries(client)
    assert entry.findtext(f"{ATOM}id") == item.findtext("guid")


def test_rss_dates_are_rfc_822(client, story):
    channel = parse_xml(client.get("/feed/")).find("channel")
    dates = [channel.findtext("lastBuildDate"), channel.findtext("item/pubDate")]
    for date in dates:
        assert RFC_822.match(date), date
        assert email.utils.parsedate_to_datetime(date).utcoffset() is not None


def test_atom_dates_are_rfc_3339(client, story):
    feed = parse_xml(client.get("/feed/atom/"))
    dates = [
        feed.findtext(f"{ATOM}updated"),
        feed.findtext(f"{ATOM}entry/{ATOM}published"),
        feed.findtext(f"{ATOM}entry/{ATOM}updated"),
    ]
    for date in dates:
        assert RFC_3339.match(date), date


@pytest.mark.parametrize("url", ["/feed/atom/", "/local/feed/atom/"])
def test_atom_feed_names_the_newsroom_for_stories_without_a_byline(client, url):
    ArticleFactory(section=SectionFactory(slug="local"), authors=[])
    feed = parse_xml(client.get(url))
    # RFC 4287 §4.1.1: an entry without an author takes the feed's.
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "The Example Post"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author") is None


def test_rss_names_authors_without_an_email_address(client, story):
    (item,) = rss_items(client)
    # RSS's <author> must be an email address: the names are in dc:creator.
    assert item.find("author") is None


def test_atom_authors_carry_no_email_address(client, story):
    feed = parse_xml(client.get("/feed/atom/"))
    assert feed.findall(f".//{ATOM}email") == []
    assert "@" not in client.get("/feed/atom/").content.decode()


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
