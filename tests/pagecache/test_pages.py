"""pagecache/: anonymous pages from the cache, purged exactly.

How a test tells a cached page from a fresh one: it changes a story with
`QuerySet.update()`, which sends no signal and so purges nothing. A reader
who still sees the old words got the page from the cache; one who sees the
new words got a fresh render. Purges run after the commit, as in production
(`django_capture_on_commit_callbacks(execute=True)`: a test's transaction
never commits).
"""

import datetime
import io

import pytest
import time_machine
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse

import pagecache
from articles.models import Article
from articles.publishing import publish_article, unpublish_article
from comments.moderation import approve_comments
from tests.articles.conftest import NOW
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    PullQuoteFactory,
    TagFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caches_on")]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what happens after the commit (the purges) as the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def text(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def cache_page(client, url):
    """Ask twice: the first render of a story's address learns which story it
    shows; the second is rendered under that story's version and kept."""
    text(client, url)
    return text(client, url)


def quietly_rename(article, headline):
    """Change a story without a signal, so without a purge."""
    Article.objects.filter(pk=article.pk).update(headline=headline)


@pytest.fixture
def pages_only(settings):
    """The fragment cache off, for tests that watch the page cache alone: a
    page that is rendered but not stored would otherwise still show the
    story's parts from the fragment cache (as it should: see the last tests)."""
    settings.FRAGMENT_CACHE = False


@pytest.fixture
def story():
    return ArticleFactory(headline="Bridge reopens after repairs")


# --- Anonymous readers get the cached page ----------------------------------------------


def test_anonymous_reader_gets_the_article_from_the_cache(client, story):
    cache_page(client, story.get_absolute_url())
    quietly_rename(story, "Changed without a purge")
    assert "Bridge reopens after repairs" in text(client, story.get_absolute_url())


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "section",
        "tag",
        "author",
        "/feed/",
        "section-atom",
        "/sitemap.xml",
        "/sitemap-news.xml",
    ],
)
def test_lists_feeds_and_sitemap_come_from_the_cache(client, url):
    author, tag = AuthorFactory(), TagFactory()
    story = ArticleFactory(headline="Bridge reopens", authors=[author], tags=[tag])
    url = {
        "section": story.section.get_absolute_url(),
        "section-atom": story.section.atom_feed_url,
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
    }.get(url, url)
    cache_page(client, url)
    Article.objects.filter(pk=story.pk).update(slug="bridge-moved", headline="Changed quietly")
    html = text(client, url)
    assert "Changed quietly" not in html
    assert "bridge-moved" not in html


def test_parameters_the_page_does_not_read_share_its_cached_copy(client, story):
    cache_page(client, story.get_absolute_url())
    quietly_rename(story, "Changed without a purge")
    html = text(client, story.get_absolute_url() + "?utm_source=social")
    assert "Bridge reopens after repairs" in html


@pytest.fixture
def two_pages_of_stories(settings):
    """The lead story, then one story a page: the oldest is alone on page 2."""
    settings.ARTICLES_PER_PAGE = 1
    oldest = ArticleFactory(headline="Oldest story")
    ArticleFactory(headline="Older story")
    ArticleFactory(headline="Newest story")
    return oldest


def test_each_page_of_a_list_is_cached_on_its_own(client, two_pages_of_stories):
    cache_page(client, "/?page=2")
    quietly_rename(two_pages_of_stories, "Renamed quietly")
    assert "Oldest story" in text(client, "/?page=2")


def test_a_page_of_responses_past_the_last_is_answered_but_not_kept(client, story, pages_only):
    CommentFactory(article=story, body="The only response")
    cache_page(client, story.get_absolute_url() + "?cpage=7")
    quietly_rename(story, "Renamed quietly")
    assert "Renamed quietly" in text(client, story.get_absolute_url() + "?cpage=7")


# --- Headers and conditional requests ------------------------------------------------------


def test_cacheable_page_is_public_for_a_moment_and_revalidated_by_browsers(client, story):
    response = client.get(story.get_absolute_url())
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=0", "s-maxage=1"}


def test_shared_caches_keep_a_page_as_long_as_configured(client, story, settings):
    settings.PAGE_CACHE_SHARED_MAX_AGE = 5
    assert "s-maxage=5" in client.get(story.get_absolute_url())["Cache-Control"]


def test_cacheable_page_has_validators(client, story):
    response = client.get(story.get_absolute_url())
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert response["Last-Modified"].endswith(" GMT")


def test_cached_page_keeps_its_validators(client, story):
    first = client.get(story.get_absolute_url())
    cache_page(client, story.get_absolute_url())
    again = client.get(story.get_absolute_url())
    assert again["ETag"] == first["ETag"]


def test_if_none_match_gets_304_without_a_render(client, story, django_assert_num_queries):
    cache_page(client, story.get_absolute_url())
    etag = client.get(story.get_absolute_url())["ETag"]
    with django_assert_num_queries(0):
        response = client.get(story.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_gets_304(client, story):
    cache_page(client, story.get_absolute_url())
    last_modified = client.get(story.get_absolute_url())["Last-Modified"]
    response = client.get(story.get_absolute_url(), headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_changed_page_answers_an_old_etag_in_full(client, story, committed):
    etag = client.get(story.get_absolute_url())["ETag"]
    with committed():
        story.headline = "A new headline"
        story.save()
    response = client.get(story.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "A new headline" in response.content.decode()


def test_a_feed_taken_back_in_time_is_not_answered_304(client, editor, committed):
    """A feed's newest story taken down: the feed now ends earlier, but it changed."""
    with time_machine.travel(NOW, tick=False):
        ArticleFactory(published_at=NOW - datetime.timedelta(hours=2))
        newest = ArticleFactory(published_at=NOW - datetime.timedelta(hours=1))
        seen = client.get("/feed/")["Last-Modified"]
    with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):
        with committed():
            unpublish_article(newest, by=editor)
        response = client.get("/feed/", headers={"if-modified-since": seen})
    assert response.status_code == 200


def test_not_found_is_not_cached_nor_public(client):
    response = client.get("/no-such-section/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


# --- Exact invalidation ---------------------------------------------------------------------


def test_approved_response_shows_on_the_next_anonymous_get(client, story, committed):
    comment = CommentFactory(article=story, status="pending", body="Open the minutes")
    cache_page(client, story.get_absolute_url())
    with committed():
        approve_comments(comment.__class__.objects.filter(pk=comment.pk), by=UserFactory())
    html = text(client, story.get_absolute_url())
    assert "Open the minutes" in html
    assert "1 Response</h2>" in html


def test_approved_response_updates_the_count_on_the_home_page(client, story, committed):
    comment = CommentFactory(article=story, status="pending")
    cache_page(client, "/")
    with committed():
        approve_comments(comment.__class__.objects.filter(pk=comment.pk), by=UserFactory())
    assert "1 Response" in text(client, "/")


def test_published_story_shows_on_the_home_page(client, editor, committed):
    ArticleFactory(headline="Already out")
    draft = ArticleFactory(headline="Fresh from the desk", status="draft", published_at=None)
    cache_page(client, "/")
    with committed():
        publish_article(draft, by=editor)
    assert "Fresh from the desk" in text(client, "/")


def test_unpublished_story_is_gone_not_its_cached_page(client, story, editor, committed):
    cache_page(client, story.get_absolute_url())
    with committed():
        unpublish_article(story, by=editor)
    assert client.get(story.get_absolute_url()).status_code == 410  # issue 16: gone


@pytest.mark.parametrize(
    "url", ["/", "section", "/feed/", "/feed/atom/", "/sitemap.xml", "/sitemap-news.xml"]
)
def test_unpublished_story_leaves_lists_feeds_and_sitemap(client, story, editor, committed, url):
    url = story.section.get_absolute_url() if url == "section" else url
    cache_page(client, url)
    with committed():
        unpublish_article(story, by=editor)
    html = text(client, url)
    assert story.headline not in html
    assert story.slug not in html


@pytest.mark.parametrize("url", ["article", "section", "/", "/feed/", "/sitemap-news.xml"])
def test_edited_headline_shows_everywhere(client, story, committed, url):
    url = {"article": story.get_absolute_url(), "section": story.section.get_absolute_url()}.get(
        url, url
    )
    cache_page(client, url)
    with committed():
        story.headline = "Bridge reopens two weeks late"
        story.save()
    assert "Bridge reopens two weeks late" in text(client, url)


def test_deleted_story_leaves_the_home_page(client, story, committed):
    cache_page(client, "/")
    with committed():
        story.delete()
    assert "Bridge reopens after repairs" not in text(client, "/")


def test_added_pull_quote_shows_on_the_article(client, story, committed):
    cache_page(client, story.get_absolute_url())
    with committed():
        PullQuoteFactory(article=story, text="We will reopen it properly.")
    assert "We will reopen it properly." in text(client, story.get_absolute_url())


def test_added_tag_shows_on_the_article(client, story, committed):
    cache_page(client, story.get_absolute_url())
    with committed():
        story.tags.add(TagFactory(name="Transport"))
    assert "Transport" in text(client, story.get_absolute_url())


def test_renamed_section_shows_on_every_page(client, story, committed):
    cache_page(client, story.get_absolute_url())
    with committed():
        story.section.name = "City Desk"
        story.section.save()
    assert "City Desk" in text(client, story.get_absolute_url())


def test_renamed_author_shows_on_their_stories(client, committed):
    author = AuthorFactory(name="Jo Reporter")
    story = ArticleFactory(authors=[author])
    cache_page(client, story.get_absolute_url())
    with committed():
        author.name = "Jo Senior-Reporter"
        author.save()
    assert "Jo Senior-Reporter" in text(client, story.get_absolute_url())


def test_a_change_to_one_story_keeps_the_other_stories_pages(client, story, committed):
    other = ArticleFactory(headline="Library extends its hours")
    cache_page(client, other.get_absolute_url())
    with committed():
        story.headline = "Bridge reopens two weeks late"
        story.save()
    quietly_rename(other, "Changed without a purge")
    assert "Library extends its hours" in text(client, other.get_absolute_url())


def test_a_version_the_cache_lost_makes_its_pages_stale_not_wrong(client, story, pages_only):
    cache_page(client, story.get_absolute_url())
    quietly_rename(story, "Renamed quietly")
    cache.delete(pagecache.article_version(story.pk))  # evicted, say
    assert "Renamed quietly" in text(client, story.get_absolute_url())


def test_a_second_process_sees_the_purge(client, story, pages_only, use_cache):
    """Two cache clients stand for two server processes sharing one cache
    (local memory caches of the same name share their store, as Redis
    clients share the server: tests/articles/test_pagecache_redis.py)."""
    first, second = LocMemCache("shared", {}), LocMemCache("shared", {})
    use_cache(first)
    cache_page(client, story.get_absolute_url())
    quietly_rename(story, "Renamed by another process")
    use_cache(second)
    pagecache.purge_articles([story.pk])
    use_cache(first)
    assert "Renamed by another process" in text(client, story.get_absolute_url())


# --- Time: scheduled stories, closing comments -----------------------------------------------


def test_scheduled_story_appears_on_time_without_a_purge(client):
    with time_machine.travel(NOW, tick=False):
        ArticleFactory(headline="Already out", published_at=NOW - datetime.timedelta(hours=1))
        ArticleFactory(headline="Under embargo", published_at=NOW + datetime.timedelta(minutes=5))
        assert "Under embargo" not in cache_page(client, "/")
    with time_machine.travel(NOW + datetime.timedelta(minutes=4), tick=False):
        assert "Under embargo" not in text(client, "/")
    with time_machine.travel(NOW + datetime.timedelta(minutes=5, seconds=1), tick=False):
        assert "Under embargo" in text(client, "/")


def test_a_page_is_still_cached_until_the_scheduled_time(client):
    with time_machine.travel(NOW, tick=False):
        story = ArticleFactory(
            headline="Already out", published_at=NOW - datetime.timedelta(hours=1)
        )
        ArticleFactory(published_at=NOW + datetime.timedelta(minutes=5))
        cache_page(client, "/")
    with time_machine.travel(NOW + datetime.timedelta(minutes=4), tick=False):
        quietly_rename(story, "Renamed quietly")
        assert "Already out" in text(client, "/")


def test_the_form_disappears_when_comments_close_without_a_purge(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    with time_machine.travel(NOW, tick=False):
        story = ArticleFactory(published_at=NOW - datetime.timedelta(days=14, minutes=-5))
        assert "Leave a Response" in cache_page(client, story.get_absolute_url())
    with time_machine.travel(NOW + datetime.timedelta(minutes=5, seconds=1), tick=False):
        html = text(client, story.get_absolute_url())
    assert "Comments are closed." in html
    assert "Leave a Response" not in html


# --- Never cached -------------------------------------------------------------------------------


@pytest.mark.parametrize("cookie", pagecache.personal_cookies())
def test_a_cached_page_is_never_served_to_a_reader_with_a_personal_cookie(
    client, story, pages_only, cookie, real_cookie
):
    cache_page(client, story.get_absolute_url())
    quietly_rename(story, "Renamed quietly")
    client.cookies[cookie] = real_cookie(cookie)
    assert "Renamed quietly" in text(client, story.get_absolute_url())


@pytest.mark.parametrize("cookie", pagecache.personal_cookies())
def test_a_page_rendered_for_a_personal_cookie_is_never_stored(
    client, story, pages_only, cookie, real_cookie
):
    for _ in range(3):
        # Again each time: a flash message is shown once, and its cookie deleted.
        client.cookies[cookie] = real_cookie(cookie)
        text(client, story.get_absolute_url())
    quietly_rename(story, "Renamed quietly")
    client.cookies.pop(cookie)
    assert "Renamed quietly" in text(client, story.get_absolute_url())


@pytest.mark.parametrize("cookie", pagecache.personal_cookies())
def test_a_page_for_a_personal_cookie_is_private(client, story, cookie, real_cookie):
    client.cookies[cookie] = real_cookie(cookie)
    cache_control = client.get(story.get_absolute_url())["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control
    assert "public" not in cache_control


def test_a_csrf_cookie_alone_does_not_bypass_the_cache(client, story):
    cache_page(client, story.get_absolute_url())
    quietly_rename(story, "Renamed quietly")
    client.cookies["csrftoken"] = "x" * 32
    assert "Bridge reopens after repairs" in text(client, story.get_absolute_url())


def test_a_page_replying_to_a_response_is_never_stored(client, story, pages_only):
    comment = CommentFactory(article=story)
    url = story.get_absolute_url() + f"?replyto={comment.pk}"
    for _ in range(3):
        assert client.get(url)["Cache-Control"] == "private, no-store"
    quietly_rename(story, "Renamed quietly")
    assert "Renamed quietly" in text(client, url)


def test_preview_is_never_cached(client, editor, story):
    client.force_login(editor)
    response = client.get(reverse("articles:preview", args=[story.pk]))
    assert response["Cache-Control"] == "private, no-store"


def test_admin_is_never_cached(client, editor):
    client.force_login(editor)
    cache_control = client.get(reverse("admin:index"))["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_a_refused_comment_is_never_cached_nor_served_to_others(client, story):
    from tests.comments.conftest import post_data, post_url

    refused = client.post(post_url(story), post_data(story, author_email="not-an-email"))
    assert refused.status_code == 422
    assert "no-store" in refused["Cache-Control"]
    assert "Enter a valid email address." not in text(client, story.get_absolute_url())


def test_search_is_never_cached(client, story):
    client.get("/search/?q=bridge")
    quietly_rename(story, "Bridge renamed quietly")
    assert "Bridge renamed quietly" in text(client, "/search/?q=bridge")


def test_page_cache_off_renders_every_time(client, story, settings, pages_only):
    settings.PAGE_CACHE = False
    cache_page(client, story.get_absolute_url())
    quietly_rename(story, "Renamed quietly")
    assert "Renamed quietly" in text(client, story.get_absolute_url())


def test_page_cache_off_still_sends_public_headers(client, story, settings):
    settings.PAGE_CACHE = False
    assert "s-maxage" in client.get(story.get_absolute_url())["Cache-Control"]


class DeadCache:
    """A cache server that does not answer."""

    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise ConnectionError("the cache is down")

        return refuse


def test_a_dead_cache_still_serves_the_page(client, story, use_cache):
    use_cache(DeadCache())
    assert "Bridge reopens after repairs" in text(client, story.get_absolute_url())


def test_a_dead_cache_still_serves_the_page_to_a_signed_in_reader(client, story, use_cache):
    client.force_login(UserFactory(is_staff=True))
    use_cache(DeadCache())
    assert "Bridge reopens after repairs" in text(client, story.get_absolute_url())


# --- Fragments: for readers who bypass the page cache -------------------------------------------


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def test_a_signed_in_reader_gets_the_story_from_the_fragment_cache(signed_in, story):
    cache_page(signed_in, story.get_absolute_url())
    quietly_rename(story, "Renamed quietly")
    html = text(signed_in, story.get_absolute_url())
    assert '<h1 class="story-headline">Bridge reopens after repairs</h1>' in html


def test_edited_story_shows_to_a_signed_in_reader(signed_in, story, committed):
    cache_page(signed_in, story.get_absolute_url())
    with committed():
        story.headline = "Bridge reopens two weeks late"
        story.save()
    html = text(signed_in, story.get_absolute_url())
    assert '<h1 class="story-headline">Bridge reopens two weeks late</h1>' in html
    assert "<title>Bridge reopens two weeks late" in html


def test_approved_response_shows_to_a_signed_in_reader(signed_in, story, committed):
    comment = CommentFactory(article=story, status="pending", body="Open the minutes")
    cache_page(signed_in, story.get_absolute_url())
    with committed():
        approve_comments(comment.__class__.objects.filter(pk=comment.pk), by=UserFactory())
    assert "Open the minutes" in text(signed_in, story.get_absolute_url())


def test_fragment_cache_off_renders_every_part(signed_in, story, settings):
    settings.FRAGMENT_CACHE = False
    cache_page(signed_in, story.get_absolute_url())
    quietly_rename(story, "Renamed quietly")
    assert '<h1 class="story-headline">Renamed quietly</h1>' in text(
        signed_in, story.get_absolute_url()
    )


def test_a_preview_never_uses_the_fragment_cache(signed_in, editor, story):
    signed_in.force_login(editor)
    cache_page(signed_in, story.get_absolute_url())
    html = text(signed_in, reverse("articles:preview", args=[story.pk]))
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html


# --- The nginx micro-cache steps aside for the same cookies ------------------------------------


def test_nginx_bypasses_every_personal_cookie():
    from pathlib import Path

    from django.conf import settings

    config = (Path(settings.BASE_DIR) / "deploy" / "nginx" / "newsroom.conf").read_text()
    for cookie in pagecache.personal_cookies():
        assert f'"~*(^|;\\s*){cookie}="' in config, cookie


def test_purge_page_cache_command_makes_every_page_stale(client, story, pages_only):
    from django.core.management import call_command

    cache_page(client, story.get_absolute_url())
    cache_page(client, "/")
    quietly_rename(story, "Renamed quietly")
    call_command("purge_page_cache", stdout=io.StringIO())
    assert "Renamed quietly" in text(client, story.get_absolute_url())
    assert "Renamed quietly" in text(client, "/")


@pytest.mark.django_db(transaction=True)
def test_a_purge_that_fails_after_the_commit_does_not_undo_the_editors_save(monkeypatch):
    def fail(article_ids):
        raise ConnectionError("The cache is unreachable")

    monkeypatch.setattr(pagecache.purges, "purge_articles", fail)
    story = ArticleFactory(headline="Before")
    story.headline = "After"

    story.save()  # the purge fails after the commit: logged, not raised

    assert Article.objects.get().headline == "After"
