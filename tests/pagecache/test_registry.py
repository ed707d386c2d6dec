"""pagecache/registry.py: what the apps hand the page cache from ready()."""

import datetime

import pytest

import pagecache
from pagecache import registry

pytestmark = pytest.mark.django_db


def test_personal_cookies_are_djangos_and_those_the_apps_registered(settings):
    assert pagecache.personal_cookies() == (
        settings.SESSION_COOKIE_NAME,
        "messages",
        "newsroom_pending",
        "newsroom_commenter",
    )


def test_a_cookie_the_comments_app_registered_makes_a_request_personal(rf, real_cookie):
    request = rf.get("/", HTTP_COOKIE=f"newsroom_pending={real_cookie('newsroom_pending')}")
    assert pagecache.is_personal(request)


def test_a_cookie_registered_without_a_check_counts_whatever_its_value(rf, monkeypatch):
    # Registered for this test only: monkeypatch takes it out of the checks again.
    monkeypatch.setitem(registry.personal_cookie_checks(), "test_personal", None)
    assert pagecache.is_personal(rf.get("/", HTTP_COOKIE="test_personal=x"))


def test_the_next_publication_is_what_the_articles_app_says():
    from tests.factories import ArticleFactory

    later = datetime.datetime(2030, 1, 1, 9, 0, tzinfo=datetime.UTC)
    ArticleFactory(published_at=later)
    assert registry.next_publication() == later
