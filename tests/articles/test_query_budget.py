"""Issue 2 §7 and issue 5 §3: the public pages cost a fixed number of SQL
queries, whatever the number of authors, tags, pull-quotes and sources; at
most 8 for the home and article pages, session and auth queries of a
logged-in editor included.

These budgets are for a cold render: the page and fragment caches are off
(`cold`, autouse), as after a purge. The article page does better than its
budget and is held to its exact count: the story's row, its related rows
(one statement, `articles.models.fetch_page_relations`) and the comments
app's block, 3; 2 without that block. The section navigation comes from the
cache: each test warms it with one request first, as any reader after the
first one finds it. The last tests show what the caches save.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.articles.conftest import rich_article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 8
ARTICLE_PAGE_QUERIES = 3
ARTICLE_PAGE_QUERIES_WITHOUT_COMMENTS = 2


@pytest.fixture(autouse=True)
def cold(settings):
    settings.PAGE_CACHE = False
    settings.FRAGMENT_CACHE = False


@pytest.fixture(params=["anonymous", "staff"])
def reader(request, client):
    """The page as an anonymous reader and as a logged-in staff user sees it."""
    if request.param == "staff":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def queries_for(client, url):
    client.get(url)  # warm the section navigation cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_article_page_without_comments_costs_2_queries(
    reader, without_comments, django_assert_num_queries
):
    article = rich_article(authors=6, tags=8, quotes=5, sources=5)
    reader.get(article.get_absolute_url())
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES_WITHOUT_COMMENTS):
        reader.get(article.get_absolute_url())


def test_article_page_with_comments_costs_3_queries(reader, django_assert_num_queries):
    article = rich_article(authors=6, tags=8, quotes=5, sources=5)
    reader.get(article.get_absolute_url())
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        reader.get(article.get_absolute_url())


def test_article_page_costs_the_same_for_one_or_many_of_everything(reader, without_comments):
    small = rich_article(authors=1, tags=1, quotes=1, sources=1)
    large = rich_article(authors=8, tags=10, quotes=7, sources=9)
    assert queries_for(reader, small.get_absolute_url()) == queries_for(
        reader, large.get_absolute_url()
    )


def test_home_page_within_8_queries(reader, django_assert_max_num_queries):
    for _ in range(15):
        rich_article(authors=4, tags=4, quotes=1, sources=1)
    reader.get("/")
    with django_assert_max_num_queries(PAGE_BUDGET):
        reader.get("/")


def test_home_page_costs_the_same_for_few_or_many_stories(reader):
    ArticleFactory(authors=AuthorFactory.create_batch(1))
    ArticleFactory(authors=AuthorFactory.create_batch(1))
    few = queries_for(reader, "/")
    for _ in range(20):
        ArticleFactory(authors=AuthorFactory.create_batch(4), tags=TagFactory.create_batch(3))
    assert queries_for(reader, "/") == few


@pytest.mark.parametrize("page", ["section", "tag", "author"])
def test_list_pages_within_8_queries(reader, page, django_assert_max_num_queries):
    author, tag = AuthorFactory(), TagFactory()
    first = ArticleFactory(authors=[author, *AuthorFactory.create_batch(3)], tags=[tag])
    for _ in range(14):
        ArticleFactory(
            section=first.section, authors=[author, *AuthorFactory.create_batch(3)], tags=[tag]
        )
    url = {
        "section": first.section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
    }[page]
    reader.get(url)
    with django_assert_max_num_queries(PAGE_BUDGET):
        reader.get(url)


def test_search_page_within_8_queries(reader, django_assert_max_num_queries):
    for _ in range(15):
        ArticleFactory(headline="Bridge news", authors=AuthorFactory.create_batch(3))
    reader.get("/search/?q=bridge")
    with django_assert_max_num_queries(PAGE_BUDGET):
        reader.get("/search/?q=bridge")


@pytest.mark.parametrize(
    "url",
    [
        "/feed/",
        "/feed/atom/",
        "section_feed",
        "section_atom_feed",
        "/sitemap.xml",
        "/sitemap-news.xml",
    ],
)
def test_feeds_and_sitemap_within_8_queries(reader, url, django_assert_max_num_queries):
    for _ in range(15):
        story = rich_article(authors=3, tags=4, quotes=1, sources=1)
    url = {
        "section_feed": story.section.feed_url,
        "section_atom_feed": story.section.atom_feed_url,
    }.get(url, url)
    reader.get(url)
    with django_assert_max_num_queries(PAGE_BUDGET):
        assert reader.get(url).status_code == 200


def test_robots_txt_costs_no_query_for_anonymous_readers(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/robots.txt").status_code == 200


def test_not_found_page_within_8_queries(reader, django_assert_max_num_queries):
    reader.get("/no-such-section/")
    with django_assert_max_num_queries(PAGE_BUDGET):
        assert reader.get("/no-such-section/").status_code == 404


def test_comment_form_frame_within_8_queries(reader, django_assert_max_num_queries):
    article = rich_article()
    with django_assert_max_num_queries(PAGE_BUDGET):
        assert reader.get(f"/comments/form/{article.pk}/").status_code == 200


# --- What the caches save ---------------------------------------------------------


def test_warm_fragments_leave_no_query(client, caches_on, django_assert_num_queries):
    """A reader who bypasses the page cache (here: signed in) gets the story's
    row, its parts and its responses from the fragment cache (and nothing on
    the page reads the session)."""
    client.force_login(UserFactory(is_staff=True))
    article = rich_article(authors=6, tags=8, quotes=5, sources=5)
    CommentFactory.create_batch(3, article=article)
    for _ in range(2):  # the first renders learn the story's address and fill the cache
        client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        client.get(article.get_absolute_url())


def test_cached_page_costs_no_query(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE = True
    article = rich_article()
    for _ in range(2):  # the first render learns which story the address shows
        client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        assert client.get(article.get_absolute_url()).status_code == 200
