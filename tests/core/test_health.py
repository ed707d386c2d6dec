"""core/health.py: /healthz answers load balancers before the rest of the stack."""

import pytest


@pytest.mark.django_db
def test_healthz_says_ok_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_answers_a_probe_by_the_servers_own_address(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]

    assert client.get("/healthz", headers={"host": "10.0.0.5:8000"}).status_code == 200


def test_healthz_answers_over_plain_http_where_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200


def test_other_addresses_still_refuse_an_unknown_host(client, settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]

    assert client.get("/robots.txt", headers={"host": "10.0.0.5:8000"}).status_code == 400


def test_other_addresses_still_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/robots.txt").status_code == 301


def test_healthz_is_never_cached(client):
    cache_control = client.get("/healthz")["Cache-Control"]

    assert {"no-cache", "no-store"} <= {part.strip() for part in cache_control.split(",")}


def test_healthz_sets_no_cookie(client):
    assert not client.get("/healthz").cookies


@pytest.mark.django_db
def test_healthz_answers_other_methods_through_the_whole_stack(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    # Only GET and HEAD take the shortcut: a POST gets the site's usual HTTPS redirect.
    assert client.post("/healthz").status_code == 301
