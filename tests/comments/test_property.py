"""Arbitrary text in every field of the comment handler: never a 500, never a
half-saved response (a complete, valid comment or none at all).

Bounded for a 2-core machine: deadline off, derandomised in CI (the CI
variable), 100 examples; the rate limits' cache is cleared between examples so the
flood limit does not hide every other path.
"""

import os

import pytest
from django.core.cache import caches
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from comments.models import Comment
from tests.comments.conftest import post_data, post_url
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

# Any text a browser could send: every plane but lone surrogates (not encodable).
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)


def field(valid_value):
    """Sometimes the valid value, sometimes anything at all."""
    return st.one_of(st.just(valid_value), ANY_TEXT)


@pytest.fixture
def parent(article):
    return CommentFactory(article=article)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_arbitrary_input_never_fails_or_half_saves(article, parent, data):
    caches["ratelimit"].clear()
    valid = post_data(article)
    fields = {
        name: data.draw(field(value), label=name)
        for name, value in {
            **valid,
            "parent": str(parent.pk),
            "remember": "on",
            "author_url": "https://example.org/",
        }.items()
    }
    before = Comment.objects.count()

    response = Client().post(post_url(article), fields)

    after = Comment.objects.count()
    event(f"HTTP {response.status_code}")  # --hypothesis-show-statistics
    assert response.status_code in {303, 403, 413, 422, 429}
    if response.status_code == 303:
        assert after == before + 1
        saved = Comment.objects.latest("pk")
        saved.full_clean()  # complete and valid: nothing half-saved
        assert saved.article_id == article.pk
    else:
        assert after == before
