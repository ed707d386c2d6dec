"""Links that never break (issue 16 §1): articles/redirects.py and the
Redirect table. Every address a published story, section, tag or author ever
had keeps answering: 301 to where it lives now, or 410 once taken down."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Redirect
from articles.publishing import publish_article, unpublish_article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)  # redirects' answers are forgotten on commit


@pytest.fixture
def story():
    return ArticleFactory(slug="bridge-reopens", section=SectionFactory(slug="news"))


@pytest.fixture
def chief():
    # A superuser: a transactional test database has no groups (migrations' rows are flushed).
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


def moved_to(client, path):
    response = client.get(path)
    assert response.status_code == 301, (path, response.status_code)
    return response["Location"]


def rename(story, slug):
    story.slug = slug
    story.save()
    return story.get_absolute_url()


def test_a_changed_slug_leaves_a_permanent_redirect(client, story):
    old = story.get_absolute_url()
    new = rename(story, "bridge-reopens-after-repairs")
    assert moved_to(client, old) == new
    assert client.get(new).status_code == 200


def test_a_slug_changed_twice_then_the_date_leads_every_old_address_straight_there(
    client, story
):
    first = story.get_absolute_url()
    second = rename(story, "bridge-reopens-after-repairs")
    third = rename(story, "bridge-reopens-at-last")
    story.published_at -= datetime.timedelta(days=3)
    story.save()
    current = story.get_absolute_url()
    for old in (first, second, third):
        assert moved_to(client, old) == current  # no chain: one hop each
    assert set(Redirect.objects.values_list("new_path", flat=True)) == {current}


def test_a_slug_changed_back_makes_no_loop(client, story):
    first = story.get_absolute_url()
    second = rename(story, "bridge-reopens-after-repairs")
    assert rename(story, "bridge-reopens") == first
    assert client.get(first).status_code == 200
    assert moved_to(client, second) == first


def test_an_editor_cannot_make_a_redirect_loop(story):
    Redirect(old_path="/old-page/", new_path="/newer-page/").save()
    loop = Redirect(old_path="/newer-page/", new_path="/old-page/")
    with pytest.raises(ValidationError, match="loop"):
        loop.full_clean()


def test_a_manual_redirect_to_a_redirected_address_goes_straight_to_its_end(client, story):
    old = story.get_absolute_url()
    new = rename(story, "bridge-reopens-after-repairs")
    manual = Redirect(old_path="/bridge/", new_path=old)
    manual.full_clean()
    manual.save()
    assert moved_to(client, "/bridge/") == new


@pytest.mark.parametrize(
    ("field", "value"),
    [("new_path", "https://elsewhere.example/"), ("new_path", "//elsewhere.example/"),
     ("old_path", "/admin/login/"), ("new_path", "/admin/")],
)
def test_a_redirect_stays_on_the_site_and_away_from_the_admin(field, value):
    redirect = Redirect(old_path="/somewhere/", new_path="/elsewhere/")
    setattr(redirect, field, value)
    with pytest.raises(ValidationError):
        redirect.full_clean()


def test_a_renamed_section_redirects_its_page_feed_and_stories_with_one_row(client, story):
    section = story.section
    section.slug = "local-news"
    section.save()
    assert moved_to(client, "/news/") == "/local-news/"
    assert moved_to(client, "/news/feed/") == "/local-news/feed/"
    story.refresh_from_db()
    old_story_address = "/news/" + story.get_absolute_url().split("/", 2)[2]
    assert client.get(old_story_address, follow=True).redirect_chain[-1][0] == (
        story.get_absolute_url()
    )
    assert Redirect.objects.filter(is_prefix=True).count() == 1


def test_a_renamed_tag_and_author_redirect(client):
    tag, author = TagFactory(slug="budget"), AuthorFactory(slug="ann-lee")
    tag.slug, author.slug = "council-budget", "ann-lee-smith"
    tag.save()
    author.save()
    assert moved_to(client, "/tag/budget/") == "/tag/council-budget/"
    assert moved_to(client, "/author/ann-lee/") == "/author/ann-lee-smith/"


def test_an_unpublished_story_is_gone_not_missing(client, story, chief):
    address = story.get_absolute_url()
    unpublish_article(story, by=chief)
    response = client.get(address)
    assert response.status_code == 410
    assert "no longer available" in response.content.decode()


def test_an_address_that_never_existed_stays_404(client, story):
    assert client.get("/news/2020/01/01/never-was/").status_code == 404


def test_a_deleted_story_stays_gone_at_every_address_it_had(client, story):
    first = story.get_absolute_url()
    second = rename(story, "bridge-reopens-after-repairs")
    story.delete()
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 410
    assert not Article.objects.exists()


def test_a_story_published_again_leads_its_old_addresses_back(client, story, chief):
    first = story.get_absolute_url()
    second = rename(story, "bridge-reopens-after-repairs")
    unpublish_article(story, by=chief)
    publish_article(story, by=chief, at=story.published_at)
    assert client.get(second).status_code == 200
    assert moved_to(client, first) == second


def test_a_wordpress_query_address_is_not_swallowed_by_a_cached_home_page(
    client, story, caches_on
):
    assert client.get("/").status_code == 200  # the home page, now in the page cache
    Redirect.objects.create(
        old_path="/", query_key="p", query_value="123", new_path=story.get_absolute_url()
    )
    assert moved_to(client, "/?p=123") == story.get_absolute_url()
    assert client.get("/?p=999").status_code == 200  # no such post: the home page


def test_an_old_address_reads_the_redirect_table_once_then_from_the_cache(client, story):
    old = story.get_absolute_url()
    rename(story, "bridge-reopens-after-repairs")
    assert client.get(old).status_code == 301  # the row read, and its answer kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get(old).status_code == 301
    assert not any("articles_redirect" in query["sql"] for query in queries.captured_queries)
