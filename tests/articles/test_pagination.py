"""Lists of stories go back a bounded number of pages (articles/views.py,
articles/pagination.py): no exact count of the archive, no deep OFFSET."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.pagination import CappedCountPaginator
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_pages_of_two(settings, monkeypatch):
    """Lists of 2 stories a page, going back 2 pages; 5 stories in one section."""
    settings.ARTICLES_PER_PAGE = 2
    monkeypatch.setattr("articles.views.MAX_LIST_PAGES", 2)
    section = SectionFactory(slug="news")
    ArticleFactory.create_batch(5, section=section)
    return reverse("articles:section", kwargs={"section": "news"})


def test_the_last_page_within_the_bound_is_served(client, two_pages_of_two):
    response = client.get(two_pages_of_two, {"page": 2})
    assert response.status_code == 200
    assert len(response.context["articles"]) == 2


def test_a_page_past_the_bound_is_404(client, two_pages_of_two):
    assert client.get(two_pages_of_two, {"page": 3}).status_code == 404


def test_the_last_page_of_a_bounded_list_points_to_search(client, two_pages_of_two):
    html = client.get(two_pages_of_two, {"page": 2}).content.decode()
    assert "Page 2 of 2+" in html
    assert "Older stories are in the archive" in html
    assert f'href="{reverse("articles:search")}"' in html


def test_a_list_within_the_bound_says_nothing_of_the_archive(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    section = SectionFactory(slug="news")
    ArticleFactory.create_batch(3, section=section)
    html = client.get("/news/", {"page": 2}).content.decode()
    assert "Page 2 of 2<" in html
    assert "Older stories are in the archive" not in html


def test_the_list_count_stops_at_the_bound(client, two_pages_of_two):
    with CaptureQueriesContext(connection) as queries:
        client.get(two_pages_of_two)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 5" in sql for sql in counts)


def test_a_long_list_counts_only_a_few_pages_ahead(client, settings, monkeypatch):
    settings.ARTICLES_PER_PAGE = 2
    monkeypatch.setattr("articles.views.COUNTED_PAGES_AHEAD", 1)
    ArticleFactory.create_batch(7, section=SectionFactory(slug="news"))
    assert "Page 1 of 2+" in client.get("/news/").content.decode()
    assert "Page 2 of 3+" in client.get("/news/", {"page": 2}).content.decode()


def test_capped_paginator_counts_a_list_too():
    paginator = CappedCountPaginator(list(range(7)), 2, max_count=4)
    assert (paginator.count, paginator.count_is_capped, paginator.num_pages) == (4, True, 2)


def test_deferred_join_pages_hold_what_plain_pages_hold():
    from django.core.paginator import Paginator

    from articles.models import Article
    from articles.pagination import DeferredJoinPaginator

    ArticleFactory.create_batch(5)
    stories = Article.objects.published().latest_first()
    deferred, plain = DeferredJoinPaginator(stories, 2), Paginator(stories, 2)
    assert [list(deferred.page(n)) for n in (1, 2, 3)] == [list(plain.page(n)) for n in (1, 2, 3)]
