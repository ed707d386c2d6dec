"""Helpers for the comments tests: a story open for responses and a valid post."""

import time

import pytest
from django.urls import reverse

from comments.forms import make_security_token
from tests.factories import ArticleFactory, UserFactory

VALID = {
    "body": "The council should publish the full minutes.",
    "author_name": "Ada Reader",
    "author_email": "ada@example.org",
    "author_url": "",
}


def post_data(article, *, shown_seconds_ago=60, **fields):
    """A POST a person would send: the form shown a minute ago, honeypot empty."""
    token = make_security_token(article, shown_at=time.time() - shown_seconds_ago)
    return {**VALID, "security_token": token, "honeypot": "", **fields}


def post_url(article):
    return reverse("comments:post", args=[article.pk])


@pytest.fixture
def article(db):
    return ArticleFactory(headline="Council approves the bridge budget")


@pytest.fixture
def moderator_user(db):
    return UserFactory(username="mod", groups=["Moderators"], is_staff=True)
