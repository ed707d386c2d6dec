"""The admin's configurable address (settings.ADMIN_URL; that urls.py follows
it is shown in test_deploy_settings.py): what else must follow it, and where
it must never show (issue 15 §10)."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import clear_url_caches, reverse

import newsroom.urls
from articles.models import validate_section_slug
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SECRET_ADMIN_URL = "newsdesk-4f7c/"


@pytest.fixture
def moved_admin(settings):
    """The admin at a custom ADMIN_URL, as a deployment that sets it has it:
    newsroom/urls.py read again under the setting (it is read once, at
    start-up), and read back after."""
    default = settings.ADMIN_URL
    settings.ADMIN_URL = SECRET_ADMIN_URL
    importlib.reload(newsroom.urls)
    clear_url_caches()
    yield "/" + SECRET_ADMIN_URL
    settings.ADMIN_URL = default
    importlib.reload(newsroom.urls)
    clear_url_caches()


def robots_lines(client):
    return client.get("/robots.txt").content.decode().splitlines()


def test_robots_txt_keeps_crawlers_out_of_the_default_admin(client):
    assert "Disallow: /admin/" in robots_lines(client)


def test_robots_txt_does_not_publish_a_custom_admin_address(client, settings):
    settings.ADMIN_URL = "newsdesk-4f7c/"

    text = "\n".join(robots_lines(client))

    assert "newsdesk" not in text
    assert "/admin/" not in text


def test_robots_txt_still_keeps_crawlers_out_of_previews(client, settings):
    settings.ADMIN_URL = "newsdesk-4f7c/"

    assert "Disallow: /preview/" in robots_lines(client)


def test_a_section_cannot_take_a_custom_admin_address(settings):
    settings.ADMIN_URL = "newsdesk-4f7c/"

    with pytest.raises(ValidationError):
        validate_section_slug("newsdesk-4f7c")


def test_admin_stays_a_reserved_section_slug_when_the_admin_moves(settings):
    # "admin" stays reserved: old links and scanners expect it.
    settings.ADMIN_URL = "newsdesk-4f7c/"

    with pytest.raises(ValidationError):
        validate_section_slug("admin")


def test_the_admin_really_moves_in_these_tests(client, moved_admin):
    assert reverse("admin:login") == moved_admin + "login/"
    assert client.get(moved_admin + "login/").status_code == 200


def test_an_anonymous_preview_does_not_give_away_a_custom_admin_address(client, moved_admin):
    draft = ArticleFactory(status="draft", published_at=None)

    response = client.get(reverse("articles:preview", args=[draft.pk]))

    assert response.status_code == 404
    assert "Location" not in response
    assert "newsdesk" not in response.text


def test_an_anonymous_preview_is_the_same_404_as_a_story_that_does_not_exist(client, moved_admin):
    draft = ArticleFactory(status="draft", published_at=None)

    existing = client.get(reverse("articles:preview", args=[draft.pk]))
    missing = client.get(reverse("articles:preview", args=[draft.pk + 1000]))

    assert existing.status_code == missing.status_code == 404
    assert existing.content == missing.content
