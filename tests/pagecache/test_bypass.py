"""Bypassing the caches on purpose (issue 15 §9): a junk personal cookie and an
odd spelling of a page number were each a full render, every time.

- A personal cookie its app did not set (junk, forged, a session that does not
  exist) counts for nothing: the reader gets the anonymous cached page.
- `?page=01` and `?cpage=0002` redirect (301) to `?page=1` and `?cpage=2`.
"""

import datetime

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from comments.cookies import PENDING_COOKIE, PENDING_MAX_AGE, REMEMBER_COOKIE
from tests.factories import ArticleFactory, CommentFactory
from tests.pagecache.test_pages import cache_page, quietly_rename, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caches_on")]


@pytest.fixture
def story():
    return ArticleFactory(headline="Bridge reopens after repairs")


def gets_the_cached_page(client, story, cookie, value):
    cache_page(client, story.get_absolute_url())
    quietly_rename(story, "Renamed quietly")
    client.cookies[cookie] = value
    return "Bridge reopens after repairs" in text(client, story.get_absolute_url())


# --- Junk personal cookies get the anonymous cached page -------------------------------------


def test_a_junk_messages_cookie_gets_the_cached_page(client, story):
    assert gets_the_cached_page(client, story, "messages", "x")


def test_a_forged_pending_cookie_gets_the_cached_page(client, story):
    forged = signing.Signer(key="not-our-secret", salt=PENDING_COOKIE + "comments.pending")
    assert gets_the_cached_page(client, story, PENDING_COOKIE, forged.sign("7"))


def test_a_tampered_pending_cookie_gets_the_cached_page(client, story, real_cookie):
    value = real_cookie(PENDING_COOKIE)
    assert gets_the_cached_page(client, story, PENDING_COOKIE, "8" + value[1:])


def test_an_expired_pending_cookie_gets_the_cached_page(client, story, real_cookie):
    with time_machine.travel(timezone.now() - datetime.timedelta(seconds=PENDING_MAX_AGE + 60)):
        old = real_cookie(PENDING_COOKIE)
    assert gets_the_cached_page(client, story, PENDING_COOKIE, old)


def test_a_forged_commenter_cookie_gets_the_cached_page(client, story):
    forged = signing.dumps({"author_name": "Ada"}, key="not-our-secret", salt="comments.commenter")
    assert gets_the_cached_page(client, story, REMEMBER_COOKIE, forged)


def test_a_sessionid_that_is_no_session_gets_the_cached_page(client, story, settings):
    assert gets_the_cached_page(client, story, settings.SESSION_COOKIE_NAME, "a" * 32)


def test_a_junk_cookie_gets_the_page_as_public_as_anyone(client, story):
    client.cookies["messages"] = "x"
    cache_control = client.get(story.get_absolute_url())["Cache-Control"]
    assert "public" in cache_control
    assert "private" not in cache_control


def test_a_junk_cookie_gets_the_cached_page_from_the_middleware_too(client, story, settings):
    # The middleware answers before sessions, auth and the view: no render at all.
    cache_page(client, story.get_absolute_url())
    client.cookies[settings.SESSION_COOKIE_NAME] = "b" * 32
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        text(client, story.get_absolute_url())
    assert len(queries) == 1  # the session store's look-up, nothing else


# --- Real ones still bypass it -------------------------------------------------------------------


def test_a_signed_in_editor_still_gets_a_fresh_page(editor_client, story, settings):
    settings.FRAGMENT_CACHE = False  # else the story's parts come from their own cache
    cache_page(editor_client, story.get_absolute_url())
    quietly_rename(story, "Renamed quietly")
    assert "Renamed quietly" in text(editor_client, story.get_absolute_url())


def test_a_reader_with_a_real_pending_cookie_still_sees_their_response(client, story):
    from comments.cookies import PENDING_SALT

    pending = CommentFactory(article=story, status="pending", body="My pending thoughts")
    cache_page(client, story.get_absolute_url())
    client.cookies[PENDING_COOKIE] = signing.get_cookie_signer(
        salt=PENDING_COOKIE + PENDING_SALT
    ).sign(str(pending.pk))
    assert "My pending thoughts" in text(client, story.get_absolute_url())


# --- Page numbers are written one way ---------------------------------------------------------


@pytest.fixture
def two_pages(settings):
    settings.ARTICLES_PER_PAGE = 1
    for headline in ("Oldest story", "Older story", "Newest story"):
        ArticleFactory(headline=headline)


def test_a_page_number_with_a_leading_zero_redirects_to_the_canonical_address(client, two_pages):
    response = client.get("/?page=01")
    assert response.status_code == 301
    assert response["Location"] == "/?page=1"


def test_a_page_of_responses_with_leading_zeros_redirects_keeping_the_other_parameters(
    client, story
):
    response = client.get(story.get_absolute_url() + "?utm_source=social&cpage=0002&x=y")
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url() + "?utm_source=social&cpage=2&x=y"


def test_zeros_alone_redirect_to_zero(client, two_pages):
    assert client.get("/?page=000")["Location"] == "/?page=0"


def test_the_canonical_page_number_is_answered(client, two_pages):
    assert client.get("/?page=2").status_code == 200


@pytest.mark.parametrize("value", ["", "abc", "²", "0²", "1" * 7, "-1"])
def test_what_is_no_page_number_is_not_redirected(client, two_pages, value):
    assert client.get(f"/?page={value}").status_code != 301


def test_a_page_number_given_twice_is_not_redirected(client, two_pages):
    assert client.get("/?page=01&page=2").status_code != 301


def test_a_signed_in_reader_is_redirected_too(editor_client, two_pages):
    assert editor_client.get("/?page=02")["Location"] == "/?page=2"


def test_the_redirected_address_is_served_from_the_cache(client, two_pages):
    from articles.models import Article

    cache_page(client, "/?page=2")
    Article.objects.filter(headline="Oldest story").update(headline="Renamed quietly")
    assert "Oldest story" in text(client, client.get("/?page=002")["Location"])


def test_a_session_the_store_cannot_check_counts_as_personal(client, story, settings):
    # The database away: the page cache steps aside, as it did before the check
    # (the page is rendered for this reader alone, from the fragment cache here).
    from django.db import OperationalError, connection

    def database_down(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    cache_page(client, story.get_absolute_url())
    client.cookies[settings.SESSION_COOKIE_NAME] = "c" * 32
    with connection.execute_wrapper(database_down):
        response = client.get(story.get_absolute_url())
    assert "private" in response["Cache-Control"]
