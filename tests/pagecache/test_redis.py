"""The page cache's purges reach every server process through Redis.

Two separate cache clients stand for two server processes (`two_processes`,
tests/conftest.py: a key prefix of the test's own, only its keys deleted, the
shared Redis never flushed). Needs TEST_REDIS_URL (.ci/run sets it).
"""

import pytest

import pagecache
from articles.models import Article
from comments.models import Comment
from comments.moderation import approve_comments
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db, pytest.mark.usefixtures("caches_on")]


def test_a_purge_by_one_process_reaches_the_other(client, two_processes, use_cache):
    first, second = two_processes
    story = ArticleFactory(headline="Bridge reopens after repairs")
    use_cache(first)
    for _ in range(2):
        client.get(story.get_absolute_url())
    Article.objects.filter(pk=story.pk).update(headline="Renamed by the other process")
    assert b"Bridge reopens after repairs" in client.get(story.get_absolute_url()).content

    use_cache(second)
    pagecache.purge_articles([story.pk])

    use_cache(first)
    assert b"Renamed by the other process" in client.get(story.get_absolute_url()).content


def test_an_approval_in_one_process_shows_in_the_other(
    client, two_processes, django_capture_on_commit_callbacks, use_cache
):
    first, second = two_processes
    story = ArticleFactory()
    comment = CommentFactory(article=story, status="pending", body="Publish the minutes")
    use_cache(first)
    for _ in range(2):
        assert b"Publish the minutes" not in client.get(story.get_absolute_url()).content

    use_cache(second)
    with django_capture_on_commit_callbacks(execute=True):
        approve_comments(Comment.objects.filter(pk=comment.pk), by=UserFactory())

    use_cache(first)
    assert b"Publish the minutes" in client.get(story.get_absolute_url()).content
