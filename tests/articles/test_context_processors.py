"""articles/context_processors.py: the site's name and its section navigation,
kept in the cache until a section changes."""

import pytest
from django.core.cache import cache
from django.test.utils import override_script_prefix

from articles.context_processors import SECTION_NAV_CACHE_KEY, section_nav
from articles.models import Section
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


def nav_names():
    return [item["name"] for item in section_nav()]


def test_navigation_lists_sections_in_their_order():
    SectionFactory(name="Sport", order=2)
    SectionFactory(name="News", order=1)
    assert nav_names() == ["News", "Sport"]


def test_warm_navigation_costs_no_query(django_assert_num_queries):
    SectionFactory(name="News")
    section_nav()
    with django_assert_num_queries(0):
        assert [item["name"] for item in section_nav()] == ["News"]


def test_new_section_appears_once_committed(django_capture_on_commit_callbacks):
    SectionFactory(name="News")
    section_nav()
    with django_capture_on_commit_callbacks(execute=True):
        SectionFactory(name="Sport", order=5)
    assert nav_names() == ["News", "Sport"]


def test_renamed_section_is_renamed_in_the_navigation(django_capture_on_commit_callbacks):
    section = SectionFactory(name="News")
    section_nav()
    with django_capture_on_commit_callbacks(execute=True):
        section.name = "Local news"
        section.save()
    assert nav_names() == ["Local news"]


def test_deleted_section_leaves_the_navigation(django_capture_on_commit_callbacks):
    section = SectionFactory(name="News")
    section_nav()
    with django_capture_on_commit_callbacks(execute=True):
        Section.objects.filter(pk=section.pk).delete()
    assert nav_names() == []


def test_navigation_is_forgotten_only_after_the_commit(django_capture_on_commit_callbacks):
    SectionFactory(name="News")
    section_nav()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        SectionFactory(name="Sport")
        # Not yet committed: a reader now would cache the old list again.
        assert cache.get(SECTION_NAV_CACHE_KEY) is not None
    assert callbacks


def test_pages_that_do_not_show_the_navigation_never_load_it(client, django_assert_num_queries):
    SectionFactory(name="News")
    # robots.txt goes through every context processor but shows no navigation.
    with django_assert_num_queries(0):
        client.get("/robots.txt")
    assert cache.get(SECTION_NAV_CACHE_KEY) is None


# The shell's links are resolved once per process (shell_links): they must still
# follow the settings and the address the site is served under. The second page
# is the search page, which the page cache never keeps.


def test_shell_links_follow_a_changed_static_url(client, settings):
    client.get("/")  # resolved once under the old STATIC_URL
    settings.STATIC_URL = "/assets/"
    page = client.get("/search/").content.decode()
    assert 'href="/assets/css/newsroom.css"' in page


def test_shell_links_follow_the_script_prefix(client):
    client.get("/")  # resolved once at the root
    with override_script_prefix("/paper/"):  # as WSGIHandler does from SCRIPT_NAME
        page = client.get("/search/").content.decode()
    assert 'href="/paper/feed/"' in page


def test_shell_links_stay_at_the_root_after_a_prefixed_request(client):
    with override_script_prefix("/paper/"):
        client.get("/")
    page = client.get("/search/").content.decode()
    assert 'action="/search/"' in page
