"""Helpers for the comments tests: a story open for responses, a valid post,
and calls made at the same moment."""

import threading
import time

import pytest
from django.db import connections
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


def at_once(*calls):
    """Run each call in a thread of its own, all released together by a
    barrier; returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # the test looks at it
            outcomes[index] = error
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def article(db):
    return ArticleFactory(headline="Council approves the bridge budget")


@pytest.fixture
def moderator_user(db):
    return UserFactory(username="mod", groups=["Moderators"], is_staff=True)
