"""The admin's configurable address (settings.ADMIN_URL; that urls.py follows
it is shown in test_deploy_settings.py): what else must follow it."""

import pytest
from django.core.exceptions import ValidationError

from articles.models import validate_section_slug

pytestmark = pytest.mark.django_db


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
