"""articles/pagecache.py: a page that bypasses the page cache gets its story's
row and parts from the fragment cache in one round trip, never a stale one."""

import pytest

from articles import pagecache
from articles.models import Article
from articles.publishing import unpublish_article
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
    original = pagecache.cache.get_many

    def counted(keys, *args, **kwargs):
        calls.append(list(keys))
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(pagecache.cache, "get_many", counted)
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

    fetched = [key for key in round_trips[0] if ":responses:" in key]
    assert len(fetched) == 1


def test_nothing_fetched_ahead_outlives_its_request(signed_in, url):
    for _ in range(2):
        signed_in.get(url)

    assert pagecache._prefetched_fragments.get() is None


def test_an_unpublished_story_is_gone_for_a_signed_in_reader_too(
    signed_in, url, django_capture_on_commit_callbacks
):
    for _ in range(3):  # its row and parts in the fragment cache
        signed_in.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        unpublish_article(Article.objects.get(), by=UserFactory(is_superuser=True))

    assert signed_in.get(url).status_code == 404


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

    assert signed_in.get(url).status_code == 404


@pytest.fixture
def committed_purge():
    return lambda: pagecache.purge_articles(Article.objects.values_list("pk", flat=True))
