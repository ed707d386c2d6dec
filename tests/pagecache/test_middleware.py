"""pagecache/'s PageCacheMiddleware: a cached page is answered
early in the stack, and is still the same page with the same headers."""

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caches_on")]

# What the stack adds to every public page (security, CSP, Permissions-Policy, frames).
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


@pytest.fixture
def url():
    return ArticleFactory(headline="Bridge reopens after repairs").get_absolute_url()


def cached(client, url):
    """The page kept (the first render learns its story), then answered from the cache."""
    client.get(url)
    rendered = client.get(url)
    Article.objects.update(headline="Changed without a purge")
    hit = client.get(url)
    assert "Bridge reopens after repairs" in hit.content.decode()  # from the cache
    return rendered, hit


@pytest.mark.parametrize("header", SECURITY_HEADERS)
def test_a_cached_page_carries_every_security_header(client, url, header):
    rendered, hit = cached(client, url)

    assert hit[header] == rendered[header]


def test_a_cached_page_runs_no_session_middleware_nor_view(client, url, monkeypatch):
    cached(client, url)
    calls = []
    monkeypatch.setattr(SessionMiddleware, "process_request", lambda *args: calls.append(args))

    assert client.get(url).status_code == 200
    assert calls == []


def test_a_cached_page_costs_no_query(client, url, django_assert_num_queries):
    cached(client, url)

    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_a_cached_page_is_refused_to_an_unknown_host(client, url, settings):
    cached(client, url)
    settings.ALLOWED_HOSTS = ["news.example.org"]

    assert client.get(url, headers={"host": "evil.example"}).status_code == 400


def test_a_cached_page_asked_over_http_is_redirected_to_https(client, url, settings):
    cached(client, url)
    settings.SECURE_SSL_REDIRECT = True

    response = Client().get(url)  # a new client: SecurityMiddleware reads its settings once

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_a_conditional_get_of_a_cached_page_keeps_its_security_headers(client, url):
    _, hit = cached(client, url)

    response = client.get(url, headers={"if-none-match": hit["ETag"]})

    assert response.status_code == 304
    assert response["Content-Security-Policy"] == hit["Content-Security-Policy"]


def test_pages_not_marked_for_the_cache_pass_through(client, url):
    client.get("/search/?q=bridge")
    Article.objects.update(headline="Changed without a purge")

    assert "Changed without a purge" in client.get("/search/?q=changed").content.decode()


def test_without_the_middleware_the_view_still_caches_its_page(client, url, settings):
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "pagecache.middleware.PageCacheMiddleware"
    ]

    rendered, hit = cached(client, url)

    assert hit["ETag"] == rendered["ETag"]
