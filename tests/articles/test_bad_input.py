"""Issue 2 §8: bad input to the public site is a 404 or a clean page, never a 500.

Pagination: a page number that is not a page of the list (`abc`, `0`, `-1`,
`1.5`, `99999`) is a 404, on every paginated page. It is never clamped.
"""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _some_stories():
    section = SectionFactory(slug="news")
    ArticleFactory.create_batch(
        3,
        section=section,
        authors=[AuthorFactory(slug="ann")],
        tags=[TagFactory(slug="parks")],
        headline="Bridge news",
    )


LIST_PAGES = ["/", "/news/", "/tag/parks/", "/author/ann/", "/search/?q=bridge&"]


def with_page(url, number):
    return f"{url}{'' if url.endswith('&') else '?'}page={number}"


@pytest.mark.parametrize("url", LIST_PAGES)
@pytest.mark.parametrize("number", ["abc", "0", "-1", "1.5", "99999", "%00"])
def test_a_page_that_does_not_exist_is_404(client, url, number):
    assert client.get(with_page(url, number)).status_code == 404


@pytest.mark.parametrize("url", LIST_PAGES)
def test_page_one_is_the_first_page(client, url):
    assert client.get(with_page(url, 1)).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-section/",
        "/no-such-section/feed/",
        "/tag/no-such-tag/",
        "/author/no-such-author/",
        "/news/2024/13/45/x/",  # no 13th month
        "/news/2024/02/30/x/",  # no 30 February
        "/news/0000/01/01/x/",  # no year 0
        "/news/9999/12/31/x/",  # the day after is past the calendar
        "/news/abcd/01/01/x/",
        "/news/2024/1/1/x/",  # month and day take two digits
        "/news/2024/01/01/no-such-story/",
        "/no-such-section/2024/01/01/x/",
        "/tag/",
        "/author/",
        "/feed/nope/",
        "/news/feed/nope/",
        "/%E2%80%8B/",
        "/preview/abc/",
        "/wp-login.php",
        "/.env",
    ],
)
def test_unknown_addresses_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "x" * 2000,
        "bridge " * 400,
        "bridge\x00news",
        "'\"<>&|!():*\\",
        "-",
        "OR",
        "🙂 " * 100,
    ],
)
def test_odd_search_queries_are_a_clean_page(client, query):
    assert client.get("/search/", {"q": query}).status_code == 200


def test_search_with_a_repeated_q_parameter_is_a_clean_page(client):
    assert client.get("/search/?q=bridge&q=news").status_code == 200


def test_preview_of_a_story_that_does_not_exist_is_404(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("articles:preview", args=[999999])).status_code == 404
