"""pagecache/: a page that bypasses the page cache gets its story's
row and parts from the fragment cache in one round trip, never a stale one."""

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client

import pagecache
from articles.models import Article
from articles.publishing import unpublish_article
from comments.cookies import PENDING_COOKIE, PENDING_SALT
from comments.models import Comment
from comments.moderation import approve_comments
from tests.articles.conftest import jpeg_upload
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caches_on")]


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory(is_staff=True))
    return client


@pytest.fixture
def url():
    story = ArticleFactory(headline="Bridge reopens after repairs")
    CommentFactory.create_batch(3, article=story)
    return story.get_absolute_url()


@pytest.fixture
def round_trips(monkeypatch):
    """The fragment cache's lookups (get_many) while the test runs."""
    calls = []
    original = cache.get_many

    def counted(keys, *args, **kwargs):
        calls.append(list(keys))
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    return calls


def test_a_signed_in_readers_page_fetches_its_parts_in_one_round_trip(signed_in, url, round_trips):
    for _ in range(3):  # the first renders learn the story and its parts and fill them
        signed_in.get(url)
    round_trips.clear()

    signed_in.get(url)

    assert len(round_trips) == 1


def test_parts_fetched_ahead_are_still_checked_against_the_storys_version(
    signed_in, url, committed_purge
):
    for _ in range(2):
        signed_in.get(url)
    Article.objects.update(headline="Renamed")
    committed_purge()

    assert "Renamed" in signed_in.get(url).content.decode()


def test_only_the_last_page_of_responses_asked_for_is_fetched_ahead(
    signed_in, url, round_trips, settings
):
    settings.COMMENTS_PER_PAGE = 2  # the 3 responses on two pages
    for page in ("1", "2", "1"):
        signed_in.get(url + "?cpage=" + page)
    round_trips.clear()

    signed_in.get(url)

    fetched = [key for key in round_trips[0] if ":responses" in key]
    assert len(fetched) == 1


def test_nothing_fetched_ahead_outlives_its_request(signed_in, url):
    for _ in range(2):
        signed_in.get(url)

    assert pagecache.fetched_ahead_for() is None


def test_an_unpublished_story_is_gone_for_a_signed_in_reader_too(
    signed_in, url, django_capture_on_commit_callbacks
):
    for _ in range(3):  # its row and parts in the fragment cache
        signed_in.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        unpublish_article(Article.objects.get(), by=UserFactory(is_superuser=True))

    assert signed_in.get(url).status_code == 410  # taken down: gone, not missing (issue 16)


def test_a_renamed_storys_old_address_is_not_answered_from_the_cache(
    signed_in, url, django_capture_on_commit_callbacks
):
    for _ in range(3):  # this process has learned which story `url` shows
        signed_in.get(url)
    story = Article.objects.get()
    story.slug = "bridge-reopens-at-last"
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    for _ in range(2):  # the row under its new address, current, in the cache
        signed_in.get(story.get_absolute_url())

    response = signed_in.get(url)  # not the cached row: the redirect (issue 16)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_a_response_approved_after_the_section_was_cached_shows_to_a_signed_in_reader(
    signed_in, url, django_capture_on_commit_callbacks
):
    story = Article.objects.get()
    waiting = CommentFactory(article=story, status="pending", body="Late but approved")
    for _ in range(3):  # the whole responses section in the fragment cache
        signed_in.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        approve_comments(Comment.objects.filter(pk=waiting.pk), by=UserFactory(is_staff=True))

    assert "Late but approved" in signed_in.get(url).content.decode()


def test_a_reader_with_a_pending_response_sees_it_beside_everyone_elses_cached_section(
    signed_in, url
):
    story = Article.objects.get()
    for _ in range(3):  # everyone's responses section in the fragment cache
        signed_in.get(url)
    mine = CommentFactory(article=story, status="pending", body="My words, awaiting")
    signer = signing.get_cookie_signer(salt=PENDING_COOKIE + PENDING_SALT)
    client = Client()
    client.cookies[PENDING_COOKIE] = signer.sign(str(mine.pk))

    assert "My words, awaiting" in client.get(url).content.decode()
    assert "My words, awaiting" not in signed_in.get(url).content.decode()


@pytest.fixture
def committed_purge():
    return lambda: pagecache.purge_articles(Article.objects.values_list("pk", flat=True))


def test_a_cold_story_page_asks_the_cache_once(client, settings, round_trips, monkeypatch):
    """Caches off, the page still reads its hero's renditions and the section
    navigation from the cache: in one round trip."""
    settings.PAGE_CACHE = settings.FRAGMENT_CACHE = False
    story = ArticleFactory(hero_image=jpeg_upload(), hero_alt="A bridge")
    client.get(story.get_absolute_url())  # both now in the cache
    round_trips.clear()
    asked_alone = []
    get = cache.get
    monkeypatch.setattr(
        cache,
        "get",
        lambda key, *args, **kwargs: asked_alone.append(key) or get(key, *args, **kwargs),
    )

    page = client.get(story.get_absolute_url())

    assert 'fetchpriority="high"' in page.content.decode()
    assert len(round_trips) == 1
    # (the local-memory cache answers get_many by get: those are the keys fetched)
    assert sorted(asked_alone) == sorted(round_trips[0])
