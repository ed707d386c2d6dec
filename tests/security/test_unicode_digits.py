"""Issue 15 §7: digits that are not ASCII ("²" passes str.isdigit(), int()
refuses it) gave anyone a 500. Every number in a query string or an admin
address is read one way (core/numbers.py)."""

import pytest

from core.numbers import is_canonical_number, parse_number
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

SUPERSCRIPT_TWO = "%C2%B2"


@pytest.fixture
def story():
    story = ArticleFactory()
    CommentFactory(article=story)
    return story


def test_a_superscript_page_number_is_not_a_page(client):
    assert client.get(f"/?page={SUPERSCRIPT_TWO}").status_code == 404


def test_a_superscript_cpage_shows_the_first_page_of_responses(client, story):
    response = client.get(f"{story.get_absolute_url()}?cpage={SUPERSCRIPT_TWO}")
    assert response.status_code == 200


def test_a_superscript_replyto_is_ignored_on_the_story(client, story):
    response = client.get(f"{story.get_absolute_url()}?replyto={SUPERSCRIPT_TWO}")
    assert response.status_code == 200
    assert "Replying to" not in response.content.decode()


def test_a_superscript_replyto_is_ignored_by_the_form_frame(client, story):
    response = client.get(f"/comments/form/{story.pk}/?replyto={SUPERSCRIPT_TWO}")
    assert response.status_code == 200


def test_a_superscript_story_id_in_the_admin_is_no_such_story(admin_client):
    response = admin_client.get(f"/admin/articles/article/{SUPERSCRIPT_TWO}/change/")
    assert response.status_code == 302  # the admin's "does not exist" message


def test_only_ascii_digits_make_a_number():
    assert parse_number("²", max_digits=6) is None
    assert parse_number("٣", max_digits=6) is None
    assert parse_number("１", max_digits=6) is None
    assert parse_number("007", max_digits=6) == 7
    assert parse_number("1234567", max_digits=6) is None


def test_a_number_with_a_leading_zero_is_not_canonical():
    assert is_canonical_number("2")
    assert is_canonical_number("0")
    assert not is_canonical_number("02")
    assert not is_canonical_number("²")
