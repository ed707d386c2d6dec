"""articles/addresses.py: addresses remembered per process, never a stale one."""

import pytest
from django.urls import clear_script_prefix, set_script_prefix

from articles.addresses import address
from tests.factories import SectionFactory, TagFactory


def test_an_address_is_what_reverse_gives():
    assert address("articles:tag", slug="floods") == "/tag/floods/"


def test_an_address_follows_the_script_prefix_it_is_served_under():
    address("articles:tag", slug="floods")
    set_script_prefix("/local-news/")
    try:
        assert address("articles:tag", slug="floods") == "/local-news/tag/floods/"
    finally:
        clear_script_prefix()

    assert address("articles:tag", slug="floods") == "/tag/floods/"


@pytest.mark.django_db
def test_a_renamed_tag_links_to_its_new_address():
    tag = TagFactory(slug="floods")
    tag.get_absolute_url()
    tag.slug = "flooding"

    assert tag.get_absolute_url() == "/tag/flooding/"


@pytest.mark.django_db
def test_a_section_page_offers_its_feed(client):
    section = SectionFactory(slug="weather")

    page = client.get(section.get_absolute_url()).content.decode()

    assert 'href="/weather/feed/"' in page
