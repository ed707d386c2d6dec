"""Issue 2 §7: the public pages cost a fixed number of SQL queries, whatever
the number of authors, tags, pull-quotes and sources; at most 8 for the home
and article pages, session and auth queries of a logged-in editor included.

The comments app's block takes one query of the article page's 8, so the
article page without it must stay within 7. The section navigation comes from
the cache: each test warms it with one request first, as any reader after the
first one finds it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.articles.conftest import rich_article
from tests.factories import ArticleFactory, AuthorFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 8
ARTICLE_BUDGET_WITHOUT_COMMENTS = 7


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


def test_article_page_without_comments_within_7_queries(
    reader, without_comments, django_assert_max_num_queries
):
    article = rich_article(authors=6, tags=8, quotes=5, sources=5)
    reader.get(article.get_absolute_url())
    with django_assert_max_num_queries(ARTICLE_BUDGET_WITHOUT_COMMENTS):
        reader.get(article.get_absolute_url())


def test_article_page_with_comments_within_8_queries(reader, django_assert_max_num_queries):
    article = rich_article(authors=6, tags=8, quotes=5, sources=5)
    reader.get(article.get_absolute_url())
    with django_assert_max_num_queries(PAGE_BUDGET):
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
