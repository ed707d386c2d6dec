"""articles/views.py: the pages readers see, and the staff preview."""

import datetime
import json
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from articles.models import Article, Source
from tests.articles.conftest import NOW, html_elements, jpeg_upload
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PullQuoteFactory,
    SectionFactory,
    SourceFactory,
    TagFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def hours_ago(hours):
    return NOW - datetime.timedelta(hours=hours)


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def headlines(response):
    return [article.headline for article in response.context["articles"]]


# --- Home ----------------------------------------------------------------------


def test_home_leads_with_the_newest_story_flagged_as_lead(client):
    ArticleFactory(headline="Older lead", is_lead=True, published_at=hours_ago(5))
    ArticleFactory(headline="Newer lead", is_lead=True, published_at=hours_ago(3))
    ArticleFactory(headline="Newest, not lead", published_at=hours_ago(1))
    response = client.get("/")
    assert response.context["lead"].headline == "Newer lead"


def test_home_leads_with_the_latest_story_when_none_is_flagged(client):
    ArticleFactory(headline="Older", published_at=hours_ago(5))
    ArticleFactory(headline="Newest", published_at=hours_ago(1))
    assert client.get("/").context["lead"].headline == "Newest"


def test_home_leads_with_the_latest_story_when_the_flagged_one_is_not_live(client):
    ArticleFactory(headline="Lead in an hour", is_lead=True, published_at=hours_ago(-1))
    ArticleFactory(headline="Draft lead", is_lead=True, status=Article.Status.DRAFT)
    ArticleFactory(headline="Newest live", published_at=hours_ago(1))
    assert client.get("/").context["lead"].headline == "Newest live"


def test_home_lists_the_latest_stories_without_repeating_the_lead(client):
    ArticleFactory(headline="Lead", is_lead=True, published_at=hours_ago(9))
    ArticleFactory(headline="Second", published_at=hours_ago(2))
    ArticleFactory(headline="First", published_at=hours_ago(1))
    assert headlines(client.get("/")) == ["First", "Second"]


def test_home_latest_is_paginated(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for hours in range(1, 6):
        ArticleFactory(headline=f"{hours} hours old", published_at=hours_ago(hours))
    # The newest leads; the other four fill two pages.
    assert headlines(client.get("/")) == ["2 hours old", "3 hours old"]
    second_page = client.get("/", {"page": 2})
    assert headlines(second_page) == ["4 hours old", "5 hours old"]
    assert second_page.context["lead"] is None


def test_home_shows_no_drafts_or_scheduled_stories(client):
    ArticleFactory(headline="Live story")
    ArticleFactory(headline="Draft story", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(headline="Story in review", status=Article.Status.REVIEW)
    ArticleFactory(headline="Scheduled story", published_at=NOW + datetime.timedelta(hours=1))
    html = page(client, "/")
    assert "Live story" in html
    assert "Draft story" not in html
    assert "Story in review" not in html
    assert "Scheduled story" not in html


def test_home_with_no_stories_is_a_calm_empty_page(client):
    assert "No stories yet." in page(client, "/")


def test_lists_show_each_story_response_count(client):
    ArticleFactory(headline="Lead", published_at=hours_ago(1))
    ArticleFactory(comment_count=1, published_at=hours_ago(2))
    ArticleFactory(comment_count=3, published_at=hours_ago(3))
    html = page(client, "/")
    assert "1 Response<" in html
    assert "3 Responses<" in html


def test_lists_say_nothing_of_responses_a_story_does_not_have(client):
    ArticleFactory(headline="Lead", published_at=hours_ago(1))
    ArticleFactory(headline="Quiet story", comment_count=0, published_at=hours_ago(2))
    html = page(client, "/")
    assert "Quiet story" in html
    assert "Responses" not in html
    assert "story-meta-responses" not in html


def test_list_cards_link_each_story_and_its_authors(client):
    author = AuthorFactory(name="Ann Lee")
    ArticleFactory(headline="Lead", published_at=hours_ago(1))
    article = ArticleFactory(headline="Card story", authors=[author], published_at=hours_ago(2))
    html = page(client, "/")
    assert f'href="{article.get_absolute_url()}">Card story</a>' in html
    assert f'href="{author.get_absolute_url()}" rel="author">Ann Lee</a>' in html


# --- Section, tag and author pages ---------------------------------------------


def test_section_page_lists_only_its_published_stories(client):
    section = SectionFactory(slug="sport", name="Sport")
    ArticleFactory(headline="Cup final", section=section)
    ArticleFactory(headline="Unfinished", section=section, status=Article.Status.DRAFT)
    ArticleFactory(headline="Council budget")
    response = client.get("/sport/")
    assert headlines(response) == ["Cup final"]
    assert "<h1>Sport</h1>" in response.content.decode()


def test_section_page_links_its_feed_in_the_head(client):
    SectionFactory(slug="sport", name="Sport")
    html = page(client, "/sport/")
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/sport/feed/"' in html


def test_section_page_links_its_atom_feed_in_the_head(client):
    SectionFactory(slug="sport", name="Sport")
    html = page(client, "/sport/")
    links = [attrs for tag, attrs in html_elements(html) if tag == "link"]
    assert {
        "rel": "alternate",
        "type": "application/atom+xml",
        "title": "Newsroom: Sport (Atom)",
        "href": "/sport/feed/atom/",
    } in links


def test_unknown_section_is_404(client):
    assert client.get("/no-such-section/").status_code == 404


def test_tag_page_lists_the_published_stories_with_that_tag(client):
    rivers = TagFactory(slug="rivers", name="Rivers")
    ArticleFactory(headline="Flood warning", tags=[rivers])
    ArticleFactory(headline="Flood draft", tags=[rivers], status=Article.Status.DRAFT)
    ArticleFactory(headline="Untagged")
    response = client.get("/tag/rivers/")
    assert headlines(response) == ["Flood warning"]
    assert "<h1>Rivers</h1>" in response.content.decode()


def test_author_page_lists_every_story_they_co_wrote(client):
    ann, bo = AuthorFactory(slug="ann", name="Ann Lee"), AuthorFactory(slug="bo")
    ArticleFactory(headline="Solo", authors=[ann], published_at=hours_ago(1))
    ArticleFactory(headline="Second byline", authors=[bo, ann], published_at=hours_ago(2))
    ArticleFactory(headline="Not hers", authors=[bo], published_at=hours_ago(3))
    response = client.get("/author/ann/")
    assert headlines(response) == ["Solo", "Second byline"]
    assert "<h1>Ann Lee</h1>" in response.content.decode()


def test_author_page_shows_role_and_bio(client):
    AuthorFactory(slug="ann", name="Ann Lee", role="Health reporter", bio="Ann covers clinics.")
    html = page(client, "/author/ann/")
    assert "Health reporter" in html
    assert "Ann covers clinics." in html


def test_author_photo_has_its_size(client):
    AuthorFactory(slug="ann", photo=jpeg_upload(320, 320, name="ann.jpg"))
    html = page(client, "/author/ann/")
    assert 'class="author-photo"' in html
    assert 'width="160" height="160"' in html


# --- The article page ----------------------------------------------------------


@pytest.fixture
def story():
    """A live story with two authors, a tag, a quote from a source and a social post."""
    article = ArticleFactory(
        headline="Planner resigns over park sale",
        standfirst="A senior planner has quit in protest.",
        section=SectionFactory(slug="news", name="News"),
        body="<p>First.</p><p>Second.</p><p>Third.</p>",
        authors=[AuthorFactory(name="Ann Lee"), AuthorFactory(name="Bo Chen")],
        tags=[TagFactory(name="Parks", slug="parks")],
        published_at=hours_ago(2),
    )
    post = SourceFactory(
        article=article,
        title="Letter posted on X",
        kind=Source.Kind.SOCIAL_POST,
        url="https://x.example/jo/status/1",
        publisher="Jo Bloggs (@jobloggs) on X",
        published_on=datetime.date(2026, 3, 9),
        quoted_text="I resign.",
        archive_url="https://web.archive.org/web/2026/https://x.example/jo/status/1",
    )
    PullQuoteFactory(
        article=article,
        text="I can no longer serve.",
        speaker="Jo Bloggs",
        speaker_role="former planner",
        source=post,
        after_paragraph=2,
    )
    return article


def test_article_page_shows_the_story(client, story):
    html = page(client, story.get_absolute_url())
    assert '<h1 class="story-headline">Planner resigns over park sale</h1>' in html
    assert "A senior planner has quit in protest." in html
    assert '<a href="/news/">News</a>' in html


def test_article_page_has_exactly_one_h1(client, story):
    tags = [tag for tag, _ in html_elements(page(client, story.get_absolute_url()))]
    assert tags.count("h1") == 1


def test_article_page_has_no_duplicate_ids(client, story):
    ids = [
        attrs["id"]
        for _, attrs in html_elements(page(client, story.get_absolute_url()))
        if "id" in attrs
    ]
    assert len(ids) == len(set(ids))


def test_byline_lists_all_authors_in_order_linked(client, story):
    html = page(client, story.get_absolute_url())
    assert re.search(
        r'By <a href="/author/[^"]+" rel="author">Ann Lee</a>'
        r' and <a href="/author/[^"]+" rel="author">Bo Chen</a>',
        html,
    )


def test_date_is_a_time_element_in_the_local_zone(client, settings):
    settings.TIME_ZONE = "Europe/London"
    # 09:30 UTC in July is 10:30 in London.
    with time_machine.travel(datetime.datetime(2024, 7, 2, tzinfo=datetime.UTC), tick=False):
        article = ArticleFactory(
            published_at=datetime.datetime(2024, 7, 1, 9, 30, tzinfo=datetime.UTC)
        )
        html = page(client, article.get_absolute_url())
    assert '<time datetime="2024-07-01T10:30:00+01:00">1 July 2024, 10:30</time>' in html


def test_updated_is_shown_when_edited_well_after_publication(client):
    article = ArticleFactory(published_at=hours_ago(5))
    assert "Updated <time" in page(client, article.get_absolute_url())


def test_updated_is_not_shown_for_a_quick_fix(client):
    article = ArticleFactory(published_at=NOW - datetime.timedelta(minutes=5))
    assert "Updated" not in page(client, article.get_absolute_url())


def test_hero_image_loads_first_with_srcset_size_and_alt(client):
    article = ArticleFactory(
        hero_image=jpeg_upload(1600, 900),
        hero_alt="The river at dusk",
        hero_caption="The river park.",
        hero_credit="Photo: A. Reporter",
    )
    html = page(client, article.get_absolute_url())
    img = next(
        attrs
        for tag, attrs in html_elements(html)
        if tag == "img" and attrs.get("alt") == "The river at dusk"
    )
    assert img["fetchpriority"] == "high"
    assert img["loading"] == "eager"
    assert (img["width"], img["height"]) == ("1200", "675")
    assert [entry.split()[-1] for entry in img["srcset"].split(", ")] == ["480w", "800w", "1200w"]
    assert "sizes" in img
    assert re.search(
        r"<figcaption>The river park\. <span[^>]*>Photo: A\. Reporter</span></figcaption>", html
    )


def test_pull_quote_sits_after_its_paragraph_with_speaker_and_source(client, story):
    html = page(client, story.get_absolute_url())
    body = html[
        html.index('<div class="story-body">') : html.index(
            "</div>", html.index('<div class="story-body">')
        )
    ]
    assert (
        body.index("<p>Second.</p>")
        < body.index('<figure class="pull-quote">')
        < body.index("<p>Third.</p>")
    )
    assert "<cite>Jo Bloggs, former planner</cite>" in body
    assert re.search(
        r'<blockquote cite="https://x.example/jo/status/1">\s*<p>I can no longer serve.</p>', body
    )
    source = story.sources.get()
    assert f'href="#source-{source.pk}">Source: Letter posted on X</a>' in body


def test_sources_box_lists_each_source_with_its_details(client, story):
    html = page(client, story.get_absolute_url())
    box = html[html.index('<section class="story-sources"') :]
    assert '<h2 id="sources-heading">Sources</h2>' in box
    assert '<a href="https://x.example/jo/status/1">Letter posted on X</a>' in box
    assert "Social media post" in box
    assert "Jo Bloggs (@jobloggs) on X" in box
    assert '<time datetime="2026-03-09">9 March 2026</time>' in box
    assert (
        'href="https://web.archive.org/web/2026/https://x.example/jo/status/1">Archived copy</a>'
        in box
    )


def test_social_post_is_a_quoted_card_never_an_embed(client, story):
    html = page(client, story.get_absolute_url())
    assert re.search(
        r'<blockquote class="source-quote social-card" cite="https://x.example/jo/status/1">'
        r"\s*<p>I resign.</p>",
        html,
    )
    sources = html[html.index('class="story-sources"') : html.index("</section>")]
    assert [tag for tag, _ in html_elements(sources) if tag in ("script", "iframe", "embed")] == []
    scripts = [attrs for tag, attrs in html_elements(html) if tag == "script"]
    assert all(
        attrs.get("type") == "application/ld+json" or attrs["src"].startswith("/static/")
        for attrs in scripts
    )


def test_tags_are_listed_and_linked(client, story):
    assert '<a href="/tag/parks/">Parks</a>' in page(client, story.get_absolute_url())


def test_article_page_includes_the_responses_block(client, story):
    response = client.get(story.get_absolute_url())
    assert "comments/_responses.html" in [template.name for template in response.templates]


def test_headline_and_standfirst_are_escaped(client):
    article = ArticleFactory(headline="<script>alert(1)</script>", standfirst="<b>bold</b>")
    html = page(client, article.get_absolute_url())
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_body_keeps_allowed_markup_and_loses_scripts(client):
    article = ArticleFactory(
        body='<p>Safe <strong>text</strong><script>alert(1)</script></p><p onclick="x()">Two</p>'
    )
    html = page(client, article.get_absolute_url())
    assert "<strong>text</strong>" in html
    assert "alert(1)" not in html
    assert "onclick" not in html


def test_draft_is_404_to_the_public(client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=hours_ago(1))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_story_in_review_is_404_to_the_public(client):
    article = ArticleFactory(status=Article.Status.REVIEW, published_at=hours_ago(1))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_scheduled_story_is_404_until_its_time_then_live(client):
    article = ArticleFactory(published_at=NOW + datetime.timedelta(hours=1))
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404
    with time_machine.travel(NOW + datetime.timedelta(hours=1, seconds=1), tick=False):
        assert client.get(url).status_code == 200


def test_wrong_date_in_the_address_is_404(client):
    article = ArticleFactory(
        slug="bridge", section=SectionFactory(slug="news"), published_at=hours_ago(1)
    )
    assert client.get("/news/2026/03/11/bridge/").status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 200


def test_story_that_moved_section_redirects_to_its_address(client):
    article = ArticleFactory(
        slug="bridge", section=SectionFactory(slug="news"), published_at=hours_ago(1)
    )
    old_url = article.get_absolute_url()
    article.section = SectionFactory(slug="local")
    article.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


# --- <head>: title, canonical, social cards, JSON-LD, feeds --------------------


def test_article_head_has_title_description_and_canonical(client, story, settings):
    settings.SITE_URL = "https://news.example.org"
    html = page(client, story.get_absolute_url())
    assert "<title>Planner resigns over park sale — Newsroom</title>" in html
    assert '<meta name="description" content="A senior planner has quit in protest.">' in html
    assert (
        f'<link rel="canonical" href="https://news.example.org{story.get_absolute_url()}">' in html
    )


def test_article_head_has_open_graph_and_twitter_card(client, story):
    html = page(client, story.get_absolute_url())
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Planner resigns over park sale">' in html
    assert '<meta property="article:tag" content="Parks">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_article_with_a_hero_gets_a_large_twitter_card(client):
    article = ArticleFactory(hero_image=jpeg_upload(), hero_alt="A river")
    assert '<meta name="twitter:card" content="summary_large_image">' in page(
        client, article.get_absolute_url()
    )


def test_article_head_has_the_story_json_ld(client, story):
    html = page(client, story.get_absolute_url())
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "NewsArticle"
    assert [author["name"] for author in data["author"]] == ["Ann Lee", "Bo Chen"]


def test_json_ld_cannot_be_closed_by_a_headline(client):
    article = ArticleFactory(headline="Bad </script><script>alert(1)</script>")
    html = page(client, article.get_absolute_url())
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(match.group(1))["headline"] == "Bad </script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


def test_pages_link_the_site_feeds_in_the_head(client):
    html = page(client, "/")
    links = [attrs for tag, attrs in html_elements(html) if tag == "link"]
    assert {
        "rel": "alternate",
        "type": "application/rss+xml",
        "title": "Newsroom: latest stories (RSS)",
        "href": "/feed/",
    } in links
    assert {
        "rel": "alternate",
        "type": "application/atom+xml",
        "title": "Newsroom: latest stories (Atom)",
        "href": "/feed/atom/",
    } in links


def test_later_list_pages_are_their_own_canonical(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    settings.SITE_URL = "https://news.example.org"
    ArticleFactory.create_batch(3)
    assert '<link rel="canonical" href="https://news.example.org/">' in page(client, "/")
    assert '<link rel="canonical" href="https://news.example.org/?page=2">' in page(
        client, "/", page=2
    )


# --- The page around the content -----------------------------------------------


def test_pages_have_landmarks_skip_link_and_language(client):
    html = page(client, "/")
    assert '<html lang="en-gb">' in html
    assert '<a class="skip-link visually-hidden-focusable" href="#main">' in html
    tags = [tag for tag, _ in html_elements(html)]
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in tags
    assert '<main id="main"' in html


def test_every_list_page_has_one_h1(client):
    ArticleFactory(
        section=SectionFactory(slug="news"),
        tags=[TagFactory(slug="parks")],
        authors=[AuthorFactory(slug="ann")],
    )
    for url in ("/", "/news/", "/tag/parks/", "/author/ann/", "/search/?q=budget"):
        tags = [tag for tag, _ in html_elements(page(client, url))]
        assert tags.count("h1") == 1, url


def test_search_inputs_are_labelled(client):
    elements = html_elements(page(client, "/search/", q="x"))
    labelled = {attrs["for"] for tag, attrs in elements if tag == "label"}
    inputs = [attrs for tag, attrs in elements if tag == "input" and attrs["type"] == "search"]
    assert len(inputs) == 2  # the header's and the page's
    assert all(attrs["id"] in labelled for attrs in inputs)


def test_section_navigation_lists_the_sections_in_order(client):
    SectionFactory(slug="sport", name="Sport", order=2)
    SectionFactory(slug="news", name="News", order=1)
    html = page(client, "/")
    nav = html[html.index('<nav class="section-nav"') :]
    assert nav.index(">News<") < nav.index(">Sport<")


def test_current_section_is_marked_in_the_navigation(client):
    SectionFactory(slug="sport", name="Sport")
    assert '<a href="/sport/" aria-current="page">Sport</a>' in page(client, "/sport/")


def test_a_storys_section_is_marked_in_the_navigation(client):
    story = ArticleFactory(section=SectionFactory(slug="sport", name="Sport"))
    SectionFactory(slug="news", name="News")
    html = page(client, story.get_absolute_url())
    assert '<a href="/sport/" aria-current="true">Sport</a>' in html
    assert '<a href="/news/">News</a>' in html


def test_section_names_are_escaped_in_the_navigation(client):
    SectionFactory(slug="sport", name="<b>Sport</b> & more")
    assert '<a href="/sport/">&lt;b&gt;Sport&lt;/b&gt; &amp; more</a>' in page(client, "/")


def test_messages_are_shown_politely(client):
    # The comments app's confirmation after a post arrives as a Django message.
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(message_levels.SUCCESS, "Thank you — your comment is awaiting moderation.")
    response = client.get("/")
    storage.update(response)
    client.cookies.update(response.cookies)
    html = page(client, "/")
    assert (
        '<div class="alert alert-success" role="status">'
        "Thank you — your comment is awaiting moderation.</div>" in html
    )


def test_unknown_page_gets_the_site_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'action="/search/"' in html


def test_500_page_needs_no_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()


# --- robots.txt ----------------------------------------------------------------


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_admin_and_previews(client, settings):
    settings.SITE_URL = "https://news.example.org"
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert "Sitemap: https://news.example.org/sitemap.xml" in lines


def test_robots_txt_points_to_the_news_sitemap(client, settings):
    settings.SITE_URL = "https://news.example.org"
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Sitemap: https://news.example.org/sitemap-news.xml" in lines


# --- Staff preview -------------------------------------------------------------


def test_preview_shows_a_draft_to_an_editor_with_a_banner(client, editor):
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    draft = ArticleFactory(headline="Not yet", status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)
    response = client.get(reverse("articles:preview", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview — not published." in html
    assert '<h1 class="story-headline">Not yet</h1>' in html


def test_preview_is_never_cached_nor_indexed(client, editor):
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(editor)
    response = client.get(reverse("articles:preview", args=[ArticleFactory().pk]))
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_preview_is_404_for_anonymous_readers(client):
    # Not the sign-in page: its address may be a secret (ADMIN_URL; issue 15 §10).
    response = client.get(reverse("articles:preview", args=[ArticleFactory().pk]))
    assert response.status_code == 404


def test_preview_is_404_for_a_logged_in_reader_who_is_not_staff(client):
    client.force_login(UserFactory())
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert client.get(reverse("articles:preview", args=[draft.pk])).status_code == 404


def test_preview_is_404_for_staff_without_permission_to_view_stories(client):
    client.force_login(UserFactory(is_staff=True))
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert client.get(reverse("articles:preview", args=[draft.pk])).status_code == 404


def test_preview_of_a_scheduled_story_says_when_it_goes_live(client, editor):
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(editor)
    article = ArticleFactory(published_at=datetime.datetime(2026, 3, 11, 9, 0, tzinfo=datetime.UTC))
    html = page(client, reverse("articles:preview", args=[article.pk]))
    assert "This story is scheduled for 11 March 2026, 09:00" in html


# --- Page weight and images (issue 5 §3) -------------------------------------------------------

READERS_SENTENCES = [
    "I live two streets from the river and we were flooded in the last storm.",
    "What worries me is the price, and who decided it behind closed doors.",
    "Thank you for linking the letter itself rather than summarising it.",
    "Could you publish the department's cost model if you obtain it?",
    "The council meeting on Thursday is open to the public, for anyone who wants to ask.",
    "Emergency rules for a scheme planned for a decade do not sound like an emergency.",
]


@pytest.fixture
def busy_story():
    """The story of issue 5's figures: about 3,700 characters of body, three
    pull-quotes, four sources, two authors, four tags, a picture, and 50
    responses of one to six sentences (one in six a reply, one in five with
    a website)."""
    from tests.factories import CommentFactory

    paragraph = " ".join(READERS_SENTENCES[:4])  # ~280 characters
    story = ArticleFactory(
        headline="Procurement chief resigns over the flood barrier contract",
        body="".join(f"<p>{paragraph} ({n})</p>" for n in range(13)),
        authors=AuthorFactory.create_batch(2),
        tags=TagFactory.create_batch(4),
        hero_image=jpeg_upload(1600, 900),
        hero_alt="The estuary at low tide",
    )
    sources = SourceFactory.create_batch(4, article=story, quoted_text=paragraph)
    for n in range(3):
        PullQuoteFactory(article=story, after_paragraph=2 + 3 * n, source=sources[n])
    tops = []
    for n in range(50):
        parent = tops[n % len(tops)] if tops and n % 6 == 5 else None
        comment = CommentFactory(
            article=story,
            parent=parent,
            body=" ".join(READERS_SENTENCES[: 1 + n % 6]),
            author_url="https://example.org/reader" if n % 5 == 0 else "",
            created_at=NOW - datetime.timedelta(minutes=60 - n),
        )
        if parent is None:
            tops.append(comment)
    return story


def test_fifty_response_article_page_is_under_60_kb(client, busy_story):
    html = page(client, busy_story.get_absolute_url())
    assert html.count('class="comment mb-4') == 50
    assert len(html.encode()) < 60 * 1024


@pytest.mark.parametrize("url", ["/", "story", "author"])
def test_every_image_has_a_width_and_a_height(client, busy_story, url):
    author = busy_story.ordered_authors()[0]
    author.photo = jpeg_upload(400, 400, name="face.jpg")
    author.save()
    ArticleFactory(hero_image=jpeg_upload(800, 600), hero_alt="Another picture")
    url = {"story": busy_story.get_absolute_url(), "author": author.get_absolute_url()}.get(
        url, url
    )
    images = [attrs for tag, attrs in html_elements(page(client, url)) if tag == "img"]
    assert len(images) >= 2
    for attrs in images:
        assert attrs.get("width", "").isdigit() and attrs.get("height", "").isdigit(), attrs


@pytest.mark.parametrize("url", ["/", "story"])
def test_only_the_first_picture_loads_eagerly_the_rest_lazily(client, busy_story, url):
    ArticleFactory(hero_image=jpeg_upload(800, 600), hero_alt="Another picture")
    ArticleFactory(hero_image=jpeg_upload(800, 600), hero_alt="A third picture")
    url = busy_story.get_absolute_url() if url == "story" else url
    html = page(client, url)
    main = html[html.index('<main id="main"') :]
    pictures = [attrs for tag, attrs in html_elements(main) if tag == "img"]
    first, *rest = pictures
    assert (first["loading"], first["fetchpriority"]) == ("eager", "high")
    assert all(attrs["loading"] == "lazy" for attrs in rest)


def test_the_response_form_frame_loads_lazily(client, busy_story):
    html = page(client, busy_story.get_absolute_url())
    [frame] = [attrs for tag, attrs in html_elements(html) if tag == "iframe"]
    assert frame["loading"] == "lazy"


@pytest.mark.parametrize("url", ["/", "story"])
def test_no_render_blocking_request_leaves_the_site(client, busy_story, url):
    html = page(client, busy_story.get_absolute_url() if url == "story" else url)
    for tag, attrs in html_elements(html):
        if tag == "link" and attrs.get("rel") == "stylesheet":
            assert attrs["href"].startswith("/static/"), attrs
        if tag == "script" and "src" in attrs:
            assert attrs["src"].startswith("/static/"), attrs
            assert "defer" in attrs or "async" in attrs, attrs
